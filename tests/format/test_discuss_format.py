"""The `discuss:` key: discussion prompts a facilitator puts to the room.

One question as text or a list of questions, on any node; the loader keeps them
in order on the node, and the schema and validator say where a bad one is."""

from pathlib import Path

import jsonschema
import yaml

from simulator.format import schema_check
from simulator.format.loader import load_text

MINIMAL = (Path(__file__).parents[1] / "fixtures" / "minimal.yaml").read_text("utf-8")
LISTEN = "    text: Go on.\n"
AGREED = "    text: Sam agrees.\n"


def with_discuss(block: str, after: str = LISTEN) -> str:
    """minimal.yaml with ``block`` (already indented) inserted after ``after``."""
    assert after in MINIMAL
    return MINIMAL.replace(after, after + block)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def errors(text: str) -> list:
    return [d for d in load_text(text, "s.yaml").diagnostics if d.severity == "error"]


def test_a_list_of_prompts_loads_in_order_on_its_node():
    text = with_discuss('    discuss:\n      - "What is Sam weighing up?"\n      - "What would you say next?"\n')
    result = load_text(text)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.scenario.nodes["listen"].discuss == ("What is Sam weighing up?", "What would you say next?")
    assert result.scenario.nodes["open"].discuss == ()


def test_a_single_prompt_may_be_written_as_text_and_an_ending_may_have_prompts():
    text = with_discuss("    discuss: Was the outcome right for Mia?\n", after=AGREED)
    result = load_text(text)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.scenario.nodes["agreed"].discuss == ("Was the outcome right for Mia?",)


def test_the_reference_validator_agrees_on_both_shapes_and_refuses_others():
    reference = jsonschema.Draft202012Validator(schema_check.schema())
    for block, valid in [
        ("    discuss: One question?\n", True),
        ("    discuss: [\"One?\", \"Two?\"]\n", True),
        ("    discuss: []\n", False),
        ('    discuss: ""\n', False),
        ("    discuss: 3\n", False),
        ("    discuss: {q: \"One?\"}\n", False),
        ("    discuss: [\"One?\", 2]\n", False),
    ]:
        data = yaml.safe_load(with_discuss(block))
        assert reference.is_valid(data) is valid, block
        assert schema_check.conforms(data) is valid, block


def test_wrong_type_is_reported_at_the_value_with_what_is_expected():
    text = with_discuss("    discuss: 3\n")
    [problem] = errors(text)
    assert (problem.line, problem.column) == (line_of(text, "discuss: 3"), 14)
    assert "'discuss' in node 'listen' should be text or a list, not a number" in problem.message


def test_a_number_inside_the_list_is_reported_at_that_item():
    text = with_discuss("    discuss:\n      - Fine?\n      - 12\n")
    [problem] = errors(text)
    assert (problem.line, problem.column) == (line_of(text, "- 12"), 9)
    assert "should be text" in problem.message


def test_an_empty_list_is_an_error():
    text = with_discuss("    discuss: []\n")
    [problem] = errors(text)
    assert problem.line == line_of(text, "discuss: []") and "must not be empty" in problem.message


def test_a_misspelt_key_beside_discuss_is_still_reported_with_a_suggestion():
    text = with_discuss("    discuss: [\"Why?\"]\n    discus: [\"Why not?\"]\n")
    [problem] = errors(text)
    assert problem.line == line_of(text, "discus: [\"Why not?\"]") and problem.column == 5
    assert "unknown key 'discus' in node 'listen'" in problem.message
    assert "did you mean 'discuss'" in problem.message


def test_a_blank_prompt_is_an_error_at_its_item():
    text = with_discuss('    discuss:\n      - Fine?\n      - "  "\n')
    [problem] = errors(text)
    assert (problem.line, problem.column) == (line_of(text, '- "  "'), 9)
    assert problem.message == "a discussion prompt is blank"


def test_an_escape_sequence_in_a_prompt_is_a_warning():
    text = with_discuss('    discuss: "Look \\e[31mhere\\e[0m"\n')
    result = load_text(text)
    assert result.ok
    [warning] = [d for d in result.diagnostics if d.severity == "warning"]
    assert warning.line == line_of(text, "discuss:") and "control character" in warning.message
