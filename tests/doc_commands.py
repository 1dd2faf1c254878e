"""A `rehearse …` command shown in a guide, held to what the CLI accepts
(shared by the tests of docs/authoring.md and docs/cohorts.md)."""

from __future__ import annotations

import argparse
import shlex

import pytest


def assert_cli_accepts(command: str, capsys) -> None:
    """Fail the test unless the CLI parses ``command`` (or knows the command it names in prose)."""
    from simulator.cli import _parser

    parser, args = _parser(), shlex.split(command)[1:]
    if len(args) == 1:  # the command named in prose, e.g. `rehearse preview`
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert args[0] in commands.choices, f"`{command}` is not a command"
        return
    try:
        parser.parse_args(args)
    except SystemExit as exc:
        pytest.fail(f"`{command}` is not accepted by the CLI: {capsys.readouterr().err.strip()} ({exc})")
