"""The Twine corpus: every story is attributed, its reference figures are current, and the importer
reaches what the story's links and literal macro targets reach — no more, no less."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.authoring.twine.convert import convert
from simulator.authoring.twine.story import StoryError, read_story
from simulator.format.loader import load_text

CORPUS = Path(__file__).parent / "fixtures" / "twine-corpus"
STORIES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".twee", ".tw", ".tw2", ".html"))
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
# The reference counts passages linked from a menu or header as reached: Twine shows those links on every
# page. A scenario has no menu, so the importer leaves them out and names the menu as the reason.
REACHED_ONLY_FROM_A_MENU = {"ours-harlowe-macro-navigation.twee": ["Referral summary"]}
# A lone StoryMenu is not a story (README.md): refusing it is right.
REFUSED = {"sugarcube-random-events-storymenu.twee": "the story has no passages to import"}


def test_every_story_is_listed_with_its_source_and_licence():
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    rows = [line for line in sources.splitlines() if line.startswith("| `")]
    listed = {row.split("`")[1] for row in rows}
    assert listed == {p.name for p in STORIES}
    public = [row for row in rows if "| MIT |" in row]
    ours = [row for row in rows if "| written for this project |" in row]
    assert len(public) + len(ours) == len(rows)
    assert len(public) >= 24 and all(row.split("`")[1].startswith("ours-") for row in ours)


def test_expected_figures_match_the_reference_script():
    result = subprocess.run([sys.executable, str(CORPUS / "reference.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("story", STORIES, ids=[p.name for p in STORIES])
def test_each_story_imports_to_what_its_links_and_literal_targets_reach(story):
    expected = EXPECTED[story.name]
    try:
        imported = convert(read_story(story), story.name)
    except StoryError as exc:
        assert REFUSED.get(story.name, "not refused") in exc.message
        return
    result = load_text(imported.text, "imported.yaml")
    assert result.ok, [d.format() for d in result.diagnostics if d.severity == "error"]

    from_menus = REACHED_ONLY_FROM_A_MENU.get(story.name, [])
    assert list(imported.unreachable.get("only_from_menu", ())) == from_menus
    reached = [name for name in expected["reached_passages"] if name not in from_menus]
    pages = len(reached) - len(expected["embedded_only"])
    added = 1 if imported.loop_exits else 0  # the one placeholder ending every loop without a way out leads to
    assert imported.nodes == pages + len(expected["reached_missing_targets"]) + added
    assert imported.placeholders == len(expected["reached_missing_targets"])
    assert sorted(imported.embedded_only) == expected["embedded_only"]
    # Options: what the reached passages offer, plus the ways back and out the importer adds and reports.
    assert imported.options == expected["reached_edges"] + imported.back_options + imported.loop_exits
    unreachable = {cause: sorted(names) for cause, names in imported.unreachable.items() if cause != "only_from_menu"}
    assert unreachable == {cause: names for cause, names in expected["unreachable"].items() if names}
    assert imported.story_passages == expected["story_passages"]


def test_a_story_and_its_published_html_import_alike():
    # The Twee has two passages named "Chair responds"; Tweego keeps the last, and so does the importer.
    twee = convert(read_story(CORPUS / "ours-sugarcube-macro-navigation.twee"), "story")
    html = convert(read_story(CORPUS / "ours-sugarcube-macro-navigation.html"), "story")
    assert (twee.nodes, twee.options, twee.endings) == (html.nodes, html.options, html.endings) == (9, 9, 5)
    body = [line for line in twee.text.splitlines() if not line.lstrip().startswith("#")]
    assert body == [line for line in html.text.splitlines() if not line.lstrip().startswith("#")]
    assert "Ask for a review meeting" in twee.text
