"""Balance analysis on the minimal fixture, whose numbers are worked by hand:

open:   cite {factual 2, calm 1} | wrong {factual -1, calm -2} | manager {line-manager 2}
listen: strategy {negotiation 2, calm 1} (trust >= 3) | escalate {escalation-policy 2, negotiation -1}
        (manager_informed or trust < 3) | leave {escalation-policy -2, negotiation -2}

Scored by the rule in docs/scoring.md (each choice against the best on offer):
Best overall: cite, best on offer (worth 3): factual 3 of 3, calm 3 of 3 (line-manager
not counted: cite shows none above the floor); then strategy (worth 3): negotiation
4 of 4, calm 1 of 1, escalation-policy 2 of 2 (it avoided leave's -2) = 14/14 = 100,
path 1,1. (Before issue 12 cite lost line-manager's 2 points to the manager option
that was worth less: 13/15 = 86.7.)
Worst: wrong (factual 0 of 3, calm 0 of 3) then leave (escalation-policy 0 of 4,
negotiation 0 of 1) = 0, path 2,2.
Paths: cite -> strategy|leave; wrong -> escalate|leave; manager -> escalate|leave.
"""

import json
from pathlib import Path

from simulator.analysis.balance import analyse
from simulator.cli import main


def test_best_and_worst_overall_scores_and_paths_are_exact(minimal):
    result = analyse(minimal)
    assert (result.best["overall"].score, result.best["overall"].path) == (100.0, (1, 1))
    assert (result.worst["overall"].score, result.worst["overall"].path) == (0.0, (2, 2))


def test_a_competency_the_scenario_never_offers_is_not_assessable(minimal):
    result = analyse(minimal)
    assert result.best["openness"].score is None and result.best["openness"].path == ()


def test_endings_are_counted_by_the_paths_that_reach_them(minimal):
    result = analyse(minimal)
    assert result.endings == {"agreed": ("resolved", 1), "escalated": ("escalated", 2), "dropped": ("child-at-risk", 3)}
    assert result.paths == 6


def test_qualities_offered_and_never_offered_are_listed(minimal):
    result = analyse(minimal)
    assert result.qualities["calm"] == 2 and result.qualities["line-manager"] == 1
    assert "polite" in result.never_evidenced and "calm" not in result.never_evidenced


def test_a_test_wise_strategy_reaching_the_top_band_is_warned_about(minimal):
    result = analyse(minimal)
    first = next(s for s in result.strategies if s.name == "always the first option")
    assert first.overall == 100.0 and first.band == "Strong"
    assert any("always the first option" in warning for warning in result.warnings)


def test_a_bundled_scenario_beats_every_test_wise_strategy_and_wording_can_still_win_elsewhere():
    from simulator.format.library import find
    from simulator.format.loader import load_file

    result = analyse(find("hv-gcp2-closure").scenario)
    assert result.warnings == ()
    assert result.best["overall"].score > max(s.overall for s in result.strategies)
    # The rule still fires where wording alone does win (the lint fixture).
    won = analyse(load_file(Path(__file__).parents[1] / "broken" / "lint-wording-wins.yaml").scenario)
    wording = next(s for s in won.strategies if s.name.startswith("by wording alone"))
    assert wording.band == "Strong" and any("by wording alone" in w for w in won.warnings)


def test_the_wording_strategy_reads_only_the_words():
    from simulator.analysis.wording import pick_by_wording, wording_score

    assert wording_score("On 3 October Mia told us \u201cDad hit me\u201d; I will record it today.") > 0
    assert wording_score("Honestly, I just think this is ridiculous!") < 0
    assert pick_by_wording(["Fine, leave it.", "I'll take it to stage 2 of the escalation policy."]) == 1
    # Ties go to the first, as a learner reading top-down would.
    assert pick_by_wording(["Can we look again?", "Could we talk it through?"]) == 0


def test_no_bundled_scenario_rewards_the_plainest_wording():
    # After the cue flips of issue 14 the best is often the plain reply; a learner
    # who noticed and always picked the least professional-sounding option must
    # not reach the top band either.
    from simulator.analysis.wording import pick_plainest
    from simulator.format.library import load_all

    assert pick_plainest(["Fine, leave it.", "I'll take it to stage 2 of the escalation policy."]) == 0
    for entry in load_all():
        result = analyse(entry.scenario)
        plainest = next(s for s in result.strategies if s.name.startswith("the plainest wording"))
        assert plainest.band != "Strong", (entry.scenario.id, plainest.overall)
        assert result.best["overall"].score > plainest.overall, entry.scenario.id


def test_analyse_command_prints_text_and_json(minimal_path, capsys):
    assert main(["analyse", str(minimal_path)]) == 0
    text = capsys.readouterr().out
    assert "100.0  1,1" in text and "Warnings:" in text
    assert main(["analyse", str(minimal_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenarios"][0]["best"]["overall"] == {"score": 100.0, "path": [1, 1]}
