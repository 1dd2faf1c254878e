"""``rehearse`` with no command: the app on the library."""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.cli import EXIT_PROBLEMS, EXIT_USAGE


def open_app(args) -> int:
    from simulator.model.text import inert
    from simulator.records.store import StoreError
    from simulator.tui.app import run

    export_dir = export_folder(args, "rehearse")
    if export_dir is False:
        return EXIT_USAGE
    try:
        return run(data=args.data, export_dir=export_dir)
    except StoreError as exc:
        print(f"rehearse: {inert(str(exc))}", file=sys.stderr)
        return EXIT_PROBLEMS


def export_folder(args, command: str) -> "Path | None | bool":
    """``--export-dir`` as a folder, None when not given, or False after
    saying why it cannot be used."""
    from simulator.model.text import inert

    given = getattr(args, "export_dir", None)
    if not given:
        return None
    folder = Path(given).expanduser()
    if folder.exists() and not folder.is_dir():
        print(f"{command}: --export-dir {inert(str(folder))} is a file, not a folder", file=sys.stderr)
        return False
    return folder
