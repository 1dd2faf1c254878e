"""Every report of an attempt says "you said … / you chose …" where the learner
typed their own words before choosing, and shows those words inert."""

from __future__ import annotations

import json

from scoring_fixtures import RESOLVED, attempt, decision, tiny_catalogue
from test_reports import HOSTILE, read_page

from scoring.own_words import read_own_words
from scoring.reports import to_html, to_json, to_markdown

CATALOGUE = tiny_catalogue()
TYPED = "I'm worried about the 6 October body map. Could we hold a strategy discussion today?"


def log_with_words(words: str = TYPED):
    first = decision(1, {"calm": 2}, {"calm": -2}, node_id="d1", texts=("Better option", "Chosen option"))
    second = decision(0, {"factual": 2}, {"factual": -1}, node_id="d2", texts=("Picked without typing", "Other"))
    return attempt(first._replace(own_words=words), second, ending=RESOLVED)


def test_markdown_says_what_was_said_and_what_was_chosen():
    page = to_markdown(log_with_words(), CATALOGUE)
    assert "- **You said:** “I'm worried about the 6 October body map." in page
    assert "- **You chose:** “Chosen option”" in page
    assert "## In your own words" in page
    assert "There: your concern, a checkable fact, a specific ask, by when" in page
    # The table row of the decision chosen without typing is as it always was.
    assert "| 2 | Dan | Picked without typing |" in page
    assert "| 1 | Dan | you said “I'm worried" in page and "/ you chose “Chosen option” |" in page
    assert "You chose “Chosen option” when “Better option” was on offer." in page


def test_html_says_what_was_said_and_what_was_chosen():
    text = "".join(read_page(to_html(log_with_words(), CATALOGUE)).text)
    assert "You said: “I'm worried about the 6 October body map." in text
    assert "You chose: “Chosen option”" in text
    assert "In your own words" in text and "Not yet: what it means for them" in text


def test_json_keeps_the_words_beside_the_option_chosen():
    report = json.loads(to_json(log_with_words(), CATALOGUE))
    first, second = report["decisions"]
    assert first["own_words"] == TYPED and first["said"] == "Chosen option"
    assert first["own_words_elements"]["concern"] is True and first["own_words_elements"]["blame"] is False
    assert second["own_words"] is None and second["own_words_elements"] is None


def test_a_report_without_typed_words_has_no_own_words_section():
    log = attempt(decision(1, {"calm": 2}, {"calm": -2}), ending=RESOLVED)
    assert "In your own words" not in to_markdown(log, CATALOGUE)
    assert "In your own words" not in to_html(log, CATALOGUE)


def test_typed_words_with_markup_and_escapes_stay_words_in_every_format():
    typed = f"I'm worried {HOSTILE}"
    page = to_html(log_with_words(typed), CATALOGUE)
    reader = read_page(page)
    assert "script" not in reader.elements and "\x1b" not in page
    assert "I'm worried <script>alert(1)</script> & ] [bold]x[/bold]" in "".join(reader.text)
    markdown = to_markdown(log_with_words(typed), CATALOGUE)
    assert "\x1b" not in markdown and "\\<script\\>" in markdown and "\\[bold\\]" in markdown
    assert json.loads(to_json(log_with_words(typed), CATALOGUE))["decisions"][0]["own_words"] == typed


def test_the_reading_names_what_is_there_and_at_most_three_things_missing():
    reading = read_own_words("Fine, leave it.")
    assert reading.warnings == ("capitulation",)
    assert "Warning: lets the concern go" in reading.line
    not_yet = reading.line.split("Not yet: ")[1].split(" · ")[0]
    assert not_yet == "your concern, what it means for them, a checkable fact"
    assert read_own_words("   ") is None
