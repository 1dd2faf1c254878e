"""The rows every debrief shows (scoring.standing), and what good looks like
when the case gives no words of its own (scoring.feedback.good_example)."""

from __future__ import annotations

from dataclasses import replace

from scoring_fixtures import attempt, decision, mixed_path, tiny_catalogue

from scoring.catalogue import load_catalogue
from scoring.feedback import build_feedback, good_example
from scoring.scorer import score
from scoring.standing import standing, whole

CATALOGUE = tiny_catalogue()


def test_whole_numbers_round_halves_up_as_people_do():
    # Python's round() would give 62 for 62.5 and 0 for 0.5: a debrief says 63 and 1.
    assert [whole(x) for x in (62.5, 0.5, 71.4, 33.3, 66.7, 99.5, 100.0, 0.0)] == [63, 1, 71, 33, 67, 100, 100, 0]


def test_competencies_weakest_first_with_their_qualities_folded_under_them():
    ranked = standing(score(mixed_path(), CATALOGUE))
    # manner 3/6, process 3/4, substance 4/4 (test_scorer's mixed path).
    assert [(c.id, c.score) for c in ranked.competencies] == [("manner", 50), ("process", 75), ("substance", 100)]
    assert [[q.id for q in c.qualities] for c in ranked.competencies] == [["calm", "polite"], ["line-manager"],
                                                                         ["factual"]]
    assert ranked.not_assessed == ("Evidence based", "Uses the escalation policy")
    assert ranked.weakest.id == "manner" and ranked.overall == 71


def test_one_chance_is_a_decision_not_a_pair_of_qualities():
    # Calm and polite both counted at one decision: manner met once, so "one chance",
    # though it pools two (decision, quality) pairs. Two decisions later it is banded.
    once = standing(score(attempt(decision(1, {"calm": 2, "polite": 1}, {"calm": 0})), CATALOGUE))
    (manner,) = once.competencies
    assert (manner.chances, manner.band, manner.band_id) == (1, "one chance", "one-chance")
    assert all(q.band == "one chance" for q in manner.qualities)
    twice = standing(score(attempt(decision(1, {"calm": 2}, {"calm": 0}),
                                   decision(0, {"calm": 2}, {"calm": 0})), CATALOGUE))
    (manner,) = twice.competencies
    assert (manner.chances, manner.score, manner.band) == (2, 50, "Developing")


def _log_without_words(person: str):
    # The better option carries no words (as in a log kept before options had text):
    # then the case gives no example, and the catalogue's may stand in.
    log = attempt(decision(1, {"local-tools": 2}, {"local-tools": 0}, texts=("", "We'll see.")))
    return replace(log, person=person)


def test_the_catalogues_example_stands_in_only_for_its_own_kind_of_case():
    catalogue = load_catalogue()
    assert catalogue.qualities["local-tools"].example_for == "child"  # "Graded Care Profile 2 with mum"
    for person, shown in (("child", True), ("adult", False), ("", False)):
        log = _log_without_words(person)
        example = good_example("local-tools", log, score(log, catalogue), catalogue)
        assert (example is not None) == shown, person
        if example is not None:
            assert not example.from_case and "Graded Care Profile" in example.words


def test_an_example_that_fits_any_case_is_shown_in_an_adults_case():
    catalogue = load_catalogue()
    assert catalogue.qualities["good-recording"].example_for == ""
    log = replace(attempt(decision(1, {"good-recording": 2}, {"good-recording": 0}, texts=("", "Fine."))),
                  person="adult")
    feedback = build_feedback(log, score(log, catalogue), catalogue)
    assert feedback.examples["good-recording"].words == catalogue.qualities["good-recording"].good


def test_the_case_is_preferred_to_the_catalogue():
    catalogue = load_catalogue()
    log = replace(attempt(decision(1, {"local-tools": 2}, {"local-tools": 0},
                                   texts=("Can we use the continuum of need together?", "We'll see."))),
                  person="child")
    example = good_example("local-tools", log, score(log, catalogue), catalogue)
    assert (example.words, example.decision) == ("Can we use the continuum of need together?", 1)
