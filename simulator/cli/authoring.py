"""Commands for trainers who write scenarios: ``new``, ``preview``, ``import``
(a Twine story), ``graph`` and ``analyse``."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from simulator.cli.scenarios import load_scenario

if TYPE_CHECKING:
    from simulator.authoring.twine.convert import Imported

_SCENARIO_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def new(args) -> int:
    from simulator.authoring.starter import DEFAULT_AREA, ID_PATTERN, MAX_ID, starter_text
    from simulator.model.text import inert
    from simulator.model.vocabulary import areas

    if not ID_PATTERN.match(args.id):
        print(f"rehearse new: '{inert(args.id)}' is not a scenario id: use lower-case letters, digits and hyphens, "
              "e.g. hv-weight-faltering", file=sys.stderr)
        return EXIT_USAGE
    if len(args.id) > MAX_ID:  # the schema's limit: a longer id would give a starter that does not validate
        print(f"rehearse new: the id is {len(args.id)} characters long; a scenario id has at most {MAX_ID} "
              "(it is also the file's name): choose a shorter one", file=sys.stderr)
        return EXIT_USAGE
    area = args.area or DEFAULT_AREA
    known = areas()
    if area not in known:
        print(f"rehearse new: unknown area '{inert(area)}'; choose one of: {', '.join(known)}", file=sys.stderr)
        return EXIT_USAGE
    from scoring.private_files import write_private

    folder = Path(args.out)
    path = folder / f"{args.id}.yaml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # The file's name is the scenario's id, so a taken name is refused
        # rather than renamed: never overwrite a trainer's work.
        write_private(path, starter_text(args.id, area, str(path)), taken="refuse")
    except FileExistsError:
        print(f"rehearse new: {inert(str(path))} already exists; choose another id or --out folder", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"rehearse new: cannot write {inert(str(path))}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Wrote {inert(str(path))}. Next:\n"
          f"  rehearse preview {inert(str(path))} --watch   # play it; reloads when you save\n"
          f"  rehearse validate {inert(str(path))}")
    return EXIT_OK


def preview(args) -> int:
    from simulator.authoring.preview import Origin, parse_assignments
    from simulator.model.text import inert

    path = Path(args.file)
    if not path.is_file():
        print(f"rehearse preview: no such file: {inert(str(path))}", file=sys.stderr)
        return EXIT_USAGE
    try:
        origin = Origin(args.start, parse_assignments(args.assignments))
    except ValueError as exc:
        print(f"rehearse preview: {inert(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    from simulator.cli.app import export_folder

    export_dir = export_folder(args, "rehearse preview")
    if export_dir is False:
        return EXIT_USAGE
    from simulator.tui.preview_app import run_preview

    return run_preview(path, origin, watch=args.watch, coach=args.coach, export_dir=export_dir)


def import_story(args) -> int:
    from scoring.display import count
    from simulator.authoring.twine.convert import convert, most_unreachable_summary
    from simulator.authoring.twine.story import StoryError, read_story
    from simulator.model.text import inert

    from simulator.cli.output import not_a_file, shown_path

    story_path = Path(args.story)
    if not story_path.is_file():
        print(f"rehearse import: {inert(shown_path(str(story_path)))} {not_a_file(str(story_path))}",
              file=sys.stderr)
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
    if imported.mostly_unreachable:
        # Said last and apart, where a trainer's eye lands: a valid one-node draft is easy to mistake for the story.
        print("", file=sys.stderr)
        print(inert(f"rehearse import: WARNING: most of {story_path.name} did not come across. "
                    f"{most_unreachable_summary(imported)} The file was written, but it is not the story yet: "
                    "see the notes above."), file=sys.stderr)
        return EXIT_PROBLEMS
    print(inert(f"next: replace the TODOs and add evidence to every option, then run `rehearse validate {out}`"))
    return EXIT_OK


def _check_and_write(imported: "Imported", out: Path) -> int:
    from simulator.format import yaml_source
    from simulator.format.loader import load_text
    from simulator.model.text import inert

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
    from scoring.private_files import write_private

    try:
        write_private(out, imported.text, taken="refuse")
    except FileExistsError:
        print(f"rehearse import: {inert(str(out))} already exists; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"rehearse import: cannot write {inert(str(out))}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def graph(args) -> int:
    from simulator.authoring.graph import text_formats

    scenario = load_scenario(args.scenario)
    if scenario is None:
        return EXIT_PROBLEMS
    if args.format == "html":
        from simulator.authoring.graph.page import page

        text = page(scenario)
    else:
        text = text_formats.dot(scenario) if args.format == "dot" else text_formats.mermaid(scenario)
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    from scoring.private_files import write_private
    from simulator.cli.records import kept_note
    from simulator.model.text import inert

    try:
        written = write_private(args.out, text)
    except OSError as exc:
        print(f"rehearse graph: cannot write {inert(args.out)}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Graph written to {inert(str(written))}{kept_note(args.out, written)}", file=sys.stderr)
    return EXIT_OK


def analyse(args) -> int:
    from scoring.catalogue import load_catalogue
    from simulator.analysis.balance import analyse as analyse_scenario
    from simulator.analysis.report import as_dict, coverage, render_coverage, render_text
    from simulator.format.library import find, load_all

    catalogue = load_catalogue()
    results = [find(ref) for ref in args.scenarios] if args.scenarios else load_all()
    failed = [r for r in results if r.scenario is None]
    for result in failed:
        for diagnostic in result.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
    loaded = [r.scenario for r in results if r.scenario is not None]
    analyses = [analyse_scenario(scenario, catalogue) for scenario in loaded]
    table = coverage([(s.area, a) for s, a in zip(loaded, analyses)], catalogue) if args.library else None
    if args.format == "json":
        print(json.dumps({"scenarios": [as_dict(a) for a in analyses], **({"coverage": table} if table else {})},
                         indent=2))
    elif table is not None:
        print(render_coverage(table, catalogue))
    else:
        print("\n\n".join(render_text(a, catalogue) for a in analyses))
    return 1 if failed else 0
