"""Attempts for an organisation's records (``rehearse export``).

Three formats: ``json`` (every field, for scripts), ``csv`` (one row per
attempt and a column per competency, for a spreadsheet) and ``xapi`` (a JSON
array of xAPI 1.0.3 statements a Learning Record Store can import; see
``simulator.records.xapi``). ``--cohort NAME`` exports one group session, with each
participant's pseudonymous id beside their display name.

Files written are owner-only, like the history they come from. Reading never
creates, migrates or otherwise changes a history file, so a mistyped --data
leaves nothing behind; the one write an export may make is the xAPI namespace,
saved once in a current Rehearse history so pseudonyms stay the same.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import uuid
from pathlib import Path

from simulator.model.text import inert
from simulator.records.store import Attempt, Store

SUMMARY_COLUMNS = ["id", "scenario_id", "title", "learner", "started_at", "finished_at", "outcome", "overall"]
COHORT_COLUMNS = ["id", "cohort", "participant", "learner", "scenario_id", "title", "started_at", "finished_at",
                  "outcome", "overall"]
# Last, after the competencies: what the learner said in their own words
# before choosing ("say it first"), at each decision where they typed any.
OWN_WORDS_COLUMN = "own_words"
# The history file's own namespace for xAPI ids and pseudonyms, made once.
NAMESPACE_SETTING = "xapi_namespace"


def read_attempts(path: Path, cohort: str | None, wants_namespace: bool) -> tuple[list[Attempt], uuid.UUID | None]:
    """The attempts in the history file (one cohort's, oldest first, or all),
    and the file's xAPI namespace when asked for; nothing when there is no file."""
    if not path.exists():
        return [], None
    with Store(path, access="read") as store:
        if cohort is not None:
            attempts = store.cohort_attempts(cohort)  # oldest first: the order people joined
        else:
            attempts = [a for a in (store.attempt(s.id) for s in store.attempts()) if a is not None]
        saved = _saved_namespace(store) if wants_namespace and attempts else None
    if wants_namespace and attempts and saved is None:
        saved = _new_namespace(path)
    return attempts, saved


def _saved_namespace(store: Store) -> uuid.UUID | None:
    try:
        return uuid.UUID(store.get_setting(NAMESPACE_SETTING))
    except (TypeError, ValueError):
        return None


def _new_namespace(path: Path) -> uuid.UUID:
    """Make and save the file's namespace: the first xAPI export of a history
    writes this one setting, and only to a history already in today's format
    (writing may not migrate a file, so an older one is sent to the app first)."""
    from simulator.records.migrations import MIGRATIONS
    from simulator.records.sqlite_file import StoreError, examine

    found = examine(path, create=False)
    if found.kind != "ours" or found.version != len(MIGRATIONS):
        raise StoreError(f"{path} is a history file in an older format, which an xAPI export cannot use as it is. "
                         "Open it once with `rehearse --data FILE` (the app brings it up to date), then export again.")
    with Store(path) as store:
        saved = _saved_namespace(store)  # another export may have made it meanwhile
        if saved is None:
            saved = uuid.uuid4()
            store.set_setting(NAMESPACE_SETTING, str(saved))
    return saved


# -- json and csv -------------------------------------------------------------------

def _competency_columns(attempts: list[Attempt]) -> list[str]:
    from scoring.catalogue import load_catalogue

    # Every competency the catalogue knows, in its order, then any an older
    # catalogue scored, so a column never silently disappears.
    known = [c.id for c in load_catalogue().competencies]
    seen = sorted({c for a in attempts for c in a.competencies} - set(known))
    return known + seen


def own_words(attempt: Attempt, scenarios: dict | None) -> list[dict]:
    """Each kept decision where the learner typed words before choosing: its
    number on the path kept (as the debrief numbers it), what they said and
    the words of the option they chose (its id when the scenario is gone)."""
    found = []
    kept = [d for d in attempt.decisions if not d.rewound]
    scenario = (scenarios or {}).get(attempt.scenario_id)
    for number, decision in enumerate(kept, start=1):
        if not decision.own_words.strip():
            continue
        node = scenario.nodes.get(decision.node_id) if scenario else None
        chosen = next((c.text for c in node.choices if c.id == decision.choice_id), None) if node else None
        found.append({"decision": number, "node_id": decision.node_id, "choice_id": decision.choice_id,
                      "you_said": decision.own_words, "you_chose": chosen if chosen is not None
                      else f"option {decision.choice_id}"})
    return found


def _said_and_chose(found: list[dict]) -> str:
    """A spreadsheet cell: a line per decision, "you said … / you chose …"."""
    return "\n".join(f"{f['decision']}. you said “{' '.join(f['you_said'].split())}” / "
                     f"you chose “{' '.join(f['you_chose'].split())}”" for f in found)


def _library_if_needed(attempts: list[Attempt]) -> dict | None:
    # The options' words are in the scenarios; read the library only when
    # some decision has typed words to set them beside.
    if not any(d.own_words for a in attempts for d in a.decisions):
        return None
    from simulator.format.library import load_all

    return {r.scenario.id: r.scenario for r in load_all() if r.scenario is not None}


def table_text(attempts: list[Attempt], format: str, cohort: str | None, to_terminal: bool) -> str:
    competencies = _competency_columns(attempts)
    columns = COHORT_COLUMNS if cohort is not None else SUMMARY_COLUMNS
    scenarios = _library_if_needed(attempts)
    rows = []
    for a in attempts:
        fields = {
            "id": a.id, "cohort": a.cohort, "participant": a.participant, "learner": a.learner,
            "scenario_id": a.scenario_id, "title": a.title, "started_at": a.started_at,
            "finished_at": a.finished_at, "outcome": a.outcome, "overall": a.overall,
        }
        rows.append({**{c: fields[c] for c in columns}, **{c: a.competencies.get(c) for c in competencies},
                     OWN_WORDS_COLUMN: own_words(a, scenarios)})
    if format == "json":
        # Printed, every non-ASCII character is escaped so no control
        # character in a name reaches the terminal; in a file, names stay readable.
        document = {"format": 1, **({"cohort": cohort} if cohort is not None else {}), "attempts": rows}
        return json.dumps(document, indent=2, ensure_ascii=to_terminal) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns + competencies + [OWN_WORDS_COLUMN])
    writer.writeheader()
    for row in rows:
        row[OWN_WORDS_COLUMN] = _said_and_chose(row[OWN_WORDS_COLUMN])
        writer.writerow({key: csv_cell(value, to_terminal) for key, value in row.items()})
    return buffer.getvalue()


def csv_cell(value, to_terminal: bool):
    if not isinstance(value, str):
        return "" if value is None else value
    # Inert in a file too: a spreadsheet shows an escape as a box, but `cat`
    # or `less -R` on the file would obey it.
    value = inert(value)
    # A learner name such as "=HYPERLINK(...)" would run as a formula when the
    # export is opened in a spreadsheet (leading spaces are skipped by some);
    # a leading apostrophe keeps it text.
    return "'" + value if value.lstrip(" ")[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# -- xapi ----------------------------------------------------------------------------

def xapi_text(attempts: list[Attempt], namespace: uuid.UUID | None, names: bool, to_terminal: bool) -> tuple[str, int]:
    from simulator.format.library import load_all
    from simulator.records.xapi import statements

    if not attempts:
        return "[]\n", 0
    assert namespace is not None
    library = {r.scenario.id: r.scenario for r in load_all() if r.scenario is not None}
    missing = sorted({a.scenario_id for a in attempts} - set(library))
    for scenario_id in missing:
        print(f"rehearse export: scenario '{inert(scenario_id)}' is not in the library; its decisions are "
              "exported without the words of the options", file=sys.stderr)
    found = statements(attempts, library, namespace, names=names)
    return json.dumps(found, indent=2, ensure_ascii=to_terminal) + "\n", len(found)
