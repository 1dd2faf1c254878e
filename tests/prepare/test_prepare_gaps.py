"""The plan's own gaps: what is missing, and the briefing line that says why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from prepare_fixtures import TODAY, example_plan, template_plan

from simulator.prepare.gaps import find_gaps
from simulator.prepare.plan import Ask, Fact, Fallback
from simulator.prepare.profile import default_profile

BRIEFING = (Path(__file__).resolve().parents[2] / "scoring" / "briefing.txt").read_text("utf-8")


def gap_ids(plan) -> list[str]:
    return [gap.id for gap in find_gaps(plan, default_profile(), TODAY)]


def test_the_worked_example_has_no_gaps():
    assert gap_ids(example_plan()) == []


def test_an_empty_plan_lists_every_missing_part_ask_and_safety_first():
    ids = gap_ids(template_plan())
    assert ids[:5] == ["no-concern", "no-impact", "no-ask", "no-timescale", "no-safety"]
    assert {"no-voice", "no-facts", "no-grounds", "not-told", "no-fallback-date", "no-record"} <= set(ids)


def test_every_gap_quotes_the_briefing_word_for_word():
    for gap in find_gaps(template_plan(), default_profile(), TODAY):
        assert gap.briefing in BRIEFING, gap.briefing
        assert gap.quality_label and gap.suggestion


def test_undated_and_unsourced_facts_are_named_by_number():
    plan = replace(example_plan(), facts=(Fact("seen", "2026-11-01", "log"), Fact("heard"), Fact("told", "", "x")))
    gaps = {gap.id: gap for gap in find_gaps(plan, default_profile(), TODAY)}
    assert gaps["undated-facts"].message == "facts 2, 3 have no date"
    assert gaps["unsourced-facts"].message == "fact 2 has no source"
    assert gaps["undated-facts"].briefing == "Factual"


def test_a_passed_answer_date_and_an_early_fallback_are_gaps():
    plan = replace(example_plan(), ask=Ask("review", "2026-11-01"))
    assert "ask-date-passed" in gap_ids(plan)
    plan = replace(example_plan(), fallback=Fallback(2, "", "2026-12-09"))
    assert "fallback-before-ask" in gap_ids(plan)


def test_no_fallback_names_the_profiles_next_stage():
    plan = replace(example_plan(), fallback=Fallback())
    (gap,) = find_gaps(plan, default_profile(), TODAY)
    assert gap.id == "no-fallback" and "line managers" in gap.suggestion
    assert gap.briefing.startswith("More information about escalation")


def test_a_long_concern_is_a_gap_but_initials_do_not_count_as_sentences():
    assert "long-concern" not in gap_ids(replace(example_plan(), concern="J. and K. are at risk. It is getting worse."))
    long = "One. Two. Three. Four."
    assert "long-concern" in gap_ids(replace(example_plan(), concern=long))


def test_terminal_reports_quote_the_briefing_and_keep_escapes_inert():
    from simulator.prepare.pushbacks import likely_pushbacks
    from simulator.prepare.text_report import gaps_text, rehearsal_text

    text = gaps_text(find_gaps(template_plan(), default_profile(), TODAY))
    assert "Briefing (Considers the voice of the child or service user): \u201cConsidering the voice" in text
    hostile = replace(example_plan(), safety="\x1b]0;owned\x07 kept safe")
    report = rehearsal_text(likely_pushbacks(hostile, limit=48))
    assert "\x1b" not in report and "\\x1b]0;owned" in report
    assert "Avoid:" in report and "From your plan (their words)" in report


def test_every_terminal_view_of_a_plan_can_head_itself_with_an_identifier_warning():
    from simulator.prepare.text_report import identifier_notice

    assert identifier_notice(example_plan(), TODAY) == ""
    notice = identifier_notice(replace(example_plan(), impact="see SW1A 1AA"), TODAY)
    assert notice.startswith("Warning:") and "a postcode in impact" in notice and "SW1A" not in notice


def test_the_worked_example_reads_back_through_the_apps_questions_unchanged():
    """What `prepare new --example` writes and what the app's e opens are one plan."""
    from simulator.prepare.guided import example_answers, plan_of

    plan, diagnostics = plan_of(example_answers(), today=TODAY)
    assert plan is not None and not [d for d in diagnostics if d.severity == "error"]
    expected = example_plan()
    # The questions do not ask for your role, how the meeting is held or the outcome.
    assert replace(plan, source=expected.source) == replace(
        expected, my_role=plan.my_role, meeting=replace(expected.meeting, how=plan.meeting.how),
        outcome=plan.outcome)
