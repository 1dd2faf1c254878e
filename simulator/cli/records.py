"""Commands on the history file: ``history`` (past and unfinished attempts)
and ``export`` (attempts for an organisation's records)."""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.cli import EXIT_OK, EXIT_PROBLEMS


def _stored_attempts(args, command: str, **filters):
    """The attempts in the history file, or None after printing why not.

    A file that does not exist yet means no attempts: reading history never
    creates one, so a mistyped --data does not leave an empty file behind."""
    from simulator.records.store import Store, StoreError, default_path

    path = Path(args.data) if args.data else default_path()
    if not path.exists():
        return []
    try:
        with Store(path, access="read") as store:
            return store.attempts(**filters)
    except StoreError as exc:
        from simulator.model.text import inert

        print(f"rehearse {command}: {inert(str(exc))}", file=sys.stderr)
        return None


def history(args) -> int:
    from datetime import datetime

    from scoring.display import format_score, outcome_label
    from simulator.model.text import inert

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


def export(args) -> int:
    from scoring.display import count
    from scoring.reports import write_private
    from simulator.cli.group import find_cohort, records_place
    from simulator.model.text import inert
    from simulator.records.exports import read_attempts, table_text, xapi_text
    from simulator.records.store import StoreError

    path = records_place(args, "export")
    if path is None:
        return EXIT_PROBLEMS
    cohort = getattr(args, "cohort", None)
    if cohort is not None and find_cohort(path, cohort, "export") is None:
        return EXIT_PROBLEMS
    try:
        attempts, namespace = read_attempts(path, cohort, wants_namespace=args.format == "xapi")
    except StoreError as exc:
        print(f"rehearse export: {inert(str(exc))}", file=sys.stderr)
        return EXIT_PROBLEMS
    to_terminal = args.out is None
    if args.format == "xapi":
        text, statements = xapi_text(attempts, namespace, getattr(args, "names", False), to_terminal)
        what = f"{count(statements, 'statement')} from {count(len(attempts), 'attempt')}"
    else:
        text = table_text(attempts, args.format, cohort, to_terminal)
        what = count(len(attempts), "attempt")
    if to_terminal:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        # utf-8-sig so Excel reads accented names in a CSV correctly.
        written = write_private(args.out, text, "utf-8-sig" if args.format == "csv" else "utf-8", newline="")
    except OSError as exc:
        print(f"rehearse export: cannot write {inert(args.out)}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Exported {what} to {inert(str(written))}{kept_note(args.out, written)}", file=sys.stderr)
    return EXIT_OK


def kept_note(asked: str, written: Path) -> str:
    """`` (FILE was already there and is left as it was)`` when the file went
    under another name, so nobody looks for the export in the old file."""
    from simulator.model.text import inert

    if Path(asked) == written:
        return ""
    return f" ({inert(asked)} was already there and is left as it was)"
