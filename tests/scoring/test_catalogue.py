"""The qualities catalogue stays faithful to the 7-minute briefing.

Every quality we score, and every line of feedback, must trace back to a line
of the briefing. These tests read the copy of the briefing the package ships
(scoring/briefing.txt, what the app shows), so they run on any clone; where
the source briefing (../shared/briefing/) sits beside the clone, a further test
checks that the shipped copy has not drifted from it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.catalogue import load_catalogue

PACKAGED_BRIEFING = Path(__file__).resolve().parents[2] / "scoring" / "briefing.txt"
SOURCE_BRIEFING = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "briefing"
    / "professional-challenge-7-minute-briefing.txt"
)
EFFECTIVE_HEADING = "Effective Challenge is...."
NEXT_HEADING = "Responsibility"
BAND_IDS = ("strong", "secure", "developing", "not-yet")
LINE_MANAGER_LINES = (
    "Involves line manager i.e. supervision",
    "Share concerns with your line manager",
)


@pytest.fixture(scope="module")
def briefing_text() -> str:
    return PACKAGED_BRIEFING.read_text(encoding="utf-8")


def test_the_shipped_briefing_is_the_source_briefing():
    if not SOURCE_BRIEFING.is_file():
        pytest.skip(f"the source briefing is not beside this clone ({SOURCE_BRIEFING}); the shipped copy "
                    "was checked against it where it was")
    source = SOURCE_BRIEFING.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert PACKAGED_BRIEFING.read_text(encoding="utf-8") == source


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def effective_challenge_items(text: str) -> list[str]:
    """The bullet lines under "Effective Challenge is...." up to "Responsibility"."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == EFFECTIVE_HEADING)
    items: list[str] = []
    for line in lines[start + 1 :]:
        stripped = line.strip()
        if stripped == NEXT_HEADING:
            break
        if stripped.startswith("- "):
            items.append(stripped[2:].strip())
    return items


def test_effective_challenge_section_is_found_with_its_22_items(briefing_text):
    # Guards the extractor itself: if the briefing's layout changes, the
    # coverage test below must not silently pass on an empty list.
    assert len(effective_challenge_items(briefing_text)) == 22


def test_every_effective_challenge_item_is_scored_by_a_quality(briefing_text, catalogue):
    quoted = {line for quality in catalogue.qualities.values() for line in quality.briefing}
    missing = [item for item in effective_challenge_items(briefing_text) if item not in quoted]
    assert not missing, f"briefing items no quality quotes: {missing}"


def test_every_briefing_quote_occurs_verbatim_in_the_briefing(briefing_text, catalogue):
    drifted = [
        (quality.id, line)
        for quality in catalogue.qualities.values()
        for line in quality.briefing
        if line not in briefing_text
    ]
    assert not drifted, f"quotes not found verbatim in the briefing: {drifted}"


def test_every_quality_quotes_at_least_one_briefing_line(catalogue):
    unquoted = [quality.id for quality in catalogue.qualities.values() if not quality.briefing]
    assert not unquoted, f"qualities with no briefing line: {unquoted}"


@pytest.mark.parametrize("field", ["label", "definition", "good", "pitfall"])
def test_every_quality_explains_itself(catalogue, field):
    empty = [q.id for q in catalogue.qualities.values() if not getattr(q, field).strip()]
    assert not empty, f"qualities with an empty {field}: {empty}"


def test_every_quality_belongs_to_a_known_competency(catalogue):
    known = {competency.id for competency in catalogue.competencies}
    orphans = {q.id: q.competency for q in catalogue.qualities.values() if q.competency not in known}
    assert not orphans, f"qualities pointing at unknown competencies: {orphans}"


def test_competencies_stay_readable_at_a_glance(catalogue):
    assert 5 <= len(catalogue.competencies) <= 7
    assert all(competency.qualities for competency in catalogue.competencies), "a competency has no qualities"


def test_every_competency_has_a_definition_and_a_descriptor_for_each_band(catalogue):
    for competency in catalogue.competencies:
        assert competency.definition.strip(), f"{competency.id} has no definition"
        assert {band for band, _ in competency.descriptors} == set(BAND_IDS), competency.id
        for band in BAND_IDS:
            assert competency.descriptor(band).strip(), f"{competency.id} has an empty {band} descriptor"


def test_bands_use_the_documented_thresholds(catalogue):
    assert [(band.id, band.minimum) for band in catalogue.bands] == [
        ("strong", 80),
        ("secure", 60),
        ("developing", 40),
        ("not-yet", 0),
    ]
    assert catalogue.band_for(80).id == "strong"
    assert catalogue.band_for(79.9).id == "secure"
    assert catalogue.band_for(0).id == "not-yet"


def test_line_manager_quality_carries_both_merged_lines_and_says_why(catalogue):
    line_manager = catalogue.qualities["line-manager"]
    for line in LINE_MANAGER_LINES:
        assert line in line_manager.briefing
    assert line_manager.merged.strip(), "line-manager merges two briefing lines but has no merged note"


def test_everyday_names_for_qualities_suggest_the_id(tmp_path, capsys):
    # "Voice of the child" is what practitioners say; spelling alone would not find it.
    from pathlib import Path

    from scoring.catalogue import PRACTICE_TERMS, practice_term, quality_ids
    from simulator.cli import main

    assert set(PRACTICE_TERMS.values()) <= quality_ids()
    assert practice_term("Voice of the child") == "service-user-voice"
    minimal = (Path(__file__).parents[1] / "fixtures" / "minimal.yaml").read_text()
    path = tmp_path / "s.yaml"
    path.write_text(minimal.replace("evidence: {factual: 2, calm: 1}", "evidence: {voice-of-the-child: 2, calm: 1}"))
    assert main(["validate", str(path)]) == 1
    assert "'voice-of-the-child' is not a quality in the catalogue; did you mean 'service-user-voice'?" in (
        capsys.readouterr().out)


def test_every_quality_has_the_briefings_own_sentence_verbatim_and_a_sentence_not_a_name(briefing_text, catalogue):
    # A key moment quotes it under the option best on offer: "Factual" alone tells a learner nothing.
    flat = " ".join(briefing_text.split())
    for quality in catalogue.qualities.values():
        sentence = quality.briefing_sentence
        assert quality.sentence, quality.id
        assert " ".join(sentence.split()) in flat, (quality.id, sentence)
        assert len(sentence.split()) >= 4 and sentence.lower() != quality.label.lower(), quality.id


def test_every_example_says_which_kind_of_case_it_is_about(catalogue):
    assert {quality.example_for for quality in catalogue.qualities.values()} <= {"", "child", "adult"}
    # The examples the issue found in an adult's debrief are marked as about a child (or an adult).
    marked = {q.id: q.example_for for q in catalogue.qualities.values()}
    assert marked["local-tools"] == "child" and marked["factual"] == "child" and marked["enquire-further"] == "adult"
