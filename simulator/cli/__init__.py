"""The ``rehearse`` command: the glue between the user's words and the parts.

Each command lives in a module of this package and reaches into the parts it
needs: find a scenario (format), play it (engine), record it (records), open a
screen (tui). Only argparse is imported up front: ``rehearse validate`` must
start fast, so a command's module, and what it imports, load only when that
command runs, and Textual only when a screen opens.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from importlib import import_module

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
# Commands that show scenario text to someone, and so fill its placeholders from the local profile.
SHOWN = frozenset({"list", "play", "say", "graph", "facilitate", "serve", "preview"})

# command -> (module in this package, function)
COMMANDS = {
    None: ("app", "open_app"),
    "validate": ("scenarios", "validate"),
    "list": ("scenarios", "list_scenarios"),
    "play": ("play", "play"),
    "say": ("say", "say"),
    "prepare": ("prepare", "dispatch"),
    "profile": ("prepare", "profile"),
    "graph": ("authoring", "graph"),
    "analyse": ("authoring", "analyse"),
    "history": ("records", "history"),
    "export": ("records", "export"),
    "new": ("authoring", "new"),
    "preview": ("authoring", "preview"),
    "import": ("authoring", "import_story"),
    "facilitate": ("group", "facilitate"),
    "serve": ("group", "serve"),
    "dashboard": ("group", "dashboard"),
}


class _NotBuilt:
    """A command not asked for this run: its options are never built."""

    def add_argument(self, *args, **kwargs) -> None:
        pass

    # A command with steps of its own (`prepare new`): its steps are not built either.
    def add_subparsers(self, *args, **kwargs) -> _NotBuilt:
        return self

    def add_parser(self, *args, **kwargs) -> _NotBuilt:
        return self


class _Formatter(argparse.HelpFormatter):
    """argparse's own help layout. argparse imports shutil (and with it zlib,
    bz2 and lzma, ~1.5 ms of every start) only to ask the terminal's width;
    this asks the same way shutil does: $COLUMNS, else the terminal, else 80."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


def _columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


EVERY = "every command"
_GLOBAL_WITH_VALUE = ("--data", "--export-dir")


def _asked(argv: list[str]) -> str | None:
    """The command ``argv`` names, so that only its options are built (argparse
    spends milliseconds on each); ``EVERY`` when help is asked for or the word
    is not a command (the message then lists them all); None for the app."""
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help"):
            return EVERY
        if word.startswith("-"):
            # --data PATH, or an abbreviation argparse accepts (--dat PATH)
            if "=" not in word and len(word) > 2 and any(o.startswith(word) for o in _GLOBAL_WITH_VALUE):
                next(words, None)
            continue
        return word if word in COMMANDS else EVERY
    return None


def _parser(only: str | None = EVERY) -> argparse.ArgumentParser:
    """The command line's parser: every command's options, or only those of
    the command ``only`` (None: no command's)."""
    parser = argparse.ArgumentParser(
        prog="rehearse", formatter_class=_Formatter,
        description="Rehearse professional challenge in safeguarding practice. With no command, opens the app.",
    )
    parser.add_argument("--data", metavar="PATH", help="the history file (default: $REHEARSE_DATA, else the user data folder)")
    parser.add_argument("--export-dir", metavar="FOLDER",
                        help="where the app saves exported debriefs this time (default: the folder chosen in "
                             "settings, else Rehearse in your documents folder)")
    # The same option after any command too (`rehearse play ID --data x.db`);
    # SUPPRESS keeps a value given before the command from being reset.
    data = argparse.ArgumentParser(add_help=False, formatter_class=_Formatter)
    data.add_argument("--data", metavar="PATH", default=argparse.SUPPRESS,
                      help="the history file (default: $REHEARSE_DATA, else the user data folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, **kwargs) -> argparse.ArgumentParser | _NotBuilt:
        if only != EVERY and name != only:
            return _NotBuilt()
        return sub.add_parser(name, parents=[data], formatter_class=_Formatter, **kwargs)

    validate = command("validate", help="check scenario files (default: the bundled library)")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders of *.yaml")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument("--no-cache", action="store_true",
                          help="check every file afresh instead of reusing results for unchanged files")

    listing = command("list", help="list the scenarios in the library")
    listing.add_argument("paths", nargs="*", metavar="PATH")
    listing.add_argument("--no-cache", action="store_true",
                         help="read and check every file afresh instead of reusing what was kept for unchanged files")

    play = command("play", help="play a scenario in the terminal, line by line, ending with a plain-text debrief")
    play.add_argument("scenario", help="a library id or a path to a .yaml file")
    play.add_argument("--plain", action="store_true", help="line-based play at a prompt (the default for this command)")
    play.add_argument("--choices", help="a fixed path of option numbers, e.g. 1,3,2: print the transcript and the ending")
    play.add_argument("--report", metavar="FILE", help="with --choices: write the debrief to FILE (.md, .html or .json)")
    play.add_argument("--learner", default="", help="a name to put on the attempt and the report")
    play.add_argument("--no-cache", action="store_true",
                      help="read and check the scenario afresh instead of reusing what was kept when it last loaded")
    play.add_argument("--no-record", action="store_true",
                      help="keep nothing: no attempt in the history, no resume (default: kept, as the app keeps one)")
    play.add_argument("--say-first", action="store_true",
                      help="before each decision, type what you would say and hear feedback on it; with --choices, "
                           "the words for each decision are read from standard input, one line each")

    say = command("say", help="what the analyser finds in words you would say (standard input: one a line)")
    say.add_argument("text", nargs="?", metavar="TEXT",
                     help="the words to read (default: standard input, one utterance a line, one result a line)")
    say.add_argument("--scenario", metavar="ID", help="check cited facts against this scenario's case file")
    say.add_argument("--at", metavar="NODE", help="with --scenario: also show which of this decision's options is closest")
    say.add_argument("--format", choices=["text", "json"], default="text",
                     help="json: one object a line with text, politeness, respectful, elements, spans, feedback")

    graph = command("graph", help="print the scenario as a graph")
    graph.add_argument("scenario", help="a library id or a path to a .yaml file")
    graph.add_argument("--format", choices=["mermaid", "dot", "html"], default="mermaid",
                       help="html: one self-contained page (no network) with evidence on every choice")
    graph.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")

    analyse = command("analyse", help="balance analysis of scenarios for trainers")
    analyse.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="library ids or .yaml paths (default: the library)")
    analyse.add_argument("--format", choices=["text", "json"], default="text")
    analyse.add_argument("--library", action="store_true",
                         help="print the coverage table: scenarios by briefing area, qualities by scenarios evidencing them")

    history = command("history", help="list past and unfinished attempts, newest first")
    history.add_argument("--scenario", metavar="ID", help="only attempts at this scenario")
    history.add_argument("--learner", metavar="NAME", help="only attempts by this learner")

    export = command("export", help="export attempts for an organisation's records")
    export.add_argument("--format", choices=["json", "csv", "xapi"], default="json",
                        help="xapi: a JSON array of xAPI 1.0.3 statements for a Learning Record Store")
    export.add_argument("--out", metavar="FILE", help="write to FILE (default: print)")
    export.add_argument("--cohort", metavar="NAME", help="only the attempts of this group session")
    export.add_argument("--store", metavar="ADDRESS", help=STORE_HELP)
    export.add_argument("--names", action="store_true",
                        help="xapi: add display names to the statements (default: pseudonymous ids only)")

    # -- authoring --------------------------------------------------------------
    new = command("new", help="write a commented starter scenario that validates")
    new.add_argument("id", help="the scenario id, e.g. gp-missed-appointments (also the file name)")
    new.add_argument("--area", help="the briefing area (see docs/scenario-format.md)")
    new.add_argument("--out", metavar="FOLDER", default=".", help="where to write ID.yaml (default: here)")

    preview = command("preview", help="open the app on one scenario file, for its author")
    preview.add_argument("file", help="a scenario .yaml file")
    preview.add_argument("--from", dest="start", metavar="NODE", help="start at this node")
    preview.add_argument("--set", dest="assignments", action="append", default=[], metavar="VAR=VALUE",
                         help="start with a variable set, e.g. --set trust=1 (repeatable)")
    preview.add_argument("--watch", action="store_true", help="reload whenever the file is saved")
    preview.add_argument("--coach", action="store_true", help="show each choice's feedback as soon as it is made")
    preview.add_argument("--export-dir", metavar="FOLDER", default=argparse.SUPPRESS,
                         help="where exported debriefs are saved (default: Rehearse in your documents folder)")

    twine = command("import", help="turn a Twine story (Twee 3 or published HTML) into a scenario")
    twine.add_argument("story", help="a .twee file or a Twine 2 published .html file")
    twine.add_argument("--out", metavar="FILE", help="the scenario file to write (default: <story>.yaml)")
    twine.add_argument("--id", dest="scenario_id", help="the scenario id (default: from the story's name)")

    # -- preparing for my own meeting ---------------------------------------------------
    prepare = command("prepare", help="a plan for your own meeting: new, check, render, rehearse")
    steps = prepare.add_subparsers(dest="prepare_command", metavar="STEP")

    def step(name: str, **kwargs) -> argparse.ArgumentParser:
        return steps.add_parser(name, parents=[data], formatter_class=_Formatter, **kwargs)

    plan_new = step("new", help="write an empty plan to fill in (or, with --example, a worked one)")
    plan_new.add_argument("file", metavar="FILE", help="the plan file to write, e.g. my-meeting.yaml")
    plan_new.add_argument("--example", action="store_true", help="a filled, fictional worked example")
    plan_check = step("check", help="errors, identifiers (with line and column) and what the plan still lacks")
    plan_render = step("render", help="the one-page plan and the drafts, as HTML to print or Markdown")
    plan_render.add_argument("--out", required=True, metavar="FILE.html|FILE.md",
                             help="the file to write (never overwritten)")
    plan_render.add_argument("--plan-only", action="store_true",
                             help="just the one page: leave out the opening statement, email and record")
    plan_rehearse = step("rehearse", help="reply to the pushback you are likely to meet and hear feedback")
    plan_rehearse.add_argument("--limit", type=int, default=5, metavar="N", help="how many pushbacks (default 5)")
    for plan_step in (plan_check, plan_render, plan_rehearse):
        plan_step.add_argument("file", metavar="FILE", help="the plan file")
        plan_step.add_argument("--profile", metavar="FILE",
                               help="a profile file to use instead of the one stored beside the history file")

    local = command("profile", help="show or change the local profile: partnership, stages, documents, routes")
    local.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                       help="e.g. --set partnership=\"Northbridge Safeguarding Children Partnership\"; keys: "
                            "partnership, escalation_policy, threshold_document, immediate_risk, lado, "
                            "children_front_door, adults_front_door")
    local.add_argument("--stage", action="append", default=[], metavar="WHO=DAYS",
                       help="an escalation stage and its working days, in order; repeat for each stage")
    local.add_argument("--from", dest="source", metavar="FILE", help="take the profile from a profile file")
    local.add_argument("--reset", action="store_true", help="go back to the briefing's defaults")

    # -- group training -----------------------------------------------------------
    facilitate = command("facilitate", help="run a scenario with a room: projector view and votes")
    facilitate.add_argument("scenario", help="a library id or a path to a .yaml file")
    facilitate.add_argument("--countdown", type=int, metavar="SECONDS", default=0,
                            help="a countdown for each decision (default: none)")
    # SUPPRESS: given before the command (`rehearse --export-dir F facilitate`) it is kept.
    facilitate.add_argument("--export-dir", metavar="FOLDER", default=argparse.SUPPRESS,
                            help="where session records are saved (default: here)")

    serve = command("serve", help="serve the app to participants' browsers for a cohort")
    serve.add_argument("--cohort", required=True, metavar="NAME", help="the group session's name")
    serve.add_argument("--scenario", metavar="ID", help="the scenario everyone plays (default: participants choose)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    serve.add_argument("--public-url", metavar="URL", help="the address participants' browsers use, e.g. http://192.168.1.20:8000")
    serve.add_argument("--store", metavar="ADDRESS", help=STORE_HELP)
    serve.add_argument("--max-participants", type=int, metavar="N", default=None,
                       help="how many browsers may be connected at once (default: 60); each takes ~15 MB")
    serve.add_argument("--warm", type=int, metavar="N", default=None,
                       help="participants' apps started ahead of the browsers, so joining is quick "
                            "(default: 8; 0: start each on connection); they count against --max-participants")
    serve.add_argument("--apps-per-process", type=int, metavar="N", default=None,
                       help="participants' apps run together in one process, N to a process, which halves "
                            "the memory each needs (default: 4; 1: a process each)")

    dashboard = command("dashboard", help="the facilitator's live view of a cohort")
    dashboard.add_argument("--cohort", required=True, metavar="NAME")
    dashboard.add_argument("--store", metavar="ADDRESS", help=STORE_HELP)
    return parser



# The commands that open a screen: Textual draws them, and what reaches the
# screen is made inert there (simulator.tui.render).
SCREENS = {None, "preview", "facilitate", "dashboard"}


STORE_HELP = ("a PostgreSQL database shared by several serve hosts, e.g. postgresql://rehearse@db.example.org/rehearse"
              "?sslmode=verify-full (default: $REHEARSE_STORE, else the --data file); put the password in ~/.pgpass, "
              "not here")


# Commands that finish without waiting for anyone run with Python's cyclic
# garbage collector paused: starting builds many lasting objects (modules,
# classes, the scenario) and next to no cyclic garbage, yet the collector
# scanned them 25 times in a recorded play, ~3 ms of it. A command that waits
# on a person (a prompt, a screen) may run for hours, so it keeps the collector.
UNATTENDED = frozenset({"validate", "list", "analyse", "graph", "history", "export"})


def unattended(args: argparse.Namespace) -> bool:
    """Whether the command runs to its end without asking anyone anything."""
    return args.command in UNATTENDED or (args.command == "play" and args.choices is not None)


def main(argv: list[str] | None = None) -> int:
    collecting = gc.isenabled()
    gc.disable()  # while the words are read; on again at once for a command that waits on a person
    try:
        args = _parser(_asked(sys.argv[1:] if argv is None else argv)).parse_args(argv)
        if collecting and not unattended(args):
            gc.enable()
        return _run(args)
    finally:
        if collecting:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    module, function = COMMANDS[args.command]
    if args.command not in SCREENS:
        from simulator.cli.output import guard

        original = guard()
    try:
        if args.command in SHOWN:
            # Scenarios shown to a learner say the local profile's names ({{partnership}});
            # loaded by name, as the handlers are, so the package imports none of its modules.
            import_module("simulator.cli.prepare").use_local_profile(args)
        handler = getattr(import_module(f"simulator.cli.{module}"), function)
        return handler(args)
    except OSError as exc:
        if exc.filename is None or isinstance(exc, BrokenPipeError):
            raise
        # A path the system refuses (far too long, a special file, a
        # folder where a file was meant): a sentence, not a traceback.
        from simulator.cli.output import shown_path

        print(f"rehearse {args.command or ''}: {shown_path(str(exc.filename))}: {exc.strerror or exc}".replace(
            "rehearse :", "rehearse:"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        # Ctrl+C at a prompt or mid-command: say so, rather than vanish.
        print("\nStopped (Ctrl+C).", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    finally:
        if args.command not in SCREENS:
            sys.stdout, sys.stderr = original
