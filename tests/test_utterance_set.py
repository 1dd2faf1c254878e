"""The labelled utterance set stays usable for measuring the free-text analyser.

The analyser is tuned on dev.jsonl and measured on heldout.jsonl; a malformed record, a label that
contradicts docs/free-text.md, an element with too few examples on one side, or a case-file fact id
that no longer exists would make the measured figures wrong without anyone noticing.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "utterances"
SCENARIOS = ROOT / "scenarios"
LABELLED = ("dev.jsonl", "heldout.jsonl")
ELEMENTS = ("concern", "impact", "evidence", "ask", "timescale", "inquiry", "escalation", "blame",
            "capitulation")
QUALITIES = {"excellent", "partial", "vague", "capitulating", "aggressive", "sarcastic-polite",
             "jargon-heavy", "very-short", "rambling", "mixed"}


def read(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize("name", LABELLED)
def test_every_labelled_utterance_has_the_documented_fields(name):
    for record in read(name):
        where = f"{name} {record.get('id')}"
        assert set(record) == {"id", "text", "speaker_role", "to", "quality", "elements", "respectful",
                               "politeness", "note"}, where
        assert record["text"].strip() and record["speaker_role"].strip() and record["to"].strip(), where
        assert record["quality"] in QUALITIES, where
        assert tuple(record["elements"]) == ELEMENTS, where
        assert all(isinstance(value, bool) for value in record["elements"].values()), where
        assert isinstance(record["respectful"], bool), where
        # Politeness is labelled in tenths, so two labellers' figures can be compared directly.
        assert 0 <= record["politeness"] <= 1 and round(record["politeness"] * 10) == record["politeness"] * 10, where


def test_ids_are_unique_across_the_set():
    ids = [record["id"] for name in LABELLED for record in read(name)]
    ids += [record["id"] for record in read("case_matching.jsonl")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", LABELLED)
def test_blame_is_never_labelled_respectful(name):
    # docs/free-text.md: respectful is false whenever blame is present.
    offenders = [record["id"] for record in read(name) if record["elements"]["blame"] and record["respectful"]]
    assert offenders == []


def test_no_held_out_utterance_repeats_one_the_analyser_was_tuned_on():
    dev = {" ".join(record["text"].lower().split()) for record in read("dev.jsonl")}
    repeated = [record["id"] for record in read("heldout.jsonl")
                if " ".join(record["text"].lower().split()) in dev]
    assert repeated == []


@pytest.mark.parametrize("name", LABELLED)
@pytest.mark.parametrize("element", ELEMENTS)
def test_each_element_has_enough_examples_on_both_sides(name, element):
    records = read(name)
    share = sum(record["elements"][element] for record in records) / len(records)
    assert 0.25 <= share <= 0.75, f"{element} is true in {share:.0%} of {name}"


def case_files() -> dict[str, set[str]]:
    return {path.stem: set(yaml.safe_load(path.read_text(encoding="utf-8"))["case_file"])
            for path in SCENARIOS.glob("*.yaml")}


def test_case_matching_names_real_scenarios_and_facts():
    facts = case_files()
    for record in read("case_matching.jsonl"):
        assert record["scenario"] in facts, record["id"]
        named = record["cites"] + [misquote["fact"] for misquote in record["misquotes"]]
        unknown = [fact for fact in named if fact not in facts[record["scenario"]]]
        assert unknown == [], record["id"]


def test_each_misquote_quotes_words_the_utterance_actually_contains():
    for record in read("case_matching.jsonl"):
        for misquote in record["misquotes"]:
            assert misquote["said"].lower() in record["text"].lower(), record["id"]
            assert misquote["said"].lower() != misquote["actual"].lower(), record["id"]


def test_a_fact_is_either_cited_correctly_or_misquoted_not_both():
    for record in read("case_matching.jsonl"):
        wrong = {misquote["fact"] for misquote in record["misquotes"]}
        assert not wrong & set(record["cites"]), record["id"]


def test_readme_counts_are_the_current_counts():
    spec = importlib.util.spec_from_file_location("utterance_stats", DATA / "stats.py")
    stats = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stats)
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert stats.report() in readme, "run tests/data/utterances/stats.py and paste its output into the README"
