"""Line-based play: for scripts, screen readers and trainers checking a route."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator

from simulator.engine.session import ChoiceUnavailable, Line, Session
from simulator.model.scenario import Scenario
from simulator.model.text import inert

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Protocol, TextIO

    # Loaded when words are typed first (--say-first, or s at a prompt): a
    # route of numbers alone needs neither the reader nor the analyser.
    from simulator.engine.say_first import SaidFirst, SayFirstReader

    class Recorder(Protocol):
        """Where play is saved as it happens (``simulator.records.play_record``);
        the engine only says when."""

        def decided(self, session: Session) -> None: ...

        def rewound(self, session: Session) -> None: ...

        def news(self) -> list[str]: ...


_WIDTH = 78


def _tell(recorder: Recorder | None, out: TextIO) -> None:
    for message in recorder.news() if recorder is not None else []:
        out.write(_wrap(message) + "\n")


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(inert(" ".join(text.split())), _WIDTH, initial_indent=indent, subsequent_indent=indent)


def header(scenario: Scenario) -> str:
    return "\n".join([
        inert(scenario.title),
        f"Area: {scenario.area}   Difficulty: {scenario.difficulty}/3   About {scenario.minutes} minutes",
        _wrap(f"You are: {scenario.role_title}, {scenario.role_agency}"),
        _wrap(f"Setting: {scenario.setting}"),
        "",
        _wrap(scenario.situation),
        "",
    ])


def render_line(scenario: Scenario, line: Line) -> str:
    if line.speaker == "you":
        return _wrap(f"You: {line.text}", "    ")
    if line.speaker == "narrator":
        return _wrap(f"[{line.text}]")
    character = scenario.characters[line.speaker]
    direction = f" ({line.direction.strip('()')})" if line.direction else ""
    return _wrap(f"{character.name} ({character.role}){direction}: {line.text}")


def render_ending(session: Session) -> str:
    ending = session.node.ending
    parts = [f"Ended: {ending.outcome} — {inert(ending.title)}"]
    parts += [_wrap(paragraph) for paragraph in session.ending_debrief().split("\n\n")]
    if ending.impact:
        parts.append(_wrap(f"For the {session.scenario.person_at_risk}: {ending.impact}"))
    return "\n".join(parts)


def render_case_file(scenario: Scenario) -> str:
    out = ["Case file:"]
    for fact in scenario.case_file.values():
        when = f" ({fact.date})" if fact.date else ""
        out.append(_wrap(f"- {fact.title}{when}: {fact.text}", "  "))
    return "\n".join(out)


SAY_PROMPT = "Say it first, in your own words (Enter to skip): "
CLOSEST = "(closest to what you said) "


def render_said(said: SaidFirst) -> str:
    """The feedback on typed words, for a prompt: plain lines, the learner's
    own words quoted back."""
    lines = ["What you said, read against the briefing:"]
    lines += [_wrap(line, "  ") for line in said.feedback]
    return "\n".join(lines)


def render_options(session: Session, said: SaidFirst | None = None) -> str:
    """The options on offer, numbered, the one closest to what was said
    marked first thing in its line (a screen reader reads it before the words),
    then the locked ones with their reasons."""
    offered = session.choices()
    closest = None
    if said is not None:
        from simulator.engine.say_first import closest_marker

        closest = closest_marker(said, offered)
    lines = [_wrap(f"{index}. {CLOSEST if choice.id == closest else ''}{choice.text}", "  ")
             for index, choice in enumerate(offered, start=1)]
    lines += [_wrap(f"-  (not open to you yet: {choice.locked_reason}) {choice.text}", "  ")
              for choice in session.locked()]
    return "\n".join(lines)


def run_choices(session: Session, numbers: list[int], out: TextIO, words: Iterator[str] | None = None,
                recorder: Recorder | None = None) -> int:
    """Play a fixed path of option numbers; 0 when every number was on offer and used.
    ``words``, when given, are what the learner says first at each decision
    in turn (one a decision; an empty one says nothing). ``recorder``, when
    given, saves each decision as it is made.

    Numbers left over after an ending still show the transcript and the ending
    reached, then return 1: a route that no longer fits its scenario (a script
    written before the scenario changed) should not pass unnoticed."""
    out.write(header(session.scenario) + "\n")
    reader = None
    if words is not None:
        from simulator.engine.say_first import SayFirstReader

        reader = SayFirstReader(session.scenario)
    shown = 0

    def flush() -> None:
        nonlocal shown
        lines = session.transcript()
        for line in lines[shown:]:
            out.write(render_line(session.scenario, line) + "\n")
        shown = len(lines)

    for step, number in enumerate(numbers, start=1):
        flush()
        if session.finished:
            left = len(numbers) - step + 1
            out.write("\n" + render_ending(session) + "\n")
            out.write(f"\nThe scenario ended before choice {step} ({number}): {left} of the {len(numbers)} "
                      f"numbers {'was' if left == 1 else 'were'} not used.\n")
            return 1
        typed = next(words, "") if words is not None else ""
        if reader is not None and typed.strip():
            said = reader.read(typed, session.choices())
            out.write("\n" + _wrap(f"You said: “{said.analysis.text}”", "    ") + "\n" + render_said(said) + "\n")
            out.write(render_options(session, said) + "\n\n")
        try:
            session.choose_number(number, typed if typed.strip() else "")
        except ChoiceUnavailable as exc:
            out.write(f"\nChoice {step}: {exc}.\n")
            for index, choice in enumerate(session.choices(), start=1):
                out.write(_wrap(f"{index}. {choice.text}", "  ") + "\n")
            return 1
        if recorder is not None:
            recorder.decided(session)
            _tell(recorder, out)
    flush()
    if session.finished:
        out.write("\n" + render_ending(session) + "\n")
    else:
        out.write(f"\nStopped at node '{session.node.id}' after {len(numbers)} choices; no ending reached yet.\n")
    return 0


def run_interactive(session: Session, read: Callable[[str], str], out: TextIO, say_first: bool = False,
                    recorder: Recorder | None = None) -> int:
    """Play at a prompt: numbers choose, s says it in your own words first
    (before every decision with ``say_first``), c shows the case file, h a
    hint, u undoes, q quits. Words typed are kept with the decision, and
    ``recorder``, when given, saves each decision and undo as it is made."""
    scenario = session.scenario
    out.write(header(scenario) + "\n")
    shown = 0
    reader: SayFirstReader | None = None
    said: SaidFirst | None = None
    here = None  # the decision the words belong to

    def say_it() -> bool:
        """Ask for the words; False when input has ended."""
        nonlocal reader, said
        try:
            typed = read(SAY_PROMPT)
        except EOFError:
            return False
        if not typed.strip():
            out.write("  Nothing said: the options follow.\n")
            return True
        if reader is None:
            from simulator.engine.say_first import SayFirstReader

            reader = SayFirstReader(scenario)
        said = reader.read(typed.rstrip("\r\n"), session.choices())
        out.write(render_said(said) + "\n")
        return True

    while True:
        lines = session.transcript()
        for line in lines[shown:]:
            out.write(render_line(scenario, line) + "\n")
        shown = len(lines)
        if session.finished:
            out.write("\n" + render_ending(session) + "\n")
            return 0
        _tell(recorder, out)
        offered = session.choices()
        if here != (len(session.moves), session.node.id, session.rewinds):
            here = (len(session.moves), session.node.id, session.rewinds)
            said = None
            if say_first:
                out.write("\n")
                if not say_it():
                    out.write("\nInput ended; nothing more was chosen.\n")
                    return 0
        out.write("\n" + render_options(session, said) + "\n")
        try:
            answer = read(f"Your choice (1-{len(offered)}; s say it in your own words, c case file, h hint, u undo, "
                          "q quit): ").strip().lower()
        except EOFError:
            out.write("\nInput ended; nothing more was chosen.\n")
            return 0
        if answer == "q":
            return 0
        if answer == "s":
            if not say_it():
                out.write("\nInput ended; nothing more was chosen.\n")
                return 0
        elif answer == "c":
            out.write(render_case_file(scenario) + "\n")
        elif answer == "h":
            hints = session.use_hint()
            out.write("\n".join(_wrap(f"Hint: {hint}", "  ") for _, hint in hints) or "  No hint for this decision.")
            out.write("\n")
        elif answer == "u":
            if session.moves:
                session.undo()
                if recorder is not None:
                    recorder.rewound(session)
                shown = 0
                out.write("\n— Rewound to your last decision —\n")
            else:
                out.write("  Nothing to undo yet.\n")
        elif answer.isdigit():
            try:
                session.choose_number(int(answer), said.words if said is not None else "")
            except ChoiceUnavailable as exc:
                out.write(f"  {exc}\n")
            else:
                if recorder is not None:
                    recorder.decided(session)
        else:
            out.write("  Type a number, or s, c, h, u or q.\n")
