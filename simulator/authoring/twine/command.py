"""``rehearse import``: a Twine story becomes a draft scenario that validates.

Reads the story (``twine_story``), converts it (``twine_scenario``), checks the
result with the real loader, and writes it only to a file that does not exist
yet. What could not be carried over is printed to stderr as well as listed at
the top of the file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from scoring.display import count
from simulator.twine_scenario import Imported, convert
from simulator.twine_story import StoryError, read_story

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
_SCENARIO_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def run_cli(args) -> int:
    from simulator.text import inert

    story_path = Path(args.story)
    if not story_path.is_file():
        what = "is a folder, not a story file" if story_path.is_dir() else "does not exist"
        print(f"rehearse import: {inert(str(story_path))} {what}", file=sys.stderr)
        return EXIT_USAGE
    scenario_id = args.scenario_id
    if scenario_id is not None and not (_SCENARIO_ID.fullmatch(scenario_id) and len(scenario_id) <= 80):
        print(f"rehearse import: --id {inert(scenario_id)!r} is not a scenario id: use lowercase letters, digits "
              "and hyphens (at most 80), e.g. dsl-mash-threshold", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out) if args.out else story_path.with_suffix(".yaml")
    if out.exists() or out.is_symlink():
        print(f"rehearse import: {inert(str(out))} already exists; nothing was written (choose another file "
              "with --out, or move that one away)", file=sys.stderr)
        return EXIT_USAGE
    try:
        imported = convert(read_story(story_path), story_path.name, scenario_id)
    except StoryError as exc:
        where = ":".join(str(part) for part in (story_path, exc.line, exc.column) if part)
        print(inert(f"{where}: error: {exc.message}"), file=sys.stderr)
        return EXIT_PROBLEMS
    status = _check_and_write(imported, out)
    if status != EXIT_OK:
        return status
    for note in imported.notes:
        where = f"{story_path}:{note.line}" if note.line else str(story_path)
        print(inert(f"{where}: not carried over: {note.message}"), file=sys.stderr)
    print(inert(f"wrote {out}: {count(imported.nodes, 'node')} ({count(imported.endings, 'ending')}) and "
                f"{count(imported.options, 'option')} from {count(imported.passages, 'Twine passage')}; "
                f"{count(len(imported.notes), 'thing')} not carried over, listed at the top of the file"))
    print(inert(f"next: replace the TODOs and add evidence to every option, then run `rehearse validate {out}`"))
    return EXIT_OK


def _check_and_write(imported: Imported, out: Path) -> int:
    from simulator import yaml_source
    from simulator.loader import load_text
    from simulator.text import inert

    data = imported.text.encode("utf-8")
    if len(data) > yaml_source.MAX_BYTES:
        print(f"rehearse import: the scenario would be {len(data) / 1048576:.1f} MB, over the "
              f"{yaml_source.MAX_BYTES // 1048576} MB limit on scenario files; split the story first", file=sys.stderr)
        return EXIT_PROBLEMS
    result = load_text(imported.text, str(out))
    if not result.ok:
        # The importer's promise is a file that validates; say so rather than write a broken one.
        print("rehearse import: the converted scenario does not validate, so nothing was written. "
              "This is a fault in the importer; please report it with the story file:", file=sys.stderr)
        for diagnostic in result.diagnostics:
            if diagnostic.severity == "error":
                print(diagnostic.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        with open(out, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(imported.text)
    except FileExistsError:
        print(f"rehearse import: {inert(str(out))} already exists; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"rehearse import: cannot write {inert(str(out))}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK
