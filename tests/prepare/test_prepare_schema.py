"""The plan format: one JSON Schema that editors read and the loader checks,
with every problem located at the line and column a practitioner can fix."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from prepare_fixtures import MINIMAL, TODAY

from simulator.format import schema_check
from simulator.prepare.checked_yaml import schema
from simulator.prepare.loader import read_plan
from simulator.prepare.starter import starter_text

SCHEMAS = ["plan.schema.json", "profile.schema.json"]


def _walk(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_a_valid_draft_2020_12_schema(name):
    jsonschema.Draft202012Validator.check_schema(schema(name))


@pytest.mark.parametrize("name", SCHEMAS)
def test_located_checker_understands_every_keyword_the_schema_uses(name):
    used = set()
    for path, node in _walk(schema(name)):
        if path[-1:] in (("properties",), ("$defs",)):
            continue
        used |= set(node)
    assert used <= schema_check.KNOWN_KEYWORDS, used - schema_check.KNOWN_KEYWORDS


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_key_has_a_description_for_editor_hover_help(name):
    missing = []
    for path, node in _walk(schema(name)):
        if path and path[-1] == "properties":
            missing += [".".join(map(str, path + (k,))) for k, v in node.items() if "description" not in v]
    assert missing == []


@pytest.mark.parametrize("example", [False, True], ids=["template", "worked-example"])
def test_starters_pass_our_checker_and_the_reference_validator(example):
    text = starter_text("plan.yaml", example)
    plan, diagnostics = read_plan(text, "plan.yaml", TODAY)
    assert plan is not None and diagnostics == []
    assert jsonschema.Draft202012Validator(schema("plan.schema.json")).is_valid(yaml.safe_load(text))


def _errors(text: str):
    plan, diagnostics = read_plan(text, "case.yaml", TODAY)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert plan is None and errors, "expected the plan to be refused"
    return errors


def test_wrong_type_is_located_at_the_value_with_a_quoting_hint():
    text = MINIMAL + "impact:\n  - a list\n  - not text\n"
    (error,) = _errors(text)
    assert (error.line, error.column) == (7, 3)  # where the list starts
    assert "'impact'" in error.message and "should be text" in error.message and "a list" in error.message
    assert error.hint


def test_unknown_key_is_located_at_the_key_and_suggests_the_right_one():
    text = MINIMAL + "safty: a safety plan is agreed\n"
    (error,) = _errors(text)
    assert (error.line, error.column) == (6, 1)
    assert "unknown key 'safty'" in error.message and "did you mean 'safety'" in error.message
    assert "safety" in error.hint


def test_missing_required_field_names_it_and_says_what_to_write():
    text = MINIMAL.replace("concern: Mrs K. fell three times on the ward and lives alone.\n", "")
    (error,) = _errors(text)
    assert "missing required key 'concern'" in error.message
    assert error.hint == schema("plan.schema.json")["properties"]["concern"]["description"]


def test_a_misspelt_area_lists_the_briefing_areas():
    (error,) = _errors(MINIMAL.replace("service-provision", "service provision"))
    assert error.line == 2 and "service-provision" in error.hint


def test_a_fallback_stage_written_as_words_is_refused_where_it_is_written():
    (error,) = _errors(MINIMAL + "fallback:\n  stage: two\n")
    assert (error.line, error.column) == (7, 10)
    assert "whole number" in error.message


def test_an_unreadable_date_is_a_warning_that_keeps_the_plan():
    plan, diagnostics = read_plan(MINIMAL + "ask:\n  what: review\n  by: next week sometime\n", "case.yaml", TODAY)
    assert plan is not None
    (warning,) = diagnostics
    assert warning.severity == "warning" and (warning.line, warning.column) == (8, 7)
    assert "as a date" in warning.message and "2026-12-08" in warning.hint


def test_duplicate_keys_are_errors_not_silently_dropped():
    errors = _errors(MINIMAL + "concern: a second concern\n")
    assert any("duplicate key 'concern'" in e.message for e in errors)


def test_pyproject_ships_the_schemas_bank_and_starters():
    text = Path(__file__).resolve().parents[2].joinpath("pyproject.toml").read_text("utf-8")
    assert '"simulator.prepare"' in text and '"simulator.prepare" = ["*.json", "*.yaml"]' in text
    assert json.loads(json.dumps(schema("plan.schema.json")))["title"] == "Rehearse meeting plan"
