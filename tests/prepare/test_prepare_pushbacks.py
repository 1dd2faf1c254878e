"""The pushback bank covers every area of the briefing for children and
adults, each pushback grounded and with a strong reply a learner can aim for;
the selector picks what a given plan is likely to meet, and says why."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from prepare_fixtures import example_plan, template_plan

from simulator.prepare.plan import AREAS
from simulator.prepare.pushbacks import (
    ELEMENTS,
    PLAN_FIELDS,
    PushbackBankError,
    likely_pushbacks,
    load_pushbacks,
    parse_pushbacks,
)

INSTRUMENTS = ("Working Together to Safeguard Children 2023", "Keeping children safe in education", "Care Act 2014",
               "Care and Support Statutory Guidance", "Information sharing advice", "Mental Capacity Act 2005",
               "threshold document")


def test_the_bank_has_at_least_forty_pushbacks():
    assert len(load_pushbacks()) >= 40


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("about", ["child", "adult"])
def test_every_briefing_area_has_pushbacks_for_children_and_for_adults(area, about):
    found = [p for p in load_pushbacks() if area in p.areas and about in p.about]
    assert len(found) >= 2, f"only {len(found)} for {about} / {area}"


def test_the_pushbacks_named_in_the_issue_are_in_the_bank():
    said = " ".join(p.says.lower() for p in load_pushbacks())
    for words in ("consented to early help", "the injury is explained", "without the family's consent",
                  "doesn't meet our criteria", "the provider will review it", "at capacity this quarter",
                  "not the expert here"):
        assert words in said.replace("’", "'"), words


def test_every_pushback_is_grounded_and_has_a_strong_reply_in_the_analysers_terms():
    for pushback in load_pushbacks():
        assert pushback.grounding and all(g.source and g.where and g.point for g in pushback.grounding)
        assert set(pushback.strong_reply.elements) <= set(ELEMENTS) and pushback.strong_reply.elements
        assert set(pushback.strong_reply.draws_on) <= set(PLAN_FIELDS) and pushback.strong_reply.draws_on
        assert pushback.weak_reply and pushback.strong_reply.contains


def test_the_bank_cites_the_instruments_the_issue_names():
    sources = " ".join(g.source for p in load_pushbacks() for g in p.grounding)
    for instrument in INSTRUMENTS:
        assert instrument in sources, instrument
    wheres = [g.where for p in load_pushbacks() for g in p.grounding if g.source == "Care Act 2014"]
    assert any(w.startswith("section 42") for w in wheres)
    assert any("chapter 14" in g.where for p in load_pushbacks() for g in p.grounding
               if g.source == "Care and Support Statutory Guidance")


@pytest.mark.parametrize("about", ["child", "adult"])
def test_a_plan_is_answered_only_with_the_law_for_its_person(about):
    from simulator.prepare.pushbacks import ONLY_FOR

    plan = replace(example_plan(), about=about)
    shown = [g.source for p in likely_pushbacks(plan, limit=100) for g in p.pushback.grounding]
    assert shown and all(ONLY_FOR.get(source, about) == about for source in shown)
    wrong = "Working Together to Safeguard Children 2023" if about == "adult" else "Care Act 2014"
    assert wrong not in shown
    # Every pushback offered still has grounding of its own to stand on.
    assert all(p.pushback.grounding for p in likely_pushbacks(plan, limit=100))


def test_a_pushback_for_adults_grounded_only_in_childrens_law_is_refused():
    bad = ("pushbacks:\n  - id: only-wt\n    says: x\n    areas: [criteria-for-referrals]\n    about: [adult]\n"
           "    grounding:\n      - {source: Working Together to Safeguard Children 2023, where: ch 1, point: p}\n"
           "    strong_reply: {elements: [ask], draws_on: [ask], contains: x}\n    weak_reply: y\n")
    with pytest.raises(PushbackBankError, match="only-wt.*Care Act is for adults"):
        parse_pushbacks(bad)


def test_a_grounding_is_cited_as_one_sentence():
    from simulator.prepare.pushbacks import Grounding

    assert Grounding("Care Act 2014", "section 42(2)", "p").cited == "Care Act 2014, section 42(2)."
    assert Grounding("the 7-minute briefing", "Effective challenge is…", "p").cited == \
        "the 7-minute briefing, Effective challenge is…"


def test_every_element_is_practised_somewhere():
    counts = Counter(e for p in load_pushbacks() for e in p.strong_reply.elements)
    assert set(counts) == set(ELEMENTS)


def test_a_bank_entry_that_breaks_the_rules_is_named():
    bad = "pushbacks:\n  - id: Bad Id\n    says: x\n    areas: [nowhere]\n    about: [child]\n" \
          "    grounding: []\n    strong_reply: {elements: [shouting], draws_on: [facts], contains: x}\n" \
          "    weak_reply: y\n"
    with pytest.raises(PushbackBankError, match="pushback 'Bad Id'.*lower-case.*areas.*grounding.*elements"):
        parse_pushbacks(bad)


def test_selector_picks_pushbacks_for_the_plans_area_and_words_first():
    picked = likely_pushbacks(example_plan(), limit=3)
    ids = [p.pushback.id for p in picked]
    assert "school-counselling-instead" in ids and "doesnt-meet-criteria" in ids
    top = picked[0]
    assert any("criteria for referrals" in reason for reason in top.reasons)
    assert any("your plan mentions" in reason for reason in top.reasons)
    assert all("child" in p.pushback.about for p in picked)


def test_selector_offers_only_adult_pushbacks_for_an_adult_plan():
    plan = replace(example_plan(), about="adult", area="service-provision")
    picked = likely_pushbacks(plan, limit=20)
    assert picked and all("adult" in p.pushback.about for p in picked)
    assert not any(p.pushback.id == "bruise-explained" for p in picked)


def test_selector_hands_back_the_plans_own_material_and_what_is_missing():
    (with_material,) = [p for p in likely_pushbacks(example_plan(), limit=48) if p.pushback.id == "heard-it-second-hand"]
    assert dict(with_material.material)["their_words"].startswith("\u201cI don't see the point")
    (bare,) = [p for p in likely_pushbacks(template_plan(), limit=48) if p.pushback.id == "heard-it-second-hand"]
    assert "their_words" in bare.missing
    assert any("does not have yet" in reason for reason in bare.reasons)


def test_selector_is_stable_and_bounded():
    first = [p.pushback.id for p in likely_pushbacks(example_plan())]
    assert first == [p.pushback.id for p in likely_pushbacks(example_plan())] and len(first) == 8
