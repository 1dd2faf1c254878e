"""The debrief's score rows as drawn on screen: the same rows, in the same
order, as every report (``scoring.standing``), laid out for the width at hand.

Each row is a name, a bar, the whole-number score and the band ("one chance"
where it counted once). A name too long for its column wraps under itself, so
nothing is cut at 80 columns and nothing needs a scroll area of its own.
"""

from __future__ import annotations

import textwrap

from textual.content import Content

from scoring.debrief import Debrief
from scoring.standing import ALL_BEST, Row, Standing
from simulator.tui.render import plain

BAR = 10
BAND = len("Not yet shown")  # the longest band label; "one chance" is shorter


def _bar(score: int) -> str:
    filled = round(BAR * score / 100)
    return "█" * filled + "░" * (BAR - filled)


def _line(row: Row, indent: str, name_width: int, bold: bool) -> list[Content]:
    names = textwrap.wrap(row.label, max(8, name_width - len(indent))) or [""]
    style = "bold" if bold else ""
    band_style = "italic" if row.one_chance else ("bold" if bold else "")
    first = Content.assemble(plain(f"{indent}{names[0]:<{name_width - len(indent)}}", style), " ",
                             (_bar(row.score), "$accent"),
                             f" {row.score:>3}  ", plain(row.band, band_style))
    return [first] + [plain(f"{indent}{name}", style) for name in names[1:]]


def standing_content(ranked: Standing, width: int) -> Content:
    """The competencies, weakest first, each with its qualities folded under
    it, in at most ``width`` columns."""
    if not ranked.competencies:
        return Content.assemble(("Competencies\n", "bold $accent"),
                                plain("No decision on this route offered a choice between stronger and weaker "
                                      "options, so nothing was scored."))
    longest = max(len(row.label) + (2 if row is not competency else 0)
                  for competency in ranked.competencies for row in (competency, *competency.qualities))
    name_width = max(16, min(longest, width - (1 + BAR + 6 + BAND)))
    lines: list[Content] = [Content.styled("Competencies, weakest first, each with its qualities", "bold $accent")]
    for competency in ranked.competencies:
        lines += _line(competency, "", name_width, bold=True)
        for quality in competency.qualities:
            lines += _line(quality, "  ", name_width, bold=False)
    if ranked.not_assessed:
        lines.append(plain(f"Not assessed on this route: {', '.join(ranked.not_assessed)}.", "dim italic"))
    return Content("\n").join(lines)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def work_ons_content(debrief: Debrief) -> Content:
    """Things to work on, each with what good looks like in this case."""
    feedback = debrief.feedback
    rows = {row.id: row for competency in debrief.standing.competencies for row in competency.qualities}
    parts: list = [("Things to work on\n", "bold $accent")]
    for quality in feedback.work_ons:
        parts += [plain(quality.label, "bold"), f"  {rows[quality.id].standing}\n"]
        example = feedback.examples.get(quality.id)
        if example is not None:
            where = f"at decision {example.decision}" if example.from_case else "for example"
            parts += [f"  What good looks like, {where}: ", plain(f"“{example.words}”", "$success"), "\n"]
            parts += [item for fact in example.rests_on for item in ("  It rests on: ", plain(fact.line()), "\n")]
    return Content.assemble(*parts)


def moments_content(debrief: Debrief) -> Content:
    """Key moments: where the choice was not best on offer, largest gap first."""
    moments = debrief.feedback.key_moments
    parts: list = [("Key moments\n", "bold $accent")]
    if not moments:
        parts.append((ALL_BEST + "\n", ""))
    for review in moments:
        better = review.better
        parts += [(f"Decision {review.number}. ", "bold"), plain(f"{review.speaker}: “{_short(review.prompt, 90)}”", "dim")]
        if review.own_words.strip():
            parts += ["\n  You said       ", plain(f"“{_short(review.own_words, 300)}”", "italic")]
        parts += ["\n  You chose      " if review.own_words.strip() else "\n  You said       ", plain(f"“{review.said}”"),
                  "\n  Best on offer  ", plain(f"“{better.text}”", "$success")]
        for fact in better.rests_on:
            parts += ["\n  It rests on    ", plain(fact.line())]
        parts += ["\n  Why            ", plain(better.feedback or better.quality_label)]
        if better.briefing:
            parts += ["\n  The briefing   ", plain(f"“{better.briefing}”", "italic"),
                      plain(f" (on {better.quality_label})", "dim")]
        parts.append("\n\n")
    return Content.assemble(*parts)
