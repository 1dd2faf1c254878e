"""Reports tell the same debrief in Markdown, HTML and JSON, and treat every
piece of scenario or learner text as words, never as markup or code."""

from __future__ import annotations

import json
import os
import re
import stat
from html.parser import HTMLParser

import pytest
from scoring_fixtures import RESOLVED, attempt, decision, mixed_path, tiny_catalogue

from scoring.catalogue import load_catalogue
from scoring.evidence import EndingReached
from scoring.reports import to_html, to_json, to_markdown, write_report

CATALOGUE = tiny_catalogue()

# Markup from HTML, Rich/Textual console markup, and a terminal colour code.
HOSTILE = "<script>alert(1)</script> & ] [bold]x[/bold] [link=http://x]y[/link] \x1b[31mred"


def hostile_log():
    return attempt(
        decision(
            1,
            {"calm": 2},
            {"calm": -2},
            prompt=f"Prompt {HOSTILE}",
            speaker=f"Dan {HOSTILE}",
            texts=(f"Better {HOSTILE}", f"Chosen {HOSTILE}"),
            feedback=(f"Why better {HOSTILE}", f"Why chosen {HOSTILE}"),
        ),
        ending=EndingReached("end", "unresolved", f"Ending {HOSTILE}", f"Debrief {HOSTILE}", f"Impact {HOSTILE}"),
        learner=f"Learner {HOSTILE}",
        title=f"Title {HOSTILE}",
    )


class PageReader(HTMLParser):
    """Collects what a browser would build: elements, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)
        self.attributes.extend(attrs)

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def read_page(page: str) -> PageReader:
    reader = PageReader()
    reader.feed(page)
    reader.close()
    return reader


# --- HTML -------------------------------------------------------------------


def test_html_shows_hostile_scenario_and_learner_text_as_words_and_runs_nothing():
    page = to_html(hostile_log(), CATALOGUE)
    reader = read_page(page)

    assert "script" not in reader.elements
    assert "<script" not in page.lower()
    for name, value in reader.attributes:
        assert name not in ("src", "href", "srcset", "action", "formaction"), (name, value)
        assert not re.search(r"(https?:|//|javascript:|data:)", value or "", re.I), (name, value)
    assert "url(" not in page and "@import" not in page

    text = "".join(reader.text)
    for where in ("Title", "Prompt", "Dan", "Better", "Chosen", "Why better", "Why chosen", "Learner", "Ending"):
        assert f"{where} <script>alert(1)</script> & ]" in text, where
    for literal in ("[bold]x[/bold]", "[link=http://x]y[/link]"):
        assert literal in text
    # The terminal escape is shown as the ESC symbol, never passed through.
    assert "␛[31mred" in text
    assert "\x1b" not in page


def test_html_page_is_self_contained_and_print_friendly():
    page = to_html(mixed_path(), CATALOGUE)
    reader = read_page(page)
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page
    assert "link" not in reader.elements and "img" not in reader.elements
    assert "style" in reader.elements


def test_html_draws_a_bar_per_competency_and_tables_the_qualities():
    page = to_html(mixed_path(), CATALOGUE)
    # Worked by hand in test_scorer's mixed path, judged against what was on offer:
    # manner pools calm 2 of 4 (d1) and polite 1 of 2 (d4) = 3/6 = 50; d2's calm is not
    # counted, because the option chosen there was best on offer. Substance is factual
    # 4 of 4 = 100, process line-manager 3 of 4 = 75. Overall 10/14 = 71.4, shown as 71.
    assert 'style="width: 50%"' in page
    assert 'style="width: 100%"' in page
    assert 'style="width: 75%"' in page
    assert 'style="width: 37.5%"' not in page  # the old rule's manner, which held d2's calm against the best option
    text = " ".join("".join(read_page(page).text).split())
    assert "Overall: 71 out of 100 — Secure, from 4 decisions." in text
    rows = re.findall(r'<tr class="(competency|quality) [^"]*"><t[hd][^>]*>([^<]*)</t[hd]><td class="number">(\d+)'
                      r'</td><td>([^<]*)</td><td class="number">(\d+)</td>', page)
    # Competencies weakest first, each with its qualities folded under it; manner
    # counted at two decisions, so it is banded; the others at one: "one chance".
    assert rows == [
        ("competency", "Manner", "50", "Developing", "2"),
        ("quality", "Calm", "50", "one chance", "1"),  # d1 only: chose 0 of +2/0/-2, 2 of 4
        ("quality", "Polite", "50", "one chance", "1"),
        ("competency", "Process", "75", "one chance", "1"),
        ("quality", "Involves the line manager", "75", "one chance", "1"),
        ("competency", "Substance", "100", "one chance", "1"),
        ("quality", "Factual", "100", "one chance", "1"),
    ]
    assert "Not assessed on this route: Evidence based, Uses the escalation policy." in text


def test_html_reports_the_outcome_key_moments_and_questions():
    page = to_html(mixed_path(), CATALOGUE)
    text = " ".join("".join(read_page(page).text).split())
    assert "Outcome: Resolved — Referral accepted for assessment. Impact: Mia was seen within the week." in text
    assert "Key moments" in text
    assert "Best on offer: “option 1”" in text
    assert "What was your reasoning at that point?" in text
    assert "Hints used: 0 · Rewinds: 0" in text


# --- Markdown ---------------------------------------------------------------


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_pipe_in_choice_text_does_not_break_the_markdown_table():
    log = attempt(
        decision(0, {"calm": 2}, {"calm": -2}, texts=("Either | or || neither", "no")),
        decision(1, {"factual": 2}, {"factual": 0}, texts=("a", "b | c")),
    )
    markdown = to_markdown(log, CATALOGUE)
    lines = markdown.splitlines()
    header = lines.index("| # | Who spoke | You said | Evidence | Best on offer? |")
    rows = lines[header + 2 : header + 4]
    assert all(unescaped_pipes(row) == unescaped_pipes(lines[header]) for row in rows), rows
    assert r"Either \| or \|\| neither" in rows[0]


def test_markdown_text_cannot_start_a_heading_or_quote_or_a_link():
    log = attempt(
        decision(
            1,
            {"escalation-policy": 2},
            {"escalation-policy": 0},
            prompt="# Injected heading\n> quoted\n- listed",
            texts=("> Better", "# Chosen"),
            feedback=("#why", "> why"),
        ),
        title="# Title",
        learner="> Sam",
    )
    markdown = to_markdown(log, CATALOGUE)
    for line in markdown.splitlines():
        assert not line.startswith(">"), line
        assert not line.startswith("# Injected") and not line.startswith("- listed"), line
    assert markdown.startswith(r"# Debrief: \# Title")
    # The briefing's own link syntax is quoted as words.
    assert "[WSP Escalation Policy](#)" not in markdown
    assert r"\[WSP Escalation Policy\](\#)" in markdown


def test_markdown_keeps_hostile_text_inert():
    markdown = to_markdown(hostile_log(), CATALOGUE)
    assert "<script>" not in markdown
    assert r"\<script\>alert(1)\</script\>" in markdown
    assert r"\[bold\]x\[/bold\]" in markdown
    # No bare web address for GitHub to turn into a link, no raw terminal escape.
    assert "http://" not in markdown and r"http\://x" in markdown
    assert "\x1b" not in markdown and "␛" in markdown


def test_markdown_carries_scores_outcome_and_questions():
    markdown = to_markdown(mixed_path(), CATALOGUE)
    # 10/14 = 71.4, shown whole; manner is calm 2 of 4 and polite 1 of 2 = 50 over
    # two chances (d2's calm no longer counts: the option chosen there was best on offer).
    assert "Overall: **71** out of 100 — Secure" in markdown
    table = [line for line in markdown.splitlines() if line.startswith("| ") and "Competency" not in line]
    assert table[:3] == ["| **Manner** | **50** | **Developing** | 2 |",
                         "| \u00a0\u00a0\u00a0Calm | 50 | one chance | 1 |",
                         "| \u00a0\u00a0\u00a0Polite | 50 | one chance | 1 |"]
    assert "| Evidence based | not assessed |" not in markdown  # listed as not assessed instead
    assert "**Outcome: Resolved — Referral accepted for assessment. Impact: Mia was seen within the week.**" in markdown
    assert "## Questions to reflect on" in markdown
    assert "Hints used: 0 · Rewinds: 0" in markdown


# --- JSON -------------------------------------------------------------------


def test_json_round_trips_with_none_for_qualities_not_assessed():
    log = mixed_path()
    data = json.loads(to_json(log, CATALOGUE))
    assert data["schema_version"] == 2  # 2: whole numbers
    assert data["scenario"] == {"id": "below-threshold", "title": "Below threshold?"}
    assert data["learner"] == "Sam"
    assert data["ending"]["outcome"] == "resolved"
    # 10/14 = 71.4, whole as every format shows it (see test_scorer's mixed path): d2's
    # option was best on offer, so its calm -1 is not held against it as the old rule's 62.5 did.
    assert data["overall"]["score"] == 71
    assert data["overall"]["band"]["id"] == "secure"
    qualities = {q["id"]: q for q in data["qualities"]}
    assert qualities["evidence-based"]["score"] is None
    assert qualities["evidence-based"]["band"] is None
    assert qualities["evidence-based"]["opportunities"] == 0
    assert (qualities["calm"]["score"], qualities["calm"]["opportunities"]) == (50, 1)  # d1: 2 of 4
    competencies = {c["id"]: c for c in data["competencies"]}
    assert competencies["manner"]["score"] == 50  # (2 + 1) / (4 + 2)
    assert competencies["process"]["qualities"] == ["line-manager", "escalation-policy"]
    assert len(data["decisions"]) == 4
    assert data["decisions"][0]["better_option"]["text"] == "option 1"
    assert data["decisions"][1]["better_option"] is None
    assert [q["id"] for q in data["strengths"]] == ["factual", "line-manager"]
    assert [q["id"] for q in data["work_ons"]] == ["calm", "polite"]
    assert data["key_moments"] == [1, 3, 4]
    # The rows every format shows, in their order, with qualities folded under each competency.
    assert [(c["id"], c["score"], c["band"], [(q["id"], q["band"]) for q in c["qualities"]])
            for c in data["standing"]] == [
        ("manner", 50, "Developing", [("calm", "one chance"), ("polite", "one chance")]),
        ("process", 75, "one chance", [("line-manager", "one chance")]),
        ("substance", 100, "one chance", [("factual", "one chance")]),
    ]
    assert len(data["questions"]) == 3
    assert (data["hints_used"], data["rewinds"], data["decision_count"]) == (0, 0, 4)


def test_json_keeps_hostile_text_exactly_as_given():
    data = json.loads(to_json(hostile_log(), CATALOGUE))
    assert data["learner"] == f"Learner {HOSTILE}"
    assert data["decisions"][0]["said"] == f"Chosen {HOSTILE}"


# --- Writing files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "opening"),
    [("debrief.md", "# Debrief:"), ("debrief.html", "<!DOCTYPE html>"), ("debrief.JSON", "{")],
)
def test_write_report_chooses_the_format_by_suffix(tmp_path, name, opening):
    written = write_report(tmp_path / name, mixed_path(), CATALOGUE)
    assert written == tmp_path / name
    assert written.read_text(encoding="utf-8").startswith(opening)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_written_report_is_readable_by_its_owner_only(tmp_path):
    written = write_report(tmp_path / "debrief.html", mixed_path(), CATALOGUE)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["debrief.txt", "debrief.pdf", "debrief"])
def test_write_report_refuses_an_unknown_suffix_before_writing(tmp_path, name):
    with pytest.raises(ValueError, match=r"\.md .*\.html .*\.json"):
        write_report(tmp_path / name, mixed_path(), CATALOGUE)
    assert not (tmp_path / name).exists()


def test_reports_render_with_the_shipped_catalogue():
    catalogue = load_catalogue()
    chosen, better = catalogue.competencies[-1].qualities[0], catalogue.competencies[0].qualities[0]
    log = attempt(decision(1, {better: 2}, {chosen: 1}), ending=RESOLVED)
    for render in (to_markdown, to_html, to_json):
        assert "Referral accepted for assessment" in render(log, catalogue)
