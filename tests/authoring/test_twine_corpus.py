"""The Twine corpus stays usable as a reference: every story is attributed and its figures are current."""

import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).parent / "fixtures" / "twine-corpus"
STORIES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".twee", ".html"))


def test_every_story_is_listed_with_its_source_and_licence():
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    rows = [line for line in sources.splitlines() if line.startswith("| `")]
    listed = {row.split("`")[1] for row in rows}
    assert listed == {p.name for p in STORIES}
    assert all("| MIT |" in row for row in rows)
    assert len(STORIES) >= 24


def test_expected_figures_match_the_reference_script():
    result = subprocess.run([sys.executable, str(CORPUS / "reference.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
