"""Check a YAML document against ``scenario.schema.json`` and say where it is wrong.

The JSON Schema is the one definition of the format: editors read it, and so
does this module.  It interprets the keywords the schema uses (type, enum,
const, required, properties, additionalProperties, propertyNames, pattern,
minimum/maximum, minLength/maxLength, minItems/minProperties, items, oneOf,
not, $ref) and reports each failure at the line and column of the offending
key or value, in words a trainer can act on.  A general validator (jsonschema)
is several times slower and cannot say where in the YAML a value was written;
the test suite checks that it agrees with this one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from simulator.format.yaml_source import Positions
from simulator.model.diagnostics import Diagnostic, did_you_mean
from simulator.model.vocabulary import schema

KNOWN_KEYWORDS = frozenset({
    "$schema", "$id", "$defs", "$ref", "title", "description", "x-message", "x-hint",
    "type", "enum", "const", "required", "properties", "additionalProperties", "propertyNames", "pattern",
    "minimum", "maximum", "minLength", "maxLength", "minItems", "minProperties", "items", "oneOf", "not",
})
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "boolean": "true or false", "object": "a mapping",
               "array": "a list", "null": "empty"}
_TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


@lru_cache(maxsize=None)
def _regex(pattern: str) -> re.Pattern:
    # JSON Schema's `$` means end of text; Python's also matches before a final newline.
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


def describe(path: tuple) -> str:
    """Where ``path`` is, in words a trainer uses."""
    if len(path) <= 1:
        return "at the top level"
    if path[0] == "nodes" and len(path) >= 2:
        if len(path) >= 4 and path[2] == "choices" and isinstance(path[3], int):
            return f"in choice {path[3] + 1} of node '{path[1]}'"
        if len(path) >= 3 and path[2] == "ending":
            return f"in the ending of node '{path[1]}'"
        return f"in node '{path[1]}'"
    if path[0] in ("characters", "case_file", "variables") and len(path) >= 2:
        kind = {"characters": "character", "case_file": "case-file entry", "variables": "variable"}[path[0]]
        return f"in {kind} '{path[1]}'"
    return f"in '{path[0]}'"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
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


def check(data: Any, positions: Positions, source: str, rules: dict | None = None) -> list[Diagnostic]:
    """Every way ``data`` departs from the schema (the scenario schema unless
    ``rules`` gives another, such as a plan's), located in the file."""
    rules = schema() if rules is None else rules
    checker = _Checker(rules, positions, source)
    checker.validate(data, rules, ())
    unique = {(d.line, d.column, d.message): d for d in checker.found}
    return sorted(unique.values())


def conforms(data: Any) -> bool:
    """Whether ``data`` passes the schema (no diagnostics are built)."""
    checker = _Checker(schema(), Positions(), "")
    checker.validate(data, schema(), ())
    return not checker.found


class _Checker:
    def __init__(self, root: dict, positions: Positions, source: str) -> None:
        self.root = root
        self.positions = positions
        self.source = source
        self.found: list[Diagnostic] = []

    def _error(self, path: tuple, message: str, hint: str, key: bool = False) -> None:
        line, column = self.positions.of_key(path) if key else self.positions.of_value(path)
        self.found.append(Diagnostic(self.source, line + 1, column + 1, "error", message, hint))

    def _resolve(self, rule: dict) -> dict:
        while "$ref" in rule:
            rule = self.root["$defs"][rule["$ref"].rsplit("/", 1)[-1]]
        return rule

    def validate(self, value: Any, rule: dict, path: tuple) -> None:
        rule = self._resolve(rule)
        if not self._type(value, rule, path):
            return
        # JSON Schema tells true from 1, where Python's == does not.
        if "const" in rule and (value != rule["const"] or isinstance(value, bool) != isinstance(rule["const"], bool)):
            self._error(path, f"'{_key_name(path)}' must be {rule['const']}", "remove the key or write the supported value")
        if "enum" in rule and not any(value == option and isinstance(value, bool) == isinstance(option, bool)
                                      for option in rule["enum"]):
            self._enum(value, rule, path)
        if isinstance(value, str):
            self._string(value, rule, path)
        elif isinstance(value, int) and not isinstance(value, bool):
            self._number(value, rule, path)
        elif isinstance(value, list):
            self._array(value, rule, path)
        elif isinstance(value, dict):
            self._object(value, rule, path)

    def _type(self, value: Any, rule: dict, path: tuple) -> bool:
        wanted = rule.get("type")
        if wanted is None:
            return True
        wanted = [wanted] if isinstance(wanted, str) else wanted
        if any(_TYPE_CHECKS[name](value) for name in wanted):
            return True
        words = " or ".join(_TYPE_NAMES.get(name, name) for name in wanted)
        hint = "put text in quotes if it starts with a special character or looks like a number, yes/no or a date"
        if "object" in wanted:
            hint = "indent the keys below this one"
        elif "array" in wanted:
            hint = "write a list with one '- ' item per line"
        self._error(path, f"'{_key_name(path)}' {describe(path)} should be {words}, not {_kind(value)}", hint)
        return False

    def _enum(self, value: Any, rule: dict, path: tuple) -> None:
        options = [str(option) for option in rule["enum"]]
        suggestion = did_you_mean(value, options)
        self._error(path, f"'{value}' is not a valid {_key_name(path)} {describe(path)}" +
                    (f"; {suggestion}" if suggestion else ""), f"use one of: {', '.join(options)}")

    def _string(self, value: str, rule: dict, path: tuple) -> None:
        key = _key_name(path)
        if "minLength" in rule and len(value) < rule["minLength"]:
            self._error(path, f"'{key}' {describe(path)} must not be empty",
                        rule.get("description", "") or "write something here, or remove the key")
        if "maxLength" in rule and len(value) > rule["maxLength"]:
            self._error(path, f"'{key}' {describe(path)} is longer than {rule['maxLength']} characters", "shorten it")
        if "pattern" in rule and not _regex(rule["pattern"]).match(value):
            self._error(path, f"'{value}' is not a valid name for '{key}' {describe(path)}", _pattern_hint(rule["pattern"]))

    def _number(self, value: int, rule: dict, path: tuple) -> None:
        low, high = rule.get("minimum"), rule.get("maximum")
        if (low is None or value >= low) and (high is None or value <= high):
            return
        key = _key_name(path)
        bounds = f"between {low} and {high}" if low is not None and high is not None else (
            f"at least {low}" if low is not None else f"at most {high}")
        label = f"evidence for '{key}'" if len(path) >= 2 and path[-2] == "evidence" else f"'{key}'"
        self._error(path, f"{label} {describe(path)} must be {bounds}, not {value}",
                    rule.get("description", "") or "evidence runs from -2 (clearly against) to 2 (clearly shows)")

    def _array(self, value: list, rule: dict, path: tuple) -> None:
        if "minItems" in rule and len(value) < rule["minItems"]:
            self._error(path, f"'{_key_name(path)}' {describe(path)} must not be empty",
                        rule.get("description", "") or "add at least one item")
        if "items" in rule:
            for index, item in enumerate(value):
                self.validate(item, rule["items"], path + (index,))

    def _object(self, value: dict, rule: dict, path: tuple) -> None:
        where = describe(path)
        properties = rule.get("properties", {})
        for name in rule.get("required", ()):
            if name not in value:
                self._error(path, f"missing required key '{name}' {where}",
                            properties.get(name, {}).get("description", f"add '{name}:'"))
        if "minProperties" in rule and len(value) < rule["minProperties"]:
            self._error(path, f"'{_key_name(path)}' {where} must not be empty",
                        rule.get("description", "") or "add at least one entry")
        if "oneOf" in rule:
            self._one_of(value, rule, path)
        names_rule = rule.get("propertyNames")
        extra = rule.get("additionalProperties", True)
        for name, item in value.items():
            if names_rule is not None:
                self._property_name(name, names_rule, path)
            if name in properties:
                self.validate(item, properties[name], path + (name,))
            elif extra is False:
                suggestion = did_you_mean(name, properties)
                self._error(path + (name,), f"unknown key '{name}' {where}" + (f"; {suggestion}" if suggestion else ""),
                            f"allowed here: {', '.join(properties)}", key=True)
            elif isinstance(extra, dict):
                self.validate(item, extra, path + (name,))

    def _property_name(self, name: Any, rule: dict, path: tuple) -> None:
        text = str(name)
        where = f"under '{path[0]}'" if len(path) == 1 else describe(path)
        reserved = "not" in rule and "const" in rule["not"] and text == rule["not"]["const"]
        if reserved:
            self._error(path + (name,), f"'{text}' is reserved {where}",
                        f"'{text}' needs no entry: use it directly as a speaker", key=True)
        elif "pattern" in rule and not (isinstance(name, str) and _regex(rule["pattern"]).match(name)):
            self._error(path + (name,), f"'{text}' is not a valid name {where}", _pattern_hint(rule["pattern"]),
                        key=True)

    def _one_of(self, value: dict, rule: dict, path: tuple) -> None:
        matches = sum(all(name in value for name in option.get("required", ())) for option in rule["oneOf"])
        if matches == 1:
            return
        present = [name for option in rule["oneOf"] for name in option.get("required", ()) if name in value]
        names = [name for option in rule["oneOf"] for name in option.get("required", ())]
        node = path[-1] if path else "this"
        message = (f"node '{node}' has {' and '.join(repr(p) for p in present)}; it needs exactly one"
                   if present else f"node '{node}' has none of {', '.join(repr(n) for n in names)}")
        self._error(path, message, rule.get("x-hint", rule.get("x-message", "")), key=True)


def _pattern_hint(pattern: str) -> str:
    if "a-z0-9-" in pattern:
        return "use lowercase letters, digits and hyphens"
    if "a-z_" in pattern:
        return "use lower_snake_case: lowercase letters, digits and underscores"
    return "use letters, digits, '-', '_' or '.' with no spaces"
