from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def minimal_path() -> Path:
    return FIXTURES / "minimal.yaml"


@pytest.fixture
def minimal(minimal_path):
    from simulator.format.loader import load_file

    result = load_file(minimal_path)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.scenario


@pytest.fixture(autouse=True)
def _private_history(tmp_path, monkeypatch):
    """No test may read or write the user's real history file."""
    monkeypatch.setenv("REHEARSE_DATA", str(tmp_path / "history.db"))
    # Nor share validation results with the user's cache or another test; the
    # cache sits beside the test's folder so tests that count files there see
    # only what the command under test wrote.
    monkeypatch.setenv("REHEARSE_CACHE", str(tmp_path.parent / f"{tmp_path.name}-cache"))
