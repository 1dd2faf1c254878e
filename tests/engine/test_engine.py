import json

import pytest

from simulator.engine.session import ChoiceUnavailable, CompiledScenario, Session


def test_conditions_hide_options_and_locked_ones_are_listed_with_their_reason(minimal):
    session = Session(minimal)
    session.choose("2")  # "That is simply wrong." costs trust
    assert session.node.id == "listen"
    offered = [c.text for c in session.choices()]
    assert "Would you take it to a strategy discussion?" not in offered
    assert [c.locked_reason for c in session.locked()] == ["Sam is not open enough yet."]


def test_a_locked_choice_cannot_be_taken(minimal):
    session = Session(minimal)
    session.choose("2")
    with pytest.raises(ChoiceUnavailable):
        session.choose("1")
    assert session.node.id == "listen" and len(session.moves) == 1


def test_variable_changes_apply_and_clamp_to_the_declared_range(minimal):
    session = Session(minimal)
    session.choose("2")  # trust 2 - 2 = 0
    assert session.variables["trust"] == 0
    session.rewind(0)
    session.choose("cite")  # trust 2 + 1
    assert session.variables == {"trust": 3, "manager_informed": False}


def test_next_nodes_are_followed_to_the_next_decision(minimal):
    session = Session(minimal)
    session.choose("3")
    assert session.node.id == "listen"
    speakers = [line.speaker for line in session.transcript()]
    assert speakers == ["sw", "you", "narrator", "sw"]


def test_evidence_log_records_what_was_on_offer_not_what_was_locked(minimal):
    session = Session(minimal)
    session.choose("2")
    session.choose_number(1)  # escalate
    log = session.evidence_log()
    assert [d.node_id for d in log.decisions] == ["open", "listen"]
    second = log.decisions[1]
    assert [o.choice_id for o in second.offers] == ["2", "3"]
    assert second.choice.evidence == {"escalation-policy": 2, "negotiation": -1}
    assert log.ending.outcome == "escalated"


def test_rewind_goes_back_and_is_counted(minimal):
    session = Session(minimal)
    session.choose("cite")
    session.choose("1")
    assert session.finished and session.outcome == "resolved"
    session.rewind(1)
    assert session.node.id == "listen" and not session.finished
    assert session.rewinds == 1
    session.choose("3")
    assert session.outcome == "child-at-risk"
    assert session.evidence_log().rewinds == 1


def test_hint_use_is_recorded_on_the_decision(minimal):
    session = Session(minimal)
    session.use_hint()
    session.choose("cite")
    session.choose("1")
    assert [d.hint_used for d in session.evidence_log().decisions] == [True, False]


def test_save_and_restore_resume_exactly_where_the_user_was(minimal):
    session = Session(minimal, learner="Asha")
    session.use_hint()
    session.choose("3")
    saved = json.loads(json.dumps(session.to_json()))
    restored = Session.from_json(minimal, saved)
    assert restored.node.id == "listen"
    assert restored.variables == session.variables
    assert restored.evidence_log() == session.evidence_log()


def test_restore_refuses_a_path_that_no_longer_fits(minimal):
    saved = {"format": 1, "scenario": "test-minimal", "moves": [{"node": "open", "choice": "gone"}]}
    with pytest.raises(ValueError):
        Session.from_json(minimal, saved)


def test_restart_begins_a_fresh_attempt(minimal):
    session = Session(minimal)
    session.choose("2")
    session.restart()
    assert session.node.id == "open" and session.moves == [] and session.variables["trust"] == 2


def test_preview_can_start_at_any_node_with_chosen_variables(minimal):
    session = Session(minimal)
    session.start_at("listen", {"trust": 4})
    assert [c.text for c in session.choices()][0] == "Would you take it to a strategy discussion?"
    session.choose("1")
    session.rewind(0)
    assert session.node.id == "listen" and session.variables["trust"] == 4


def test_one_compiled_machine_serves_many_sessions_independently(minimal):
    compiled = CompiledScenario(minimal)
    first, second = Session(minimal, compiled), Session(minimal, compiled)
    first.choose("cite")
    assert second.node.id == "open"
    assert first.node.id == "listen"


def test_machine_has_no_automatic_transitions(minimal):
    compiled = CompiledScenario(minimal)
    assert not any(name.startswith("to_") for name in compiled.machine.events)
