"""The JSON Schema is the one definition of the format: it must be a valid schema,
document every key for editors, and our located checker must agree with the
reference validator (jsonschema) on what passes."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.format import schema_check

REPO = Path(__file__).resolve().parents[2]
VALID = [REPO / "tests" / "fixtures" / "minimal.yaml", *sorted((REPO / "scenarios").glob("*.yaml"))]


def _walk(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema_check.schema())


def test_checker_understands_every_keyword_the_schema_uses():
    used = set()
    for path, node in _walk(schema_check.schema()):
        if path[-1:] in (("properties",), ("$defs",)):
            continue
        used |= set(node)
    assert used <= schema_check.KNOWN_KEYWORDS, used - schema_check.KNOWN_KEYWORDS


def test_every_key_has_a_description_for_editor_hover_help():
    missing = []
    for path, node in _walk(schema_check.schema()):
        if path and path[-1] == "properties":
            missing += [".".join(map(str, path + (k,))) for k, v in node.items()
                        if "description" not in v and "$ref" not in v]
    assert missing == []


def _reference_valid(data) -> bool:
    return jsonschema.Draft202012Validator(schema_check.schema()).is_valid(data)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_bundled_and_fixture_scenarios_pass_both_validators(path):
    data = yaml.safe_load(path.read_text("utf-8"))
    assert _reference_valid(data)
    assert schema_check.conforms(data)


def _mutations():
    def mutate(data, choice):
        data = copy.deepcopy(data)
        spots = [(p, n) for p, n in _walk(data) if n]
        path, node = spots[choice.draw(st.integers(0, len(spots) - 1))]
        key = choice.draw(st.sampled_from(sorted(node, key=str)))
        action = choice.draw(st.sampled_from(["delete", "retype", "rename"]))
        if action == "delete":
            del node[key]
        elif action == "retype":
            node[key] = choice.draw(st.sampled_from([None, 0, 7, -3, True, "x", "", [], {}, ["a"], {"a": 1}]))
        else:
            node[key + "x"] = node.pop(key)
        return data
    return mutate


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(VALID), st.data())
def test_checker_agrees_with_the_reference_validator_on_mutated_scenarios(path, data):
    document = json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8"))))
    mutated = _mutations()(document, data)
    assert schema_check.conforms(mutated) == _reference_valid(mutated)
