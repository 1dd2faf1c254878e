from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def minimal_path() -> Path:
    return FIXTURES / "minimal.yaml"


@pytest.fixture
def minimal(minimal_path):
    from simulator.loader import load_file

    result = load_file(minimal_path)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.scenario
