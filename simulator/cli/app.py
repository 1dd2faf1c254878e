"""``rehearse`` with no command: the app on the library."""

from __future__ import annotations

import sys

from simulator.cli import EXIT_PROBLEMS


def open_app(args) -> int:
    from simulator.records.store import StoreError
    from simulator.tui.app import run

    try:
        return run(data=args.data)
    except StoreError as exc:
        print(f"rehearse: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
