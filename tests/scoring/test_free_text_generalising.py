"""The analyser on words its rules were not written from: each rule follows a
definition of docs/free-text.md (sarcasm as praise turned by a let-down, giving
way as a first-person frame before a verb of desisting, a role that a concern is
taken to) rather than a sentence, so a learner who says it differently is still
read; and the practice set that measures it keeps its shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.free_text import analyse

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "tests" / "data" / "utterances" / "practice.jsonl"
ELEMENTS = ("concern", "impact", "evidence", "ask", "timescale", "inquiry", "escalation", "blame", "capitulation")


@pytest.mark.parametrize("typed", [
    "Lovely to finally hear from you. Shame it took a second fall.",
    "Marvellous. I'll just tell Mum the plan is to hope for the best.",
    "Thanks for sending him back at midnight with no notes. Very thoughtful.",
    "Really impressive how quickly you got round to it. Only three days.",
])
def test_praise_turned_against_the_decision_is_blame_and_not_polite(typed):
    result = analyse(typed)
    assert result.elements["blame"] and not result.respectful
    assert result.politeness <= 0.2


@pytest.mark.parametrize("typed", [
    "Thank you for coming out so quickly last time.",
    "Thanks for letting me know the core group's cancelled. We'll pick it up at the review in May.",
    "Great, thanks. Could we meet on Thursday?",
])
def test_sincere_thanks_is_not_taken_for_sarcasm(typed):
    assert not analyse(typed).elements["blame"]


@pytest.mark.parametrize("typed", [
    "Did anyone even look at his file?",
    "You're more interested in closing jobs than keeping her alive.",
    "Your criteria are an excuse not to see children.",
    "Funny how it's always the schools that spot this and never you.",
])
def test_accusations_in_new_words_are_blame(typed):
    assert analyse(typed).elements["blame"]


@pytest.mark.parametrize("typed", [
    "I'll put it on the back burner for now.",
    "I'm still uncomfortable, but I'll let sleeping dogs lie.",
    "It's above my pay grade, really, so I'll stop there.",
    "We'll revisit if she calls again.",
])
def test_giving_way_in_new_words_is_capitulation(typed):
    assert analyse(typed).elements["capitulation"]


@pytest.mark.parametrize("typed", [
    # a reason about the person, unchecked or not, is a reason (docs/free-text.md)
    "His son says he's managing, so I'll close it for now.",
    "That changes things. If he was weighed at clinic this morning and he's back on the 25th centile, I'm happy for you to close.",
    # part of the plan accepted, the concern kept alive: negotiation
    "OK, early help for now, but I'd want it reviewed at the TAF meeting on the 8th if things haven't improved.",
])
def test_giving_way_for_a_reason_or_while_negotiating_is_not_capitulation(typed):
    assert not analyse(typed).elements["capitulation"]


def test_sign_off_and_seniority_are_not_reasons_to_give_way():
    assert analyse("I'm not happy, but the decision's been made above both of us, so there we are.").elements["capitulation"]
    assert analyse("Alright, if your sergeant says no, then no.").elements["capitulation"]


def test_a_role_the_concern_is_taken_to_is_escalation_and_not_an_ask():
    result = analyse("I'd like to involve our adult safeguarding lead before anything is decided.")
    assert result.elements["escalation"] and not result.elements["ask"]
    assert analyse("I'll be reporting it through the incident system to the adult safeguarding lead.").elements["escalation"]


@pytest.mark.parametrize("typed", [
    "I still think the baby's at risk, but if the birth plan's been signed off by your manager I won't take it further.",
    "I'll take your lead on this one.",
    "Thanks a million for the lightning-fast response. I'll just tell him to keep his head down.",
    "I was thinking it might need to go to the LADO. What do you think? Actually, forget it.",
])
def test_a_role_that_decided_or_a_route_withdrawn_is_not_escalation(typed):
    assert not analyse(typed).elements["escalation"]


def test_a_request_whose_verb_is_not_in_any_list_is_still_an_ask_with_its_time_bound():
    result = analyse("Would you be able to weigh him again on Wednesday?")
    assert result.elements["ask"] and result.elements["timescale"]
    passive = analyse("Can the locks be changed before his nephew is released on Friday?")
    assert passive.elements["ask"] and passive.elements["timescale"]


def test_a_time_inside_the_harm_bounds_no_step():
    result = analyse("They'll clear out her savings within the month.")
    assert result.elements["impact"] and not result.elements["timescale"]


def test_a_number_that_names_a_level_or_stage_is_not_evidence():
    assert not analyse("I'm still not comfortable, so I'll write to your team manager today under stage 2 of the protocol.").elements["evidence"]
    assert analyse("It's probably nothing, but Ava's lost 300g since her last weigh-in.").elements["evidence"]
    assert analyse("Thanks so much for the twenty-minute visit, I'm sure it told you everything.").elements["evidence"]


def test_contractions_are_read_as_typed():
    assert analyse("I've still got my doubts, but I'll sign it off.").elements["concern"]
    assert analyse("She's effectively a prisoner in her own home.").elements["impact"]
    assert not analyse("She's lost weight since I saw her last Tuesday.").elements["impact"]


def test_courtesy_words_raise_politeness_and_are_muted_inside_an_accusation():
    asked = analyse("Could you send me the minutes, please? Thank you.")
    told = analyse("Send me the minutes.")
    assert asked.politeness > told.politeness
    assert analyse("Thanks, but you clearly haven't read the file.").politeness <= 0.2


def _practice() -> list[dict]:
    with PRACTICE.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def test_practice_set_has_the_labelled_shape_and_enough_of_each_element():
    records = _practice()
    assert len(records) >= 150
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids)) and all(i.startswith("p") for i in ids)
    for record in records:
        assert set(record) == {"id", "text", "speaker_role", "to", "quality", "elements", "respectful", "politeness", "note"}
        assert tuple(record["elements"]) == ELEMENTS, record["id"]
        assert not (record["elements"]["blame"] and record["respectful"]), record["id"]
        assert round(record["politeness"] * 10) == record["politeness"] * 10, record["id"]
    for element in ELEMENTS:
        assert sum(record["elements"][element] for record in records) >= 40, element


def test_practice_repeats_no_dev_utterance():
    dev = ROOT / "tests" / "data" / "utterances" / "dev.jsonl"
    with dev.open(encoding="utf-8") as lines:
        seen = {" ".join(json.loads(line)["text"].lower().split()) for line in lines if line.strip()}
    assert not [r["id"] for r in _practice() if " ".join(r["text"].lower().split()) in seen]
