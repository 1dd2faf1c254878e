"""Options a user types where the README says they may."""

from __future__ import annotations

import pytest

from simulator.cli import COMMANDS, EVERY, _asked, _parser


@pytest.mark.parametrize("command", sorted(name for name in COMMANDS if name))
def test_data_is_accepted_after_every_command(command):
    needs = {"play": ["x"], "graph": ["x"], "new": ["x"], "preview": ["x"], "import": ["x"],
             "facilitate": ["x"], "serve": ["--cohort", "c"], "dashboard": ["--cohort", "c"]}
    args = _parser().parse_args([command, *needs.get(command, []), "--data", "after.db"])
    assert args.data == "after.db"


@pytest.mark.parametrize("argv", [
    ["play", "x", "--choices", "1,2", "--no-record"], ["--data", "play", "list", "--no-cache"],
    ["--dat", "list", "play", "x"], ["--data=list", "validate", "--strict"], ["--export-dir", "serve", "history"],
    ["export", "--format", "csv", "--out", "play"], [],
])
def test_building_only_the_command_asked_for_reads_the_line_as_every_command_would(argv):
    """Only the command named has its options built (a faster start); what
    the line means must not change, whatever words the values are."""
    assert _parser(_asked(argv)).parse_args(argv) == _parser(EVERY).parse_args(argv)


@pytest.mark.parametrize("argv", [["-h"], ["--data", "x", "--help"], ["frob"], ["--bogus", "play", "x"],
                                  ["play", "--help"], ["--data"]])
def test_help_and_mistakes_read_as_they_did(argv, capsys):
    outputs = []
    for parser in (_parser(_asked(argv)), _parser(EVERY)):
        with pytest.raises(SystemExit) as stop:
            parser.parse_args(argv)
        captured = capsys.readouterr()
        outputs.append((stop.value.code, captured.out, captured.err))
    assert outputs[0] == outputs[1]


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
