"""The ``rehearse`` command.

Only argparse is imported up front: ``rehearse validate`` must start fast, so
each command imports what it needs, and Textual is imported only when the
app itself opens.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rehearse",
        description="Rehearse professional challenge in safeguarding practice. With no command, opens the app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser("validate", help="check scenario files (default: the bundled library)")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders of *.yaml")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")

    listing = sub.add_parser("list", help="list the scenarios in the library")
    listing.add_argument("paths", nargs="*", metavar="PATH")

    play = sub.add_parser("play", help="play a scenario in the terminal, line by line")
    play.add_argument("scenario", help="a library id or a path to a .yaml file")
    play.add_argument("--plain", action="store_true", help="line-based play at a prompt (the default for this command)")
    play.add_argument("--choices", help="a fixed path of option numbers, e.g. 1,3,2: print the transcript and the ending")
    play.add_argument("--report", metavar="FILE", help="with --choices: write the debrief to FILE (.md, .html or .json)")
    play.add_argument("--learner", default="", help="a name to put on the report")

    graph = sub.add_parser("graph", help="print the scenario as a graph")
    graph.add_argument("scenario", help="a library id or a path to a .yaml file")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")

    analyse = sub.add_parser("analyse", help="balance analysis of scenarios for trainers")
    analyse.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="library ids or .yaml paths (default: the library)")
    analyse.add_argument("--format", choices=["text", "json"], default="text")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        handler = {
            None: _open_app,
            "validate": _validate,
            "list": _list,
            "play": _play,
            "graph": _graph,
            "analyse": _analyse,
        }[args.command]
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _print_problems(diagnostics) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _validate(args) -> int:
    from simulator.library import load_all

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"rehearse validate: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    results = load_all(args.paths or None)
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
        print(f"checked {len(results)} file{'s' * (len(results) != 1)}: {errors} error{'s' * (errors != 1)}, "
              f"{warnings} warning{'s' * (warnings != 1)}")
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


def _list(args) -> int:
    from simulator.library import load_all
    from simulator.text import inert

    for result in load_all(args.paths or None):
        if result.scenario is None:
            print(f"{result.source}: does not load (run `rehearse validate {result.source}`)")
            continue
        s = result.scenario
        print(f"{s.id:32} {s.area:28} {s.difficulty}/3 {s.minutes:3} min  {inert(s.title)}")
    return EXIT_OK


def _load(reference: str):
    from simulator.library import find

    result = find(reference)
    if result.scenario is None:
        _print_problems(result.diagnostics)
    return result.scenario


def _play(args) -> int:
    from simulator import plain
    from simulator.engine import Session

    scenario = _load(args.scenario)
    if scenario is None:
        return EXIT_PROBLEMS
    session = Session(scenario, learner=args.learner)
    if args.choices is None:
        if args.report:
            print("rehearse play: --report goes with --choices", file=sys.stderr)
            return EXIT_USAGE
        return plain.run_interactive(session, input, sys.stdout)
    try:
        numbers = [int(part) for part in args.choices.replace(" ", "").split(",") if part]
    except ValueError:
        print("rehearse play: --choices takes option numbers separated by commas, e.g. 1,3,2", file=sys.stderr)
        return EXIT_USAGE
    status = plain.run_choices(session, numbers, sys.stdout)
    if args.report:
        from scoring.reports import write_report

        try:
            write_report(args.report, session.evidence_log())
        except (ValueError, OSError) as exc:
            print(f"rehearse play: cannot write the report: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"Report written to {args.report}")
    return status


def _graph(args) -> int:
    from simulator import graph

    scenario = _load(args.scenario)
    if scenario is None:
        return EXIT_PROBLEMS
    sys.stdout.write(graph.dot(scenario) if args.format == "dot" else graph.mermaid(scenario))
    return EXIT_OK


def _analyse(args) -> int:
    from simulator.analysis_report import run_cli

    return run_cli(args)


def _open_app(args) -> int:
    try:
        from simulator.tui.app import run
    except ImportError:
        return _plain_library()
    return run()


def _plain_library() -> int:
    """Until the full-screen app lands: pick a scenario from the library and play it line by line."""
    from simulator import plain
    from simulator.engine import Session
    from simulator.library import load_all
    from simulator.text import inert

    scenarios = [r.scenario for r in load_all() if r.scenario is not None]
    if not scenarios:
        print("No scenarios could be loaded; run `rehearse validate` to see why.", file=sys.stderr)
        return EXIT_PROBLEMS
    print("Rehearse: professional challenge in safeguarding\n")
    for index, scenario in enumerate(scenarios, start=1):
        print(f"{index:2}. {inert(scenario.title)}  ({scenario.area}, {scenario.minutes} min)")
    try:
        answer = input(f"\nWhich scenario (1-{len(scenarios)}, q to quit)? ").strip()
    except EOFError:
        return EXIT_OK
    if not answer.isdigit() or not 1 <= int(answer) <= len(scenarios):
        return EXIT_OK
    return plain.run_interactive(Session(scenarios[int(answer) - 1]), input, sys.stdout)
