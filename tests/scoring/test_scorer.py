"""The scorer is fair across paths and every number can be worked out by hand.

Each expected score below is written out as the sum it comes from, by the
rule in docs/scoring.md: at each decision the choice is judged against
itself when it is best on offer (highest summed evidence), else against the
best option it falls least short of (the reference). On each quality the
options differ on: floor = the worst option's points, gained = chosen - floor,
possible = max(chosen, reference) - floor (counted only when above 0);
score = 100 * sum(gained) / sum(possible).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_fixtures import RESOLVED, attempt, decision, mixed_path, tiny_catalogue

from scoring.catalogue import load_catalogue
from scoring.evidence import EndingReached
from scoring.scorer import score

CATALOGUE = tiny_catalogue()


def scored(log):
    return score(log, CATALOGUE)


# --- Fair across paths ------------------------------------------------------


def test_short_best_path_scores_full_marks():
    card = scored(attempt(decision(0, {"calm": 2}, {"calm": -1})))
    assert card.overall == 100
    assert card.overall_band.id == "strong"
    assert card.competency("manner").score == 100


def test_two_best_paths_of_different_lengths_both_score_full_marks():
    short = attempt(decision(0, {"calm": 2}, {"calm": -2}))
    long = attempt(
        decision(0, {"calm": 1, "polite": 1}, {"calm": -1}),
        decision(1, {"factual": -2}, {"factual": 2, "evidence-based": 1}, {"evidence-based": 0}),
        decision(0, {"line-manager": 2, "escalation-policy": 2}, {"line-manager": 1}),
        decision(2, {"polite": -1}, {"polite": 0}, {"polite": 1, "calm": 2}),
    )
    for log in (short, long):
        card = scored(log)
        assert card.overall == 100
        assert card.overall_band.id == "strong"
        for competency in card.competencies:
            assert competency.score in (None, 100)
    # The short path met one competency; the long path met all three.
    assert [c.score for c in scored(short).competencies] == [100, None, None]
    assert [c.score for c in scored(long).competencies] == [100, 100, 100]


def test_quality_the_path_never_met_is_not_assessed_rather_than_zero():
    card = scored(attempt(decision(0, {"calm": 2}, {"calm": 0})))
    factual = card.quality("factual")
    assert factual.score is None
    assert factual.band is None
    assert factual.opportunities == 0
    assert not factual.assessed
    assert card.competency("substance").score is None
    assert card.competency("substance").opportunities == 0
    assert card.competency("substance").descriptor == ""


def test_path_with_no_scored_choice_has_no_overall_score():
    card = scored(attempt(decision(0, {}, {})))
    assert card.overall is None
    assert card.overall_band is None
    assert card.decisions[0].share is None
    assert card.decisions[0].best_available


# --- Negative evidence and indifferent options ------------------------------


def test_negative_evidence_scores_below_an_indifferent_option():
    offers = ({"calm": 2}, {"calm": 0}, {"calm": -2})
    # Indifferent: (0 - -2) / (2 - -2) = 2/4 = 50.
    assert scored(attempt(decision(1, *offers))).overall == 50
    # Harmful: (-2 - -2) / 4 = 0.
    assert scored(attempt(decision(2, *offers))).overall == 0


def test_indifferent_option_scores_zero_when_nothing_worse_was_on_offer():
    # (0 - 0) / (2 - 0) = 0.
    assert scored(attempt(decision(1, {"calm": 2}, {"calm": 0}))).overall == 0


def test_option_that_does_not_mention_a_quality_counts_as_zero_for_it():
    # Offers calm 1 and (missing) 0: choosing the missing one gains 0 of 1.
    card = scored(attempt(decision(1, {"calm": 1}, {"factual": 0})))
    assert card.quality("calm").score == 0
    assert card.quality("calm").opportunities == 1


def test_decision_where_every_option_shows_a_quality_equally_does_not_count_for_it():
    card = scored(
        attempt(
            decision(1, {"calm": 1, "factual": 2}, {"calm": 1, "factual": 0}),
            decision(0, {"polite": 0}, {"polite": 0}),
        )
    )
    calm = card.quality("calm")
    assert (calm.score, calm.opportunities) == (None, 0)
    assert card.quality("polite").opportunities == 0
    # Factual still counts: 0 of 2.
    assert card.quality("factual").opportunities == 1
    assert card.quality("factual").score == 0
    assert card.decisions[0].qualities == ("factual",)


def test_wide_decision_weighs_more_than_narrow_one():
    card = scored(
        attempt(
            decision(0, {"calm": 2}, {"calm": -2}),  # 4 of 4
            decision(1, {"calm": 1}, {"calm": 0}),  # 0 of 1
        )
    )
    # Pooled (4 + 0) / (4 + 1) = 80, not the average of 100 and 0.
    assert card.quality("calm").score == 80
    assert card.quality("calm").opportunities == 2


def test_evidence_for_a_quality_the_catalogue_does_not_know_is_left_out():
    card = scored(attempt(decision(1, {"calm": 2, "retired-quality": 2}, {"calm": 0})))
    assert card.overall == 0
    assert card.opportunities == 1


# --- A mixed path, worked by hand -------------------------------------------


def test_mixed_path_scores_ten_of_fourteen_and_is_secure():
    # d1 calm +2/0/-2, chose 0 (reference +2):       calm 0 - -2 = 2 of 2 - -2 = 4
    # d2 A{factual +2, calm -1} (worth 1) B{factual -2, calm +1} (worth -1),
    #    chose A, best on offer:                     factual 4 of 4; calm: A shows
    #    nothing above the floor (-1), so calm is not counted here
    # d3 line-manager +2/+1/-2, chose +1:            line-manager 3 of 4
    # d4 polite +1/0/-1, chose 0:                    polite 1 of 2
    # overall (2 + 4 + 3 + 1) / (4 + 4 + 4 + 2) = 10/14 = 71.4
    # (the rule before issue 12 also counted d2's calm, 0 of 2, and gave 62.5:
    # it marked the best option down for the calm a weaker option showed.)
    card = scored(mixed_path())
    assert card.overall == pytest.approx(100 * 10 / 14)
    assert card.overall_band.id == "secure"
    assert card.opportunities == 4
    assert card.decision_count == 4

    calm = card.quality("calm")
    assert calm.score == 50
    assert (calm.band.id, calm.opportunities, calm.gained, calm.possible) == ("developing", 1, 2, 4)
    assert card.quality("factual").score == 100
    assert card.quality("line-manager").score == 75
    assert card.quality("line-manager").band.id == "secure"
    assert card.quality("polite").score == 50
    assert card.quality("polite").band.id == "developing"
    assert card.quality("evidence-based").score is None

    # manner pools calm and polite: (2 + 1) / (4 + 2) = 3/6 = 50
    manner = card.competency("manner")
    assert manner.score == 50
    assert (manner.band.id, manner.opportunities) == ("developing", 2)
    assert manner.descriptor == "Slips under pressure."
    assert card.competency("substance").score == 100  # factual 4 of 4
    assert card.competency("process").score == 75  # line-manager 3 of 4


def test_each_decision_reports_its_share_and_the_better_option():
    d1, d2, d3, d4 = scored(mixed_path()).decisions
    assert (d1.number, d1.share, d1.best_available, d1.better_choice, d1.gap) == (1, 0.5, False, 0, 2)
    assert d1.missed == ("calm",)
    # d2 traded calm for factual, and A (2 - 1 = 1) beats B (-2 + 1 = -1):
    # A was best on offer, so it earns the whole decision.
    assert d2.share == 1
    assert (d2.best_available, d2.better_choice, d2.gap, d2.missed) == (True, None, 0, ())
    assert d2.qualities == ("factual",)
    assert (d3.share, d3.better_choice, d3.gap) == (0.75, 0, 1)  # 3 of 4; +2 beats +1
    assert (d4.share, d4.better_choice, d4.gap) == (0.5, 0, 1)


# --- Judged against what was on offer (issue 12) ----------------------------


def test_equally_good_alternative_costs_nothing():
    # A{factual +2} and B{calm +1, polite +1} are both worth 2: best on offer.
    offers = ({"factual": 2}, {"calm": 1, "polite": 1}, {"calm": -1})
    # A: factual 2 of 2; calm 0 - -1 = 1 of 1 (it avoided C's -1); polite:
    #    A shows none above the floor 0, not counted. 3 of 3.
    # B: calm 1 - -1 = 2 of 2; polite 1 of 1; factual not counted. 3 of 3.
    for chosen, counted in ((0, ["calm", "factual"]), (1, ["calm", "polite"])):
        card = scored(attempt(decision(chosen, *offers)))
        assert card.overall == 100
        assert all(q.score == 100 for q in card.assessed_qualities)
        assert [q.id for q in card.assessed_qualities] == counted
        (only,) = card.decisions
        assert (only.best_available, only.better_choice, only.gap, only.missed) == (True, None, 0, ())


def test_weaker_option_loses_what_the_stronger_showed_and_names_those_qualities():
    # A{factual +2, evidence-based +1} worth 3; B{calm +1, factual +1} worth 2. Chose B.
    card = scored(attempt(decision(1, {"factual": 2, "evidence-based": 1}, {"calm": 1, "factual": 1})))
    # factual: floor 1, B gains 0 of max(1, 2) - 1 = 1
    # evidence-based: floor 0, B gains 0 of 1
    # calm: floor 0, B gains 1 of max(1, 0) - 0 = 1 (kept)
    assert card.quality("factual").score == 0
    assert card.quality("evidence-based").score == 0
    assert card.quality("calm").score == 100
    assert card.overall == pytest.approx(100 / 3)
    (only,) = card.decisions
    assert (only.best_available, only.better_choice, only.gap) == (False, 0, 1)
    assert set(only.missed) == {"factual", "evidence-based"}


def test_worst_option_gets_no_credit_for_what_only_a_middle_option_showed():
    # cite{factual 2, calm 1} worth 3 | wrong{factual -1, calm -2} worth -3 | manager{line-manager 2}.
    # Chose wrong, judged against cite: factual 0 of 3, calm 0 of 3; neither
    # wrong nor cite involved the manager, so line-manager is not counted.
    card = scored(attempt(decision(1, {"factual": 2, "calm": 1}, {"factual": -1, "calm": -2}, {"line-manager": 2})))
    assert card.overall == 0
    assert card.quality("line-manager").score is None


def test_weaker_option_is_judged_against_the_nearest_of_two_best_options():
    # A{factual +2} and B{calm +2} both worth 2; C{calm +1} worth 1, chosen.
    # Judged against B (misses 1 point) rather than A (misses 2):
    # calm 1 of 2; factual not counted (neither C nor B shows it). 50.
    card = scored(attempt(decision(2, {"factual": 2}, {"calm": 2}, {"calm": 1})))
    assert card.overall == 50
    assert card.quality("factual").score is None
    (only,) = card.decisions
    assert (only.better_choice, only.gap, only.missed) == (1, 1, ("calm",))


def test_decision_with_one_option_is_not_assessed():
    card = scored(attempt(decision(0, {"calm": 2, "factual": 1})))
    assert card.overall is None
    assert card.assessed_qualities == ()
    (only,) = card.decisions
    assert (only.share, only.best_available, only.better_choice) == (None, True, None)


def test_short_and_long_routes_score_by_their_own_decisions():
    # Short: one decision, chose the weaker: calm spread 2, 2 missed: 0 of 2.
    short = scored(attempt(decision(1, {"calm": 2}, {"calm": 0})))
    assert short.overall == 0
    # Long: the same decision, then two best choices: (0 + 2 + 4) / (2 + 2 + 4) = 75.
    long = scored(attempt(
        decision(1, {"calm": 2}, {"calm": 0}),
        decision(0, {"factual": 1}, {"factual": -1}),
        decision(1, {"line-manager": -2}, {"line-manager": 2}),
    ))
    assert long.overall == 75
    # A quality only the long route met is not assessed on the short one.
    assert short.quality("factual").score is None
    assert long.quality("factual").score == 100


def test_best_choice_is_marked_best_available_with_no_better_option():
    (only,) = scored(attempt(decision(0, {"calm": 2}, {"calm": -2}))).decisions
    assert (only.share, only.best_available, only.better_choice, only.gap) == (1.0, True, None, 0)


# --- What the scorecard reports beside the numbers --------------------------


def test_hints_and_rewinds_are_reported():
    card = scored(
        attempt(
            decision(0, {"calm": 1}, {}, hint_used=True),
            decision(0, {"calm": 1}, {}),
            decision(0, {"calm": 1}, {}, hint_used=True),
            rewinds=3,
        )
    )
    assert card.hints_used == 2
    assert card.rewinds == 3
    assert card.decision_count == 3


def test_ending_is_reported_apart_from_the_scores():
    log = mixed_path()
    card = scored(log)
    assert card.ending == RESOLVED
    assert card.ending_line == (
        "Outcome: Resolved — Referral accepted for assessment. Impact: Mia was seen within the week."
    )
    at_risk = EndingReached("closed", "child-at-risk", "Case closed", "Dan closed the case.")
    other = scored(attempt(*log.decisions, ending=at_risk))
    # The ending changes what is reported, never the numbers.
    assert other.overall == card.overall
    assert other.ending_line == "Outcome: Child at risk — Case closed"


def test_attempt_without_an_ending_says_so():
    card = scored(attempt(decision(0, {"calm": 1}, {})))
    assert card.ending is None
    assert "not reached" in card.ending_line


# --- Properties -------------------------------------------------------------

QUALITY_IDS = sorted(CATALOGUE.qualities)
offer_evidence = st.dictionaries(st.sampled_from(QUALITY_IDS), st.integers(-2, 2), max_size=3)


@st.composite
def decisions(draw):
    offers = draw(st.lists(offer_evidence, min_size=1, max_size=4))
    return offers, draw(st.integers(0, len(offers) - 1))


@given(st.lists(decisions(), max_size=6))
def test_every_score_stays_between_zero_and_a_hundred(raw):
    card = scored(attempt(*(decision(chosen, *offers) for offers, chosen in raw)))
    everything = [card.overall, *(q.score for q in card.qualities), *(c.score for c in card.competencies)]
    assert all(value is None or 0 <= value <= 100 for value in everything)


@given(st.lists(st.lists(offer_evidence, min_size=1, max_size=3), min_size=1, max_size=6))
def test_choosing_an_option_best_on_every_quality_always_scores_full_marks(raw):
    # Add to each decision an option at least as good as every other on every
    # quality, and choose it.
    path = []
    for offers in raw:
        best = {q: max(o.get(q, 0) for o in offers) for q in QUALITY_IDS}
        path.append(decision(len(offers), *offers, best))
    card = scored(attempt(*path))
    assert card.overall in (None, 100)
    assert all(d.best_available and d.better_choice is None for d in card.decisions)


# --- Boundaries -------------------------------------------------------------


def test_scoring_works_with_the_shipped_catalogue():
    catalogue = load_catalogue()
    first, second = catalogue.competencies[0].qualities[:2]
    card = score(attempt(decision(0, {first: 2, second: 1}, {first: -2}), ending=RESOLVED), catalogue)
    assert card.overall == 100
    assert card.competency(catalogue.competencies[0].id).score == 100
    assert card.overall_band == catalogue.band_for(100)
    unmet = [q for q in card.qualities if q.id not in (first, second)]
    assert unmet and all(q.score is None for q in unmet)



def test_the_worked_example_in_docs_scoring_md():
    catalogue = load_catalogue()
    care_home = ({"factual": 2, "calm": 1}, {"factual": -1, "calm": -2}, {"line-manager": 2})
    strategy = ({"negotiation": 2, "calm": 1}, {"negotiation": -2})
    assert score(attempt(decision(0, *care_home)), catalogue).overall == 100  # learner 1: 6 of 6
    learner3 = score(attempt(decision(1, *care_home)), catalogue)
    assert learner3.overall == 0 and learner3.quality("line-manager").score is None
    learner2 = score(attempt(decision(2, *care_home)), catalogue)
    assert (learner2.decisions[0].gained, learner2.decisions[0].possible) == (5, 8)
    assert learner2.decisions[0].missed == ("factual", "calm")
    route = score(attempt(decision(2, *care_home), decision(0, *strategy)), catalogue)
    assert round(route.quality("factual").score) == 33
    assert (route.quality("calm").gained, route.quality("calm").possible) == (3, 4)
    assert route.quality("line-manager").score == route.quality("negotiation").score == 100
    assert round(route.overall) == 77 and route.overall_band.id == "secure"
