"""The politeness model, its provenance and the analyser's place in the package:
weights a retrain reproduces, the corpus's licence shipped and the corpus not,
feedback quoting the briefing exactly, and a run-time path with nothing heavy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.free_text import analyse
from scoring.free_text.phrases import read_table
from scoring.free_text.politeness import strategy_tables

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "scoring" / "free_text"
BRIEFING = (ROOT / "scoring" / "briefing.txt").read_text(encoding="utf-8")
CORPUS = ROOT.parent / "shared" / "data" / "politeness" / "stack-exchange.annotated.csv"


def test_courtesy_reads_as_more_polite_than_an_accusing_question():
    courteous = analyse("Thank you for explaining. Could we look at the body map from 6 October together?")
    accusing = analyse("Why haven't you done a home visit?")
    assert courteous.politeness > 0.7 > 0.3 > accusing.politeness


def test_every_strategy_has_a_learned_weight_and_no_weight_is_orphaned():
    weights = read_table("politeness_weights.json")["weights"]
    assert sorted(weights) == list(strategy_tables().names)


def test_word_weights_are_everyday_words_as_the_analyser_reads_them():
    from scoring.free_text.politeness import word_set

    words = read_table("politeness_weights.json")["words"]
    assert 100 <= len(words) <= 2000
    for word in words:
        assert len(word) > 1 and word_set(word) == {word}, word


@pytest.mark.skipif(not CORPUS.is_file(), reason="the politeness corpus is not beside the repository")
def test_training_learns_only_from_communities_whose_ratings_track_their_words():
    pytest.importorskip("sklearn", reason="the train extra is not installed")
    from scoring.free_text import train_politeness as training

    checks = {c.community: c for c in training.rating_check(training.read_corpus(CORPUS))}
    learned = sorted(name for name, check in checks.items() if check.learned_from)
    assert "Stack Overflow" in learned and len(learned) < len(checks)
    # English Language and Usage ranks its requests against every model's order.
    assert not checks["English Language and Usage"].learned_from and checks["English Language and Usage"].rho < 0
    assert read_table("politeness_weights.json")["learned_from"] == learned


def test_licence_notice_is_shipped_and_the_corpus_is_not():
    notice = (PACKAGE / "POLITENESS-NOTICE.txt").read_text(encoding="utf-8")
    assert "Apache License, Version 2.0" in notice and "A computational approach to politeness" in notice
    assert "Apache License" in (PACKAGE / "politeness-corpus-LICENSE.txt").read_text(encoding="utf-8")
    assert not list(ROOT.joinpath("scoring").rglob("*.csv"))


@pytest.mark.skipif(not CORPUS.is_file(), reason="the politeness corpus is not beside the repository")
def test_training_reproduces_the_shipped_weights_byte_for_byte(tmp_path):
    pytest.importorskip("sklearn", reason="the train extra is not installed")
    from scoring.free_text.train_politeness import main

    out = tmp_path / "weights.json"
    assert main([str(CORPUS), "--out", str(out)]) == 0
    assert out.read_bytes() == (PACKAGE / "politeness_weights.json").read_bytes()


def test_training_says_clearly_when_the_corpus_is_absent(tmp_path, capsys):
    from scoring.free_text.train_politeness import main

    assert main([str(tmp_path / "nowhere")]) == 2
    assert "The politeness corpus is not at" in capsys.readouterr().err


def test_feedback_quotes_the_briefing_word_for_word():
    table = read_table("feedback.json")
    quotes = [q for section in ("elements", "warnings") for entry in table[section].values() for q in entry["briefing"]]
    assert quotes
    for quote in quotes:
        assert quote in BRIEFING, quote
    shown = analyse("With respect, you clearly haven't read it.").feedback
    assert any("\u201cBeing professionally challenged should not be seen as a criticism" in line for line in shown)


def test_analyser_loads_without_the_simulator_textual_yaml_or_scikit_learn():
    code = (
        "import sys, scoring.free_text as f\n"
        "f.analyse('I am worried. Could we meet today?')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('simulator', 'textual', 'yaml', 'sklearn', 'numpy')]\n"
        "print(','.join(sorted(bad)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == ""


def test_marker_tables_parse_and_every_phrase_compiles():
    from scoring.free_text.elements import tables

    assert tables().lists.patterns
    json.loads((PACKAGE / "elements.json").read_text(encoding="utf-8"))


def test_labelled_dev_set_keeps_its_macro_f1():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from say_eval import load, score

    dev = load("dev")
    if not dev:
        pytest.skip("no labelled dev set")
    scored = score(dev)
    # Measured at 0.91 on the whole dev set when the rules were written; a change
    # that loses ground on what we have labelled is a regression a learner would feel.
    assert scored["macro_f1"] >= 0.88
    assert scored["respectful"] >= 0.9
