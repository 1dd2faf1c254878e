"""Check a YAML document against ``scenario.schema.json`` and say where it is wrong.

The JSON Schema is the one definition of the format (editors read it too);
this module only turns jsonschema's errors into diagnostics a trainer can act
on: the line and column of the offending key or value, and what to write.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from simulator.diagnostics import Diagnostic, did_you_mean
from simulator.yaml_source import Positions

_TYPE_NAMES = {"string": "text", "integer": "a whole number", "boolean": "true or false", "object": "a mapping",
               "array": "a list", "number": "a number", "null": "empty"}


def schema_text() -> str:
    return resources.files("simulator.schema").joinpath("scenario.schema.json").read_text("utf-8")


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(schema_text())


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


def describe(path: tuple) -> str:
    """Where ``path`` is, in words a trainer uses."""
    if not path:
        return "at the top level"
    if path[0] == "nodes" and len(path) >= 2:
        where = f"in node '{path[1]}'"
        if len(path) >= 4 and path[2] == "choices" and isinstance(path[3], int):
            where = f"in choice {path[3] + 1} of node '{path[1]}'"
        elif len(path) >= 3 and path[2] == "ending":
            where = f"in the ending of node '{path[1]}'"
        return where
    if path[0] in ("characters", "case_file", "variables") and len(path) >= 2:
        kind = {"characters": "character", "case_file": "case-file entry", "variables": "variable"}[path[0]]
        return f"in {kind} '{path[1]}'"
    return f"in '{path[0]}'"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "empty" if value is None else type(value).__name__


def _key_name(path: tuple) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "value"


def check(data: Any, positions: Positions, source: str) -> list[Diagnostic]:
    """Every way ``data`` departs from the schema, located in the file."""
    found: list[Diagnostic] = []
    for error in _validator().iter_errors(data):
        found.extend(_translate(error, positions, source))
    unique = {(d.line, d.column, d.message): d for d in found}
    return sorted(unique.values())


def _at(source: str, position: tuple[int, int], message: str, hint: str) -> Diagnostic:
    return Diagnostic(source, position[0] + 1, position[1] + 1, "error", message, hint)


def _translate(error, positions: Positions, source: str) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    kind = error.validator
    rule = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    where = describe(path)
    key = _key_name(path)

    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(rule.get("properties", {}))
        out = []
        for extra in sorted(set(instance) - set(allowed), key=str):
            suggestion = did_you_mean(extra, allowed)
            out.append(_at(source, positions.of_key(path + (extra,)), f"unknown key '{extra}' {where}" +
                           (f"; {suggestion}" if suggestion else ""),
                           f"allowed here: {', '.join(allowed)}"))
        return out
    if kind == "required":
        missing = [name for name in error.validator_value if name not in instance]
        props = rule.get("properties", {})
        return [
            _at(source, positions.of_value(path), f"missing required key '{name}' {where}",
                props.get(name, {}).get("description", f"add '{name}:'"))
            for name in missing
        ]
    if kind == "oneOf" and "x-message" in rule and isinstance(instance, dict):
        present = [name for name in ("choices", "next", "ending") if name in instance]
        message = (f"node '{path[-1]}' has {' and '.join(repr(p) for p in present)}; it needs exactly one"
                   if present else f"node '{path[-1]}' has no 'choices', 'next' or 'ending'")
        return [_at(source, positions.of_key(path), message, rule.get("x-hint", ""))]
    if kind == "type":
        wanted = error.validator_value
        wanted = [wanted] if isinstance(wanted, str) else wanted
        words = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted)
        hint = "put text in quotes if it starts with a special character or looks like a number, yes/no or a date"
        if "object" in wanted:
            hint = "indent the keys below this one"
        elif "array" in wanted:
            hint = "write a list with one '- ' item per line"
        return [_at(source, positions.of_value(path), f"'{key}' {where} should be {words}, not {_kind(instance)}", hint)]
    if kind == "enum":
        options = [str(option) for option in error.validator_value]
        suggestion = did_you_mean(instance, options)
        return [_at(source, positions.of_value(path), f"'{instance}' is not a valid {key} {where}" +
                    (f"; {suggestion}" if suggestion else ""), f"use one of: {', '.join(options)}")]
    if kind == "const":
        return [_at(source, positions.of_value(path), f"'{key}' must be {error.validator_value}",
                    "remove the key or write the supported value")]
    if kind in ("minimum", "maximum"):
        low, high = rule.get("minimum"), rule.get("maximum")
        bounds = f"between {low} and {high}" if low is not None and high is not None else (
            f"at least {low}" if low is not None else f"at most {high}")
        label = f"evidence for '{key}'" if len(path) >= 2 and path[-2] == "evidence" else f"'{key}'"
        return [_at(source, positions.of_value(path), f"{label} {where} must be {bounds}, not {instance}",
                    rule.get("description", "") or "evidence runs from -2 (clearly against) to 2 (clearly shows)")]
    if kind in ("minItems", "minProperties", "minLength"):
        return [_at(source, positions.of_value(path), f"'{key}' {where} must not be empty",
                    rule.get("description", "") or "write something here, or remove the key")]
    if kind == "maxLength":
        return [_at(source, positions.of_value(path), f"'{key}' {where} is longer than {error.validator_value} characters",
                    "shorten it")]
    if kind == "pattern":
        hint = "use lowercase letters, digits and hyphens" if "a-z0-9-" in error.validator_value else (
            "use lower_snake_case: letters, digits and underscores" if "a-z_" in error.validator_value
            else "use letters, digits, '-', '_' or '.' with no spaces")
        return [_at(source, positions.of_value(path), f"'{instance}' is not a valid name for '{key}' {where}", hint)]
    if kind == "propertyNames":
        sub = error.context[0] if error.context else None
        reason = "is reserved" if sub is not None and sub.validator == "not" else "is not a valid name"
        hint = "'narrator' needs no entry: use it directly as a speaker" if reason == "is reserved" else (
            "use lowercase letters, digits and '-', '_' or '.', with no spaces")
        return [_at(source, positions.of_key(path + (instance,)), f"'{instance}' {reason} {where}", hint)]
    return [_at(source, positions.of_value(path), f"{where}: {error.message}", "see docs/scenario-format.md")]
