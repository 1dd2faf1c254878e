"""Rehearse: rehearse professional challenge in safeguarding practice.

The application in parts, each a subpackage with one job; a part imports only
the parts below it (``docs/architecture.md`` draws them, and the import
contracts in ``pyproject.toml`` check them):

    cli        the ``rehearse`` command: glue between the user's words and the parts
    tui        the Textual screens (the only part that imports Textual)
    group      group training: facilitation, cohorts, serving, dashboard statistics
    authoring  tools for trainers: starter, Twine import, graph, preview
    prepare    a practitioner's plan for their own meeting: plan, profile, pushbacks, outputs
    records    the history file, its migrations, exports and xAPI
    format     scenario files: reading, the schema, checking, the library
    analysis   what a scenario does when played: balance, best paths, lint
    engine     playing a scenario: the session on its state machine, line-by-line play
    model      the shared vocabulary: the Scenario, conditions, diagnostics, safe text

``scoring`` (beside this package) turns evidence into scores and reports and
never imports the simulator.
"""

__version__ = "0.1.0"
