"""Commands on the scenarios themselves: ``validate`` and ``list`` (``play``
has a module of its own)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from simulator.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE


def print_problems(diagnostics) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def empty_folders(paths: list[str]) -> list[str]:
    """The folders named that hold no scenario file at any depth, each said on
    stderr: checking nothing and saying "0 errors" would read as a pass."""
    from simulator.format.library import files_in
    from simulator.model.text import inert

    empty = [p for p in paths if Path(p).is_dir() and not files_in(Path(p))]
    for folder in empty:
        print(f"rehearse: {inert(folder)} holds no scenario files (*.yaml or *.yml), nor do its folders; "
              "name the folder your scenarios are in", file=sys.stderr)
    return empty


def validate(args) -> int:
    from scoring.display import count
    from simulator.format.library import check_all

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"rehearse validate: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    empty = empty_folders(args.paths)
    if empty:
        return EXIT_USAGE
    results = check_all(args.paths or None, use_cache=not args.no_cache)
    errors = sum(d.severity == "error" for r in results for d in r.diagnostics)
    warnings = sum(d.severity == "warning" for r in results for d in r.diagnostics)
    if args.format == "json":
        print(json.dumps({
            "files": [{"path": r.source, "ok": r.ok, "diagnostics": [d.as_dict() for d in r.diagnostics]} for r in results],
            "errors": errors,
            "warnings": warnings,
        }, indent=2))
    else:
        for result in results:
            for diagnostic in result.diagnostics:
                print(diagnostic.format())
        print(f"checked {count(len(results), 'file')}: {count(errors, 'error')}, {count(warnings, 'warning')}")
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


def list_scenarios(args) -> int:
    from simulator.format.library import load_all
    from simulator.model.text import inert

    if empty_folders(args.paths):
        return EXIT_USAGE
    # From the cache of compiled scenarios: a file is parsed and checked only
    # when it (or the checking code) has changed since it was last read.
    for result in load_all(args.paths or None, use_cache=not getattr(args, "no_cache", False)):
        s = result.summary
        if s is None:
            first = next((d for d in result.diagnostics if d.severity == "error"), None)
            reason = f": {inert(first.message)}" if first else ""
            print(f"{inert(result.source)}: does not load{reason} (run `rehearse validate {inert(result.source)}`)")
            continue
        print(f"{s.id:32} {s.area:28} {s.difficulty}/3 {s.minutes:3} min  {inert(s.title)}")
    return EXIT_OK


def load_scenario(reference: str, use_cache: bool = True):
    from simulator.format.library import find

    result = find(reference, use_cache)
    if result.scenario is None:
        print_problems(result.diagnostics)
    return result.scenario
