"""The warning signs: blame (and the contempt that is disrespectful without
it) and capitulation, each a small named step over the marker lists of
``elements.json`` (definitions: docs/free-text.md)."""

from __future__ import annotations

import re

from scoring.free_text.phrases import Hit, sentence_starts
from scoring.free_text.reading import Finding, Reading

def _softened(r: Reading, hit: Hit) -> bool:
    clause_start, _ = r.utterance.clause_of(hit.start)
    return any(clause_start <= s.start < hit.start for s in r.hits("blame.softened"))


def find_blame(r: Reading) -> list[Finding]:
    found = []
    for hit in r.own("blame.accusation"):
        if not _softened(r, hit):
            found.append(Finding("blame", hit.start, hit.end, "accuses the person"))
    for hit in r.own("blame.belittle"):
        found.append(Finding("blame", hit.start, hit.end, "belittles the person"))
    for hit in r.own("blame.sarcasm", negatable=False):
        found.append(Finding("blame", hit.start, hit.end, "sarcasm"))
    for hit in r.own("blame.threat"):
        found.append(Finding("blame", hit.start, hit.end, "threatens the person"))
    for hit in r.own("inquiry.accusing", negatable=False):
        sentence_start, sentence_end, sentence = r.sentence_text(hit.start)
        if re.search(r"(?<![\w'])(?:you|your|you've|you're|you'd)(?![\w'])", sentence):
            found.append(Finding("blame", hit.start, hit.end, "an accusing question"))
    for hit in r.own("blame.contempt_words", negatable=False):
        clause_start, clause_end = r.utterance.clause_of(hit.start)
        if re.search(r"(?<![\w'])(?:you|your|you've|you're|yourself|yourselves)(?![\w'])",
                     r.utterance.folded[clause_start:clause_end]):
            found.append(Finding("blame", hit.start, hit.end, "belittles the person"))
    return found


def find_contempt(r: Reading) -> list[Finding]:
    """Not respectful even without blame: swearing, dismissal, contempt for
    the decision, shouting."""
    found = [Finding("contempt", h.start, h.end, "swearing") for h in r.own("blame.swearing", negatable=False)]
    found += [Finding("contempt", h.start, h.end, "dismissal") for h in r.own("blame.dismissal", negatable=False)]
    # "Whatever." and "Seriously?" said on their own are contempt; inside a
    # sentence ("whatever you decide") they are ordinary words.
    found += [Finding("contempt", h.start, h.end, "dismissal") for h in r.own("blame.dismissal_alone", negatable=False)
              if _clause_is_only(r, h) and len(r.utterance.words) <= 3]
    found += [Finding("contempt", h.start, h.end, "contempt") for h in r.own("blame.contempt_words")]
    found += _shouting(r)
    return found


def _shouting(r: Reading) -> list[Finding]:
    """Two capitalised words of three or more letters in a row — an acronym
    such as CPOMS or MASH is one word, and rarely sits beside another."""
    run: list = []
    for word in r.utterance.words:
        original = r.utterance.text[word.start:word.end]
        if len(original) >= 2 and original.isupper() and original.isalpha() and original not in ("I", "A"):
            run.append(word)
            if len(run) >= 2 and sum(len(w.folded) >= 3 for w in run) >= 2:
                return [Finding("contempt", run[0].start, run[-1].end, "shouting")]
        else:
            run = []
    return []


def find_capitulation(r: Reading, pursued: list[Finding]) -> list[Finding]:
    """Defers or drops the concern with no reason that bears on the person,
    and nothing after it keeps the concern alive."""
    found = []
    strong = r.own("capitulation.defer_strong")
    weak = [h for h in r.own("capitulation.defer_weak", negatable=False)
            if h.start in sentence_starts(r.utterance) or _clause_is_only(r, h)]
    sarcasm = r.hits("blame.sarcasm")
    for hit, step in [(h, "defers without a reason") for h in strong] + [(h, "gives way") for h in weak]:
        if any(s.start < hit.end and hit.start < s.end for s in sarcasm):
            continue  # "I'm sure that'll sort it" only sounds like giving in
        sentence_start, sentence_end, _ = r.sentence_text(hit.start)
        reasons = [h for h in r.hits("capitulation.reason") if sentence_start <= h.start < sentence_end]
        if reasons:
            continue
        if any(p.start >= hit.end for p in pursued):
            continue
        if step == "gives way" and strong:
            continue  # the strong marker carries it
        found.append(Finding("capitulation", hit.start, hit.end, step))
    return found


def _clause_is_only(r: Reading, hit: Hit) -> bool:
    clause_start, clause_end = r.utterance.clause_of(hit.start)
    return not (r.utterance.folded[clause_start:hit.start].strip(" ,.!?\"'")
                or r.utterance.folded[hit.end:clause_end].strip(" ,.!?\"'"))


