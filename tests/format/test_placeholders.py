"""Placeholders in scenario text: filled from the local profile, unknown
names reported with their place."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.format.library import find
from simulator.format.loader import load_text
from simulator.model import placeholders
from simulator.prepare.profile import default_profile

MINIMAL = (Path(__file__).parents[1] / "fixtures" / "minimal.yaml").read_text("utf-8")


@pytest.fixture(autouse=True)
def defaults():
    placeholders.use(None)
    yield
    placeholders.use(None)


def _feedback(scenario) -> list[str]:
    return [choice.feedback for node in scenario.nodes.values() for choice in node.choices]


def test_a_bundled_scenario_says_the_default_then_the_profiles_threshold_document():
    assert any("You used the local threshold document to give" in f
               for f in _feedback(find("dsl-mash-threshold").scenario))
    placeholders.use({"threshold_document": "the Northbridge Continuum of Need"})
    assert any("You used the Northbridge Continuum of Need to give" in f
               for f in _feedback(find("dsl-mash-threshold").scenario))


def test_an_unknown_placeholder_is_an_error_at_its_line_with_a_suggestion():
    lines = MINIMAL.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("situation:"))
    lines[index] = '  situation: "You ring {{partnershp}} about a referral."' if lines[index].startswith(" ") \
        else 'situation: "You ring {{partnershp}} about a referral."'
    result = load_text("\n".join(lines) + "\n", "s.yaml")
    assert result.scenario is None
    [error] = [d for d in result.diagnostics if "placeholder" in d.message]
    assert (error.line, error.severity) == (index + 1, "error")
    assert "did you mean 'partnership'?" in error.hint


def test_stages_beyond_the_profile_and_unknown_text_are_said_plainly():
    values = default_profile().placeholders()
    assert placeholders.fill("then {{stage_2}} within {{stage_2_days}} days", values) == \
        "then Line managers within 3 days"
    assert placeholders.fill("{{stage_7}}", values) == "stage 7 of the partnership's escalation policy"
    assert placeholders.fill("{not one} {{ nope }}", values) == "{not one} {{ nope }}"


def test_the_profiles_defaults_are_the_placeholders_defaults():
    values = default_profile().placeholders()
    for name, value in placeholders.DEFAULTS.items():
        assert values[name] == value
    for number, (who, days) in enumerate(placeholders.DEFAULT_STAGES, start=1):
        assert (values[f"stage_{number}"], values[f"stage_{number}_days"]) == (who, str(days))


def test_a_changed_profile_changes_what_a_cached_library_shows(tmp_path, monkeypatch):
    """The cache keeps the file as written, so a profile set after the library
    was cached still names the partnership in the title and the feedback."""
    from simulator.format import check_cache, loader
    from simulator.format.library_entry import read

    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL.replace('title: "Minimal: a threshold query"',
                                    'title: "A threshold query to {{partnership}}"')
                    .replace("feedback: Specific and calm.", "feedback: Specific, and it cites {{threshold_document}}."),
                    "utf-8")
    first = read(path)
    assert first.summary.title == "A threshold query to the local safeguarding partnership"
    entry = (check_cache.cache_dir() / check_cache.key(str(path), path.read_bytes())).read_text("utf-8")
    assert "{{partnership}}" in entry and "safeguarding partnership" not in entry

    compiled: list[str] = []
    real = loader.compile_bytes
    monkeypatch.setattr(loader, "compile_bytes", lambda raw, source: compiled.append(source) or real(raw, source))
    placeholders.use({"partnership": "Northbridge Safeguarding Children Partnership",
                      "threshold_document": "the Northbridge Continuum of Need"})
    again = read(path)
    assert compiled == []  # answered from the cache
    assert again.summary.title == "A threshold query to Northbridge Safeguarding Children Partnership"
    assert "Specific, and it cites the Northbridge Continuum of Need." in _feedback(again.scenario)


def test_the_profile_is_read_only_when_a_placeholder_needs_it():
    asked: list[int] = []
    placeholders.use_later(lambda: asked.append(1) or {"partnership": "Northbridge"})
    assert placeholders.fill("no placeholder here") == "no placeholder here"
    assert asked == []
    assert placeholders.fill("call {{partnership}}") == "call Northbridge"
    assert placeholders.fill("{{partnership}} again") == "Northbridge again"
    assert asked == [1]
