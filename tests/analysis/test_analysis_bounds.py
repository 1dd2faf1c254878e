"""`rehearse analyse` on a scenario whose variables multiply its states: it
says the scenario is too large to analyse exactly, and where it stopped,
instead of running for minutes; ordinary large scenarios are still exact."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from scoring.catalogue import load_catalogue
from simulator.analysis.balance import analyse
from simulator.analysis.report import render_text
from simulator.cli import main
from simulator.format.loader import load_text

BENCHMARKS = Path(__file__).parents[2] / "benchmarks" / "synthetic.py"


def synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", BENCHMARKS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_wide_variable_ranges_are_reported_too_large_with_the_bound_it_stopped_at(tmp_path):
    text = synthetic().wide_range_yaml(100, 9)  # 100 decisions of 9 options adding 0-8 to trust
    script = ("import sys, json\nfrom simulator.analysis.balance import analyse\nfrom simulator.format.loader "
              "import load_text\na = analyse(load_text(sys.stdin.read(), 'wide.yaml').scenario)\n"
              "print(json.dumps({'truncated': a.truncated, 'states': a.states, 'warnings': a.warnings}))\n")
    try:
        done = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True,
                              timeout=60, check=True)
    except subprocess.TimeoutExpired:
        raise AssertionError("the analysis ran for more than a minute") from None
    found = json.loads(done.stdout)
    assert found["truncated"] and 0 < found["states"] <= 20_000
    warning = found["warnings"][0]
    assert warning.startswith("too large to analyse exactly") and f"{found['states']:,} states" in warning


def test_the_text_report_says_so_and_shows_no_partial_scores(tmp_path):
    scenario = load_text(synthetic().wide_range_yaml(100, 9), "wide.yaml").scenario
    analysis = analyse(scenario)
    text = render_text(analysis, load_catalogue())
    assert "Too large to analyse exactly: exploring stopped after" in text
    assert "Score range" not in text and "Test-wise strategies" not in text
    path = tmp_path / "wide.yaml"
    path.write_text(synthetic().wide_range_yaml(100, 9))
    assert main(["analyse", str(path), "--format", "json"]) == 0


def test_the_benchmark_scenario_of_a_thousand_nodes_is_still_analysed_exactly():
    analysis = analyse(load_text(synthetic().synthetic_yaml(1000), "synthetic.yaml").scenario)
    assert not analysis.truncated and analysis.states == 3981
    assert analysis.best["overall"].score is not None and analysis.strategies
