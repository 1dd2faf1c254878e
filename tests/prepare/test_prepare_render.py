"""What comes out of a plan: a page that prints on one sheet and loads nothing,
Markdown that reads literally, and drafts built from the practitioner's words.
A plan is data: whatever it holds is shown, never obeyed."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from prepare_fixtures import TODAY, example_plan, template_plan

from simulator.prepare import drafts
from simulator.prepare.plan import Ask, Decision, Fact, Fallback, Ground, Meeting, Plan, Record, TheirWords, Told
from simulator.prepare.profile import default_profile
from simulator.prepare.render_html import POLICY, render_html
from simulator.prepare.render_markdown import render_markdown

SCRIPT = "<script>alert('plan')</script>"
LINK = "[click here](javascript:alert(1))"
BARE = "](javascript:alert(2))"
TERMINAL = "\x1b]0;owned\x07\x1b[31mred\x1b[0m\x9b2J"
RICH = "[bold red]loud[/bold red] [link=https://example.org]x[/link]"
IMAGE = "<img src=x onerror=alert(3)>"
HOSTILE = f"{SCRIPT} {LINK} {BARE} {TERMINAL} {RICH} {IMAGE} | cell # head &amp; *em* `code`"


def hostile_plan() -> Plan:
    h = HOSTILE
    return Plan(
        about="child", area="information-sharing", title=h, my_role=h, concern=h, impact=h, safety=h,
        meeting=Meeting(h, "2026-12-08", h), decision=Decision(h, h, "2026-11-27"),
        facts=(Fact(h, "2026-11-10", h), Fact("\n# not a heading\n- not a list", "", h)),
        their_words=(TheirWords(h, "2026-11-24", h),), grounds=(Ground(h, h),), ask=Ask(h, "2026-12-11"),
        told=(Told(h, "2026-11-30", h),), fallback=Fallback(2, h, "2026-12-14"), record=Record(h, h),
    )


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def hostile_html() -> str:
    return render_html(hostile_plan(), default_profile(), with_drafts=True, today=TODAY)


@pytest.fixture(scope="module")
def hostile_markdown() -> str:
    return render_markdown(hostile_plan(), default_profile(), today=TODAY)


def test_html_shows_hostile_text_as_text_and_runs_nothing(hostile_html):
    tags = {tag for tag, _ in _tags(hostile_html)}
    assert not tags & {"script", "img", "a", "link", "iframe", "object", "embed", "form", "base"}
    assert "&lt;script&gt;alert(&#x27;plan&#x27;)&lt;/script&gt;" in hostile_html
    assert "&lt;img src=x onerror=alert(3)&gt;" in hostile_html
    assert not any(name.startswith("on") for _, attrs in _tags(hostile_html) for name in attrs)


def test_html_shows_terminal_escapes_as_symbols(hostile_html):
    assert "\x1b" not in hostile_html and "\x07" not in hostile_html and "\x9b" not in hostile_html
    assert "\u241b]0;owned\u2407" in hostile_html


def test_html_keeps_rich_markup_as_the_words_written(hostile_html):
    assert "[bold red]loud[/bold red]" in hostile_html


def test_html_page_fetches_nothing_and_says_so_in_its_policy(hostile_html):
    metas = [attrs for tag, attrs in _tags(hostile_html) if tag == "meta"]
    assert {"http-equiv": "Content-Security-Policy", "content": POLICY} in metas
    assert "default-src 'none'" in POLICY
    assert not any(name in ("src", "href") for _, attrs in _tags(hostile_html) for name in attrs)
    assert "@import" not in hostile_html and "url(" not in hostile_html


def _rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_markdown_escapes_so_nothing_becomes_html_a_link_or_structure(hostile_markdown):
    html = _rendered(hostile_markdown)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "javascript:" not in re.sub(r"<[^>]+>", "", html) or "href" not in html
    assert "\\[click here\\](javascript:alert(1))" in hostile_markdown
    assert "\\<script\\>" in hostile_markdown
    # A line break in a fact stays inside its table cell: no heading or list appears.
    assert "<h1>not a heading" not in html and "<li>not a list" not in html


def test_markdown_keeps_rich_markup_and_escapes_inert(hostile_markdown):
    assert "\x1b" not in hostile_markdown and "\x9b" not in hostile_markdown
    assert "\\[bold red\\]loud\\[/bold red\\]" in hostile_markdown


def test_draft_text_shows_control_characters_as_symbols():
    text = drafts.opening_statement(hostile_plan(), default_profile()).text()
    assert "\x1b" not in text and "\u241b" in text


def test_identifier_warning_heads_the_page_and_the_markdown():
    plan = replace(example_plan(), safety="mum is on 07700 900123 if anything changes")
    page = render_html(plan, default_profile(), today=TODAY)
    markdown = render_markdown(plan, default_profile(), today=TODAY)
    assert 'class="warning"' in page and "a phone number in safety" in page
    assert "**Warning:**" in markdown and "a phone number in safety" in markdown
    assert "07700" in page  # the plan itself is shown; the warning tells them to change it
    assert "warning" not in render_html(example_plan(), default_profile(), today=TODAY).split("<style>")[1].split(
        "</style>")[1]


def test_example_page_has_every_section_and_no_gaps():
    page = render_html(example_plan(), default_profile(), today=TODAY)
    for heading in ("The decision I disagree with", "Dated facts", "In the child&#x27;s own words",
                    "What it rests on", "What I am asking for", "What keeps the child safe until then",
                    "Who I have told", "If it is not resolved", "What I will record, and where", "Immediate risk"):
        assert heading in page
    assert "Still to do" not in page and "Not written yet" not in page
    assert "Stage 2:" in page and "Monday 14 December 2026" in page


def test_an_empty_template_page_says_what_to_write_and_quotes_the_briefing():
    page = render_html(template_plan(), default_profile(), today=TODAY)
    assert page.count("Not written yet") >= 8
    assert "Still to do" in page and "Considering the voice of the service user" in page


def test_plan_page_and_drafts_use_the_local_profile_names():
    profile = replace(default_profile(), escalation_policy="Resolving Professional Differences protocol",
                      is_default=False, partnership="Northbridge Safeguarding Children Partnership")
    markdown = render_markdown(example_plan(), profile, today=TODAY)
    assert "Resolving Professional Differences protocol" in markdown
    assert "Escalation stages from the local profile for Northbridge Safeguarding Children Partnership" in markdown


def test_opening_statement_carries_every_element_the_analyser_looks_for():
    draft = drafts.opening_statement(example_plan(), default_profile())
    carried = {element for paragraph in draft.elements for element in paragraph}
    assert carried == {"concern", "impact", "evidence", "ask", "timescale", "inquiry", "escalation"}
    text = draft.text()
    assert "Friday 11 December 2026" in text and "\u201cI don't see the point" in text
    assert text.index("My concern") < text.index("What I've seen") < text.index("what I'm asking")


def test_the_printed_opening_statement_says_what_the_analyser_finds_in_it():
    from simulator.prepare.render_html import render_html
    from simulator.prepare.render_markdown import render_markdown

    full = ("The analyser finds in your drafted opening: your concern, the impact on the person, a specific, "
            "dated fact, a specific ask, a time for it, an open question, the next stage if you cannot agree.")
    for page in (render_html(example_plan(), default_profile(), with_drafts=True),
                 render_markdown(example_plan(), default_profile())):
        assert full in page and "It does not find" not in page
    empty = render_markdown(template_plan(), default_profile())
    assert "It does not find: the impact on the person, a specific, dated fact, a time for it." in empty


def test_opening_statement_leaves_visible_gaps_rather_than_inventing():
    text = drafts.opening_statement(template_plan(), default_profile()).text()
    assert "[your concern in one or two sentences]" in text and "[the date you need an answer by]" in text


def test_stage_two_email_names_the_stage_the_route_and_a_reply_date_from_the_profile():
    email = drafts.stage_two_email(example_plan(), default_profile(), today=TODAY).text()
    assert "stage 2 of the partnership's escalation policy (line managers)" in email
    # The fallback date (Mon 14 Dec) is ahead, so the email goes then; stage 2 takes 3 working days.
    assert "reply by Thursday 17 December 2026" in email
    assert "stage 3 (senior managers)" in email and "initials only" in email


def test_post_meeting_record_is_filled_from_the_outcome_and_blank_where_not():
    plan = replace(example_plan(), outcome=replace(example_plan().outcome, agreed="CAMHS to offer an assessment",
                                                   review="2026-12-18"))
    entries = dict((e.label, e.value) for e in drafts.post_meeting_record(plan, default_profile()))
    assert entries["What was agreed, and who will do what"] == "CAMHS to offer an assessment"
    assert entries["Review date"] == "Friday 18 December 2026"
    assert entries["Reasons given"] == ""
    assert "\u2026" in drafts.post_meeting_record_draft(plan, default_profile()).text()
