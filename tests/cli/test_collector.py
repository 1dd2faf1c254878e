"""A command that runs to its end unattended pauses Python's cyclic garbage
collector (it only slowed start-up); one that waits on a person keeps it, so
a long rehearsal at a prompt does not grow without bound; and whoever called
``main`` gets the collector back as it was."""

from __future__ import annotations

import gc

import pytest

from simulator.cli import main

DSL = "dsl-mash-threshold"


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_prompt_waits_with_the_collector_running(monkeypatch, tmp_path):
    seen = []

    def person(prompt: str) -> str:
        seen.append(gc.isenabled())
        raise EOFError  # the person leaves at the first question

    monkeypatch.setattr("builtins.input", person)
    main(["play", DSL, "--no-record", "--data", str(tmp_path / "h.db")])
    assert seen and all(seen)
    assert gc.isenabled()


def test_a_fixed_route_runs_with_the_collector_paused_and_gives_it_back(monkeypatch, tmp_path, capsys):
    from simulator.engine import plain

    seen = []
    original = plain.run_choices

    def run_choices(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(plain, "run_choices", run_choices)
    assert main(["play", DSL, "--choices", "1,1,1,1,1", "--data", str(tmp_path / "h.db")]) == 0
    assert seen == [False]
    assert "Saved in your history." in capsys.readouterr().out
    assert gc.isenabled()


def test_a_mistake_on_the_command_line_gives_the_collector_back(capsys):
    with pytest.raises(SystemExit):
        main(["play", DSL, "--choices"])
    assert gc.isenabled()


def test_a_caller_that_had_paused_the_collector_keeps_it_paused(tmp_path, capsys):
    gc.disable()
    main(["play", DSL, "--choices", "1", "--no-record"])
    assert not gc.isenabled()
