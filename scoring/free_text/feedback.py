"""Feedback on one typed utterance, in the briefing's words: what was there
(the learner's own words quoted back), what the case file says about what
they cited, what is not there yet, the briefing line it rests on, and any
warning sign. Never more than five lines; the wording is data in
``feedback.json``."""

from __future__ import annotations

from functools import lru_cache

from scoring.display import one_line, shorten
from scoring.free_text.phrases import read_table

MAX_LINES = 5
QUOTE_LENGTH = 48


@lru_cache(maxsize=1)
def wording() -> dict:
    return read_table("feedback.json")


def quote(words: str) -> str:
    """The learner's words in quotation marks, on one line and shortened."""
    return f"\u201c{shorten(one_line(words), QUOTE_LENGTH)}\u201d"


def _briefing(quotes: list[str]) -> str:
    marked = [f"\u201c{q}\u201d" for q in quotes]
    if len(marked) == 1:
        return f"The briefing: {marked[0]}"
    return "The briefing: effective challenge is " + ", ".join(marked[:-1]) + " and " + marked[-1] + "."


def feedback_lines(analysis) -> list[str]:
    """At most five short lines for ``analysis`` (an ``analyser.Analysis``)."""
    table = wording()
    notes = []
    if analysis.truncated_from:
        notes.append(table["notes"]["truncated"].format(kept=f"{len(analysis.text):,}",
                                                        total=f"{analysis.truncated_from:,}"))
    if analysis.replaced_bytes:
        notes.append(table["notes"]["replaced"])
    if not analysis.text.strip():
        return notes + [table["notes"]["empty"]]

    lines: list[str] = []
    there = [(e, analysis.findings[e][0]) for e in table["elements"] if analysis.findings[e]]
    if there:
        parts = [f"{table['elements'][e]['there']} ({quote(analysis.words(f))})" for e, f in there[:3]]
        if len(there) > 3:
            parts.append("more besides")
        lines.append("You " + _join(parts) + ".")

    lines.extend(_citation_lines(analysis, table)[:2])

    warnings = []
    for sign in ("blame", "capitulation"):
        if analysis.findings[sign]:
            warnings.append((sign, analysis.findings[sign][0]))
    if not analysis.findings["blame"] and analysis.contempt:
        warnings.append(("contempt", analysis.contempt[0]))

    missing = [e for e in table["order_of_missing"] if not analysis.findings[e]]
    if "timescale" in missing and not (analysis.findings["ask"] or analysis.findings["escalation"]):
        missing.remove("timescale")  # a time bound needs something to bound
    if missing:
        described = [table["elements"][e]["missing"] for e in missing[:2]]
        lines.append("Not there yet: " + " and ".join(described) + ".")

    for sign, finding in warnings[:1]:
        lines.append(_sentence(table["warnings"][sign]["line"].format(quote=quote(analysis.words(finding)))))
        lines.append(_briefing(table["warnings"][sign]["briefing"]))
    if not warnings and missing:
        lines.append(_briefing(table["elements"][missing[0]]["briefing"]))

    return (notes + lines)[:MAX_LINES]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1] != "\u201c" else text


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _citation_lines(analysis, table) -> list[str]:
    lines = []
    wrong = [c for c in analysis.citations if c.status != "cited"]
    cited = [c for c in analysis.citations if c.status == "cited"]
    for citation in wrong:
        lines.append(table["citations"][citation.status].format(
            title=quote(citation.fact_title), right=one_line(citation.right) or "someone else",
            said=one_line(citation.said)))
    seen = set()
    for citation in cited:
        if citation.fact_id in seen or any(w.fact_id == citation.fact_id for w in wrong):
            continue
        seen.add(citation.fact_id)
        date = f"the {citation.fact_date} record " if citation.fact_date else ""
        lines.append(table["citations"]["cited"].format(date=date, title=quote(citation.fact_title)))
    return lines
