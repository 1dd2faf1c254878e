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
    unwanted = {"scoring.html_report", "scoring.markdown_report", "scoring.free_text", "textual", "jsonschema"}
    assert not unwanted & loaded, sorted(unwanted & loaded)
