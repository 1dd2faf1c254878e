"""Every bundled scenario's best route scores 100 with no quality below Strong.

The route a scenario rewards most is the one a trainer would model; a learner
who plays it must not be told they fell short (issue 12). The route is found by
``rehearse analyse`` and replayed through the scorer, as a learner's attempt is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.catalogue import load_catalogue
from simulator.analysis.balance import OVERALL, analyse
from simulator.cli import main
from simulator.format.loader import load_file

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


def test_there_are_scenarios_to_check():
    assert len(SCENARIOS) >= 9


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_best_route_scores_100_and_every_quality_on_it_is_strong(path):
    scenario = load_file(path).scenario
    assert scenario is not None, path
    result = analyse(scenario)
    assert result.best[OVERALL].score == 100
    assert result.best_route_qualities, "the best route meets no quality"
    strong = load_catalogue().bands[0].minimum
    below = [(q, value) for q, value in result.best_route_qualities if value < strong]
    assert below == []
    assert all(value == 100 for _, value in result.best_route_qualities)


def test_analyse_says_so_per_scenario(capsys):
    assert main(["analyse", str(SCENARIOS[0])]) == 0
    out = capsys.readouterr().out
    assert "Best route: 100 overall" in out and "every quality on it Strong" in out


def test_analyse_names_a_quality_below_the_top_band_on_the_best_route():
    from simulator.analysis.report import _best_route_line
    from simulator.analysis.balance import Extreme

    catalogue = load_catalogue()
    result = analyse(load_file(SCENARIOS[0]).scenario)
    shortfall = type(result)(**{**result.__dict__, "best": {**result.best, OVERALL: Extreme(90.0, (1,))},
                                "best_route_qualities": (("calm", 50.0), ("factual", 100.0))})
    assert _best_route_line(shortfall, catalogue).endswith("CHECK: Calm is Developing (50) on it")
