"""The cohort's figures, worked out by hand from tests/fixtures/minimal.yaml.

Scored by the rule in docs/scoring.md: each choice against the best on offer.
At the first decision ("open") all three options are on offer; cite (worth 3) is best:
  cite  factual +2, calm +1       gains factual 3/3, calm 3/3 (line-manager not counted:
                                  cite shows none above the floor)              -> 6/6
  "2"   factual -1, calm -2       judged against cite: factual 0/3, calm 0/3   -> 0/6
  "3"   line-manager +2           against cite: factual 1/3, calm 2/3, line-manager 2/2 -> 5/8
At the second ("listen") what is on offer depends on trust and the manager:
  after cite: "1" (negotiation 2, calm 1) or "3" (escalation -2, negotiation -2):
      "1" gains negotiation 4/4, calm 1/1, escalation 2/2 -> 7/7
  otherwise:  "2" (escalation 2, negotiation -1) or "3":  "2" gains 5/5
So Asha (cite, "1") scores 13/13, Ben ("2", "2") 5/11 and Cy ("3", "2") 10/13.
(Before issue 12 every option at "open" was out of 8, line-manager included, so Asha
lost 2 points for not choosing a weaker option: 13/15, and Ben 5/13.)
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from cohort_fixtures import HOSTILE, HOSTILE_NAME, MINIMAL, fill_demo_cohort, play_in_cohort, scenario

from simulator.engine.session import Session
from simulator.group.cohort_stats import Replays, summarise, where
from simulator.records.store import Store


@pytest.fixture
def scenarios():
    return [scenario(MINIMAL), scenario(HOSTILE)]


@pytest.fixture
def demo(tmp_path, scenarios):
    path = tmp_path / "cohort.db"
    ids = fill_demo_cohort(path)
    with Store(path) as store:
        attempts = store.cohort_attempts("demo")
    return summarise(attempts, scenarios), ids


def counts(node):
    return {o.choice_id: o.kept for o in node.options}


def test_each_decision_counts_the_kept_choice_of_each_participants_first_attempt(demo):
    summary, _ = demo
    minimal = summary.scenarios[0]
    assert minimal.scenario_id == "test-minimal" and minimal.participants == 4
    open_, listen = minimal.nodes
    # Ben's retry (cite) is not counted; Cy's rewound "2" is not counted as kept.
    assert counts(open_) == {"cite": 1, "2": 2, "3": 1} and open_.answered == 4
    assert counts(listen) == {"1": 1, "2": 2, "3": 0} and listen.answered == 3
    # Options in the scenario's order with their words.
    assert [o.text for o in open_.options] == [
        "On 3 October Mia told us she was hit. Can we look again?", "That is simply wrong.",
        "I'll tell my manager first."]
    assert open_.speaker == "Sam Ward" and open_.prompt == "The referral was below threshold."


def test_first_instincts_show_what_was_chosen_before_a_rewind(demo):
    summary, _ = demo
    open_, listen = summary.scenarios[0].nodes
    assert {o.choice_id: o.first for o in open_.options} == {"cite": 1, "2": 3, "3": 0}
    assert open_.changed == 1 and open_.first_instincts_differ
    assert listen.changed == 0 and not listen.first_instincts_differ


def test_participants_in_the_order_they_joined_with_where_they_are(demo):
    summary, ids = demo
    rows = {p.key: p for p in summary.participants}
    assert [p.key for p in summary.participants] == ["p-1", "p-2", "p-3", "p-4", "p-5"]
    dee = rows["p-4"]
    assert (dee.finished, dee.decisions, dee.node_id) == (False, 1, "listen")
    assert where(dee) == "decision 2 · listen"
    ben = rows["p-2"]  # his latest attempt is the retry
    assert (ben.attempts, ben.attempt_id, ben.outcome, round(ben.overall, 1)) == (2, ids["ben-retry"], "resolved", 100.0)
    cy = rows["p-3"]
    assert (cy.finished, cy.decisions, cy.node_id, cy.outcome) == (True, 2, "escalated", "escalated")
    assert where(cy) == "finished after 2 decisions"
    assert rows["p-5"].name == HOSTILE_NAME and rows["p-5"].scenario_id == "test-hostile"
    assert summary.playing == 1
    # Dee is waiting at the second decision.
    assert [n.here_now for n in summary.scenarios[0].nodes] == [0, 1]


def test_outcomes_per_scenario(demo):
    summary, _ = demo
    minimal, hostile = summary.scenarios
    assert dict(minimal.outcomes) == {"escalated": 2, "resolved": 1} and minimal.finished == 3
    assert hostile.scenario_id == "test-hostile" and dict(hostile.outcomes) == {"resolved": 1}


def test_average_profile_over_finished_first_attempts(demo):
    summary, _ = demo
    # Asha 13/13, Ben 5/11, Cy 10/13 and Eve 0 (hostile scenario: the worse of two options).
    assert summary.finished == 4
    assert summary.overall.mean == pytest.approx((1 + 5 / 11 + 10 / 13 + 0) / 4 * 100)
    assert summary.overall.band == "Developing"
    by_id = {c.id: c for c in summary.competencies}
    # Composure is calm alone: Asha 4/4, Ben 0/3, Cy 2/3; Eve's scenario never offered it.
    assert by_id["composure"].mean == pytest.approx((100 + 0 + 200 / 3) / 3) and by_id["composure"].assessed == 3
    # Evidence is factual: Asha 3/3, Ben 0/3, Cy 1/3, Eve 0/3.
    assert by_id["evidence"].mean == pytest.approx((100 + 0 + 100 / 3 + 0) / 4) and by_id["evidence"].assessed == 4
    # Process: line manager and escalation: Asha 2/2, Ben 4/4, Cy 6/6 (line-manager counts
    # only for Cy, who chose the manager: cite and "2" show none of it).
    assert by_id["process"].mean == 100 and by_id["process"].band == "Strong"
    assert by_id["clarity"].mean is None and by_id["clarity"].assessed == 0 and by_id["clarity"].band == ""


def test_common_weaker_choices_pool_key_moments_with_the_better_option_and_why(demo):
    summary, _ = demo
    first, second = summary.scenarios[0].moments
    # Ben and Dee said "That is simply wrong." where citing the record was on offer (6 points more);
    # Cy went to the manager first (1 point less than citing).
    assert (first.node_id, first.chosen_id, first.better_id, first.count, first.answered, first.gap) == (
        "open", "2", "cite", 2, 4, 6)
    assert first.chosen_text == "That is simply wrong."
    assert first.better_text.startswith("On 3 October Mia told us")
    assert first.better_feedback == "Specific and calm."
    # Factual is the quality on which the two differ most (3 points); the briefing's own
    # sentence for it (scoring/qualities.yaml), not just its name.
    assert (first.quality_label, first.briefing) == (
        "Factual", "Clearly identify your concerns and the impact on the case being discussed.")
    assert (second.chosen_id, second.better_id, second.count, second.gap) == ("3", "cite", 1, 1)
    hostile = summary.scenarios[1]
    assert [(m.chosen_id, m.better_id, m.count) for m in hostile.moments] == [("2", "1", 1)]


def test_no_participants_yet_gives_an_empty_summary(scenarios):
    summary = summarise([], scenarios)
    assert summary.participants == () and summary.scenarios == () and summary.finished == 0
    assert summary.overall.mean is None and all(c.mean is None for c in summary.competencies)


def test_a_participant_who_joined_but_has_not_chosen_waits_at_the_start(tmp_path, scenarios):
    with Store(tmp_path / "h.db") as store:
        play_in_cohort(store, scenarios[0], "p-9", "New", [])
        summary = summarise(store.cohort_attempts("demo"), scenarios)
    (row,) = summary.participants
    assert (row.decisions, row.node_id, row.finished) == (0, "open", False)
    (node,) = summary.scenarios[0].nodes
    assert node.node_id == "open" and node.answered == 0 and node.here_now == 1


def test_a_scenario_missing_from_the_library_still_counts_choices_by_id(tmp_path, scenarios):
    path = tmp_path / "h.db"
    fill_demo_cohort(path)
    with Store(path) as store:
        summary = summarise(store.cohort_attempts("demo"), scenarios[1:])  # the minimal scenario is gone
    minimal = next(s for s in summary.scenarios if s.scenario_id == "test-minimal")
    assert not minimal.known and minimal.title == "Minimal: a threshold query" and minimal.moments == ()
    open_ = minimal.nodes[0]
    assert open_.node_id == "open" and counts(open_) == {"2": 2, "cite": 1, "3": 1}
    dee = next(p for p in summary.participants if p.key == "p-4")
    assert dee.node_id is None and dee.decisions == 1 and where(dee) == "1 decision made"


def test_work_kept_between_reads_follows_every_change_even_within_one_second(tmp_path, scenarios):
    same_second = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
    path = tmp_path / "h.db"
    replays = Replays()
    with Store(path, clock=lambda: same_second) as store:
        attempt = play_in_cohort(store, scenarios[0], "p-1", "Asha", [2])
        first = summarise(store.cohort_attempts("demo"), scenarios, replays=replays)
        # The next decision is recorded within the same second: updated_at does not move.
        session = Session.from_json(scenarios[0], store.attempt(attempt).session_json)
        session.choose("3")
        store.record_decision(attempt, session.to_json(), "listen", "3", hint_used=False)
        second = summarise(store.cohort_attempts("demo"), scenarios, replays=replays)
    assert first.participants[0].node_id == "listen" and second.participants[0].node_id == "dropped"
    assert [m.chosen_id for m in first.scenarios[0].moments] == ["2"]
    assert [m.chosen_id for m in second.scenarios[0].moments] == ["2", "3"]


def test_each_decision_counts_who_said_it_first_in_their_own_words_but_not_the_words(tmp_path, scenarios):
    minimal = scenarios[0]
    path = tmp_path / "room.db"
    with Store(path) as store:
        store.create_cohort("room", "K7Q2", minimal.id)
        for participant, words in (("p-1", "I'm worried about Mia."), ("p-2", ""), ("p-3", "Can we look again?")):
            attempt = store.start_attempt(minimal.id, minimal.title, learner=participant, cohort="room",
                                          participant=participant)
            session = Session(minimal)
            session.choose("cite", words)
            store.record_decision(attempt, session.to_json(), "open", "cite", False, own_words=words)
        attempts = store.cohort_attempts("room")
    open_ = summarise(attempts, scenarios).scenarios[0].nodes[0]
    assert open_.said_first == 2 and open_.answered == 3
    assert "worried" not in repr(open_)
