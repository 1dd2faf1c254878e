"""Scenario files: the YAML reader that remembers where every value came from,
the schema checker, the validator (which runs the analysis part's lint rules),
the loader that turns bytes into a Scenario or located diagnostics, library
discovery, and the cache of validation verdicts.

May use: analysis, engine, model, scoring.
"""
