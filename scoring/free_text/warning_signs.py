"""The warning signs: blame (and the contempt that is disrespectful without
it) and capitulation, each a small named step over the marker lists of
``elements.json`` (definitions: docs/free-text.md)."""

from __future__ import annotations

import re

from scoring.free_text.phrases import Hit, sentence_starts
from scoring.free_text.reading import Finding, Reading
from scoring.free_text.text import LazyPattern


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
        if _AIMED.search(sentence):
            found.append(Finding("blame", hit.start, hit.end, "an accusing question"))
    found.extend(_disbelieving_questions(r))
    found.extend(_sarcasm(r))
    for match in _RESPECT_THEN_YOU.finditer(r.utterance.folded):
        if not r.quoted(match.start(), match.end()):
            found.append(Finding("blame", match.start(), match.end(), "belittles the person"))
    for hit in r.own("blame.contempt_words", negatable=False):
        clause_start, clause_end = r.utterance.clause_of(hit.start)
        if re.search(r"(?<![\w'])(?:you|your|you've|you're|yourself|yourselves)(?![\w'])",
                     r.utterance.folded[clause_start:clause_end]) or _said_alone(r, hit):
            found.append(Finding("blame", hit.start, hit.end, "belittles the person"))
    # "Typical." as the whole reply lumps the listener in with every failing before.
    for hit in r.own("blame.dismissal_alone", negatable=False):
        if r.utterance.folded[hit.start:hit.end] == "typical" and _said_alone(r, hit):
            found.append(Finding("blame", hit.start, hit.end, "belittles the person"))
    return found


# Who an accusing question or a sarcastic remark is aimed at: the listener, their
# team, or "anyone" there ("Did anyone even look at his file?").
_AIMED = LazyPattern(r"(?<![\w'])(?:you|your|you've|you're|you'd|yourself|anyone|anybody|nobody|no one|you lot)(?![\w'])")
# "With respect, you're new": the courtesy does not cancel what follows it.
_RESPECT_THEN_YOU = LazyPattern(
    r"(?<![\w'])with (?:all due |the greatest |the utmost |all |)respect,?\s+(?:but\s+)?(?:you|you're|you've|you'd|your|you lot)"
    r"(?![\w'])(?!\s+(?:might|may|could|probably|possibly)\b)")
_ASKING = LazyPattern(r"(?<![\w'])(?:did|do|does|have|has|had|are|were|is|was|can|could|would|will)\s+"
                      r"(?:you|anyone|anybody|nobody|no one|your \w+|you lot|you people|they)\s+(?P<rest>(?:\S+\s+){0,3}\S+)")


def _disbelieving_questions(r: Reading) -> list[Finding]:
    """A question to the listener with disbelief in it — "Did you even read
    it?", "Has anyone actually seen him?" — presupposes the failing it asks
    about: an accusation, whatever its grammar (docs/free-text.md, blame)."""
    found = []
    disbelief = r.hits("blame.disbelief")
    for start, end in r.utterance.sentences:
        if "?" not in r.utterance.text[start:end + 1]:
            continue
        for match in _ASKING.finditer(r.utterance.folded, start, end):
            rest_start, rest_end = match.span("rest")
            if any(rest_start <= h.start < rest_end for h in disbelief) and not r.quoted(match.start(), match.end()):
                found.append(Finding("blame", match.start(), rest_end, "an accusing question"))
                break
    return found


def _sarcasm(r: Reading) -> list[Finding]:
    """Praise or thanks turned against the listener's decision: with an irony
    cue in the same sentence ("Lovely to finally hear from you", "a two-minute
    triage"), or said on its own and followed by a let-down or a harm
    ("Brilliant. So we just wait for her to fall again")."""
    found = []
    irony = r.own("blame.irony", negatable=False)
    # A let-down may be quoted back at the listener ("another 'no further action'").
    letdowns = r.hits("blame.letdown") + r.own("impact.harm", negatable=False)
    sentences = r.utterance.sentences
    for hit in r.own("blame.praise", negatable=False):
        sentence_start, sentence_end, _ = r.sentence_text(hit.start)
        index = next((k for k, (s, e) in enumerate(sentences) if s <= hit.start < e), 0)
        next_end = sentences[index + 1][1] if index + 1 < len(sentences) else sentence_end
        # an irony cue in the praise's sentence, or in a short one after it ("… Only three days.")
        if any(sentence_start <= i.start < sentence_end and not (i.start < hit.end and hit.start < i.end) for i in irony) or (
                next_end > sentence_end and len(r.utterance.words_in(sentence_end, next_end)) <= 5
                and any(sentence_end <= i.start < next_end for i in irony)):
            found.append(Finding("blame", hit.start, hit.end, "sarcasm"))
            continue
        # "Glad we've got a plan that involves doing nothing": praise beside a let-down.
        if any(sentence_start <= h.start < sentence_end for h in r.own("blame.letdown_strong", negatable=False)):
            found.append(Finding("blame", hit.start, hit.end, "sarcasm"))
            continue
        if not _interjection(r, hit):
            continue
        if any(hit.end <= h.start < next_end for h in letdowns):
            found.append(Finding("blame", hit.start, hit.end, "sarcasm"))
    return found


def _interjection(r: Reading, hit: Hit) -> bool:
    """Praise said on its own at the start of a sentence: "Brilliant.",
    "Marvellous, another parenting course", "Oh good,"."""
    sentence_start, _ = r.utterance.sentence_of(hit.start)
    before = r.utterance.folded[sentence_start:hit.start].strip(" ,\"'")
    if before not in ("", "oh", "ah", "well", "oh well", "right", "so", "how"):
        return False
    after = r.utterance.folded[hit.end:hit.end + 2]
    return not after.strip() or after[:1] in ",.!;:-"


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


def find_capitulation(r: Reading, pursued: list[Finding], blame: list[Finding] = ()) -> list[Finding]:
    """Defers or drops the concern with no reason that bears on the person,
    and nothing after it keeps the concern alive."""
    found = []
    strong = r.own("capitulation.defer_strong")
    weak = [h for h in r.own("capitulation.defer_weak", negatable=False)
            if h.start in sentence_starts(r.utterance) or _clause_is_only(r, h)]
    # "Your call." is handing the decision over only when it is all the clause says.
    weak += [h for h in r.own("capitulation.defer_alone", negatable=False) if _clause_is_only(r, h)]
    sarcasm = list(r.hits("blame.sarcasm"))
    # "Not to worry, I'm sure he enjoys living like that": giving in that is
    # only the set-up for sarcasm is blame, not capitulation.
    for finding in blame:
        if finding.step == "sarcasm":
            start, _ = r.utterance.sentence_of(finding.start)
            previous = r.utterance.sentence_of(start - 1) if start > 0 else (start, start)
            sarcasm.append(Hit("sarcasm", previous[0], r.utterance.sentence_of(finding.start)[1]))
    for hit, step in [(h, "defers without a reason") for h in strong] + [(h, "gives way") for h in weak]:
        if any(s.start < hit.end and hit.start < s.end for s in sarcasm):
            continue  # "I'm sure that'll sort it" only sounds like giving in
        sentence_start, sentence_end, _ = r.sentence_text(hit.start)
        clause_start, _ = r.utterance.clause_of(hit.start)
        if re.search(r"(?<![\w'])(?:whether|wondered if|wonder if|wondering if)(?![\w'])", r.utterance.folded[clause_start:hit.start]):
            continue  # "…or whether I'm reading too much into it" asks; it does not give way
        # A reason in the sentence, or just before it ("That changes things. I'm happy to close").
        previous_start = r.utterance.sentence_of(sentence_start - 1)[0] if sentence_start > 0 else sentence_start
        reasons = [h for h in r.hits("capitulation.reason") if sentence_start <= h.start < sentence_end
                   and _bears_on_the_person(r, h.start, r.utterance.clause_of(h.start)[1])]
        reasons += [h for h in r.hits("capitulation.change_of_view") if previous_start <= h.start < sentence_end]
        if reasons or _reason_before_so(r, sentence_start, hit.start) or _if_about_the_person(r, sentence_start, hit.start):
            continue
        if any(p.start >= hit.end for p in pursued):
            continue
        if step == "gives way" and found:
            continue  # the strong marker carries it
        if step == "gives way" and any(sentence_start <= b.start < sentence_end for b in blame):
            continue  # "I see you've done the bare minimum again" gives nothing way
        found.append(Finding("capitulation", hit.start, hit.end, step))
    return found


def _bears_on_the_person(r: Reading, start: int, end: int) -> bool:
    """A reason for giving way counts only when it is about the person at
    risk: seniority, sign-off, workload, consent or a charging decision are
    not reasons (docs/free-text.md, capitulation)."""
    return not any(start <= h.start < end for h in r.hits("capitulation.not_a_reason"))


_SO = LazyPattern(r"(?<![\w'])(?:so|and so)(?![\w'])")


def _reason_before_so(r: Reading, sentence_start: int, at: int) -> bool:
    """"His dad says he's eating fine, so we'll wait and see": what comes
    before "so" is the reason, when it is about the person."""
    match = None
    for match in _SO.finditer(r.utterance.folded, sentence_start, at):
        pass
    if match is None or match.start() == sentence_start:
        return False
    about = [p for p in r.hits("impact.person") if sentence_start <= p.start < match.start()]
    return bool(about) and _bears_on_the_person(r, sentence_start, match.start())


_IF = LazyPattern(r"(?<![\w'])(?:if|since|as long as|provided|now that|once)(?![\w'])")


def _if_about_the_person(r: Reading, sentence_start: int, at: int) -> bool:
    """"If he was weighed this morning and he's back on the 25th centile, I'm
    happy": a condition about the person is a reason, unless it is about
    sign-off, seniority or consent."""
    people = [p for p in r.hits("impact.person") if r.utterance.folded[p.start:p.end] != "you"]
    for match in _IF.finditer(r.utterance.folded, sentence_start, at):
        near = r.utterance.words_starting(match.end(), at)[:3]
        if near and any(near[0].start <= p.start <= near[-1].start for p in people):
            if _bears_on_the_person(r, match.start(), r.utterance.clause_of(match.start())[1]):
                return True
    return False


def _said_alone(r: Reading, hit: Hit) -> bool:
    """A word of contempt that is the whole reply ("Pathetic.", "What a
    joke."): aimed at the listener's decision, since nothing else is named."""
    if len(r.utterance.words) > 4:
        return False
    rest = (r.utterance.folded[:hit.start] + " " + r.utterance.folded[hit.end:]).split()
    return all(word.strip(".,!?\"'") in ("", "how", "what", "a", "so", "that's", "this", "is", "absolutely", "utterly",
                                          "just", "frankly", "honestly", "really", "totally") for word in rest)


def _clause_is_only(r: Reading, hit: Hit) -> bool:
    clause_start, clause_end = r.utterance.clause_of(hit.start)
    return not (r.utterance.folded[clause_start:hit.start].strip(" ,.!?\"'")
                or r.utterance.folded[hit.end:clause_end].strip(" ,.!?\"'"))


