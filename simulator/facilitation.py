"""`rehearse facilitate SCENARIO`: run a scenario with a room on a projector.

Imported by the CLI only when the command runs; the Textual app is imported
only once the scenario has loaded and the options make sense.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
MAX_COUNTDOWN = 60 * 60
MAX_OPTIONS = 26  # lettered A to Z on the projector


def run_cli(args) -> int:
    from simulator.library import find

    if not 0 <= args.countdown <= MAX_COUNTDOWN:
        print(f"rehearse facilitate: --countdown takes seconds from 0 (none) to {MAX_COUNTDOWN}, "
              f"e.g. --countdown 90", file=sys.stderr)
        return EXIT_USAGE
    export_dir = Path(args.export_dir).expanduser() if args.export_dir else Path.cwd()
    if export_dir.exists() and not export_dir.is_dir():
        print(f"rehearse facilitate: --export-dir {export_dir} is a file, not a folder", file=sys.stderr)
        return EXIT_USAGE
    result = find(args.scenario)
    if result.scenario is None:
        for diagnostic in result.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    nodes = result.scenario.nodes.values()
    if not any(node.choices for node in nodes):
        print(f"rehearse facilitate: {args.scenario} has no decisions to vote on", file=sys.stderr)
        return EXIT_PROBLEMS
    crowded = [node.id for node in nodes if len(node.choices) > MAX_OPTIONS]
    if crowded:
        print(f"rehearse facilitate: node '{crowded[0]}' has more than {MAX_OPTIONS} options, more than a room "
              f"can vote on by letter (A-Z)", file=sys.stderr)
        return EXIT_PROBLEMS

    from simulator.tui.facilitation_app import make_facilitation_app

    make_facilitation_app(result.scenario, countdown=args.countdown, export_dir=export_dir).run()
    return EXIT_OK
