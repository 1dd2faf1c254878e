"""Scenario and learner text turned into Textual content that is shown, never obeyed.

Everything here is built with ``Content.assemble`` from plain strings (no
markup is parsed) after ``inert`` has written control characters out visibly.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from simulator.model.scenario import Scenario
from simulator.model.text import inert

AREA_LABELS = {
    "criteria-for-referrals": "Criteria for referrals",
    "outcomes-of-assessments": "Outcomes of assessments",
    "roles-and-responsibilities": "Roles and responsibilities",
    "service-provision": "Service provision",
    "timeliness-of-interventions": "Timeliness of interventions",
    "information-sharing": "Information sharing and communication",
    "receiving-challenge": "Receiving challenge",
    "supervision": "Supervision",
    "escalation": "Escalation",
}
AREA_ORDER = list(AREA_LABELS)

OUTCOME_LABELS = {
    "resolved": "Resolved",
    "escalated": "Escalated",
    "unresolved": "Unresolved",
    "child-at-risk": "Child left at risk",
    "adult-at-risk": "Adult left at risk",
    "relationship-damaged": "Relationship damaged",
}


def plain(text: str, style: str = "") -> Content:
    """``text`` as inert content, optionally in one style."""
    text = inert(text)
    return Content.assemble((text, style)) if style else Content(text)


def cell(text: str) -> Text:
    """A DataTable cell: a Rich ``Text`` (plain strings there are parsed as markup)."""
    return Text(inert(text))


def area_label(area: str) -> str:
    return AREA_LABELS.get(area, area)


def difficulty_stars(level: int) -> str:
    return "●" * level + "○" * (3 - level)


def people(scenario: Scenario) -> str:
    return ", ".join(f"{c.name} ({c.role})" for c in scenario.characters.values())


def bar(score: float | None, width: int = 20) -> str:
    if score is None:
        return "·" * width
    filled = round(width * score / 100)
    return "█" * filled + "░" * (width - filled)


def competency_row(competency, label: str = "{:30}") -> Content:
    """One competency of a scorecard: its label, a bar, the score and the band.
    ``label`` formats the name, so a screen can indent or widen the column."""
    score = "  n/a" if competency.score is None else f"{competency.score:5.0f}"
    band = competency.band.label if competency.band else "not assessed on this path"
    return Content.assemble((label.format(competency.label), "bold"), (bar(competency.score), "$accent"),
                            f" {score}  ", (band, "italic"))


class ShownLiterally:
    """For every app: the header's title and sub-title and every notification
    are drawn as plain, inert text. Screens set ``sub_title`` from a scenario's
    title and notify with file names; here, in the one place Textual turns
    them into content, an escape sequence or a ``[link]`` in them stays text."""

    def format_title(self, title: str, sub_title: str) -> Content:
        return super().format_title(inert(title or ""), inert(sub_title or ""))  # type: ignore[misc]

    def notify(self, message: str, *, title: str = "", severity="information", timeout=None, markup: bool = True):
        return super().notify(inert(str(message)), title=inert(str(title)), severity=severity,  # type: ignore[misc]
                              timeout=timeout, markup=False)
