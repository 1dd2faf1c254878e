"""Words typed before choosing, in every export of the history file: the CSV
and JSON say "you said … / you chose …", xAPI sends the words as the answer
to "what would you say?" just before the choice."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from cohort_fixtures import MINIMAL, Clock, scenario
from xapi_rules import problems

from simulator.cli import main
from simulator.engine.session import Session
from simulator.format.library import find
from simulator.records.exports import own_words
from simulator.records.store import Store
from simulator.records.xapi import node_iri, statements

NAMESPACE = uuid.UUID("6f1c2a4e-8d3b-4c5a-9e7f-102938475601")
SAID = "I'm worried about the 29 September body map. Could we hold a strategy discussion today?"


def play_saying(store: Store, played, steps, learner: str = "Asha", cohort: str | None = None) -> int:
    """Play ``steps``: (menu position, words typed first or ""), or ("rewind", k)."""
    attempt = store.start_attempt(played.id, played.title, learner=learner, cohort=cohort,
                                  participant="p-1" if cohort else None)
    session = Session(played, learner=learner)
    for step in steps:
        if step[0] == "rewind":
            session.rewind(step[1])
            store.record_rewind(attempt, session.to_json(), step[1])
            continue
        number, words = step
        node = session.node.id
        choice = session.choices()[number - 1].id
        session.choose(choice, words)
        store.record_decision(attempt, session.to_json(), node, choice, False, own_words=words)
    return attempt


@pytest.fixture
def mash(tmp_path):
    path = tmp_path / "h.db"
    played = find("dsl-mash-threshold").scenario
    with Store(path, clock=Clock()) as store:
        # Typed words at the first decision, rewound, said again differently; then one chosen without typing.
        play_saying(store, played, [(1, "First thoughts, taken back."), ("rewind", 0), (1, SAID), (1, "")])
    return path, played


def test_csv_has_the_words_and_the_option_chosen_in_the_last_column(mash, capsys):
    path, played = mash
    assert main(["--data", str(path), "export", "--format", "csv"]) == 0
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    chosen = Session(played).choices()[0].text
    assert row["own_words"] == f"1. you said “{SAID}” / you chose “{' '.join(chosen.split())}”"
    assert "First thoughts" not in row["own_words"], "words taken back by a rewind are not the learner's answer"


def test_json_lists_each_decision_with_words(mash, capsys):
    path, played = mash
    assert main(["--data", str(path), "export", "--format", "json"]) == 0
    attempt = json.loads(capsys.readouterr().out)["attempts"][0]
    [found] = attempt["own_words"]
    assert (found["decision"], found["node_id"], found["you_said"]) == (1, Session(played).node.id, SAID)
    assert found["you_chose"] == Session(played).choices()[0].text


def test_without_the_scenario_the_option_is_named_by_its_id(tmp_path):
    minimal = scenario(MINIMAL)
    with Store(tmp_path / "h.db") as store:
        attempt = store.attempt(play_saying(store, minimal, [(1, SAID)]))
    assert own_words(attempt, None) == [
        {"decision": 1, "node_id": "open", "choice_id": "cite", "you_said": SAID, "you_chose": "option cite"}]
    assert own_words(attempt, {minimal.id: minimal})[0]["you_chose"].startswith("On 3 October Mia told us")


def test_typed_words_that_look_like_a_formula_or_escape_stay_text(tmp_path, capsys):
    played = find("dsl-mash-threshold").scenario
    path = tmp_path / "h.db"
    with Store(path) as store:
        play_saying(store, played, [(1, '=HYPERLINK("http://x") \x1b[31m')])
    assert main(["--data", str(path), "export", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "1. you said “=HYPERLINK" in out
    assert main(["--data", str(path), "export", "--format", "json"]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_xapi_sends_the_words_as_an_answer_just_before_the_choice(tmp_path):
    minimal = scenario(MINIMAL)
    with Store(tmp_path / "h.db", clock=Clock()) as store:
        play_saying(store, minimal, [(2, "First thoughts"), ("rewind", 0), (1, SAID), (1, "")], cohort="room")
        attempts = store.cohort_attempts("room")
    found = statements(attempts, {minimal.id: minimal}, NAMESPACE)
    assert all(problems(s) == [] for s in found), [problems(s) for s in found]
    kinds = [(s["object"]["id"].rsplit("/", 1)[-1], s["result"]["response"]) for s in found]
    assert kinds == [("own-words", SAID), ("open", "cite"), ("listen", "1")]
    words, choice = found[0], found[1]
    assert words["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert words["object"]["definition"]["interactionType"] == "long-fill-in"
    assert words["context"]["contextActivities"]["parent"] == [{"objectType": "Activity",
                                                               "id": node_iri("test-minimal", "open")}]
    assert words["context"]["registration"] == choice["context"]["registration"]
    assert words["timestamp"] == choice["timestamp"]
    again = statements(attempts, {minimal.id: minimal}, NAMESPACE)
    assert [s["id"] for s in again] == [s["id"] for s in found], "exporting again gives the same ids"
    assert len({s["id"] for s in found}) == len(found)


def test_xapi_shows_control_characters_in_the_words_as_symbols(tmp_path):
    minimal = scenario(MINIMAL)
    with Store(tmp_path / "h.db") as store:
        attempt = store.attempt(play_saying(store, minimal, [(1, "red \x1b[31m alert\x07")]))
    [words] = [s for s in statements([attempt], {minimal.id: minimal}, NAMESPACE)
               if s["object"]["id"].endswith("/own-words")]
    assert words["result"]["response"] == "red ␛[31m alert␇"
