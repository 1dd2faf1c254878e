"""Endings that tell the truth: `debrief_if` paragraphs said only on the routes
that earned them, and the `ending-claims-uncited` lint that finds a claim some
route into an ending does not bear out."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine.session import ChoiceUnavailable, Session
from simulator.format.library import find
from simulator.format.loader import load_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = (ROOT / "tests" / "broken" / "lint-ending-claims-uncited.yaml").read_text("utf-8")
CLAIM = "debrief: \"You cited Mia's disclosure to Gemma, and Sam listened.\""


def variant(debrief_line: str) -> str:
    """The fixture with the ending 'agreed' given ``debrief_line`` (YAML, one line, under ``ending:``)."""
    assert CLAIM in FIXTURE
    return FIXTURE.replace(CLAIM, debrief_line)


def claims_found(text: str) -> list[str]:
    result = load_text(text, "fixture.yaml")
    assert result.ok, [d.format() for d in result.diagnostics]
    return [d.message for d in result.diagnostics if "[ending-claims-uncited]" in d.message]


def routes(scenario, limit: int = 8):
    """Every route to an ending, as option numbers, by brute force."""
    for length in range(1, limit + 1):
        for numbers in itertools.product(range(1, 4), repeat=length):
            session = Session(scenario)
            try:
                for number in numbers:
                    if session.finished:
                        raise ChoiceUnavailable("ended early")
                    session.choose_number(number)
            except ChoiceUnavailable:
                continue
            if session.finished:
                yield numbers, session


# -- debrief_if at play -----------------------------------------------------------------------


def test_a_debrief_if_paragraph_is_said_only_on_routes_that_cited_the_fact():
    text = variant(CLAIM.replace("You cited Mia's disclosure to Gemma, and Sam listened.", "Sam listened.")
                   + "\n      debrief_if:\n        - cited: [note-1]\n          text: You cited Mia's disclosure to Gemma.")
    scenario = load_text(text, "fixture.yaml").scenario
    said = {numbers: session.evidence_log().ending.debrief for numbers, session in routes(scenario)
            if session.node.id == "agreed"}
    assert said[(1, 1)] == "Sam listened.\n\nYou cited Mia's disclosure to Gemma."  # cites note-1 first
    assert said[(3, 1)] == "Sam listened."  # through the manager: never cited
    assert claims_found(text) == []


BUNDLED = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_no_bundled_ending_praises_what_some_route_into_it_never_did(path):
    # Scenario rewrites change endings; whatever they say must hold on every
    # route in (the lint walks them all), so the library stays truthful.
    assert claims_found(path.read_text("utf-8")) == []


def test_a_dsl_route_that_never_cited_the_continuum_is_not_told_it_did(capsys):
    # The engine, not just the lint: whatever route reaches an ending without
    # citing the continuum of need hears nothing about it.
    scenario = find("dsl-mash-threshold").scenario
    for numbers, session in routes(scenario, limit=10):
        cited = {fact for move in session.moves for choice in scenario.nodes[move.node_id].choices
                 if choice.id == move.choice_id for fact in choice.cites}
        if "continuum" not in cited:
            assert "continuum" not in session.ending_debrief().lower(), numbers


# -- the validator ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("item", "expected"), [
    ("{text: Well done.}", "has no test, so it would be said on every route"),
    ("{cited: [note-9], text: Well done.}", "'note-9' is not in the case file; did you mean 'note-1'?"),
    ("{shown: [factul], text: Well done.}", "'factul' is not a quality in the catalogue; did you mean 'factual'?"),
    ("{when: 'trusst >= 3', text: Well done.}", "condition names 'trusst', which is not a variable; did you mean 'trust'?"),
    ("{when: 'trust >=', text: Well done.}", "condition 'trust >='"),
])
def test_a_debrief_if_item_that_cannot_hold_as_written_is_an_error_at_its_place(item, expected):
    result = load_text(variant(CLAIM.replace("You cited Mia's disclosure to Gemma, and ", "")
                               + f"\n      debrief_if: [{item}]"), "fixture.yaml")
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert len(errors) == 1 and expected in errors[0].message, [d.format() for d in result.diagnostics]
    assert errors[0].line == 80  # the debrief_if line, under the ending's debrief


# -- the lint ----------------------------------------------------------------------------------


def test_the_warning_names_the_words_the_fact_and_a_route_that_never_cited_it():
    [message] = claims_found(FIXTURE)
    assert "says \"disclosure to gemma\"" in message and "'note-1'" in message and "--choices 3,1" in message
    # That route really reaches the ending without citing the fact.
    scenario = load_text(FIXTURE, "fixture.yaml").scenario
    session = Session(scenario)
    for number in (3, 1):
        session.choose_number(number)
    assert session.node.id == "agreed" and not any(m.choice_id == "cite" for m in session.moves)


@pytest.mark.parametrize("debrief", [
    "Sam listened to Mia's disclosure to Gemma.",  # not a "You" sentence: not a claim about the learner
    "You had the notes, but Mia's disclosure to Gemma stayed in the file.",  # after "but": not claimed
    "You didn't cite Mia's disclosure to Gemma.",  # turned by n't
    "You cited the disclosure.",  # two words of the title, not three
])
def test_words_that_are_not_a_claim_of_what_the_learner_did_are_not_flagged(debrief):
    assert claims_found(variant(f'debrief: "{debrief}"')) == []


def test_a_quality_named_by_its_label_must_be_shown_on_every_route():
    # Only the route through the manager shows line-manager evidence; the cite route does not.
    text = variant('debrief: "You used line manager support well."')
    assert claims_found(text) == [], "no two-word label matched: the catalogue's label is what counts"
    from scoring.catalogue import load_catalogue

    label = load_catalogue().qualities["factual"].label
    if len(label.split()) < 2:
        label = load_catalogue().qualities["good-recording"].label
    [message] = claims_found(variant(f'debrief: "You showed {label.lower()} throughout."'))
    assert "shows the quality" in message


def test_a_paragraph_whose_condition_does_not_imply_its_claim_is_flagged_at_the_paragraph():
    text = variant(CLAIM.replace("You cited Mia's disclosure to Gemma, and ", "")
                   + "\n      debrief_if:\n        - when: trust >= 3\n          text: You cited Mia's disclosure to Gemma.")
    [message] = claims_found(text)
    assert "'note-1'" in message
    result = load_text(text, "fixture.yaml")
    warning = next(d for d in result.diagnostics if "[ending-claims-uncited]" in d.message)
    assert warning.line == 82  # the paragraph's text, not the ending's debrief


def test_the_lint_agrees_with_every_route_played(tmp_path):
    """Brute force: the warning is given exactly when some played route into
    the ending never cited the fact its text claims."""
    for initial in (2, 3):
        text = FIXTURE.replace("trust: {initial: 3,", f"trust: {{initial: {initial},")
        scenario = load_text(text, "fixture.yaml").scenario
        uncited = any(session.node.id == "agreed" and not any(m.choice_id == "cite" for m in session.moves)
                      for _, session in routes(scenario))
        assert bool(claims_found(text)) is uncited, initial
