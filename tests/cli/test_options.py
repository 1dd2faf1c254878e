"""Options a user types where the README says they may."""

from __future__ import annotations

import pytest

from simulator.cli import COMMANDS, _parser


@pytest.mark.parametrize("command", sorted(name for name in COMMANDS if name))
def test_data_is_accepted_after_every_command(command):
    needs = {"play": ["x"], "graph": ["x"], "new": ["x"], "preview": ["x"], "import": ["x"],
             "facilitate": ["x"], "serve": ["--cohort", "c"], "dashboard": ["--cohort", "c"]}
    args = _parser().parse_args([command, *needs.get(command, []), "--data", "after.db"])
    assert args.data == "after.db"


def test_data_before_the_command_is_kept():
    assert _parser().parse_args(["--data", "before.db", "list"]).data == "before.db"


def test_every_command_says_what_data_is_in_its_help(capsys):
    with pytest.raises(SystemExit):
        _parser().parse_args(["serve", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--data PATH the history file" in help_text
    assert "(default: 8000)" in help_text


def test_ctrl_c_at_the_prompt_says_it_stopped(monkeypatch, capsys):
    import builtins

    from simulator.cli import main

    def interrupted(prompt=""):
        raise KeyboardInterrupt

    monkeypatch.setattr(builtins, "input", interrupted)
    assert main(["play", "dsl-mash-threshold"]) == 130
    assert "Stopped (Ctrl+C)" in capsys.readouterr().err
