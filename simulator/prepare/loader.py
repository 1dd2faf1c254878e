"""Reading a plan file: (plan or None, diagnostics), never an exception.

Errors (the file cannot be read, is not YAML, or does not fit the schema) mean
no plan. Warnings do not stop anything: a date that cannot be read, a fallback
stage the profile does not have, and every direct identifier, located by line
and column, so the practitioner can replace it with initials.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

from simulator.model.diagnostics import Diagnostic, has_errors
from simulator.prepare.checked_yaml import CheckedYaml, parse_checked, read_bytes
from simulator.prepare.identifiers import identifier_diagnostics
from simulator.prepare.plan import (
    Ask,
    Decision,
    Fact,
    Fallback,
    Ground,
    Meeting,
    Outcome,
    Plan,
    Record,
    TheirWords,
    Told,
    parse_date,
)
from simulator.prepare.profile import LocalProfile

EXIT_OK, EXIT_PROBLEMS = 0, 1

# The YAML paths of every date a plan may hold, for the readable-date check.
_DATE_FIELDS = (("decision", "when"), ("ask", "by"), ("fallback", "by"), ("outcome", "date"), ("outcome", "review"))
_DATED_LISTS = (("facts", "date"), ("their_words", "date"), ("told", "when"))


def load_plan(path: str | os.PathLike, today: date | None = None) -> tuple[Plan | None, list[Diagnostic]]:
    """The plan in ``path`` and everything worth saying about the file."""
    return _load(path, None, today).result


def read_plan(raw: bytes | str, source: str = "<plan>", today: date | None = None) -> tuple[Plan | None, list[Diagnostic]]:
    """Like ``load_plan`` for text already in memory (the screen's editor)."""
    return _read(raw, source, None, today).result


def check_plan(path: str | os.PathLike, profile: LocalProfile,
               today: date | None = None) -> tuple[Plan | None, list[Diagnostic], int]:
    """What ``rehearse prepare check FILE`` reports, and its exit status:
    1 when the plan has errors or holds identifiers, else 0."""
    reading = _load(path, profile, today)
    plan, diagnostics = reading.result
    status = EXIT_PROBLEMS if plan is None or has_errors(diagnostics) or reading.identifiers else EXIT_OK
    return plan, diagnostics, status


@dataclass(frozen=True)
class _Reading:
    plan: Plan | None
    diagnostics: list[Diagnostic]
    identifiers: int = 0

    @property
    def result(self) -> tuple[Plan | None, list[Diagnostic]]:
        return self.plan, sorted(self.diagnostics)


def _load(path, profile: LocalProfile | None, today: date | None) -> _Reading:
    raw, diagnostics = read_bytes(path, "plan")
    if raw is None:
        return _Reading(None, diagnostics)
    return _read(raw, str(path), profile, today)


def _read(raw: bytes | str, source: str, profile: LocalProfile | None, today: date | None) -> _Reading:
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    try:
        checked, diagnostics = parse_checked(raw, source, "plan.schema.json", "plan")
    except (RecursionError, MemoryError, UnicodeError):
        return _Reading(None, [Diagnostic(source, 1, 1, "error", "the file could not be read as a plan",
                                          "start from `rehearse prepare new FILE`, or see docs/prepare.md")])
    if checked is None:
        return _Reading(None, diagnostics)
    # Identifiers are worth knowing about even in a plan that does not load yet.
    identifiers = identifier_diagnostics(checked.text, source, today)
    diagnostics = diagnostics + identifiers
    if has_errors(diagnostics):
        return _Reading(None, diagnostics, len(identifiers))
    plan = _build(checked.data, source)
    diagnostics = diagnostics + _unreadable_dates(checked, source)
    if profile is not None:
        diagnostics = diagnostics + _profile_warnings(plan, profile, checked, source)
    return _Reading(plan, diagnostics, len(identifiers))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _build(data: dict, source: str) -> Plan:
    def section(name: str) -> dict:
        return data.get(name) or {}

    meeting, decision, ask, fallback, record, outcome = (
        section(name) for name in ("meeting", "decision", "ask", "fallback", "record", "outcome"))
    return Plan(
        about=data["about"],
        area=data["area"],
        title=_text(data.get("title")),
        my_role=_text(data.get("my_role")),
        meeting=Meeting(_text(meeting.get("with")), _text(meeting.get("when")), _text(meeting.get("how"))),
        decision=Decision(_text(decision.get("what")), _text(decision.get("who")), _text(decision.get("when"))),
        concern=_text(data.get("concern")),
        impact=_text(data.get("impact")),
        facts=tuple(Fact(_text(item.get("fact")), _text(item.get("date")), _text(item.get("source")))
                    for item in data.get("facts") or () if _text(item.get("fact"))),
        their_words=tuple(TheirWords(_text(item.get("words")), _text(item.get("date")), _text(item.get("context")))
                          for item in data.get("their_words") or () if _text(item.get("words"))),
        grounds=tuple(Ground(_text(item.get("says")), _text(item.get("document")))
                      for item in data.get("grounds") or () if _text(item.get("says"))),
        ask=Ask(_text(ask.get("what")), _text(ask.get("by"))),
        safety=_text(data.get("safety")),
        told=tuple(Told(_text(item.get("who")), _text(item.get("when")), _text(item.get("said")))
                   for item in data.get("told") or () if _text(item.get("who"))),
        fallback=Fallback(fallback.get("stage"), _text(fallback.get("with")), _text(fallback.get("by"))),
        record=Record(_text(record.get("what")), _text(record.get("where"))),
        outcome=Outcome(*(_text(outcome.get(key)) for key in ("date", "present", "disagreed", "agreed", "reasons",
                                                               "review"))),
        source=source,
    )


def _date_warning(checked: CheckedYaml, source: str, path: tuple) -> Diagnostic | None:
    value = checked.data
    for part in path:
        value = value[part]
    text = _text(value)
    if not text or parse_date(text) is not None:
        return None
    line, column = checked.positions.of_value(path)
    return Diagnostic(source, line + 1, column + 1, "warning", f"cannot read '{text}' as a date",
                      "write dates as 2026-12-08 or 8 December 2026, so timescales can be worked out")


def _unreadable_dates(checked: CheckedYaml, source: str) -> list[Diagnostic]:
    data = checked.data
    found = []
    for section, key in _DATE_FIELDS:
        if isinstance(data.get(section), dict) and key in data[section]:
            found.append(_date_warning(checked, source, (section, key)))
    for section, key in _DATED_LISTS:
        for index, item in enumerate(data.get(section) or ()):
            if isinstance(item, dict) and key in item:
                found.append(_date_warning(checked, source, (section, index, key)))
    return [d for d in found if d is not None]


def _profile_warnings(plan: Plan, profile: LocalProfile, checked: CheckedYaml, source: str) -> list[Diagnostic]:
    stage = plan.fallback.stage
    if stage is None or profile.stage(stage) is not None:
        return []
    line, column = checked.positions.of_value(("fallback", "stage"))
    return [Diagnostic(source, line + 1, column + 1, "warning",
                       f"the local profile has {len(profile.stages)} escalation stages, so there is no stage {stage}",
                       f"use a stage from 1 to {len(profile.stages)}: "
                       + "; ".join(f"{s.number} {s.who}" for s in profile.stages))]
