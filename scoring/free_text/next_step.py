"""The next step: a request for a specific action (ask) and a time bound on
a step (timescale), as docs/free-text.md defines them. Split from
``elements.py``, which applies them with the other elements.
"""

from __future__ import annotations

import re

from scoring.free_text.phrases import Hit, sentence_starts
from scoring.free_text.reading import _BOUND_LEAD, Finding, Reading, date_role, tense_of
from scoring.free_text.text import LazyPattern

ACTION_REACH = 14  # words after an ask's frame in which its action must appear

_OWN_STEP = LazyPattern(r"(?<![\w'])(?:i'd like to|i would like to|i want to|i need to|we need to|we'll need to|i'll need to|"
                        r"i'm going to|we're going to|i think i need to|might need to|may need to|i'd want to)(?![\w'])")


def find_ask(r: Reading, escalations: list[Finding] = ()) -> list[Finding]:
    found = []
    own_steps = [(m.start(), m.end()) for m in _OWN_STEP.finditer(r.utterance.folded)]
    frames = list(r.own("ask.frame"))
    # "Could someone see her today?": any modal, but only in a question that is
    # not a condition ("Is there anything that would change your view?" asks a view).
    for hit in r.own("ask.modal_question"):
        _, sentence_end, _ = r.sentence_text(hit.start)
        clause_start, _ = r.utterance.clause_of(hit.start)
        opening = r.utterance.words_starting(clause_start, hit.start)[:1]
        if "?" in r.utterance.text[hit.start:sentence_end + 1] and not (
                opening and opening[0].folded in ("if", "unless", "whether", "anything", "that", "which")):
            frames.append(hit)
    frames.extend(_direct_requests(r))
    for start in sentence_starts(r.utterance):
        match = r.tables.imperatives.match(r.utterance.folded, start)
        if match and r.utterance.folded[match.start():match.end()] in ("have", "do", "get", "go", "see", "check") and \
                "?" in r.utterance.text[match.start():r.utterance.sentence_of(start)[1] + 1]:
            continue  # "Have the children been seen?" asks a question; it gives no instruction
        if match and not r.quoted(match.start(), match.end()):
            frames.append(Hit("ask.imperative", match.start(), match.end()))
    for frame in sorted(frames, key=lambda h: h.start):
        if r.overlaps(frame, ["ask.view_request", "inquiry.open"]):
            continue
        sentence_start, sentence_end, _ = r.sentence_text(frame.start)
        reach_words = r.utterance.words_starting(frame.start, sentence_end)[:ACTION_REACH + 3]
        reach_end = reach_words[-1].end if reach_words else frame.end
        action = r.tables.action.search(r.utterance.folded, frame.start, reach_end)
        if not action and frame.name == "ask.verb":
            action = _WHOLE.match(r.utterance.folded, frame.start, frame.end)  # the verb is the action
        if not action and r.utterance.folded[frame.start:frame.end] in ("please", "pls", "plz") and \
                not r.utterance.folded[frame.end:sentence_end].strip(" .!?,"):
            # "Strategy meeting, today, please.": a closing please asks for what came before it.
            reach_end = frame.start
            action = r.tables.action.search(r.utterance.folded, sentence_start, frame.start)
            if action:
                frame = Hit(frame.name, sentence_start, frame.end)
        if not action:
            continue
        # "Can you look into it?" names no action anyone could say they had done.
        if any(frame.start <= h.start < reach_end for h in r.hits("ask.not_specific")):
            continue
        if any(f.start <= frame.start < f.end for f in found):
            continue
        # "Can you see him? Actually, don't worry": withdrawn in the same breath.
        _, next_end = r.utterance.sentence_of(sentence_end + 1) if sentence_end < len(r.utterance.text) else (0, sentence_end)
        if any(frame.end <= h.start < max(next_end, sentence_end) for h in r.hits("ask.withdrawn")):
            continue
        end = _object_end(r, max(frame.end, action.end()))
        # "I'd like to involve our safeguarding lead", "a referral … myself": the
        # speaker's own step to a route is escalation, not a request of the listener.
        if any(start <= frame.start < stop + 1 for start, stop in own_steps) and (
                any(frame.start <= e.start < end + 40 for e in escalations)
                or "myself" in r.utterance.folded[frame.start:r.utterance.clause_of(frame.start)[1]]):
            continue
        found.append(Finding("ask", frame.start, end, "a request for a specific action"))
    return found


# Verbs after "could you" that ask for a view, a feeling or nothing anyone could
# say they had done ("Can you believe it?", "Could you keep an eye?").
_NOT_ACTIONS = frozenset({
    "be", "believe", "imagine", "understand", "explain", "tell", "talk", "walk", "help", "think", "see", "look", "sort",
    "bear", "keep", "let", "try", "remember", "appreciate", "agree", "do", "have", "get", "make", "say", "accept", "guess",
    "blame", "trust", "honestly", "really", "not", "never", "possibly", "please", "just", "also", "then", "now", "actually",
    "maybe", "perhaps", "kindly", "still", "quickly", "urgently", "at", "least", "see", "tell", "give", "put", "find", "go",
    "come", "take", "leave", "stop", "want", "need", "like", "know", "hear", "feel", "mind", "wait", "hold",
})
_WHOLE = LazyPattern(r".+", re.DOTALL)


def _direct_requests(r: Reading) -> list[Hit]:
    """"Could you weigh her yourself?", "Can the locks be changed before Friday?",
    "I'm going to need the order served by tomorrow": a request whose verb is
    its action, even when the verb is not in the action list."""
    found = []
    for frame in r.own("ask.direct"):
        after = r.utterance.words_starting(frame.end, r.utterance.sentence_of(frame.start)[1])[:4]
        if [w.folded for w in after[:3]] == ["be", "able", "to"]:
            after = after[3:]  # "Would you be able to weigh him…"
        after = after[:1]
        if after and after[0].folded.isalpha() and len(after[0].folded) >= 3 and after[0].folded not in _NOT_ACTIONS:
            found.append(Hit("ask.verb", after[0].start, after[0].end))
    for frame in r.own("ask.passive"):
        _, sentence_end = r.utterance.sentence_of(frame.start)
        # the participle may fall inside the frame's optional words or just after it
        after = r.utterance.words_starting(frame.start, sentence_end)[3:]
        after = [w for w in after if w.start < frame.end] + [w for w in after if w.start >= frame.end][:2]
        for word in after:
            if word.folded.endswith(("ed", "en", "wn")) and word.folded not in _NOT_PARTICIPLES and len(word.folded) > 4:
                found.append(Hit("ask.verb", frame.start, word.end))
                break
    return found


_NOT_PARTICIPLES = frozenset({"bothered", "concerned", "worried", "interested", "aware", "honest", "sorted", "frightened",
                              "scared", "convinced", "satisfied", "reassured", "told", "given", "even", "seen", "been",
                              "happen", "written", "garden", "children", "listen", "often", "kitchen", "women", "men",
                              "between", "eleven", "seven", "heaven", "taken", "broken", "open", "when", "then", "than"})


OBJECT_REACH = 5  # words after an ask's action quoted back with it


def _object_end(r: Reading, end: int) -> int:
    """Where the words of an ask end for quoting back: a few words past its
    action ("Could we hold a strategy discussion"), stopping at the clause end,
    a comma or a time bound."""
    _, clause_end = r.utterance.clause_of(end)
    stop = clause_end
    for bound in r.hits("timescale.bound"):
        if end <= bound.start < stop:
            stop = bound.start
    comma = r.utterance.folded.find(",", end, stop)
    if comma >= 0:
        stop = comma
    after = r.utterance.words_in(end, stop)[:OBJECT_REACH]
    return after[-1].end if after else end


def find_timescale(r: Reading) -> list[Finding]:
    found = []
    loose = r.hits("timescale.not_a_bound")
    for hit in r.own("timescale.bound"):
        if any(l.start <= hit.start < l.end for l in loose):
            continue
        words = r.utterance.folded[hit.start:hit.end]
        clause_start, clause_end = r.utterance.clause_of(hit.start)
        clause = r.utterance.folded[clause_start:clause_end]
        if words in ("now", "right now") and _idiom_now(r, hit):
            continue
        if words.endswith("now"):
            # "Now, I know you're busy" is not a time bound; "I need a decision now" is.
            at_clause_end = not r.utterance.folded[hit.end:clause_end].strip(" ,.!?\"')")
            if not (words.startswith(("right", "straight")) or at_clause_end) or tense_of(clause) == "past":
                continue
        elif words.split()[0] not in _BOUND_LEAD and tense_of(clause) != "future":
            continue  # "this morning she said…" is evidence; "the plan for tonight?" bounds nothing
        elif tense_of(clause.replace(words, " ")) == "past":  # the bound itself says nothing of tense
            continue  # "seen before the case was closed", "thanks for replying within three weeks"
        found.append(Finding("timescale", hit.start, hit.end, "a time bound on the next step"))
    for mention in r.dates:
        if date_role(r, mention) == "timescale" and not any(f.start <= mention.start < f.end for f in found):
            if not r.quoted(mention.start, mention.end) and not r.negated(mention.start):
                found.append(Finding("timescale", mention.start, mention.end, "a time bound on the next step"))
    return found


_NOW_IDIOMS = ("for now", "by now", "until now", "up to now", "till now", "just now", "from now", "even now", "now that")


def _idiom_now(r: Reading, hit: Hit) -> bool:
    around = r.utterance.folded[max(0, hit.start - 6):hit.end + 5]
    return any(idiom in around for idiom in _NOW_IDIOMS)
