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
    parser.add_argument("--data", metavar="PATH", help="the history file (default: $REHEARSE_DATA, else the user data folder)")
    # The same option after a command too (`rehearse history --data x.db`);
    # SUPPRESS keeps a value given before the command from being reset.
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("--data", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser("validate", help="check scenario files (default: the bundled library)")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders of *.yaml")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument("--no-cache", action="store_true",
                          help="check every file afresh instead of reusing results for unchanged files")

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
    graph.add_argument("--format", choices=["mermaid", "dot", "html"], default="mermaid",
                       help="html: one self-contained page (no network) with evidence on every choice")
    graph.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")

    analyse = sub.add_parser("analyse", help="balance analysis of scenarios for trainers")
    analyse.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="library ids or .yaml paths (default: the library)")
    analyse.add_argument("--format", choices=["text", "json"], default="text")
    analyse.add_argument("--library", action="store_true",
                         help="print the coverage table: scenarios by briefing area, qualities by scenarios evidencing them")

    history = sub.add_parser("history", parents=[data], help="list past and unfinished attempts, newest first")
    history.add_argument("--scenario", metavar="ID", help="only attempts at this scenario")
    history.add_argument("--learner", metavar="NAME", help="only attempts by this learner")

    export = sub.add_parser("export", parents=[data], help="export attempts for an organisation's records")
    export.add_argument("--format", choices=["json", "csv", "xapi"], default="json",
                        help="xapi: a JSON array of xAPI 1.0.3 statements for a Learning Record Store")
    export.add_argument("--out", metavar="FILE", help="write to FILE (default: print)")
    export.add_argument("--cohort", metavar="NAME", help="only the attempts of this group session")
    export.add_argument("--names", action="store_true",
                        help="xapi: add display names to the statements (default: pseudonymous ids only)")

    # -- authoring --------------------------------------------------------------
    new = sub.add_parser("new", help="write a commented starter scenario that validates")
    new.add_argument("id", help="the scenario id, e.g. gp-missed-appointments (also the file name)")
    new.add_argument("--area", help="the briefing area (see docs/scenario-format.md)")
    new.add_argument("--out", metavar="FOLDER", default=".", help="where to write ID.yaml (default: here)")

    preview = sub.add_parser("preview", help="open the app on one scenario file, for its author")
    preview.add_argument("file", help="a scenario .yaml file")
    preview.add_argument("--from", dest="start", metavar="NODE", help="start at this node")
    preview.add_argument("--set", dest="assignments", action="append", default=[], metavar="VAR=VALUE",
                         help="start with a variable set, e.g. --set trust=1 (repeatable)")
    preview.add_argument("--watch", action="store_true", help="reload whenever the file is saved")
    preview.add_argument("--coach", action="store_true", help="show each choice's feedback as soon as it is made")

    twine = sub.add_parser("import", help="turn a Twine story (Twee 3 or published HTML) into a scenario")
    twine.add_argument("story", help="a .twee file or a Twine 2 published .html file")
    twine.add_argument("--out", metavar="FILE", help="the scenario file to write (default: <story>.yaml)")
    twine.add_argument("--id", dest="scenario_id", help="the scenario id (default: from the story's name)")

    # -- group training -----------------------------------------------------------
    facilitate = sub.add_parser("facilitate", parents=[data], help="run a scenario with a room: projector view and votes")
    facilitate.add_argument("scenario", help="a library id or a path to a .yaml file")
    facilitate.add_argument("--countdown", type=int, metavar="SECONDS", default=0,
                            help="a countdown for each decision (default: none)")
    facilitate.add_argument("--export-dir", metavar="FOLDER", help="where session records are saved (default: here)")

    serve = sub.add_parser("serve", parents=[data], help="serve the app to participants' browsers for a cohort")
    serve.add_argument("--cohort", required=True, metavar="NAME", help="the group session's name")
    serve.add_argument("--scenario", metavar="ID", help="the scenario everyone plays (default: participants choose)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--public-url", metavar="URL", help="the address participants' browsers use, e.g. http://192.168.1.20:8000")

    dashboard = sub.add_parser("dashboard", parents=[data], help="the facilitator's live view of a cohort")
    dashboard.add_argument("--cohort", required=True, metavar="NAME")
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
            "history": _history,
            "export": _export,
            "new": _new,
            "preview": _preview,
            "import": _import,
            "facilitate": _facilitate,
            "serve": _serve,
            "dashboard": _dashboard,
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
    from scoring.display import count
    from simulator.library import check_all

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"rehearse validate: no such file or folder: {', '.join(missing)}", file=sys.stderr)
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
    if args.format == "html":
        from simulator.graph_html import page

        text = page(scenario)
    else:
        text = graph.dot(scenario) if args.format == "dot" else graph.mermaid(scenario)
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"rehearse graph: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Graph written to {args.out}", file=sys.stderr)
    return EXIT_OK


def _analyse(args) -> int:
    from simulator.analysis_report import run_cli

    return run_cli(args)


def _stored_attempts(args, command: str, **filters):
    """The attempts in the history file, or None after printing why not.

    A file that does not exist yet means no attempts: reading history never
    creates one, so a mistyped --data does not leave an empty file behind."""
    from simulator.store import Store, StoreError, default_path

    path = Path(args.data) if args.data else default_path()
    if not path.exists():
        return []
    try:
        with Store(path) as store:
            return store.attempts(**filters)
    except StoreError as exc:
        print(f"rehearse {command}: {exc}", file=sys.stderr)
        return None


def _history(args) -> int:
    from datetime import datetime

    from scoring.display import format_score, outcome_label
    from simulator.text import inert

    attempts = _stored_attempts(args, "history", scenario_id=args.scenario, learner=args.learner)
    if attempts is None:
        return EXIT_PROBLEMS
    if not attempts:
        filtered = args.scenario is not None or args.learner is not None
        print("No attempts match." if filtered else "No attempts yet: play a scenario and it will appear here.")
        return EXIT_OK

    def cell(text: str, width: int) -> str:
        text = inert(text)
        return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)

    # started 16, scenario 22, learner 12, outcome 13, score 5, mode 7 and the
    # gaps: 80 columns.
    print(f"{'started':16} {'scenario':22} {'learner':12} {'outcome':13} {'score':>5} mode")
    for a in attempts:
        started = datetime.fromisoformat(a.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
        outcome = outcome_label(a.outcome) if a.finished and a.outcome else "unfinished"
        score = format_score(a.overall) if a.overall is not None else "-"
        print(f"{started:16} {cell(a.title, 22)} {cell(a.learner or '-', 12)} {cell(outcome, 13)} {score:>5} {a.mode}")
    return EXIT_OK


def _export(args) -> int:
    from simulator.exports import run_cli

    return run_cli(args)


def _new(args) -> int:
    from simulator.starter import run_cli

    return run_cli(args)


def _preview(args) -> int:
    from simulator.preview import run_cli

    return run_cli(args)


def _import(args) -> int:
    from simulator.twine import run_cli

    return run_cli(args)


def _facilitate(args) -> int:
    from simulator.facilitation import run_cli

    return run_cli(args)


def _serve(args) -> int:
    from simulator.serve import run_cli

    return run_cli(args)


def _dashboard(args) -> int:
    from simulator.cohort_dashboard import run_cli

    return run_cli(args)


def _open_app(args) -> int:
    from simulator.store import StoreError
    from simulator.tui.app import run

    try:
        return run(data=args.data)
    except StoreError as exc:
        print(f"rehearse: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
