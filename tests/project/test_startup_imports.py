"""Each command loads what it uses and no more, so start-up stays short
(benchmarks/bench_startup.py and bench_ui.py measure it)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _loaded_after(code: str, tmp_path) -> set[str]:
    env = {**os.environ, "REHEARSE_CACHE": str(tmp_path / "cache"), "REHEARSE_DATA": str(tmp_path / "h.db")}
    probe = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(result.stdout.split())


def test_the_apps_first_screen_loads_no_engine_scoring_or_other_screens(tmp_path):
    loaded = _loaded_after("import simulator.tui.app", tmp_path)
    unwanted = {"transitions", "yaml", "jsonschema", "simulator.engine.session",
                "simulator.tui.play_screen", "simulator.tui.debrief_screen", "simulator.tui.history_screen",
                "simulator.format.loader", "scoring.catalogue", "scoring.free_text"}
    assert not unwanted & loaded, sorted(unwanted & loaded)


@pytest.mark.parametrize("argv", [["export", "--format", "csv"], ["export", "--format", "json"], ["history"]])
def test_exports_and_history_load_no_report_renderers(argv, tmp_path):
    loaded = _loaded_after(f"from simulator.cli import main\nmain({argv!r})", tmp_path)
    # A history file never loads the PostgreSQL driver (an optional extra, for cohorts across hosts).
    unwanted = {"scoring.html_report", "scoring.markdown_report", "scoring.free_text", "textual", "jsonschema",
                "psycopg", "simulator.records.postgres"}
    assert not unwanted & loaded, sorted(unwanted & loaded)


@pytest.mark.parametrize("argv", [["list"], ["play", "dsl-mash-threshold", "--choices", "1,1,1,1,1"]])
def test_listing_and_a_recorded_play_load_no_typing(argv, tmp_path):
    # typing took ~2.5 ms of every start: names only a type checker reads are
    # imported under TYPE_CHECKING (docs/performance.md). The first run fills
    # the cache of compiled scenarios; a learner's every later run is the second.
    run = f"from simulator.cli import main\nmain({argv!r})"
    _loaded_after(run, tmp_path)
    loaded = _loaded_after(run, tmp_path)
    assert "simulator.engine.session" in loaded or argv == ["list"]
    assert "typing" not in loaded
