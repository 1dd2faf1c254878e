"""The core must load without Textual, so `rehearse validate` starts fast."""

import subprocess
import sys


def test_engine_loader_and_scoring_do_not_import_textual():
    code = (
        "import sys, simulator.engine, simulator.loader, simulator.validator, simulator.cli, "
        "simulator.library, simulator.plain, simulator.graph, simulator.store, simulator.analysis, "
        "simulator.cohort_stats, simulator.cohorts, simulator.cohort_dashboard, simulator.exports, simulator.xapi, "
        "scoring.catalogue, scoring.evidence\n"
        "import scoring.scorer, scoring.feedback, scoring.reports\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_scoring_never_imports_the_simulator():
    code = (
        "import sys, scoring.catalogue, scoring.evidence, scoring.scorer, scoring.feedback, scoring.reports\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('simulator'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_validate_command_runs_without_textual():
    code = (
        "import sys\nfrom simulator.cli import main\nstatus = main(['validate'])\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\nsys.exit(status)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
