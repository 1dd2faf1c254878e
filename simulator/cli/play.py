"""``rehearse play``: a scenario line by line at a prompt, or a fixed route
with ``--choices``; kept in the history as the app keeps an attempt (unless
``--no-record``) and closed with the debrief in plain lines."""

from __future__ import annotations

import sys
from collections.abc import Callable

from simulator.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from simulator.cli.scenarios import load_scenario

# How long quitting waits, unasked, for steps still being saved.
SETTLE_SECONDS = 2.0
WAIT_AGAIN_SECONDS = 10.0


def play(args) -> int:
    from simulator.engine import plain
    from simulator.engine.session import Session

    scenario = load_scenario(args.scenario, use_cache=not getattr(args, "no_cache", False))
    if scenario is None:
        return EXIT_PROBLEMS
    say_first = getattr(args, "say_first", False)
    if say_first and hasattr(sys.stdin, "reconfigure"):
        # Typed words may hold bytes that are not UTF-8 (a paste from a
        # document in another encoding): shown as �, never a traceback.
        sys.stdin.reconfigure(errors="replace")
    numbers = None
    if args.choices is None:
        if args.report:
            print("rehearse play: --report goes with --choices", file=sys.stderr)
            return EXIT_USAGE
    else:
        try:
            numbers = [int(part) for part in args.choices.replace(" ", "").split(",") if part]
        except ValueError:
            print("rehearse play: --choices takes option numbers separated by commas, e.g. 1,3,2", file=sys.stderr)
            return EXIT_USAGE
    record = None
    if not getattr(args, "no_record", False):
        record = _open_record(args, scenario)
        if record is None:
            return EXIT_PROBLEMS
    session = Session(scenario, learner=args.learner)
    try:
        if numbers is None:
            if record is not None:
                session = _offer_resume(record, session, input)
                if session is None:
                    return _close(record, input, asking=True, out=None)
            status = plain.run_interactive(session, input, sys.stdout, say_first=say_first, recorder=record)
        else:
            words = (line.rstrip("\r\n") for line in sys.stdin) if say_first else None
            status = plain.run_choices(session, numbers, sys.stdout, words, recorder=record)
        if session.finished:
            _print_debrief(session, record)
        if args.report:
            status = _write_report(args.report, session) or status
    except BaseException:
        # Ctrl+C or worse: keep what is queued if it can be saved at once, and say what could not.
        if record is not None:
            _said_unsaved(record.close(SETTLE_SECONDS), record)
        raise
    if record is not None:
        return _close(record, input, asking=numbers is None, out=session) or status
    return status


def _open_record(args, scenario):
    from simulator.model.text import inert
    from simulator.records.play_record import PlayRecord
    from simulator.records.store import StoreError

    try:
        record = PlayRecord.open(args.data, scenario, learner=args.learner)
    except (StoreError, OSError) as exc:
        print(f"rehearse play: {inert(str(exc))}", file=sys.stderr)
        print("rehearse play: to play without keeping this attempt, add --no-record.", file=sys.stderr)
        return None
    for note in record.store.notes:
        print(f"rehearse play: {inert(note)}", file=sys.stderr)
    return record


def _offer_resume(record, session, read: Callable[[str], str]):
    """The session to play: the unfinished attempt at this scenario if the
    learner resumes it, else ``session``; None when they quit."""
    from datetime import datetime

    from scoring.display import count
    from simulator.model.text import inert

    found = record.resumable()
    if found is None:
        return session
    started = datetime.fromisoformat(found.summary.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
    print(f"Unfinished attempt found: started {started}, {count(found.decisions, 'decision')} made.")
    while True:
        try:
            answer = read("Resume it? Enter resumes, n starts afresh (it stays in history), q quits: ")
        except EOFError:
            return None
        answer = answer.strip().lower()
        if answer in ("", "y", "yes"):
            break
        if answer in ("n", "no"):
            return session
        if answer == "q":
            return None
        print("  Type y, n or q.")
    try:
        resumed = record.resume(found)
    except ValueError as exc:
        print(f"This attempt cannot be resumed, so a new one begins: {inert(str(exc))}.")
        return session
    print(f"Resuming: your {count(found.decisions, 'decision')} so far are read out again below.\n")
    return resumed


def _print_debrief(session, record) -> None:
    from scoring.debrief import prepare_debrief
    from scoring.plain_report import render_plain

    debrief = record.debrief if record is not None and record.debrief is not None else None
    sys.stdout.write(render_plain(debrief or prepare_debrief(session.evidence_log())))


def _write_report(target: str, session) -> int:
    from scoring.reports import write_report
    from simulator.cli.records import kept_note
    from simulator.model.text import inert

    try:
        written = write_report(target, session.evidence_log())
    except ValueError as exc:
        print(f"rehearse play: cannot write the report: {inert(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"rehearse play: cannot write {inert(target)}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Report written to {inert(str(written))}{kept_note(target, written)}")
    return EXIT_OK


def _close(record, read: Callable[[str], str], asking: bool, out) -> int:
    """Wait for the steps still being saved (asking, at a prompt, whether to
    wait longer when the file is held up), close the history and say where
    the attempt is kept. ``out`` is the session played, or None."""
    from scoring.display import count
    from simulator.model.text import inert

    while record.pending and not record.wait(SETTLE_SECONDS):
        pending = record.pending
        print(f"{count(pending, 'step')} of this attempt {'is' if pending == 1 else 'are'} not in your "
              f"history file yet. {inert(record.trouble or 'Rehearse is still saving.')}")
        if not asking:
            record.wait(WAIT_AGAIN_SECONDS)
            break
        try:
            answer = read("Enter or w: wait for them to be saved; q: quit now and lose them: ").strip().lower()
        except EOFError:
            answer = "q"
        if answer == "q":
            break
        print("Waiting…")
        record.wait(WAIT_AGAIN_SECONDS)
    left = record.close(0.5)
    if left:
        _said_unsaved(left, record)
        return EXIT_PROBLEMS
    if out is not None and out.moves:
        where = inert(str(record.path))
        # Short lines: a command or a path broken across two lines is hard to read back or copy.
        if out.finished:
            print("Saved in your history.")
            print("See it with rehearse history; keep a copy with rehearse export.")
        else:
            print("Your decisions so far are saved in your history.")
            print(f"To resume, run: rehearse play {out.scenario.id}")
        print(f"History file: {where}")
    return EXIT_OK


def _said_unsaved(left: int, record) -> None:
    from scoring.display import count
    from simulator.model.text import inert

    if left:
        print(f"rehearse play: {count(left, 'step')} could not be saved: "
              f"{inert(record.trouble or 'the history file could not be written')}", file=sys.stderr)
