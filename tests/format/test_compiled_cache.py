"""The cache of compiled scenarios: an unchanged file is neither parsed nor
checked again, and anything doubtful about an entry means a fresh check,
quietly (the learner sees the library, never a warning about a cache)."""

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.format import check_cache
from simulator.format.library import load_all
from simulator.format.library_entry import read

FIXTURES = Path(__file__).parents[1] / "fixtures"
BROKEN = Path(__file__).parents[1] / "broken"
FORGED = "A forged title"


@pytest.fixture
def scenario(tmp_path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    path = folder / "minimal.yaml"
    path.write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    return path


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The files the loader parsed and checked, in order."""
    import simulator.format.loader as loader

    seen: list[str] = []
    real = loader.compile_bytes

    def counting(raw, source):
        seen.append(source)
        return real(raw, source)

    monkeypatch.setattr(loader, "compile_bytes", counting)
    return seen


def _entry_path(path: Path) -> Path:
    return check_cache.cache_dir() / check_cache.key(str(path), path.read_bytes())


def _forge(path: Path) -> Path:
    """Rewrite the cached entry so that it shows another title: what someone
    who could write the entry could make the library show."""
    entry = _entry_path(path)
    header, _, document = entry.read_text(encoding="utf-8").partition("\n")
    data = json.loads(header)
    data["summary"]["title"] = FORGED
    entry.write_text(json.dumps(data) + "\n" + document.replace('"title":', '"title":"' + FORGED + '","x":', 1),
                     encoding="utf-8")
    return entry


def _list(capsys, *args) -> tuple[int, str, str]:
    status = main(["list", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_an_unchanged_scenario_is_not_parsed_or_checked_again(scenario, compiles, capsys):
    first = _list(capsys, str(scenario.parent))
    assert compiles == [str(scenario)]
    second = _list(capsys, str(scenario.parent))
    assert compiles == [str(scenario)] and second == first
    # Opening it in full comes from the cache too, and is the same scenario.
    [entry] = load_all([str(scenario.parent)])
    opened = entry.scenario
    assert compiles == [str(scenario)]
    [fresh] = load_all([str(scenario.parent)], use_cache=False)
    assert opened == fresh.scenario


def test_no_cache_checks_everything_again(scenario, compiles, capsys):
    _list(capsys, str(scenario.parent))
    _forge(scenario)
    assert FORGED in _list(capsys, str(scenario.parent))[1]  # ours, unchanged: trusted
    status, out, _ = _list(capsys, str(scenario.parent), "--no-cache")
    assert status == 0 and FORGED not in out and len(compiles) == 2


def test_a_changed_file_is_checked_afresh(scenario, compiles, capsys):
    _list(capsys, str(scenario.parent))
    text = scenario.read_text()
    scenario.write_text(text.replace('title: "', 'title: "Renamed ', 1))
    status, out, err = _list(capsys, str(scenario.parent))
    assert "Renamed" in out and err == "" and len(compiles) == 2


def test_a_changed_checker_checks_everything_afresh(scenario, compiles, monkeypatch, capsys):
    _list(capsys, str(scenario.parent))
    monkeypatch.setattr(check_cache, "code_fingerprint", lambda: "a newer checker")
    status, out, err = _list(capsys, str(scenario.parent))
    assert status == 0 and err == "" and len(compiles) == 2


@pytest.mark.parametrize("junk", [
    "{not json", "", "\n", json.dumps({"format": 999}), "[]\n{}",
    json.dumps({"format": check_cache.FORMAT, "scenario_id": "x", "diagnostics": [], "summary": {"id": "x"}}),
    json.dumps({"format": check_cache.FORMAT, "scenario_id": None, "diagnostics": [{"nonsense": 1}]}),
    json.dumps({"format": check_cache.FORMAT, "scenario_id": "minimal", "diagnostics": [], "summary": None}),
])
def test_a_corrupt_entry_is_ignored(scenario, compiles, capsys, junk):
    truth = _list(capsys, str(scenario.parent))
    _entry_path(scenario).write_text(junk)
    assert _list(capsys, str(scenario.parent)) == truth
    assert len(compiles) == 2


# Only an entry's header is decoded as the library is read; its document when the scenario is opened.
@pytest.mark.parametrize("broken", [b"{broken", b"\xff\xfe not UTF-8"])
def test_a_corrupt_document_is_read_from_the_file_when_opened(scenario, capsys, broken):
    [fresh] = load_all([str(scenario.parent)], use_cache=False)
    _list(capsys, str(scenario.parent))
    entry = _entry_path(scenario)
    header = entry.read_bytes().partition(b"\n")[0]
    entry.write_bytes(header + b"\n" + broken)
    [cached] = load_all([str(scenario.parent)])
    assert cached.scenario == fresh.scenario


def test_an_entry_others_may_write_is_not_trusted(scenario, compiles, capsys):
    _list(capsys, str(scenario.parent))
    entry = _forge(scenario)
    for mode in (0o620, 0o602, 0o666):
        entry.chmod(mode)
        status, out, err = _list(capsys, str(scenario.parent))
        assert FORGED not in out and err == "" and status == 0


def test_an_entry_owned_by_another_user_is_not_trusted(scenario, compiles, monkeypatch, capsys):
    _list(capsys, str(scenario.parent))
    _forge(scenario)
    monkeypatch.setattr("scoring.private_files._owner_id", lambda: os.getuid() + 1)
    status, out, err = _list(capsys, str(scenario.parent))
    assert FORGED not in out and err == "" and status == 0 and len(compiles) == 2


def test_an_entry_that_is_a_link_is_not_followed(scenario, tmp_path, capsys):
    _list(capsys, str(scenario.parent))
    entry = _forge(scenario)
    elsewhere = tmp_path / "elsewhere"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert FORGED not in _list(capsys, str(scenario.parent))[1]


def test_a_full_disk_still_lists_and_plays(scenario, compiles, monkeypatch, capsys):
    def full(fd, data):
        os.write(fd, data[: len(data) // 2])  # half an entry, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    truth = _list(capsys, str(scenario.parent), "--no-cache")
    monkeypatch.setattr(check_cache, "_write", full)
    assert _list(capsys, str(scenario.parent)) == truth
    assert _list(capsys, str(scenario.parent)) == truth
    assert len(compiles) == 3  # nothing was kept, so each run checked afresh
    folder = check_cache.cache_dir()
    assert not folder.exists() or not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert main(["play", str(scenario), "--choices", "1,1,1"]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err


def test_a_broken_file_lists_with_its_first_error_from_the_cache(tmp_path, compiles, capsys):
    path = tmp_path / "broken.yaml"
    path.write_bytes((BROKEN / "next-missing-node.yaml").read_bytes())
    first = _list(capsys, str(tmp_path))
    second = _list(capsys, str(tmp_path))
    assert first == second and len(compiles) == 1
    [entry] = load_all([str(tmp_path)])
    assert "does not load: " + entry.first_error.message in first[1]


def test_two_files_with_one_id_are_both_refused_from_the_cache(tmp_path, capsys):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    read(tmp_path / "a.yaml")  # a alone, without the clash, is cached
    out = _list(capsys, str(tmp_path))[1]
    assert out.count("does not load: scenario id 'test-minimal' is also used by") == 2


def test_the_cache_is_owner_only_and_pruned(scenario, monkeypatch, capsys):
    _list(capsys, str(scenario.parent))
    folder = check_cache.cache_dir()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())
    monkeypatch.setattr(check_cache, "MAX_ENTRIES", 4)
    for n in range(6):
        check_cache.remember(f"{n:064x}", None, [])
    assert len(list(folder.iterdir())) <= 4


@pytest.mark.parametrize("argv, heavy", [
    (["list"], "yaml jsonschema textual rich sqlite3"),
    (["play", "dsl-mash-threshold", "--choices", "1,1", "--no-record"], "yaml jsonschema textual rich sqlite3"),
    # Kept in the history: the store (sqlite3) is needed to save each
    # decision, and the scoring catalogue to score the ending, but the
    # catalogue comes from its kept JSON copy, so still no YAML reader.
    (["play", "dsl-mash-threshold", "--choices", "1,1"], "yaml jsonschema textual rich"),
    (["play", "dsl-mash-threshold", "--choices", "1,1,1,1,1"], "yaml jsonschema textual rich"),
])
def test_a_warm_list_or_play_loads_no_parser_checker_or_analyser(argv, heavy, tmp_path):
    """With the library cached, `list` and `play` need neither the scenario's
    YAML parser, the schema checker, the free-text analyser nor Textual."""
    env = {**os.environ, "REHEARSE_CACHE": str(tmp_path / "cache"), "REHEARSE_DATA": str(tmp_path / "h.db")}
    code = (
        "import sys\nfrom simulator.cli import main\n"
        f"status = main({argv!r})\n"
        f"heavy = {tuple(heavy.split())!r}\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith("
        "('scoring.free_text', 'simulator.format.loader', 'simulator.format.validator', 'simulator.analysis',"
        " 'simulator.engine.say_first')))\n"
        "assert not loaded, loaded\nsys.exit(0 if status in (0, 1) else status)"
    )
    subprocess.run([sys.executable, "-m", "simulator", "list"], env=env, capture_output=True, check=True)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-500:] + result.stderr[-2000:]
