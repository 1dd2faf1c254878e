"""The authoring guide stays true to the tool it describes.

A trainer follows docs/authoring.md line by line, so a key missing from its
reference table, an example that no longer validates or a command the CLI no
longer accepts is a bug a user would hit.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from doc_commands import assert_cli_accepts

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "authoring.md"
SCHEMA = ROOT / "simulator" / "schema" / "scenario.schema.json"


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    assert start in text and end in text, f"markers {start} / {end} are missing from {GUIDE.name}"
    return text.split(start, 1)[1].split(end, 1)[0]


def table_rows(block: str) -> list[list[str]]:
    """The cells of a Markdown table, header and rule left out."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in block.splitlines() if line.strip().startswith("|")]
    return rows[2:]


def example(name: str) -> str:
    """The YAML block that follows ``<!-- example: NAME -->``."""
    after = guide().split(f"<!-- example: {name} -->", 1)
    assert len(after) == 2, f"no example '{name}' in {GUIDE.name}"
    match = re.match(r"\s*```yaml\n(.*?)```", after[1], re.S)
    assert match, f"example '{name}' is not followed by a yaml block"
    return match.group(1)


# -- the reference table covers the schema, key for key ------------------------

def schema_keys() -> set[tuple[str, str]]:
    """(where, key) for every property in the schema; names the author chooses
    (characters, facts, variables, nodes) are written ``*``, list items ``[]``."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    definitions = schema["$defs"]

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = definitions[node["$ref"].rsplit("/", 1)[1]]
        return node

    keys: set[tuple[str, str]] = set()

    def walk(node: dict, where: str) -> None:
        for name, value in resolve(node).get("properties", {}).items():
            keys.add((where, name))
            value = resolve(value)
            inner = name if where == "top level" else f"{where}.{name}"
            if "properties" in value:
                walk(value, inner)
            if isinstance(value.get("additionalProperties"), dict) and "properties" in resolve(value["additionalProperties"]):
                walk(value["additionalProperties"], f"{inner}.*")
            if isinstance(value.get("items"), dict) and "properties" in resolve(value["items"]):
                walk(value["items"], f"{inner}[]")

    walk(schema, "top level")
    return keys


def table_keys() -> set[tuple[str, str]]:
    block = between(guide(), "<!-- keys:start -->", "<!-- keys:end -->")
    keys = set()
    for row in table_rows(block):
        where = re.sub(r"\b[A-Z]+\b", "*", row[0].strip("`"))
        keys.add((where, row[1].strip("`")))
    return keys


def test_the_reference_table_lists_every_key_in_the_schema():
    missing = schema_keys() - table_keys()
    assert not missing, f"keys in the schema but not in the table of {GUIDE.name}: {sorted(missing)}"


def test_the_reference_table_lists_no_key_the_schema_lacks():
    stale = table_keys() - schema_keys()
    assert not stale, f"keys in the table of {GUIDE.name} that the schema does not define: {sorted(stale)}"


def test_every_area_and_outcome_the_schema_allows_is_named():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    allowed = schema["properties"]["area"]["enum"] + schema["$defs"]["ending"]["properties"]["outcome"]["enum"]
    text = guide()
    assert [value for value in allowed if f"`{value}`" not in text] == []


# -- the quality table is the catalogue ------------------------------------------

def test_the_quality_table_is_the_catalogue():
    from scoring.catalogue import load_catalogue

    catalogue = load_catalogue()
    rows = table_rows(between(guide(), "<!-- qualities:start -->", "<!-- qualities:end -->"))
    listed = {row[1].strip("`"): row[2] for row in rows}
    assert listed == {q.id: q.label for q in catalogue.qualities.values()}
    competencies = [row[0] for row in rows if row[0]]
    assert competencies == [c.label for c in catalogue.competencies]


# -- the tutorial's files behave as the guide says -----------------------------

def load_example(name: str, tmp_path: Path):
    from simulator.format.loader import load_file

    # Where the trainer keeps it, so the modeline's relative path is the one shown.
    path = tmp_path / "drafts" / "dsl-kai-strategy.yaml"
    path.parent.mkdir()
    path.write_text(example(name), encoding="utf-8")
    return load_file(path)


def test_the_smallest_scenario_loads_and_plays_to_its_ending(tmp_path):
    from simulator.engine.session import Session

    result = load_example("smallest", tmp_path)
    errors = [d.format() for d in result.diagnostics if d.severity == "error"]
    assert result.scenario is not None and errors == []
    session = Session(result.scenario)
    assert session.finished and session.node.ending.outcome == "child-at-risk"


def test_the_whole_tutorial_file_is_clean_and_balanced(tmp_path):
    from scoring.catalogue import load_catalogue
    from simulator.analysis.balance import OVERALL, analyse

    result = load_example("final", tmp_path)
    assert result.scenario is not None
    assert [d.format() for d in result.diagnostics] == []
    analysis = analyse(result.scenario)
    assert analysis.warnings == ()
    top = load_catalogue().bands[0].minimum
    assert analysis.best[OVERALL].score >= top
    assert all(s.overall is None or s.overall < top for s in analysis.strategies)


def test_the_whole_tutorial_file_matches_the_modeline_shown_for_editors():
    first_line = example("final").splitlines()[0]
    schema = (GUIDE.parent.parent / "drafts" / first_line.split("$schema=", 1)[1]).resolve()
    assert schema == SCHEMA.resolve()


# -- commands and links ----------------------------------------------------------

def shown_commands() -> list[str]:
    text = guide()
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        commands += [line.strip() for line in block.splitlines() if line.strip().startswith("rehearse ")]
    commands += re.findall(r"`(rehearse [^`]+)`", text)
    return commands


def test_the_guide_shows_commands_for_every_authoring_step():
    used = {command.split()[1] for command in shown_commands()}
    assert {"validate", "play", "preview", "analyse", "new", "import"} <= used


@pytest.mark.parametrize("command", sorted(set(shown_commands())))
def test_every_command_shown_is_one_the_cli_accepts(command, capsys):
    assert_cli_accepts(command, capsys)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)  # not in code
    return {slug(match) for match in re.findall(r"^#+ (.+)$", text, re.M)}


def test_links_in_the_guide_lead_somewhere():
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", guide()):
        if target.startswith(("http://", "https://")):
            continue
        file_part, _, anchor = target.partition("#")
        path = (GUIDE.parent / file_part).resolve() if file_part else GUIDE
        if file_part == "twine-import.md" and not path.exists():
            continue  # written on the Twine import branch; checked once it lands
        if not path.exists():
            broken.append(target)
        elif anchor and anchor not in anchors(path):
            broken.append(target)
    assert broken == []


def test_readme_and_the_format_reference_point_trainers_to_the_guide():
    assert "docs/authoring.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    reference = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert "(authoring.md)" in reference.split("\n## ", 1)[0]
