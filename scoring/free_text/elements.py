"""Finds the briefing's elements in one utterance (the warning signs are in
``warning_signs.py``, ask and timescale in ``next_step.py``, what the rules
share in ``reading.py``).

Each element is found by a few small named steps over the marker lists in
``elements.json`` (definitions: docs/free-text.md):

1. ``markers``      — find the phrases of each list;
2. ``not_quoted``   — words inside quotation marks are someone else's: they can
                      be evidence, never the speaker's concern, ask or blame;
3. ``not_negated``  — a marker with a negation up to three words before it in
                      the same clause, and no comma or "but" between, does not
                      count ("I'm not escalating this");
4. element rules    — what else a marker needs (an ask needs a specific action
                      after its frame; a date is evidence only when it belongs
                      to an event, a timescale only when it bounds an action).

Every finding keeps the [start, end) offsets of the words that set it off.
"""

from __future__ import annotations

from scoring.free_text.next_step import find_ask, find_timescale
from scoring.free_text.phrases import Hit, sentence_starts
from scoring.free_text.reading import ELEMENTS, Finding, Reading, date_role, tables, tense_of
from scoring.free_text.text import LazyPattern, Utterance
from scoring.free_text.warning_signs import find_blame, find_capitulation, find_contempt

__all__ = ["ELEMENTS", "Finding", "find_all", "tables"]


def find_concern(r: Reading) -> list[Finding]:
    withdrawn = r.hits("concern.withdrawn")
    conditionals = r.hits("concern.conditional")
    found = []
    starts = set(sentence_starts(r.utterance))
    # "Bit worried re Chloe": a worry that opens its sentence is the speaker's own.
    subjectless = [h for h in r.own("concern.subjectless") if h.start in starts]
    for hit in sorted(r.own("concern.stated") + subjectless, key=lambda h: h.start):
        # "If we can't agree, I'll…" sets a condition; it states no disagreement.
        clause_start, _ = r.utterance.clause_of(hit.start)
        if any(clause_start <= c.start and c.end <= hit.start and hit.start - c.end <= 12 for c in conditionals):
            continue
        # "I was worried, but you've put my mind at rest": a worry said to be over.
        sentence_start, sentence_end, _ = r.sentence_text(hit.start)
        if any(sentence_start <= w.start < sentence_end and w.start >= hit.start for w in withdrawn
               if not (w.start < hit.end and hit.start < w.end)):
            continue
        # "You'd agree it's neglect, wouldn't you?": a judgement put as a question
        # is not stated; a worry in the first person still is ("Am I right to be worried?").
        if "?" in r.utterance.text[hit.end:sentence_end + 1] and not r.utterance.folded[hit.start:hit.end].startswith(
                ("i", "we", "my", "our", "me", "something")):
            continue
        found.append(Finding("concern", hit.start, hit.end, "stated worry or disagreement"))
    return found


_REPORTED = LazyPattern(r"(?<![\w'])(?:told|tells|said|says|reported|disclosed|mentioned|explained|claims|claimed)(?![\w'])")
_NOT_PEOPLE = frozenset({"I", "Mum", "Dad", "Mr", "Mrs", "Ms", "Miss", "Dr", "The", "A", "If", "But", "And", "So"})


def _names_between(r: Reading, start: int, end: int, sentence_start: int) -> list[Hit]:
    """Capitalised words that are not the first of their sentence: most often
    the name of the person at the centre ("Kai's at home all summer")."""
    names = []
    for word in r.utterance.words_starting(start, end):
        if word.start > sentence_start:
            original = r.utterance.text[word.start:word.end]
            if original[:1].isupper() and not original.isupper() and original.split("'")[0] not in _NOT_PEOPLE:
                names.append(Hit("impact.name", word.start, word.end))
    return names


IMPACT_REACH = 10  # words before a harm in which its person and its prospect must appear
AFTER_REACH = 5  # words after a harm, in its clause, where its person may stand instead
_PRESENT_COPULA = frozenset({"is", "are", "am", "he's", "she's", "it's", "they're", "who's", "that's", "there's", "we're"})
_PERFECT = frozenset({"had", "been", "got", "lost", "gone", "fallen", "done", "taken", "broken", "seen", "left", "come"})
# "She's lying in her own urine", "they're sleeping on the floor": a harm going on now.
_ONGOING = LazyPattern(r"(?<![\w'])(?:is|are|'s|'re|am|keeps|keep)\s(?:still\s|now\s|being\s)?\w+ing(?![\w'])")


def find_impact(r: Reading) -> list[Finding]:
    found = [Finding("impact", hit.start, hit.end, "what it means for the person")
             for hit in r.own("impact.consequence")]
    found.extend(_harm_in_prospect(r))
    return found


def _harm_in_prospect(r: Reading) -> list[Finding]:
    """A harm to the person that will, could or does go on happening: "she
    could lie on the floor for hours", "he's going hungry". A harm told as a
    past event ("he had two falls") is evidence, not impact."""
    found = []
    prospects: dict[int, list[Hit]] = {}  # by sentence start, found once
    for hit in r.own("impact.harm"):
        sentence_start, sentence_end, _ = r.sentence_text(hit.start)
        words = r.utterance.words_in(sentence_start, hit.start)[-IMPACT_REACH:]
        if not words:
            continue
        window_start = words[0].start
        person = [p for p in r.hits("impact.person") if window_start <= p.start < hit.start]
        person += _names_between(r, window_start, hit.start, sentence_start)
        if not person:
            # "There's a real chance of another fall for Mrs Lowe": the person after the harm.
            clause_start, clause_end = r.utterance.clause_of(hit.start)
            after = r.utterance.words_starting(hit.end, clause_end)[:AFTER_REACH]
            if after:
                person = [p for p in r.hits("impact.person") if hit.end <= p.start <= after[-1].start
                          and r.utterance.folded[p.start:p.end] != "you"]
                person += _names_between(r, hit.end, after[-1].end, sentence_start)
        prospect = prospects.get(sentence_start)
        if prospect is None:
            prospect = prospects[sentence_start] = _prospects(r, sentence_start, sentence_end)
        if not prospect:
            # "She's effectively a prisoner in her own home": a harm that is, now.
            near = r.utterance.words_in(sentence_start, hit.start)[-3:]
            between = r.utterance.folded[near[0].start if near else hit.start:hit.end].split()
            perfect = any(w in _PERFECT or w.endswith("ed") for w in between)  # "she's lost weight" happened
            prospect = [Hit("impact.prospect", w.start, w.end) for w in near
                        if not perfect and w.folded in _PRESENT_COPULA]
        if not person or not prospect:
            continue
        if _REPORTED.search(r.utterance.folded, sentence_start, hit.start):
            continue  # "Mum told me she's scared": her words, so evidence, not the speaker's impact
        clause_start, clause_end = r.utterance.clause_of(hit.start)
        if tense_of(r.utterance.folded[clause_start:clause_end]) == "past" and not any(
                clause_start <= p.start < clause_end for p in prospect):
            continue
        start = min(person[-1].start, hit.start)
        found.append(Finding("impact", start, hit.end, "a harm the person faces"))
    return found


def _prospects(r: Reading, sentence_start: int, sentence_end: int) -> list[Hit]:
    """What in a sentence says a harm will, could or does go on: a word of the
    prospect list, a prospect written into a word ("They'll", "she'd",
    "won't"), or a harm going on now ("she's lying in…")."""
    found = [p for p in r.hits("impact.prospect") if sentence_start <= p.start < sentence_end]
    found += [Hit("impact.prospect", w.start, w.end) for w in r.utterance.words_in(sentence_start, sentence_end)
              if w.folded.endswith(("'ll", "'d")) or w.folded in ("won't", "wouldn't", "can't")]
    found += [Hit("impact.prospect", m.start(), m.end())
              for m in _ONGOING.finditer(r.utterance.folded, sentence_start, sentence_end)]
    return found


def find_evidence(r: Reading, timescales: list[Finding]) -> list[Finding]:
    found = []
    for mention in r.dates:
        if date_role(r, mention) == "evidence" and not r.negated(mention.start):
            found.append(Finding("evidence", mention.start, mention.end, "a date or time tied to an event"))
    for hit in r.own("evidence.record"):
        found.append(Finding("evidence", hit.start, hit.end, "a named record or source"))
    for hit in r.own("evidence.measure"):
        inside_timescale = any(t.start <= hit.start < t.end or hit.start <= t.start < hit.end for t in timescales)
        if not inside_timescale and not _names_a_procedure(r, hit):
            found.append(Finding("evidence", hit.start, hit.end, "a number that counts or measures"))
    for hit in r.own("evidence.said", negatable=False):
        found.append(Finding("evidence", hit.start, hit.end, "someone's own words, reported"))
    for start, end in r.quotes:
        inner = r.utterance.text[start + 1:end - 1]
        if len(inner.split()) >= 2:
            found.append(Finding("evidence", start, end, "someone's own words, quoted"))
    found.extend(_named_speaker(r))
    return found


# "Level 4", "stage 2", "section 47", "Year 3": a number that names a level,
# a procedure or a class counts nothing in the case (docs/free-text.md, evidence).
_PROCEDURE_WORDS = frozenset({"level", "levels", "stage", "stages", "section", "s", "step", "tier", "year", "part", "page",
                              "room", "flat", "no", "number", "ward", "bay", "bed", "phase", "version", "article", "schedule",
                              "paragraph", "chapter", "class", "form", "key"})


def _names_a_procedure(r: Reading, hit: Hit) -> bool:
    if not r.utterance.folded[hit.start:hit.start + 1].isdigit():
        return False
    before = r.utterance.words_in(max(0, hit.start - 20), hit.start)
    return bool(before) and before[-1].folded in _PROCEDURE_WORDS


_NAMED_SPEAKER = LazyPattern(
    r"(?<![\w'])(?P<name>[A-Z][a-z]+(?:'s)?)\s(?:(?:mum|dad|teacher|nan|brother|sister)\s)?"
    r"(?:said|says|told|tells|disclosed|reported|mentioned|explained|described|asked|wrote|texted|admitted|denied|claimed)(?![\w'])"
)


def _named_speaker(r: Reading) -> list[Finding]:
    """"Leo said…", "Gemma told me…": reported words of a named person (the
    marker list covers pronouns and roles; a name needs its capital)."""
    found = []
    for match in _NAMED_SPEAKER.finditer(r.utterance.text):
        if match.group("name").lower() in ("i", "we", "you", "it", "that", "this", "nobody", "noone"):
            continue
        if not r.quoted(match.start(), match.end()):
            found.append(Finding("evidence", match.start(), match.end(), "someone's own words, reported"))
    return found


def find_inquiry(r: Reading) -> list[Finding]:
    found = []
    invitations = ("talk me", "walk me", "take me", "help me", "i'd like", "i would like", "i'm curious",
                   "i am curious", "i wonder", "i was wondering", "i just wonder", "tell me", "your view",
                   "your thoughts", "your thinking", "your perspective", "your take", "i'm interested", "i'm keen",
                   "i'd value", "i would value", "i'd welcome", "i would welcome", "i'd appreciate", "i would appreciate",
                   "i'd love", "i'd really", "i just want", "i want to understand", "i really want", "i need to understand")
    for hit in r.own("inquiry.open", negatable=False):
        sentence_start, sentence_end, sentence = r.sentence_text(hit.start)
        words = r.utterance.folded[hit.start:hit.end]
        is_question = "?" in r.utterance.text[hit.start:sentence_end + 1]
        if not is_question and not words.startswith(invitations):
            continue
        accusing = [h for h in r.hits("inquiry.accusing") if sentence_start <= h.start < sentence_end]
        if accusing or any(h.start >= sentence_start and h.start < sentence_end
                           for h in r.hits("blame.accusation") + r.hits("blame.sarcasm")):
            continue
        found.append(Finding("inquiry", hit.start, hit.end, "an open question about their view"))
    found.extend(_wh_questions(r, found))
    return found


_WH = LazyPattern(r"(?:^|(?<=[\s,:;(\"]))(?:what|what's|how|which|who|where|when)(?![\w'])")
_CLAUSE_OPENERS = frozenset({"and", "so", "but", "then", "or", "ok", "okay", "right", "well", "also", "tell", "me"})


def _wh_questions(r: Reading, already: list[Finding]) -> list[Finding]:
    """A question opening with what, how, which, who, where or when (not why,
    which so often accuses) is open: it lets them answer in their own terms."""
    found = []
    for sentence_start, sentence_end in r.utterance.sentences:
        if "?" not in r.utterance.text[sentence_start:sentence_end + 1]:
            continue
        if any(sentence_start <= f.start < sentence_end for f in already):
            continue
        if any(sentence_start <= h.start < sentence_end for h in r.hits("inquiry.accusing")):
            continue
        if "who am i to" in r.utterance.folded[sentence_start:sentence_end]:
            continue  # "Who am I to say?" gives way; it asks nothing
        for match in _WH.finditer(r.utterance.folded, sentence_start, sentence_end):
            before = [w.folded for w in r.utterance.words_starting(sentence_start, match.start())]
            clause_start, _ = r.utterance.clause_of(match.start())
            opens = not before or all(w in _CLAUSE_OPENERS for w in before[-2:]) or \
                r.utterance.folded[max(sentence_start, match.start() - 2):match.start()].strip() in (",", ":", ";")
            if opens and not r.quoted(match.start(), match.end()):
                words = r.utterance.words_starting(match.start(), sentence_end)[:6]
                found.append(Finding("inquiry", match.start(), words[-1].end, "an open question about their view"))
                break
    return found


def find_escalation(r: Reading) -> list[Finding]:
    found = []
    for hit in r.own("escalation.route") + _taken_to_a_role(r):
        if r.overlaps(hit, ["escalation.not_escalation", "blame.threat"]):
            continue
        clause_start, _ = r.utterance.clause_of(hit.start)
        if any(clause_start <= h.start < hit.start for h in r.hits("escalation.given_up")):
            continue  # "I was going to take it to the named GP, but…"
        if _taken_back(r, hit):
            continue  # "It might need to go to the LADO. … Actually, forget it."
        found.append(Finding("escalation", hit.start, hit.end, "names the next stage or formal route"))
    return found


def _taken_back(r: Reading, hit: Hit) -> bool:
    """A route named and withdrawn in the next breath, in its sentence or the
    two after it."""
    sentences = [s for s in r.utterance.sentences if s[1] > hit.start][:3]
    end = sentences[-1][1] if sentences else hit.end
    # A bare "don't worry" more often reassures ("Don't worry, it isn't personal").
    return any(hit.end <= h.start < end and not r.utterance.folded[h.start:h.end].startswith(("don't worry", "not to"))
               for h in r.hits("ask.withdrawn"))


MOVE_REACH = 12  # words before a role in which the step that takes the concern there must appear


def _taken_to_a_role(r: Reading) -> list[Hit]:
    """A role or body above or around the listener that the concern is being
    taken to: a verb of taking, raising or telling earlier in the clause
    ("I'll be reporting it … to the adult safeguarding lead", "involve our
    safeguarding lead", "ring the MASH"), the role not the one who decided
    ("signed off by your manager")."""
    found = []
    moves = r.own("escalation.move")
    for role in r.own("escalation.role"):
        clause_start, _ = r.utterance.clause_of(role.start)
        before = r.utterance.words_in(clause_start, role.start)[-MOVE_REACH:]
        if before and any(before[0].start <= m.start < role.start for m in moves):
            found.append(Hit("escalation.role", role.start, role.end))
    return found


def find_all(utterance: Utterance) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """Findings per element (every element present as a key), and the signs of
    contempt that make an utterance disrespectful without blame."""
    r = Reading(utterance)
    impact = find_impact(r)
    blame = find_blame(r)
    # A time inside a harm's own clause, or inside sarcasm, bounds no step.
    sarcastic = [r.utterance.sentence_of(f.start) for f in blame if f.step == "sarcasm"]
    timescale = [t for t in find_timescale(r) if not _inside_a_harm(r, t, impact)
                 and not any(start <= t.start < end for start, end in sarcastic)]
    escalation = find_escalation(r)
    found = {
        "concern": find_concern(r),
        "impact": impact,
        "evidence": find_evidence(r, timescale),
        "ask": find_ask(r, escalation),
        "timescale": timescale,
        "inquiry": find_inquiry(r),
        "escalation": escalation,
        "blame": blame,
    }
    # Harm set against the decision is a judgement against it (docs/free-text.md).
    if found["impact"] and not found["concern"]:
        first = found["impact"][0]
        found["concern"] = [Finding("concern", first.start, first.end, "a harm set against the decision")]
    pursued = found["concern"] + found["ask"] + found["escalation"] + found["inquiry"]
    found["capitulation"] = find_capitulation(r, pursued, found["blame"])
    for element, findings in found.items():
        found[element] = _distinct(findings)
    return found, find_contempt(r)


_STEP_WORDS = frozenset({"i", "we", "you", "i'll", "we'll", "you'll", "let's", "please", "could", "can", "would", "i'd", "we'd",
                         "me", "us", "i'm", "we're", "need", "want", "must", "should"})


def _inside_a_harm(r: Reading, timescale: Finding, impact: list[Finding]) -> bool:
    """"They'll clear out her savings within the month": a time inside the
    harm's own clause bounds no step, unless the clause also asks or promises
    one ("I need someone to see her before she's hurt again")."""
    clause_start, clause_end = r.utterance.clause_of(timescale.start)
    if not any(clause_start <= f.start < clause_end for f in impact):
        return False
    return not any(w.folded in _STEP_WORDS for w in r.utterance.words_in(clause_start, clause_end))


def _distinct(findings: list[Finding]) -> list[Finding]:
    """In reading order, overlapping findings joined into one span ("Why did
    you" and "you ignore" quote back as "Why did you ignore")."""
    findings = sorted(findings, key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in findings:
        if kept and finding.start < kept[-1].end:
            last = kept[-1]
            if finding.end > last.end:
                kept[-1] = Finding(last.element, last.start, finding.end, last.step)
            continue
        kept.append(finding)
    return kept
