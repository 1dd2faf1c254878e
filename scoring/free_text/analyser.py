"""One typed utterance in, what it shows out.

``analyse(text, case_file=None)`` runs the steps in order — prepare the text,
find the elements, weigh the politeness, check the case file, decide
respect, write the feedback — and returns an ``Analysis``; its ``as_dict()`` is
the result the command line and "say it first" play show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from scoring.free_text.case_file import Citation, check_citations
from scoring.free_text.elements import ELEMENTS, Finding, find_all
from scoring.free_text.politeness import politeness as weigh_politeness
from scoring.free_text.text import Utterance, prepare

# The elements of the briefing, as reported; blame and capitulation are the
# warning signs among them.
RESULT_ELEMENTS = ELEMENTS
WARNINGS = ("blame", "capitulation")
# Courtesy does not survive an accusation: an utterance with blame is at most
# this polite, and one with threats or swearing at most the lower figure
# (the anchors of docs/free-text.md: accusing 0.1-0.2, abuse 0.0).
BLAME_CEILING = 0.2
ABUSE_CEILING = 0.1
# The learned probability of "polite" (from forum requests) mapped onto our
# labellers' 0-1 scale, where 0.5 is neutral and businesslike: a straight line
# fitted by least squares on the respectful utterances of dev-tune and practice
# (411 of them; `python benchmarks/say_eval.py --fit-scale`).
SCALE_INTERCEPT = 0.552
SCALE_SLOPE = 0.203


class Analysis(NamedTuple):
    text: str  # as read: control characters shown as symbols, cut to the bounded prefix
    politeness: float
    respectful: bool
    findings: dict[str, tuple[Finding, ...]]  # every element, found or not
    contempt: tuple[Finding, ...]  # what makes it disrespectful without blame
    citations: tuple[Citation, ...]
    truncated_from: int  # the original length if cut, else 0
    replaced_bytes: bool  # invalid UTF-8 was replaced on the way in
    feedback: tuple[str, ...]

    @property
    def elements(self) -> dict[str, bool]:
        return {element: bool(self.findings[element]) for element in RESULT_ELEMENTS}

    def words(self, finding: Finding | Citation) -> str:
        return self.text[finding.start:finding.end]

    def as_dict(self) -> dict:
        """The result: exactly ``text``, ``politeness``, ``respectful``,
        ``elements``, ``spans`` and ``feedback``."""
        return {
            "text": self.text,
            "politeness": round(self.politeness, 3),
            "respectful": self.respectful,
            "elements": self.elements,
            "spans": {
                element: [{"start": f.start, "end": f.end, "words": self.words(f)} for f in self.findings[element]]
                for element in RESULT_ELEMENTS
            },
            "feedback": list(self.feedback),
        }


def analyse(text: str, case_file: Mapping[str, Mapping[str, object]] | None = None, *,
            replaced_bytes: bool = False) -> Analysis:
    """What ``text`` shows, against the case file if one is given (a mapping of
    fact id to ``title``, ``date``, ``source`` and ``text``). Never raises for
    any string; a very long one is read to ``text.MAX_CHARACTERS``."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    utterance = prepare(text)
    findings, contempt = find_all(utterance)
    score = _politeness(utterance, findings, contempt)
    try:
        citations = tuple(check_citations(utterance, case_file))
    except (TypeError, ValueError, AttributeError):
        citations = ()  # a malformed case file must not stop the feedback
    respectful = not findings["blame"] and not contempt
    from scoring.free_text.feedback import feedback_lines

    partial = Analysis(utterance.text, score, respectful, {k: tuple(v) for k, v in findings.items()},
                       tuple(contempt), citations, utterance.truncated_from, replaced_bytes, ())
    return partial._replace(feedback=tuple(feedback_lines(partial)))


def _muted(utterance: Utterance, findings: dict[str, list[Finding]]) -> frozenset[int]:
    """The offsets of courtesy inside a clause that blames ("with respect, you…")."""
    blamed_clauses = {utterance.clause_of(f.start) for f in findings["blame"]}
    if not blamed_clauses:
        return frozenset()
    from scoring.free_text.politeness import all_hits

    return frozenset(hit.start for hit in all_hits(utterance) if utterance.clause_of(hit.start) in blamed_clauses)


def _politeness(utterance: Utterance, findings: dict[str, list[Finding]], contempt: list[Finding]) -> float:
    """The learned politeness, with courtesy inside an accusation muted and a
    ceiling once the words are aimed at the person."""
    score = SCALE_INTERCEPT + SCALE_SLOPE * weigh_politeness(utterance, _muted(utterance, findings)).score
    if any(f.step == "threatens the person" for f in findings["blame"]) or any(c.step == "swearing" for c in contempt):
        return min(score, ABUSE_CEILING)
    if findings["blame"] or contempt:
        return min(score, BLAME_CEILING)
    return score
