"""The scores as every debrief shows them, worked out once so the app, the
HTML, Markdown, JSON and plain reports agree row for row.

* Competencies first, weakest first; each competency's qualities folded under
  it, weakest first too (on equal scores the catalogue's order stands).
* Whole numbers: a debrief of six decisions has no tenths to tell.
* A quality, or a competency, that counted at only one decision is shown as
  "one chance" rather than given a band: one moment is not a pattern.
* What the route never offered is "not assessed", listed apart, never 0.
"""

from __future__ import annotations

import math

from scoring.record import record
from scoring.scorer import Scorecard

ONE_CHANCE = "one chance"

# The rule in a sentence, for the foot of every report (docs/scoring.md).
RULE = ("Each decision is judged against the best option on offer there: choosing it earns every point that "
        "decision could give, an equally good alternative costs nothing, and a weaker option loses what the "
        "better one would have shown. A shorter route is not marked down, and a quality a route never "
        "offered is not assessed, never 0.")

# Said wherever a route had no key moment, in every format.
ALL_BEST = "At every decision you chose an option best on offer."


def whole(score: float) -> int:
    """``score`` to the nearest whole number, halves up (62.5 is 63, as people round)."""
    return math.floor(score + 0.5)


# Records (scoring.record), not dataclasses: a recorded play builds its debrief
# at the end of every run, and dataclasses (with inspect) cost ~3 ms to load.
def _one_chance(row) -> bool:
    return row.chances == 1


def _standing(row) -> str:
    """``"50 · Developing"`` or ``"0 · one chance"``."""
    return f"{row.score} · {row.band}"


@record
class Row:
    """A quality or competency as a debrief shows it."""

    id: str
    label: str
    score: int  # whole number, 0-100
    band: str  # the band's label, or ONE_CHANCE
    band_id: str  # the band's id, or "one-chance"
    chances: int  # decisions at which it counted
    gained: int
    possible: int

    one_chance = property(_one_chance)
    standing = property(_standing)


@record
class CompetencyRow:
    """A competency as a debrief shows it: a Row's fields, then its qualities."""

    id: str
    label: str
    score: int
    band: str
    band_id: str
    chances: int
    gained: int
    possible: int
    qualities: tuple[Row, ...] = ()  # assessed ones only, weakest first

    one_chance = property(_one_chance)
    standing = property(_standing)


@record
class Standing:
    overall: int | None
    overall_band: str  # "" when nothing was scored
    competencies: tuple[CompetencyRow, ...]  # assessed ones only, weakest first
    not_assessed: tuple[str, ...]  # labels of the qualities this route never offered, catalogue order

    @property
    def weakest(self) -> CompetencyRow | None:
        return self.competencies[0] if self.competencies else None


def _row(cls, item, chances: int, **extra) -> Row:
    score = whole(item.score)
    if chances == 1:
        band, band_id = ONE_CHANCE, "one-chance"
    else:
        band, band_id = item.band.label, item.band.id
    return cls(id=item.id, label=item.label, score=score, band=band, band_id=band_id, chances=chances,
               gained=item.gained, possible=item.possible, **extra)


def _weakest_first(rows):
    # By the exact ratio, so two rows shown as 67 and 67 keep their true order; sorted is stable.
    return tuple(sorted(rows, key=lambda row: row.gained / row.possible))


def standing(card: Scorecard) -> Standing:
    """The debrief's rows for ``card``."""
    competencies = []
    for competency in card.competencies:
        if not competency.assessed:
            continue
        members = frozenset(competency.qualities)
        qualities = [_row(Row, quality, quality.opportunities) for quality in card.qualities
                     if quality.competency == competency.id and quality.assessed]
        # A competency's chances are the decisions at which any of its qualities counted.
        chances = sum(1 for decision in card.decisions if members.intersection(decision.qualities))
        competencies.append(_row(CompetencyRow, competency, chances, qualities=_weakest_first(qualities)))
    overall = None if card.overall is None else whole(card.overall)
    return Standing(
        overall=overall,
        overall_band=card.overall_band.label if card.overall_band else "",
        competencies=_weakest_first(competencies),
        not_assessed=tuple(quality.label for quality in card.qualities if not quality.assessed),
    )
