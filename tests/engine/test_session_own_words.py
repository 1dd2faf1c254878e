"""Saying it first: the words a learner types are kept with the decision they
were typed at, through saving, resuming and rewinding, and read against the
scenario's own case file."""

from __future__ import annotations

import json

from simulator.engine.say_first import SayFirstReader, case_file_data, closest_marker
from simulator.engine.session import Session

WORDS = "On 3 October Mia told me she was hit. I'm worried. Can we hold a strategy discussion today?"


def test_typed_words_are_kept_with_the_decision_and_reach_the_evidence_log(minimal):
    session = Session(minimal)
    session.choose("cite", WORDS)
    session.choose_number(2)  # chosen without typing
    decisions = session.evidence_log().decisions
    assert [d.own_words for d in decisions] == [WORDS, ""]
    assert decisions[0].choice.choice_id == "cite"


def test_typed_words_survive_a_save_and_resume(minimal):
    session = Session(minimal)
    session.choose("cite", WORDS)
    saved = json.loads(json.dumps(session.to_json()))
    resumed = Session.from_json(minimal, saved)
    assert [m.own_words for m in resumed.moves] == [WORDS]


def test_a_save_without_typed_words_is_written_as_before(minimal):
    # An older Rehearse reading the file must meet nothing new.
    session = Session(minimal)
    session.choose("cite")
    assert session.to_json()["moves"] == [{"node": "open", "choice": "cite", "hint": False}]


def test_a_rewind_keeps_the_words_of_the_decisions_before_it(minimal):
    session = Session(minimal)
    session.choose("3", "I'd like to talk to my manager first.")
    session.choose_number(1, "I'll put it in writing to your team manager today.")
    session.undo()
    assert [m.own_words for m in session.moves] == ["I'd like to talk to my manager first."]


def test_a_saved_move_with_words_that_are_not_text_resumes_without_them(minimal):
    saved = Session(minimal).to_json()
    saved["moves"] = [{"node": "open", "choice": "cite", "hint": False, "said": {"not": "text"}}]
    assert Session.from_json(minimal, saved).moves[0].own_words == ""


def test_the_case_file_is_handed_to_the_analyser_as_plain_data(minimal):
    assert case_file_data(minimal) == {
        "note-1": {"title": "Disclosure", "date": "2026-10-03", "source": "", "text": "Mia said she was hit."}}


def test_a_cited_date_is_checked_against_this_scenarios_case_file(minimal):
    reader = SayFirstReader(minimal)
    offered = Session(minimal).choices()
    right = reader.read(WORDS, offered)
    assert any("you cited the 3 October record “Disclosure”" in line for line in right.feedback)
    wrong = reader.read("On 5 October Mia said she was hit and I'm worried.", offered)
    assert any("dated 3 October, not 5 October" in line for line in wrong.feedback)


def test_the_option_closest_to_the_words_is_the_one_marked(minimal):
    reader = SayFirstReader(minimal)
    offered = Session(minimal).choices()
    assert closest_marker(reader.read("I'd tell my manager first.", offered), offered) == "3"
    assert closest_marker(reader.read(WORDS, offered), offered) == "cite"


def test_nothing_is_marked_for_words_that_share_nothing_with_any_option(minimal):
    reader = SayFirstReader(minimal)
    offered = Session(minimal).choices()
    for words in ("", "   ", "[bold]zzz\x1b[31m"):
        said = reader.read(words, offered)
        assert said.closest is None and closest_marker(said, offered) is None
