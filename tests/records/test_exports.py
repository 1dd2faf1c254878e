"""`rehearse export` for an organisation's records: the cohort CSV and xAPI statements."""

from __future__ import annotations

import copy
import csv
import json
import os
import stat
import uuid

import pytest
from cohort_fixtures import HOSTILE, HOSTILE_NAME, MINIMAL, Clock, fill_demo_cohort, play_in_cohort, scenario
from xapi_rules import problems

from scoring.catalogue import load_catalogue
from simulator.cli import main
from simulator.format.library import find
from simulator.model.text import inert
from simulator.records.store import Store
from simulator.records.xapi import competency_iri, duration, node_iri, pseudonym, scenario_iri, statements

NAMESPACE = uuid.UUID("6f1c2a4e-8d3b-4c5a-9e7f-102938475601")
COMPETENCIES = [c.id for c in load_catalogue().competencies]


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "cohort.db"
    fill_demo_cohort(path)
    with Store(path) as store:
        # Someone practising alone in the same file: never part of the cohort's export.
        play_in_cohort(store, scenario(MINIMAL), None, "Asha", [1, 1], cohort=None)
    return path


@pytest.fixture
def library():
    return {s.id: s for s in (scenario(MINIMAL), scenario(HOSTILE))}


def cohort_attempts(path):
    with Store(path) as store:
        return store.cohort_attempts("demo")


# -- CSV --------------------------------------------------------------------------------

def test_cohort_csv_has_a_row_per_attempt_with_participant_name_scores_and_competencies(demo, tmp_path):
    out = tmp_path / "demo.csv"
    assert main(["--data", str(demo), "export", "--cohort", "demo", "--format", "csv", "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == ["id", "cohort", "participant", "learner", "scenario_id", "title", "started_at",
                                 "finished_at", "outcome", "overall", *COMPETENCIES, "own_words"]
    # The six attempts of the session in the order they were made; the practice attempt is not among them.
    # Inert in the file too: an escape in a name would act when the file is `cat`ed.
    assert [(r["participant"], r["learner"]) for r in rows] == [
        ("p-1", "Asha"), ("p-2", "Ben"), ("p-3", "Cy"), ("p-4", "Dee"), ("p-5", inert(HOSTILE_NAME)), ("p-2", "Ben")]
    asha, ben, cy, dee, eve, _ = rows
    assert (asha["scenario_id"], asha["outcome"], round(float(asha["overall"]), 2)) == ("test-minimal", "resolved", 86.67)
    assert (float(asha["composure"]), float(asha["evidence"]), float(asha["process"])) == (100, 100, 50)
    assert asha["clarity"] == ""  # not assessed on this path
    assert (cy["outcome"], round(float(cy["overall"]), 2), round(float(cy["composure"]), 2)) == ("escalated", 76.92, 66.67)
    assert (dee["outcome"], dee["overall"], dee["finished_at"]) == ("", "", "")
    assert (eve["scenario_id"], eve["overall"]) == ("test-hostile", "0.0")
    assert all(r["cohort"] == "demo" for r in rows)
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_a_name_that_looks_like_a_formula_stays_text_in_the_cohort_csv(demo, tmp_path):
    with Store(demo) as store:
        play_in_cohort(store, scenario(MINIMAL), "p-8", '=HYPERLINK("http://x")', [1])
    out = tmp_path / "demo.csv"
    assert main(["--data", str(demo), "export", "--cohort", "demo", "--format", "csv", "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        names = [r["learner"] for r in csv.DictReader(f)]
    assert names[-1] == "'=HYPERLINK(\"http://x\")"


def test_cohort_json_carries_the_cohort_and_participants(demo, capsys):
    assert main(["--data", str(demo), "export", "--cohort", "demo"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cohort"] == "demo" and len(data["attempts"]) == 6
    assert {a["participant"] for a in data["attempts"]} == {"p-1", "p-2", "p-3", "p-4", "p-5"}


def test_an_unknown_cohort_exits_1_and_lists_the_cohorts(demo, capsys):
    assert main(["--data", str(demo), "export", "--cohort", "dmeo", "--format", "xapi"]) == 1
    err = capsys.readouterr().err
    assert "no cohort 'dmeo'" in err and any(line.split()[0] == "demo" for line in err.splitlines()[1:])


# -- xAPI statements ------------------------------------------------------------------------

def by_verb(found, verb):
    return [s for s in found if s["verb"]["id"] == f"http://adlnet.gov/expapi/verbs/{verb}"]


def of(found, participant):
    return [s for s in found if s["actor"]["account"]["name"] == participant]


def test_every_statement_meets_the_xapi_rules(demo, library):
    found = statements(cohort_attempts(demo), library, NAMESPACE)
    assert found and all(problems(s) == [] for s in found), [problems(s) for s in found if problems(s)]
    assert len({s["id"] for s in found}) == len(found)


def test_one_answer_per_kept_decision_and_one_completion_per_finished_attempt(demo, library):
    found = statements(cohort_attempts(demo), library, NAMESPACE)
    # Asha 2 + Ben 2 + Cy 2 (his rewound first answer is not sent) + Dee 1 + Eve 1 + Ben's retry 2.
    assert len(by_verb(found, "answered")) == 10
    # Everyone finished but Dee.
    assert len(by_verb(found, "completed")) == 5
    cy = of(found, "p-3")
    assert [s["result"]["response"] for s in by_verb(cy, "answered")] == ["3", "2"]
    assert by_verb(of(found, "p-4"), "completed") == []


def test_an_answer_names_the_decision_its_options_and_the_scenario(demo, library):
    found = statements(cohort_attempts(demo), library, NAMESPACE)
    first = by_verb(of(found, "p-1"), "answered")[0]
    assert first["object"]["id"] == node_iri("test-minimal", "open") == \
        "https://rehearse.invalid/scenarios/test-minimal/nodes/open"
    definition = first["object"]["definition"]
    assert (definition["type"], definition["interactionType"]) == (
        "http://adlnet.gov/expapi/activities/cmi.interaction", "choice")
    assert [c["id"] for c in definition["choices"]] == ["cite", "2", "3"]
    assert definition["choices"][1]["description"] == {"en-GB": "That is simply wrong."}
    assert first["result"]["response"] == "cite"
    assert first["context"]["contextActivities"]["parent"][0]["id"] == scenario_iri("test-minimal")
    assert first["timestamp"] == "2026-03-02T09:32:00Z" and first["version"] == "1.0.3"


def test_a_completion_carries_score_success_duration_and_competencies(demo, library):
    found = statements(cohort_attempts(demo), library, NAMESPACE)
    asha = by_verb(of(found, "p-1"), "completed")[0]
    result = asha["result"]
    assert result["score"] == {"scaled": round(13 / 15, 4), "raw": 86.67, "min": 0, "max": 100}
    assert result["success"] is True and result["completion"] is True
    # Started 09:31, two decisions a minute apart, finished 09:34 (the fixture's clock).
    assert result["duration"] == "PT3M" and asha["timestamp"] == "2026-03-02T09:34:00Z"
    assert result["extensions"][competency_iri("composure")] == 100
    assert result["extensions"][competency_iri("process")] == 50
    assert competency_iri("clarity") not in result["extensions"]  # not assessed is left out, not null
    assert asha["object"]["id"] == scenario_iri("test-minimal")
    # Ben scored 5/13 = 38.5: below the secure band (60), so not a success.
    ben = by_verb(of(found, "p-2"), "completed")[0]
    assert ben["result"]["score"]["scaled"] == round(5 / 13, 4) and ben["result"]["success"] is False
    # All of one attempt's statements share its registration; attempts differ.
    registrations = {s["context"]["registration"] for s in of(found, "p-1")}
    assert len(registrations) == 1
    assert registrations.isdisjoint(s["context"]["registration"] for s in of(found, "p-3"))


def test_success_follows_the_secure_band_threshold(demo, library):
    secure = next(b.minimum for b in load_catalogue().bands if b.id == "secure")
    found = statements(cohort_attempts(demo), library, NAMESPACE)
    for completion in by_verb(found, "completed"):
        score = completion["result"]["score"]["raw"]
        assert completion["result"]["success"] is (score >= secure)
    # Cy's 76.9 is secure, Eve's 0 is not.
    assert by_verb(of(found, "p-3"), "completed")[0]["result"]["success"] is True
    assert by_verb(of(found, "p-5"), "completed")[0]["result"]["success"] is False


def test_actors_are_pseudonymous_unless_names_are_asked_for(demo, library):
    attempts = cohort_attempts(demo)
    text = json.dumps(statements(attempts, library, NAMESPACE))
    for name in ("Asha", "Ben", "Dee", "Eve"):
        assert name not in text
    assert "mbox" not in text and "mailto" not in text
    named = statements(attempts, library, NAMESPACE, names=True)
    eve = of(named, "p-5")[0]["actor"]
    assert eve["name"] == "␛[31m[b]Eve[/b]" and eve["account"] == {"homePage": "https://rehearse.invalid", "name": "p-5"}
    assert all(problems(s) == [] for s in named)


def test_an_attempt_made_alone_is_a_keyed_hash_of_the_name(demo, library):
    with Store(demo) as store:
        alone = [a for a in (store.attempt(s.id) for s in store.attempts()) if a.cohort is None]
    (statement, *_) = statements(alone, library, NAMESPACE)
    account = statement["actor"]["account"]["name"]
    assert account == pseudonym("Asha", NAMESPACE) and account.startswith("learner-") and "Asha" not in account
    assert pseudonym("Asha", NAMESPACE) != pseudonym("Ben", NAMESPACE)
    # Another history file, another key: the same name cannot be matched across files.
    assert pseudonym("Asha", uuid.uuid4()) != account
    assert "grouping" not in statement["context"].get("contextActivities", {})


def test_durations_are_iso_8601():
    assert duration("2026-03-02T09:30:00+00:00", "2026-03-02T09:30:00+00:00") == "PT0S"
    assert duration("2026-03-02T09:30:00+00:00", "2026-03-02T09:30:59+00:00") == "PT59S"
    assert duration("2026-03-02T09:30:00+00:00", "2026-03-02T10:32:03+00:00") == "PT1H2M3S"
    assert duration("2026-03-02T23:30:00+00:00", "2026-03-03T00:10:00+00:00") == "PT40M"


# -- the command, end to end, on a bundled scenario --------------------------------------------

@pytest.fixture
def mash_cohort(tmp_path):
    mash = find("dsl-mash-threshold").scenario
    path = tmp_path / "session.db"
    with Store(path, clock=Clock()) as store:
        store.create_cohort("tuesday", "K7Q2", scenario_id=mash.id)
        play_in_cohort(store, mash, "p-1", "Priya Shah", [1, 1, 1, 1, 1], "tuesday")  # an ending
        play_in_cohort(store, mash, "p-2", "Tom Brennan", [2, ("rewind", 0), 3, 2], "tuesday")  # still playing
    return path


def test_xapi_export_to_a_file_is_valid_private_and_the_same_when_run_again(mash_cohort, tmp_path, capsys):
    out = tmp_path / "statements.json"
    args = ["--data", str(mash_cohort), "export", "--cohort", "tuesday", "--format", "xapi", "--out", str(out)]
    assert main(args) == 0
    first = out.read_text(encoding="utf-8")
    found = json.loads(first)
    assert isinstance(found, list) and found
    assert all(problems(s) == [] for s in found), [p for s in found for p in problems(s)]
    assert "Priya" not in first and "Brennan" not in first
    assert len(by_verb(found, "completed")) == 1  # Priya reached an ending; Tom is still playing
    assert "statements from 2 attempts" in capsys.readouterr().err
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    # Exporting again gives the same statements with the same ids (an LRS
    # stores them once), in a new file beside the first, which is kept.
    assert main(args) == 0
    again = [p for p in tmp_path.glob("statements-*.json")]
    assert len(again) == 1 and again[0].read_text(encoding="utf-8") == first
    assert out.read_text(encoding="utf-8") == first
    assert main(args[:-1] + [str(tmp_path / "named.json"), "--names"]) == 0
    named = json.loads((tmp_path / "named.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in named] == [s["id"] for s in found]
    assert {s["actor"].get("name") for s in named} == {"Priya Shah", "Tom Brennan"}


def test_xapi_export_to_the_terminal_parses_and_an_empty_history_gives_an_empty_array(mash_cohort, tmp_path, capsys):
    assert main(["--data", str(mash_cohort), "export", "--format", "xapi"]) == 0
    assert all(problems(s) == [] for s in json.loads(capsys.readouterr().out))
    missing = tmp_path / "none.db"
    assert main(["--data", str(missing), "export", "--format", "xapi"]) == 0
    assert json.loads(capsys.readouterr().out) == [] and not missing.exists()


# -- the rules can fail ----------------------------------------------------------------------------

@pytest.fixture
def valid(demo, library):
    found = statements(cohort_attempts(demo), library, NAMESPACE)
    answered, completed = by_verb(found, "answered")[0], by_verb(found, "completed")[0]
    assert problems(answered) == [] and problems(completed) == []
    return {"answered": answered, "completed": completed}


def _set(path: str, value):
    def change(statement):
        *parents, last = path.split(".")
        target = statement
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
    return change


DELETE = object()
BROKEN = [
    ("answered", _set("actor", DELETE), "'actor' is required"),
    ("answered", _set("verb", DELETE), "'verb' is required"),
    ("answered", _set("object", DELETE), "'object' is required"),
    ("answered", _set("verb.id", "answered"), "verb.id: 'answered' is not an absolute IRI"),
    ("answered", _set("object.id", "nodes/open"), "object.id: 'nodes/open' is not an absolute IRI"),
    ("answered", _set("object.id", "https://rehearse.invalid/a node"), "is not an absolute IRI"),
    ("answered", _set("id", "1234"), "statement.id: '1234' is not a UUID"),
    ("answered", _set("context.registration", "attempt-1"), "context.registration: 'attempt-1' is not a UUID"),
    ("answered", _set("timestamp", "yesterday"), "not an ISO 8601 date and time"),
    ("answered", _set("timestamp", "2026-03-02T09:31:00"), "not an ISO 8601 date and time with a time zone"),
    ("answered", _set("timestamp", "2026-02-30T09:31:00Z"), "not a real date and time"),
    ("answered", _set("actor.mbox", "mailto:asha@example.org"), "exactly one inverse functional identifier"),
    ("answered", _set("actor", {"objectType": "Agent", "mbox": "mailto:a@example.org"}), "no e-mail address"),
    ("answered", _set("actor", {"objectType": "Agent", "mbox_sha1sum": "ab" * 20}), "no e-mail address"),
    ("answered", _set("actor", {"objectType": "Agent", "name": "Asha"}), "found 0"),
    ("answered", _set("actor.account.homePage", DELETE), "account needs a homePage"),
    ("answered", _set("actor.account.homePage", "rehearse"), "account needs a homePage"),
    ("answered", _set("result.extensions", {"hint-used": False}), "the key 'hint-used' is not an absolute IRI"),
    ("answered", _set("object.definition.interactionType", "multiple"), "'multiple' is not an interaction type"),
    ("answered", _set("object.definition.choices.1.id", "cite"), "ids must be distinct"),
    ("answered", _set("object.definition.name", {"English": "x"}), "'English' is not an RFC 5646 language tag"),
    ("answered", _set("context.contextActivities.teacher", []), "'teacher' is not parent, grouping"),
    ("answered", _set("stored_by", "Rehearse"), "'stored_by' is not a property"),
    ("answered", _set("result.response", None), "null is not allowed"),
    ("completed", _set("result.score.scaled", 1.5), "scaled: 1.5 is outside -1 to 1"),
    ("completed", _set("result.score.scaled", "0.8"), "must be a number"),
    ("completed", _set("result.score.raw", 120), "raw: 120 is above max 100"),
    ("completed", _set("result.score.raw", -3), "raw: -3 is below min 0"),
    ("completed", _set("result.score.min", 100), "min must be less than max"),
    ("completed", _set("result.success", "true"), "result.success: must be true or false"),
    ("completed", _set("result.duration", "3 minutes"), "'3 minutes' is not an ISO 8601 duration"),
    ("completed", _set("result.duration", "PT"), "'PT' is not an ISO 8601 duration"),
    ("completed", _set("result.duration", "P0001-02-03T04:05:06"), "is not an ISO 8601 duration"),
    ("completed", _set("result.extensions", {"composure": 75}), "the key 'composure' is not an absolute IRI"),
    ("completed", _set("version", "2"), "is not a 1.0.x version"),
]


@pytest.mark.parametrize("kind, breaking, expected", BROKEN, ids=[b[2][:40] for b in BROKEN])
def test_the_rules_reject_a_broken_statement(valid, kind, breaking, expected):
    statement = copy.deepcopy(valid[kind])
    breaking(statement)
    found = problems(statement)
    assert any(expected in problem for problem in found), found


def test_the_rules_accept_the_specifications_own_shapes():
    # A minimal statement in the shape of the specification's examples, with an account agent.
    minimal = {
        "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "actor": {"account": {"homePage": "http://www.example.com", "name": "1625378"}},
        "verb": {"id": "http://example.com/xapi/verbs#sent-a-statement", "display": {"en-US": "sent"}},
        "object": {"id": "http://example.com/xapi/activity/simplestatement"},
        "result": {"duration": "P3Y1M29DT4H35M59.14S"},
        "timestamp": "2015-11-18T12:17:00+00:00",
    }
    assert problems(minimal) == []
    assert problems({**minimal, "result": {"duration": "P4W"}}) == []
