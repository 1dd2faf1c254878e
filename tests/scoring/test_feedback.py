"""Feedback explains every decision and asks questions the learner can use."""

from __future__ import annotations

from scoring_fixtures import attempt, decision, mixed_path, tiny_catalogue

from scoring.feedback import EvidenceNote, build_feedback
from scoring.scorer import score

CATALOGUE = tiny_catalogue()


def feedback_for(log):
    return build_feedback(log, score(log, CATALOGUE), CATALOGUE)


def test_every_decision_is_reviewed_with_what_was_said_its_evidence_and_feedback():
    log = attempt(
        decision(
            1,
            {"factual": 2, "calm": 1},
            {"factual": -1, "calm": 0, "polite": 1},
            texts=("On 3 June Mia said…", "It just feels wrong."),
            feedback=("Dated and sourced.", "A feeling the MASH can wave away."),
            prompt="Why are you calling?",
            hint_used=True,
        ),
        decision(0, {"calm": 1}, {"calm": -1}),
    )
    first, second = feedback_for(log).reviews
    assert (first.number, first.speaker, first.prompt) == (1, "Dan", "Why are you calling?")
    assert first.said == "It just feels wrong."
    assert first.choice_id == "c2"
    assert first.feedback == "A feeling the MASH can wave away."
    # Evidence shown with labels; a zero is not evidence of anything.
    assert first.evidence == (
        EvidenceNote("factual", "Factual", -1),
        EvidenceNote("polite", "Polite", 1),
    )
    assert first.hint_used
    assert not first.best_available
    assert second.best_available and second.better is None


def test_better_option_carries_its_words_its_reason_and_the_briefing_line_where_the_gap_was_widest():
    log = attempt(
        decision(
            1,
            {"factual": 2, "calm": 1},
            {"factual": -1, "calm": 0},
            texts=("On 3 June Mia said…", "It just feels wrong."),
            feedback=("Dated and sourced.", "A feeling."),
        )
    )
    better = feedback_for(log).reviews[0].better
    assert better.text == "On 3 June Mia said…"
    assert better.feedback == "Dated and sourced."
    # factual differs by 2 - -1 = 3, calm by 1 - 0 = 1: the debrief explains factual.
    assert (better.quality_id, better.quality_label, better.briefing) == ("factual", "Factual", "Factual")
    assert better.gap == 4  # (2 + 1) - (-1 + 0)


def test_briefing_line_is_quoted_verbatim_from_the_catalogue():
    log = attempt(decision(1, {"escalation-policy": 2}, {"escalation-policy": 0}))
    better = feedback_for(log).reviews[0].better
    assert better.briefing == (
        "More information about escalation and resolving professional disagreements "
        "can be found in our [WSP Escalation Policy](#)"
    )


def test_key_moments_are_the_decisions_with_a_better_option_largest_gap_first():
    feedback = feedback_for(mixed_path())
    # d1 gap 2; d3 and d4 gap 1 (kept in the order met); d2 was a trade-off
    # with no better option overall, so it is not a key moment.
    assert [moment.number for moment in feedback.key_moments] == [1, 3, 4]
    assert len(feedback.reviews) == 4


def test_strengths_are_the_highest_scores_and_work_ons_the_lowest_with_ties_by_opportunities():
    log = attempt(
        decision(0, {"calm": 2}, {"calm": -2}),  # calm 100, 1 opportunity
        decision(0, {"polite": 1}, {"polite": 0}),  # polite 100 ...
        decision(0, {"polite": 1}, {"polite": 0}),  # ... over 2 opportunities
        decision(2, {"escalation-policy": 2}, {"escalation-policy": -2}, {"escalation-policy": 1}),  # 3/4 = 75
        decision(1, {"factual": 2}, {"factual": 0}, {"factual": -2}),  # 2/4 = 50
        decision(1, {"evidence-based": 1}, {"evidence-based": -1}),  # 0, 1 opportunity
        decision(1, {"line-manager": 2}, {"line-manager": -2}),  # 0 ...
        decision(1, {"line-manager": 2}, {"line-manager": -2}),  # ... over 2 opportunities
    )
    feedback = feedback_for(log)
    assert [q.id for q in feedback.strengths] == ["polite", "calm", "escalation-policy"]
    assert [q.id for q in feedback.work_ons] == ["line-manager", "evidence-based", "factual"]


def test_a_quality_is_never_both_a_strength_and_something_to_work_on():
    log = attempt(
        decision(0, {"calm": 2}, {"calm": -2}),  # 100
        decision(1, {"factual": 2}, {"factual": 0}, {"factual": -2}),  # 50
    )
    feedback = feedback_for(log)
    assert [q.id for q in feedback.strengths] == ["calm"]
    assert [q.id for q in feedback.work_ons] == ["factual"]


def test_a_zero_is_never_a_strength():
    log = attempt(decision(1, {"calm": 2}, {"calm": -2}), decision(1, {"factual": 1}, {"factual": 0}))
    feedback = feedback_for(log)
    assert feedback.strengths == ()
    assert [q.id for q in feedback.work_ons] == ["calm", "factual"]


def test_questions_set_what_was_said_beside_what_was_on_offer_and_ask_for_reasoning():
    questions = feedback_for(mixed_path()).questions
    assert len(questions) == 3
    assert questions[0] == (
        "You said “option 2” when “option 1” was on offer. I wondered whether the other option "
        "showed more of ‘Calm’: someone who keeps an even tone when the other professional is "
        "dismissive. What was your reasoning at that point?"
    )
    assert "‘Involves the line manager’: someone who shares concerns" in questions[1]
    assert "‘Polite’: someone who uses ordinary professional courtesy" in questions[2]


def test_long_choices_are_shortened_in_questions():
    long_text = "I have been thinking about this " * 10
    log = attempt(decision(1, {"calm": 2}, {"calm": 0}, texts=("Let's look again.", long_text)))
    question = feedback_for(log).questions[0]
    assert long_text.strip() not in question
    assert "“I have been thinking about this I have been thinking" in question
    assert "…” when “Let's look again.” was on offer" in question


def test_one_key_moment_still_gives_two_questions_the_second_looking_ahead():
    questions = feedback_for(attempt(decision(1, {"calm": 2}, {"calm": 0}))).questions
    assert len(questions) == 2
    assert questions[0].startswith("You said “option 2” when “option 1” was on offer.")
    assert "real meeting" in questions[1]


def test_best_path_gets_questions_about_what_helped_and_the_real_meeting():
    feedback = feedback_for(attempt(decision(0, {"calm": 2}, {"calm": 0})))
    assert feedback.key_moments == ()
    assert 2 <= len(feedback.questions) <= 3
    assert "helped" in feedback.questions[0]
    assert any("real meeting" in question for question in feedback.questions)
    assert not any("You said" in question for question in feedback.questions)
