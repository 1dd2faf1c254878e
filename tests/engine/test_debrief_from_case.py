"""The debrief every format prints agrees row for row, uses one meaning of
"best on offer", and draws its feedback from the case being played (issue 12).

Routes are played through the engine on the bundled library, so these tests
see what a learner sees: the evidence log the app, `rehearse play` and
`rehearse export` all score."""

from __future__ import annotations

import html
import json
import random
import re
from functools import lru_cache
from html.parser import HTMLParser

import pytest

from scoring.catalogue import load_catalogue
from scoring.debrief import prepare_debrief
from scoring.evidence import best_on_offer
from scoring.html_report import render_html
from scoring.json_report import render_json
from scoring.markdown_report import render_markdown
from scoring.plain_report import render_plain
from simulator.engine.session import Session
from simulator.format.library import load_all

CARE_HOME = "asc-care-home-safeguarding"
DSL = "dsl-mash-threshold"
# A mediocre route through each (52 and 36 overall; tried as a user too).
MEDIOCRE = {DSL: (1, 1, 1, 1, 1, 1), CARE_HOME: (1, 2, 1, 1, 2, 1, 1, 1, 1)}


@lru_cache(maxsize=1)
def library():
    return {entry.scenario.id: entry.scenario for entry in load_all()}


def played(scenario_id: str, route) -> Session:
    session = Session(library()[scenario_id])
    for number in route:
        if session.finished:
            break
        session.choose_number(number)
    return session


def debrief_of(scenario_id: str, route):
    return prepare_debrief(played(scenario_id, route).evidence_log(), load_catalogue())


def random_routes(scenario_id: str, count: int, seed: int = 12):
    rng = random.Random(seed)
    for _ in range(count):
        session = Session(library()[scenario_id])
        while not session.finished and session.choices():
            session.choose_number(rng.randrange(len(session.choices())) + 1)
        yield session


# --- One definition of "best on offer" ----------------------------------------


@pytest.mark.parametrize("scenario_id", sorted(MEDIOCRE) + ["gp-s47-infant-bruising", "housing-interpreter-s42"])
def test_best_on_offer_means_the_same_in_the_scorer_key_moments_and_every_report(scenario_id):
    known = frozenset(load_catalogue().qualities)
    for session in random_routes(scenario_id, 25):
        log = session.evidence_log()
        debrief = prepare_debrief(log, load_catalogue())
        moments = {review.number for review in debrief.feedback.key_moments}
        for decision, review in zip(log.decisions, debrief.feedback.reviews):
            best = decision.chosen in best_on_offer(decision.offers, known)
            assert review.best_available == best
            assert (review.number in moments) == (not best)
        # The "Every decision" table says "No" exactly at the key moments.
        verdicts = re.findall(r"^\| (\d+) \|.*\| (Yes|No)(?: \(hint used\))? \|$", render_markdown(debrief), re.MULTILINE)
        assert {int(n) for n, verdict in verdicts if verdict == "No"} == moments
        for text in (render_markdown(debrief), render_html(debrief), render_plain(debrief)):
            assert "strongest option" not in text  # the old second meaning of "best"


# --- Row for row ---------------------------------------------------------------


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row, self._in = [], None, False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "tr" and classes.split()[:1] in (["competency"], ["quality"]):
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._in = True
            self._row.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._in = False
        elif tag == "tr" and self._row is not None:
            self.rows.append(tuple(cell.strip() for cell in self._row[:3]))
            self._row = None

    def handle_data(self, data):
        if self._in and self._row is not None:
            self._row[-1] += data


@pytest.mark.parametrize("scenario_id", sorted(MEDIOCRE))
def test_every_format_shows_the_same_rows_in_the_same_order(scenario_id):
    debrief = debrief_of(scenario_id, MEDIOCRE[scenario_id])
    ranked = debrief.standing
    expected = [(row.label, str(row.score), row.band)
                for competency in ranked.competencies for row in (competency, *competency.qualities)]

    cells = _Cells()
    cells.feed(render_html(debrief))
    assert cells.rows == expected

    markdown = [tuple(cell.strip(" *\u00a0").replace("\\", "") for cell in line.strip("|").split(" | ")[:3])
                for line in render_markdown(debrief).splitlines()
                if line.startswith("| ") and line.count("|") == 5 and "Competency and" not in line]
    assert markdown == expected

    data = json.loads(render_json(debrief))
    assert [(row["label"], str(row["score"]), row["band"])
            for competency in data["standing"] for row in (competency, *competency["qualities"])] == expected

    plain = render_plain(debrief)
    listed = plain[plain.index("Competencies, weakest first"):plain.index("Not assessed on this route")]
    names = [label for label, _, _ in expected]
    positions = [" ".join(listed.split()).index(f"{name}: ") for name in names]
    assert positions == sorted(positions)  # the same order, at a screen reader's pace


@pytest.mark.parametrize("scenario_id", sorted(MEDIOCRE))
def test_rows_are_whole_numbers_weakest_first_and_one_chance_is_not_banded(scenario_id):
    ranked = debrief_of(scenario_id, MEDIOCRE[scenario_id]).standing
    ratios = [c.gained / c.possible for c in ranked.competencies]
    assert ratios == sorted(ratios)
    for competency in ranked.competencies:
        inner = [q.gained / q.possible for q in competency.qualities]
        assert inner == sorted(inner)
        for row in (competency, *competency.qualities):
            assert isinstance(row.score, int)
            assert (row.band == "one chance") == (row.chances == 1)
    assert any(row.chances == 1 for c in ranked.competencies for row in c.qualities)


# --- Feedback drawn from the case ----------------------------------------------


def test_what_good_looks_like_is_the_better_options_words_and_the_facts_it_rests_on():
    session = played(CARE_HOME, MEDIOCRE[CARE_HOME])
    debrief = prepare_debrief(session.evidence_log(), load_catalogue())
    scenario = library()[CARE_HOME]
    options = {choice.text: choice for node in scenario.nodes.values() for choice in node.choices}
    assert debrief.feedback.work_ons
    for quality in debrief.feedback.work_ons:
        example = debrief.feedback.examples[quality.id]
        assert example.from_case
        choice = options[example.words]  # the scenario's own words at that moment
        assert [fact.title for fact in example.rests_on] == [scenario.case_file[f].title for f in choice.cites]
        review = debrief.feedback.reviews[example.decision - 1]
        assert not review.best_available
    # Moment by moment too: the facts the option best on offer cites are named under it.
    cited = [moment for moment in debrief.feedback.key_moments if moment.better.rests_on]
    assert cited
    page = html.unescape(render_html(debrief))
    for moment in cited:
        assert f"It rests on: {moment.better.rests_on[0].title}" in page


CHILD_WORDS = re.compile(r"Graded Care Profile|\bmum\b|Mr Patel|\bJay\b|\bLeah\b|\bAmira\b", re.IGNORECASE)


def test_an_adult_case_never_gets_an_example_about_a_child():
    catalogue = load_catalogue()
    child_examples = [q.good for q in catalogue.qualities.values() if q.example_for == "child"]
    assert child_examples
    for session in random_routes(CARE_HOME, 30):
        debrief = prepare_debrief(session.evidence_log(), catalogue)
        for text in (render_markdown(debrief), render_plain(debrief), render_html(debrief)):
            assert not any(example in text for example in child_examples)
            # Not even in a quality's name or definition ("his mum" is this case's own words).
            assert "Graded Care Profile" not in text
        for example in debrief.feedback.examples.values():
            assert not CHILD_WORDS.search(example.words)


def test_each_key_moment_quotes_the_briefings_own_sentence_not_a_bare_name():
    from pathlib import Path

    import scoring

    text = " ".join((Path(scoring.__file__).parent / "briefing.txt").read_text(encoding="utf-8").split())
    debrief = debrief_of(DSL, MEDIOCRE[DSL])
    assert debrief.feedback.key_moments
    for moment in debrief.feedback.key_moments:
        sentence = moment.better.briefing
        assert " ".join(sentence.split()) in text
        assert len(sentence.split()) >= 4 and sentence != moment.better.quality_label
