"""The xAPI 1.0.3 rules a Learning Record Store applies to a statement, written
from the specification (xAPI-Data.md, part two: 2.2 formatting requirements,
2.4 statement properties, 4.x data types) for the properties our exports use,
plus our own privacy rule: no e-mail address in any form.

``problems(statement)`` returns what is wrong, one line each; an empty list
means an LRS should accept the statement.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.IGNORECASE)
# An absolute IRI: a scheme, a colon, and no white space (IRI fragments or
# relative references are not IRIs, 2.4.4.1).
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
IRL = re.compile(r"^https?://[^\s/]+(/[^\s]*)?$")
# ISO 8601 durations in the 4.4.3.2 format; the alternative format is not allowed (4.6).
_N = r"\d+(?:[.,]\d+)?"
DURATION = re.compile(rf"^P(?:{_N}W|(?=\d|T\d)(?:{_N}Y)?(?:{_N}M)?(?:{_N}D)?(?:T(?=\d)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?)$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$")
# RFC 5646, as the LRS must check it at least: the sequence of subtag lengths (2.2).
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-[A-Za-z0-9]{5,8}|-\d[A-Za-z0-9]{3})*$")
VERSION = re.compile(r"^1\.0(?:\.\d+)?$")

STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                  "version", "attachments"}
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
ACTIVITY_KEYS = {"objectType", "id", "definition"}
DEFINITION_KEYS = {"name", "description", "type", "moreInfo", "extensions", "interactionType",
                   "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
                     "sequencing", "likert", "numeric", "other"}
COMPONENT_LISTS = {"choice": {"choices"}, "sequencing": {"choices"}, "likert": {"scale"},
                   "matching": {"source", "target"}, "performance": {"steps"}}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
                "statement", "extensions"}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}


def problems(statement: Any) -> list[str]:
    found: list[str] = []
    if not isinstance(statement, dict):
        return ["a statement must be a JSON object"]
    _no_nulls(statement, "statement", found)
    _only(statement, STATEMENT_KEYS, "statement", found)
    for required in ("actor", "verb", "object"):
        if required not in statement:
            found.append(f"statement: '{required}' is required")
    if "id" in statement and not _is_uuid(statement["id"]):
        found.append(f"statement.id: {statement['id']!r} is not a UUID in standard form")
    if "version" in statement and not (isinstance(statement["version"], str) and VERSION.match(statement["version"])):
        found.append(f"statement.version: {statement['version']!r} is not a 1.0.x version")
    if "timestamp" in statement:
        _timestamp(statement["timestamp"], "statement.timestamp", found)
    if "actor" in statement:
        _agent(statement["actor"], "actor", found)
    if "verb" in statement:
        _verb(statement["verb"], found)
    if "object" in statement:
        _activity(statement["object"], "object", found)
    if "result" in statement:
        _result(statement["result"], found)
    if "context" in statement:
        _context(statement["context"], statement.get("object"), found)
    return found


# -- pieces --------------------------------------------------------------------------

def _no_nulls(value: Any, where: str, found: list[str]) -> None:
    """The LRS rejects null anywhere except inside extensions (2.2)."""
    if value is None:
        found.append(f"{where}: null is not allowed")
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key != "extensions":
                _no_nulls(inner, f"{where}.{key}", found)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _no_nulls(inner, f"{where}[{index}]", found)


def _only(value: dict, allowed: set[str], where: str, found: list[str]) -> None:
    for key in value:
        if key not in allowed:
            found.append(f"{where}: '{key}' is not a property the specification allows here")


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(UUID.match(value))


def _is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(IRI.match(value))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _timestamp(value: Any, where: str, found: list[str]) -> None:
    if not isinstance(value, str) or not TIMESTAMP.match(value):
        found.append(f"{where}: {value!r} is not an ISO 8601 date and time with a time zone")
        return
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        found.append(f"{where}: {value!r} is not a real date and time")


def _language_map(value: Any, where: str, found: list[str]) -> None:
    if not isinstance(value, dict) or not value:
        found.append(f"{where}: a language map must be an object of language tag to text")
        return
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(tag):
            found.append(f"{where}: '{tag}' is not an RFC 5646 language tag")
        if not isinstance(text, str):
            found.append(f"{where}.{tag}: must be text")


def _extensions(value: Any, where: str, found: list[str]) -> None:
    if not isinstance(value, dict):
        found.append(f"{where}: extensions must be an object")
        return
    for key in value:
        if not _is_iri(key):
            found.append(f"{where}: the key {key!r} is not an absolute IRI")


def _agent(agent: Any, where: str, found: list[str]) -> None:
    if not isinstance(agent, dict):
        found.append(f"{where}: must be an Agent object")
        return
    _only(agent, AGENT_KEYS, where, found)
    if agent.get("objectType", "Agent") != "Agent":
        found.append(f"{where}.objectType: our statements are about one Agent, not {agent.get('objectType')!r}")
    identifiers = [key for key in IFIS if key in agent]
    if len(identifiers) != 1:
        found.append(f"{where}: an Agent needs exactly one inverse functional identifier, found {len(identifiers)}"
                     + (f" ({', '.join(identifiers)})" if identifiers else ""))
    for key in ("mbox", "mbox_sha1sum"):
        if key in agent:
            found.append(f"{where}.{key}: exports are pseudonymous; no e-mail address, hashed or not")
    if "openid" in agent and not _is_iri(agent["openid"]):
        found.append(f"{where}.openid: must be a URI")
    if "name" in agent and not isinstance(agent["name"], str):
        found.append(f"{where}.name: must be text")
    if "account" in agent:
        account = agent["account"]
        if not isinstance(account, dict):
            found.append(f"{where}.account: must be an object")
            return
        _only(account, {"homePage", "name"}, f"{where}.account", found)
        if not (isinstance(account.get("homePage"), str) and IRL.match(account["homePage"])):
            found.append(f"{where}.account.homePage: an account needs a homePage IRL")
        if not (isinstance(account.get("name"), str) and account["name"]):
            found.append(f"{where}.account.name: an account needs a name")


def _verb(verb: Any, found: list[str]) -> None:
    if not isinstance(verb, dict):
        found.append("verb: must be an object")
        return
    _only(verb, {"id", "display"}, "verb", found)
    if not _is_iri(verb.get("id")):
        found.append(f"verb.id: {verb.get('id')!r} is not an absolute IRI")
    if "display" in verb:
        _language_map(verb["display"], "verb.display", found)


def _activity(activity: Any, where: str, found: list[str]) -> None:
    if not isinstance(activity, dict):
        found.append(f"{where}: must be an Activity object")
        return
    _only(activity, ACTIVITY_KEYS, where, found)
    if activity.get("objectType", "Activity") != "Activity":
        found.append(f"{where}.objectType: must be 'Activity' when present")
    if not _is_iri(activity.get("id")):
        found.append(f"{where}.id: {activity.get('id')!r} is not an absolute IRI")
    definition = activity.get("definition")
    if definition is None:
        return
    if not isinstance(definition, dict):
        found.append(f"{where}.definition: must be an object")
        return
    _only(definition, DEFINITION_KEYS, f"{where}.definition", found)
    for key in ("name", "description"):
        if key in definition:
            _language_map(definition[key], f"{where}.definition.{key}", found)
    if "type" in definition and not _is_iri(definition["type"]):
        found.append(f"{where}.definition.type: {definition['type']!r} is not an absolute IRI")
    if "extensions" in definition:
        _extensions(definition["extensions"], f"{where}.definition.extensions", found)
    lists = {key for key in ("choices", "scale", "source", "target", "steps") if key in definition}
    kind = definition.get("interactionType")
    if kind is None:
        if lists or "correctResponsesPattern" in definition:
            found.append(f"{where}.definition: interaction properties need an interactionType")
        return
    if kind not in INTERACTION_TYPES:
        found.append(f"{where}.definition.interactionType: {kind!r} is not an interaction type")
        return
    for key in lists - COMPONENT_LISTS.get(kind, set()):
        found.append(f"{where}.definition.{key}: not a component list of a '{kind}' interaction")
    for key in lists:
        components = definition[key]
        if not isinstance(components, list):
            found.append(f"{where}.definition.{key}: must be an array of interaction components")
            continue
        ids = []
        for index, component in enumerate(components):
            here = f"{where}.definition.{key}[{index}]"
            if not isinstance(component, dict) or not isinstance(component.get("id"), str):
                found.append(f"{here}: an interaction component needs a text id")
                continue
            _only(component, {"id", "description"}, here, found)
            ids.append(component["id"])
            if re.search(r"\s", component["id"]):
                found.append(f"{here}.id: should have no white space")
            if "description" in component:
                _language_map(component["description"], f"{here}.description", found)
        if len(ids) != len(set(ids)):
            found.append(f"{where}.definition.{key}: interaction component ids must be distinct")


def _result(result: Any, found: list[str]) -> None:
    if not isinstance(result, dict):
        found.append("result: must be an object")
        return
    _only(result, RESULT_KEYS, "result", found)
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            found.append(f"result.{key}: must be true or false, not {result[key]!r}")
    if "response" in result and not isinstance(result["response"], str):
        found.append("result.response: must be text")
    if "duration" in result and not (isinstance(result["duration"], str) and DURATION.match(result["duration"])):
        found.append(f"result.duration: {result['duration']!r} is not an ISO 8601 duration")
    if "extensions" in result:
        _extensions(result["extensions"], "result.extensions", found)
    if "score" in result:
        _score(result["score"], found)


def _score(score: Any, found: list[str]) -> None:
    if not isinstance(score, dict):
        found.append("result.score: must be an object")
        return
    _only(score, SCORE_KEYS, "result.score", found)
    for key in SCORE_KEYS & set(score):
        if not _number(score[key]):
            found.append(f"result.score.{key}: must be a number, not {score[key]!r}")
    if any(not _number(score[k]) for k in SCORE_KEYS & set(score)):
        return
    if "scaled" in score and not -1 <= score["scaled"] <= 1:
        found.append(f"result.score.scaled: {score['scaled']} is outside -1 to 1")
    if "min" in score and "max" in score and not score["min"] < score["max"]:
        found.append("result.score: min must be less than max")
    if "raw" in score:
        if "min" in score and score["raw"] < score["min"]:
            found.append(f"result.score.raw: {score['raw']} is below min {score['min']}")
        if "max" in score and score["raw"] > score["max"]:
            found.append(f"result.score.raw: {score['raw']} is above max {score['max']}")


def _context(context: Any, statement_object: Any, found: list[str]) -> None:
    if not isinstance(context, dict):
        found.append("context: must be an object")
        return
    _only(context, CONTEXT_KEYS, "context", found)
    if "registration" in context and not _is_uuid(context["registration"]):
        found.append(f"context.registration: {context['registration']!r} is not a UUID in standard form")
    if "language" in context and not (isinstance(context["language"], str) and LANGUAGE_TAG.match(context["language"])):
        found.append(f"context.language: {context['language']!r} is not an RFC 5646 language tag")
    is_activity = isinstance(statement_object, dict) and statement_object.get("objectType", "Activity") == "Activity"
    for key in ("revision", "platform"):
        if key in context:
            if not isinstance(context[key], str):
                found.append(f"context.{key}: must be text")
            if not is_activity:
                found.append(f"context.{key}: only allowed when the object is an Activity")
    if "extensions" in context:
        _extensions(context["extensions"], "context.extensions", found)
    if "contextActivities" in context:
        activities = context["contextActivities"]
        if not isinstance(activities, dict):
            found.append("context.contextActivities: must be an object")
            return
        for key, value in activities.items():
            if key not in CONTEXT_ACTIVITY_KEYS:
                found.append(f"context.contextActivities: '{key}' is not parent, grouping, category or other")
            for index, activity in enumerate(value if isinstance(value, list) else [value]):
                _activity(activity, f"context.contextActivities.{key}[{index}]", found)
