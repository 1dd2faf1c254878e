"""Attempts as xAPI 1.0.3 statements, for an organisation's Learning Record Store.

One ``answered`` statement per decision kept (a decision taken back by a
rewind was not the participant's answer), one ``completed`` statement per
finished attempt. The choices here, and why:

- Identifiers live under ``https://rehearse.invalid/``. Activity ids must be
  absolute IRIs that always mean the same thing; ``.invalid`` is reserved
  (RFC 6761) and can never be registered by anyone, so our ids cannot collide
  with someone else's, and an LRS that tries to fetch metadata from an id (the
  spec suggests it may) fails at once without telling any third party what
  was exported. A ``tag:`` IRI was the other candidate, but RFC 4151 wants a
  domain the tagger owns, which we do not have; the https form also reads
  naturally in LRS reports.
      scenario         https://rehearse.invalid/scenarios/<scenario-id>
      decision         https://rehearse.invalid/scenarios/<scenario-id>/nodes/<node-id>
      competency score https://rehearse.invalid/xapi/competencies/<competency-id>
      group session    https://rehearse.invalid/cohorts/<store namespace>/<cohort name>
- Actors are pseudonymous ``account`` agents, never ``mbox``: the account name
  is the participant id of a group session, or, for an attempt made alone, a
  keyed hash (HMAC-SHA-256) of the learner's name with the history file's own
  secret namespace, so a list of staff names cannot be hashed to find who is
  who. The display name is added only when the caller asks (``names=True``).
- Statement ids and registrations are UUID 5s derived from that namespace and
  the attempt (and decision) ids, so exporting again gives the same ids and an
  LRS stores each statement once; two history files never share ids.
- ``result.success`` on ``completed`` is true when the overall score reaches
  the "secure" band of ``scoring/qualities.yaml`` (60): the level at which the
  catalogue describes practice as sound. ``score.scaled`` is overall / 100.
- No ``correctResponsesPattern``: options are scored on several qualities at
  once and more than one can be sound, so there is no single correct answer to
  declare, and the spec discourages the pattern where it cannot be exhaustive.
- Words typed before choosing ("say it first") are an answer of their own, in
  an ``answered`` statement just before the choice's: its object is the
  decision's own-words activity (``…/nodes/<node-id>/own-words``), a
  ``long-fill-in`` interaction, and ``result.response`` is the words. The
  choice's statement keeps the chosen option's id as its response, because a
  ``choice`` interaction's response must be option ids (xAPI 1.0.3, the
  interaction types' response formats) and LRS reports count answers by them.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import datetime, timezone
from typing import Iterable, Mapping
from urllib.parse import quote

from scoring.catalogue import Catalogue, load_catalogue
from scoring.display import one_line, shorten, visible
from simulator.model.scenario import Scenario
from simulator.records.store import Attempt

XAPI_VERSION = "1.0.3"
BASE = "https://rehearse.invalid"
LANGUAGE = "en-GB"
PLATFORM = "Rehearse"
ANSWERED = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {LANGUAGE: "answered"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {LANGUAGE: "completed"}}
INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
SIMULATION_TYPE = "http://adlnet.gov/expapi/activities/simulation"
MEETING_TYPE = "http://adlnet.gov/expapi/activities/meeting"
HINT_USED = f"{BASE}/xapi/extensions/hint-used"
OWN_WORDS = "own-words"
OUTCOME = f"{BASE}/xapi/extensions/outcome"
SUCCESS_BAND = "secure"


def _segment(text: str) -> str:
    # Ids are [A-Za-z0-9._-] by the scenario schema, but a hand-built scenario
    # or a cohort name may hold anything: encode so the IRI stays valid.
    return quote(text, safe="")


def scenario_iri(scenario_id: str) -> str:
    return f"{BASE}/scenarios/{_segment(scenario_id)}"


def node_iri(scenario_id: str, node_id: str) -> str:
    return f"{scenario_iri(scenario_id)}/nodes/{_segment(node_id)}"


def competency_iri(competency_id: str) -> str:
    return f"{BASE}/xapi/competencies/{_segment(competency_id)}"


def timestamp(stored: str) -> str:
    """A store timestamp (ISO 8601 with offset) as RFC 3339 UTC: ``2026-03-02T09:30:00Z``."""
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def duration(started: str, finished: str) -> str:
    """The time between two store timestamps as an ISO 8601 duration, e.g. ``PT12M30S``."""
    seconds = max(0, round((datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{seconds}S" if seconds or text == "PT" else "")


def pseudonym(learner: str, namespace: uuid.UUID) -> str:
    """An account name for an attempt made outside a group session."""
    digest = hmac.new(namespace.bytes, learner.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"learner-{digest[:32]}"


def statements(
    attempts: Iterable[Attempt],
    scenarios: Mapping[str, Scenario],
    namespace: uuid.UUID,
    *,
    names: bool = False,
    catalogue: Catalogue | None = None,
) -> list[dict]:
    """The statements for ``attempts``, in order: each attempt's answers, then
    its completion. ``namespace`` is the history file's own (see exports);
    ``names`` adds each learner's display name to their agent."""
    catalogue = catalogue or load_catalogue()
    secure = next(band.minimum for band in catalogue.bands if band.id == SUCCESS_BAND)
    out: list[dict] = []
    for attempt in attempts:
        scenario = scenarios.get(attempt.scenario_id)
        base = {
            "actor": _actor(attempt, namespace, names),
            "context": _context(attempt, namespace),
        }
        for decision in attempt.decisions:
            if decision.rewound:
                continue
            context = dict(base["context"])
            context["contextActivities"] = {**context.get("contextActivities", {}),
                                            "parent": [_scenario_activity(attempt, scenario, brief=True)]}
            if decision.own_words.strip():
                out.append(_own_words_statement(attempt, decision, scenario, namespace, base))
            out.append({
                "id": str(uuid.uuid5(namespace, f"attempt/{attempt.id}/decision/{decision.seq}")),
                "version": XAPI_VERSION,
                "actor": base["actor"],
                "verb": ANSWERED,
                "object": _node_activity(attempt, decision.node_id, scenario),
                "result": {"response": decision.choice_id, "extensions": {HINT_USED: decision.hint_used}},
                "context": context,
                "timestamp": timestamp(decision.made_at),
            })
        if attempt.finished:
            out.append({
                "id": str(uuid.uuid5(namespace, f"attempt/{attempt.id}/completed")),
                "version": XAPI_VERSION,
                "actor": base["actor"],
                "verb": COMPLETED,
                "object": _scenario_activity(attempt, scenario),
                "result": _completion(attempt, secure),
                "context": base["context"],
                "timestamp": timestamp(attempt.finished_at),
            })
    return out


def _own_words_statement(attempt: Attempt, decision, scenario: Scenario | None, namespace: uuid.UUID,
                         base: dict) -> dict:
    """What the learner typed before choosing at ``decision``: an answer to
    "what would you say?", whose parent is the decision itself."""
    context = dict(base["context"])
    activities = dict(context.get("contextActivities", {}))
    activities["parent"] = [{"objectType": "Activity", "id": node_iri(attempt.scenario_id, decision.node_id)}]
    activities["grouping"] = [*activities.get("grouping", []), _scenario_activity(attempt, scenario, brief=True)]
    context["contextActivities"] = activities
    node = scenario.nodes.get(decision.node_id) if scenario else None
    if node is not None:
        asked = f"{scenario.speaker_name(node.speaker)}: {shorten(node.text, 80)}"
    else:
        asked = f"{one_line(attempt.title)}: decision {one_line(decision.node_id)}"
    definition = {"name": {LANGUAGE: f"In your own words — {asked}"},
                  "description": {LANGUAGE: "What the learner would say, typed before the options were shown."},
                  "type": INTERACTION_TYPE, "interactionType": "long-fill-in"}
    return {
        "id": str(uuid.uuid5(namespace, f"attempt/{attempt.id}/decision/{decision.seq}/{OWN_WORDS}")),
        "version": XAPI_VERSION,
        "actor": base["actor"],
        "verb": ANSWERED,
        "object": {"objectType": "Activity", "id": f"{node_iri(attempt.scenario_id, decision.node_id)}/{OWN_WORDS}",
                   "definition": definition},
        # The words as typed, control characters shown as symbols so that no
        # report that prints them can be steered by them.
        "result": {"response": visible(decision.own_words)},
        "context": context,
        "timestamp": timestamp(decision.made_at),
    }


def _actor(attempt: Attempt, namespace: uuid.UUID, names: bool) -> dict:
    account = attempt.participant or pseudonym(attempt.learner, namespace)
    agent: dict = {"objectType": "Agent", "account": {"homePage": BASE, "name": account}}
    if names and attempt.learner:
        agent["name"] = one_line(attempt.learner)
    return agent


def _context(attempt: Attempt, namespace: uuid.UUID) -> dict:
    context: dict = {
        "registration": str(uuid.uuid5(namespace, f"attempt/{attempt.id}")),
        "platform": PLATFORM,
        "language": LANGUAGE,
    }
    if attempt.cohort:
        # The session itself: the same cohort name in another history file is another session.
        context["contextActivities"] = {"grouping": [{
            "objectType": "Activity",
            "id": f"{BASE}/cohorts/{namespace}/{_segment(attempt.cohort)}",
            "definition": {"name": {LANGUAGE: f"Group session {one_line(attempt.cohort)}"}, "type": MEETING_TYPE},
        }]}
    return context


def _scenario_activity(attempt: Attempt, scenario: Scenario | None, brief: bool = False) -> dict:
    """The scenario as an Activity; ``brief`` (as the parent of each answer)
    leaves out the description, which the completion carries once."""
    definition: dict = {"name": {LANGUAGE: one_line(scenario.title if scenario else attempt.title)},
                        "type": SIMULATION_TYPE}
    if scenario is not None and scenario.situation.strip() and not brief:
        definition["description"] = {LANGUAGE: one_line(scenario.situation)}
    return {"objectType": "Activity", "id": scenario_iri(attempt.scenario_id), "definition": definition}


def _node_activity(attempt: Attempt, node_id: str, scenario: Scenario | None) -> dict:
    node = scenario.nodes.get(node_id) if scenario else None
    definition: dict = {"type": INTERACTION_TYPE, "interactionType": "choice"}
    if node is not None:
        speaker = scenario.speaker_name(node.speaker)
        definition["name"] = {LANGUAGE: f"{speaker}: {shorten(node.text, 80)}"}
        definition["description"] = {LANGUAGE: one_line(node.text)}
        definition["choices"] = [{"id": c.id, "description": {LANGUAGE: one_line(c.text)}} for c in node.choices]
    else:
        # The scenario is not in the library any more: the decision is still
        # reported, without the words we no longer have.
        definition["name"] = {LANGUAGE: f"{one_line(attempt.title)}: decision {one_line(node_id)}"}
    return {"objectType": "Activity", "id": node_iri(attempt.scenario_id, node_id), "definition": definition}


def _completion(attempt: Attempt, secure: int) -> dict:
    result: dict = {"completion": True}
    if attempt.overall is not None:
        overall = attempt.overall
        result["score"] = {"scaled": round(overall / 100, 4), "raw": round(overall, 2), "min": 0, "max": 100}
        result["success"] = overall >= secure
    result["duration"] = duration(attempt.started_at, attempt.finished_at)
    # Every competency the attempt was scored on (not-assessed ones are left
    # out rather than sent as null), keyed by IRI as the spec requires.
    extensions: dict = {
        competency_iri(competency): round(value, 2)
        for competency, value in attempt.competencies.items()
        if value is not None
    }
    if attempt.outcome:
        extensions[OUTCOME] = attempt.outcome
    if extensions:
        result["extensions"] = extensions
    return result
