"""What a debrief says about words the learner typed before choosing ("say it
first"): which of the briefing's elements they showed and which were not
there yet, in a line every report format shares.

The analyser is run again here rather than its result stored, so an old
attempt's words are read by the same rules as everything else in its report.
"""

from __future__ import annotations

from scoring.record import record


# The briefing's elements in words a learner reads, in the order feedback
# names what is missing (docs/free-text.md).
ELEMENT_WORDS = {
    "concern": "your concern",
    "impact": "what it means for them",
    "evidence": "a checkable fact",
    "ask": "a specific ask",
    "timescale": "by when",
    "inquiry": "a question about their view",
    "escalation": "the next stage",
}
WARNING_WORDS = {"blame": "aimed at the person", "capitulation": "lets the concern go"}
MISSING_SHOWN = 3  # the most important first, as the analyser's own feedback does


@record
class OwnWordsReading:
    """The words a learner said first at a decision, read again for a report."""

    found: tuple[str, ...]  # element ids, in ELEMENT_WORDS order
    missing: tuple[str, ...]
    warnings: tuple[str, ...]  # warning-sign ids
    elements: dict[str, bool]  # every element and warning sign, as the analyser's result has them

    @property
    def line(self) -> str:
        """One plain sentence: "There: … · Not yet: … · Warning: …"."""
        parts = []
        if self.found:
            parts.append("There: " + ", ".join(ELEMENT_WORDS[e] for e in self.found))
        missing = [e for e in self.missing if e != "timescale" or {"ask", "escalation"} & set(self.found)]
        if missing:
            parts.append("Not yet: " + ", ".join(ELEMENT_WORDS[e] for e in missing[:MISSING_SHOWN]))
        if self.warnings:
            parts.append("Warning: " + ", ".join(WARNING_WORDS[w] for w in self.warnings))
        return " · ".join(parts)


def read_own_words(words: str) -> OwnWordsReading | None:
    """The analyser's reading of ``words``; None when nothing was typed."""
    if not words.strip():
        return None
    from scoring.free_text import analyse

    elements = analyse(words).elements
    found = tuple(e for e in ELEMENT_WORDS if elements.get(e))
    missing = tuple(e for e in ELEMENT_WORDS if not elements.get(e))
    warnings = tuple(w for w in WARNING_WORDS if elements.get(w))
    return OwnWordsReading(found, missing, warnings, dict(elements))
