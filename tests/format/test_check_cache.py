"""`rehearse validate` remembers verdicts on unchanged files, and only those."""

import json
import stat
from pathlib import Path

from scoring import catalogue_cache
from simulator.cli import main
from simulator.format import check_cache, yaml_source
from simulator.format.library import _max_bytes, check_all, load_all

FIXTURES = Path(__file__).parents[1] / "fixtures"
BROKEN = Path(__file__).parents[1] / "broken"


def _validate(capsys, *args):
    status = main(["validate", *args])
    out = capsys.readouterr().out
    return status, out


def test_a_second_run_says_exactly_what_the_first_said(tmp_path, capsys):
    folder = tmp_path / "lib"
    folder.mkdir()
    for name in ("next-missing-node.yaml", "duplicate-top-level-key.yaml"):
        (folder / name).write_bytes((BROKEN / name).read_bytes())
    (folder / "minimal.yaml").write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    first = _validate(capsys, str(folder))
    # One entry a file (beside them, perhaps, the scoring catalogue's copy).
    entries = [p for p in check_cache.cache_dir().iterdir() if not p.name.startswith(catalogue_cache.PREFIX)]
    assert len(entries) == 3
    second = _validate(capsys, str(folder))
    fresh = _validate(capsys, str(folder), "--no-cache")
    assert first == second == fresh
    assert first[0] == 1 and "error" in first[1]


def test_the_cache_answers_without_reading_the_file_again(tmp_path, monkeypatch):
    path = tmp_path / "minimal.yaml"
    path.write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    [cold] = check_all([str(path)])

    def no_loading(*args, **kwargs):
        raise AssertionError("the loader ran on an unchanged file")

    monkeypatch.setattr("simulator.format.loader.load_bytes", no_loading)
    [warm] = check_all([str(path)])
    assert warm == cold and warm.ok


def test_an_edited_file_is_checked_afresh(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    [before] = check_all([str(path)])
    assert before.ok
    path.write_text(path.read_text().replace("next: ", "next: nowhere-", 1))
    [after] = check_all([str(path)])
    assert not after.ok and any("nowhere-" in d.message for d in after.diagnostics)


def test_a_change_to_the_checking_code_invalidates_every_entry(tmp_path, monkeypatch):
    path = tmp_path / "s.yaml"
    path.write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    old_key = check_cache.key(str(path), path.read_bytes())
    monkeypatch.setattr(check_cache, "code_fingerprint", lambda: "a newer checker")
    assert check_cache.key(str(path), path.read_bytes()) != old_key


def test_an_edited_checker_changes_the_fingerprint_even_with_its_size_and_time_kept(tmp_path, monkeypatch):
    # A copy of the code the fingerprint covers, so a checker can be "edited".
    import os
    import time

    import scoring
    import simulator

    for part in ("model", "format", "analysis", "schema"):
        (tmp_path / "simulator" / part).mkdir(parents=True)
    (tmp_path / "scoring").mkdir()
    checker = tmp_path / "simulator" / "format" / "validator.py"
    checker.write_text("LIMIT = 1\n")
    (tmp_path / "scoring" / "qualities.yaml").write_text("qualities: []\n")
    monkeypatch.setattr(simulator, "__file__", str(tmp_path / "simulator" / "__init__.py"))
    monkeypatch.setattr(scoring, "__file__", str(tmp_path / "scoring" / "__init__.py"))
    check_cache.code_fingerprint.cache_clear()
    before = check_cache.code_fingerprint()
    check_cache.code_fingerprint.cache_clear()
    assert check_cache.code_fingerprint() == before  # nothing changed: entries are reused
    kept = checker.stat()
    time.sleep(0.05)  # past the file system's clock tick (a few ms), as any real edit is
    checker.write_text("LIMIT = 2\n")  # same size; then the old modification time put back
    os.utime(checker, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    check_cache.code_fingerprint.cache_clear()
    try:
        assert check_cache.code_fingerprint() != before
    finally:
        check_cache.code_fingerprint.cache_clear()


def test_a_corrupt_or_foreign_entry_is_ignored(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes((BROKEN / "next-missing-node.yaml").read_bytes())
    [truth] = check_all([str(path)], use_cache=False)
    entry = check_cache.cache_dir() / check_cache.key(str(path), path.read_bytes())
    entry.parent.mkdir(parents=True, exist_ok=True)
    for junk in ("{not json", json.dumps({"format": 999, "scenario_id": "x", "diagnostics": []}), "[]"):
        entry.write_text(junk)
        assert check_all([str(path)]) == [truth]


def test_the_cache_is_private_to_its_owner(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    check_all([str(path)])
    folder = check_cache.cache_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())


def test_an_unwritable_cache_still_validates(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("REHEARSE_CACHE", str(blocker / "cache"))
    assert _validate(capsys, str(FIXTURES / "minimal.yaml"))[0] == 0


def test_duplicate_ids_are_still_found_when_answered_from_the_cache(tmp_path, capsys):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    check_all([str(tmp_path / "a.yaml")])  # a's verdict alone, without the clash, is cached
    status, out = _validate(capsys, str(tmp_path))
    assert status == 1 and out.count("is also used by") == 2


def test_check_all_agrees_with_load_all_on_the_library_and_the_broken_corpus():
    for paths in (None, [str(BROKEN)]):
        loaded = load_all(paths)
        checked = check_all(paths)
        assert [(r.source, r.diagnostics, r.ok) for r in loaded] == [(r.source, r.diagnostics, r.ok) for r in checked]


def test_old_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr(check_cache, "MAX_ENTRIES", 4)
    for n in range(6):
        check_cache.remember(f"{n:064x}", None, [])
    assert len(list(check_cache.cache_dir().iterdir())) <= 4


def test_the_size_limit_matches_the_yaml_reader():
    assert _max_bytes() == yaml_source.MAX_BYTES
