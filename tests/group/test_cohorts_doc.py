"""docs/cohorts.md stays true to the commands it tells a facilitator to type.

A facilitator setting up a partnership-wide session copies these commands onto
several hosts; one the CLI no longer accepts is found on the day, in front of
the room.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from doc_commands import assert_cli_accepts

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "cohorts.md"


def shown_commands() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        joined = block.replace("\\\n", " ")  # a command continued over lines
        commands += [line.strip() for line in joined.splitlines() if line.strip().startswith("rehearse ")]
    commands += re.findall(r"`(rehearse [^`]+)`", text.replace("\n", " "))
    # "…" stands for what the reader fills in: a cohort's name, a database's address.
    return [" ".join(c.replace("postgresql://…", "postgresql://db/rehearse").replace("…", "x").split())
            for c in commands]


def test_the_guide_shows_serve_dashboard_and_export_on_a_file_and_on_postgresql():
    commands = shown_commands()
    for name in ("serve", "dashboard", "export"):
        assert any(c.split()[1] == name and "--store" in c for c in commands), f"no `rehearse {name} --store`"
    assert any(c.split()[1] == "serve" and "--data" in c for c in commands)


@pytest.mark.parametrize("command", sorted(set(shown_commands())))
def test_every_command_shown_is_one_the_cli_accepts(command, capsys):
    assert_cli_accepts(command, capsys)


def test_the_readme_and_the_architecture_point_to_the_guide():
    for doc in ("README.md", "docs/architecture.md"):
        assert "cohorts.md" in (ROOT / doc).read_text(encoding="utf-8"), f"{doc} does not point to docs/cohorts.md"
