"""The qualities catalogue's kept JSON copy: an unchanged ``qualities.yaml`` is
read without the YAML reader, and anything doubtful about the copy means the
YAML is read again, quietly, giving the same catalogue."""

from __future__ import annotations

import errno
import json
import os
import stat
import sys

import pytest

from scoring import catalogue_cache
from scoring.catalogue import _read_bytes, catalogue_from, load_catalogue, parse_catalogue
from scoring.private_files import cache_folder

SHIPPED = _read_bytes()
FORGED = "A forged label"


def _fresh_load():
    return load_catalogue.__wrapped__()  # past the once-a-process memo


@pytest.fixture
def truth():
    return parse_catalogue(SHIPPED.decode("utf-8"))


@pytest.fixture
def no_yaml(monkeypatch):
    """Importing the YAML reader fails from here on: only the kept copy can answer."""
    for name in [m for m in sys.modules if m == "yaml" or m.startswith("yaml.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "yaml", None)


def _forge(entry):
    """The kept copy rewritten to show another label: what someone who could
    write it could make a debrief say."""
    kept = json.loads(entry.read_text(encoding="utf-8"))
    kept["data"]["qualities"][0]["label"] = FORGED
    entry.write_text(json.dumps(kept), encoding="utf-8")
    return entry


def test_an_unchanged_catalogue_is_read_from_its_copy_without_the_yaml_reader(truth, request):
    assert _fresh_load() == truth
    assert catalogue_cache.entry_path(SHIPPED).is_file()
    request.getfixturevalue("no_yaml")
    assert _fresh_load() == truth


def test_without_a_copy_the_yaml_is_needed(no_yaml):
    with pytest.raises(ImportError):  # so the test above cannot pass by reading the YAML
        _fresh_load()


def test_the_copy_is_owner_only(truth):
    _fresh_load()
    entry = catalogue_cache.entry_path(SHIPPED)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
    assert not [p for p in entry.parent.iterdir() if p.name.endswith(".tmp")]


def test_an_edited_catalogue_is_read_afresh(truth):
    _fresh_load()
    edited = SHIPPED.replace(b'label: "Calm"', b'label: "Calm and steady"', 1)
    assert edited != SHIPPED
    changed = catalogue_from(catalogue_cache.catalogue_data(edited))
    assert changed.qualities["calm"].label == "Calm and steady"
    assert catalogue_cache.entry_path(edited) != catalogue_cache.entry_path(SHIPPED)
    assert _fresh_load() == truth  # the shipped one's copy is untouched


@pytest.mark.parametrize("junk", [b"{not json", b"[]", b"\xff\xfe not UTF-8",
                                  json.dumps({"format": 999, "data": {}}).encode(),
                                  json.dumps({"format": catalogue_cache.FORMAT, "data": []}).encode(),
                                  # JSON of the right shape holding no catalogue
                                  json.dumps({"format": catalogue_cache.FORMAT, "data": {"qualities": 3}}).encode()])
def test_a_corrupt_copy_is_ignored_and_replaced(junk, truth):
    entry = catalogue_cache.entry_path(SHIPPED)
    entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    entry.write_bytes(junk)
    entry.chmod(0o600)
    assert _fresh_load() == truth
    assert entry.read_bytes() != junk  # replaced by a sound copy


def test_a_copy_others_may_write_is_not_trusted(truth):
    _fresh_load()
    entry = _forge(catalogue_cache.entry_path(SHIPPED))
    for mode in (0o620, 0o602, 0o666):
        entry.chmod(mode)
        assert _fresh_load() == truth


def test_a_copy_owned_by_another_user_is_not_trusted(truth, monkeypatch):
    _fresh_load()
    _forge(catalogue_cache.entry_path(SHIPPED)).chmod(0o600)
    assert _fresh_load().qualities["calm"].label == FORGED  # the forgery works when the copy is ours...
    monkeypatch.setattr("scoring.private_files._owner_id", lambda: os.getuid() + 1)
    assert _fresh_load() == truth  # ...and not when someone else owns it


def test_a_copy_that_is_a_link_is_not_followed(truth, tmp_path):
    _fresh_load()
    entry = _forge(catalogue_cache.entry_path(SHIPPED))
    elsewhere = tmp_path / "elsewhere.json"
    entry.rename(elsewhere)
    elsewhere.chmod(0o600)
    entry.symlink_to(elsewhere)
    assert _fresh_load() == truth


def test_a_cache_folder_that_cannot_be_written_still_gives_the_catalogue(truth, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("REHEARSE_CACHE", str(blocker / "cache"))
    assert _fresh_load() == truth


def test_a_full_disk_leaves_no_copy_and_the_next_run_reads_the_yaml(truth, monkeypatch):
    written = []

    def full(path, text, **options):
        path.write_text(text[: len(text) // 2])  # half a copy, then the disk is full
        written.append(path)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(catalogue_cache, "write_private", full)
    assert _fresh_load() == truth
    assert written and not written[0].exists()
    assert not catalogue_cache.entry_path(SHIPPED).exists()
    assert _fresh_load() == truth


def test_the_copy_sits_with_the_compiled_scenarios():
    from simulator.format import check_cache

    assert catalogue_cache.entry_path(SHIPPED).parent == check_cache.cache_dir() == cache_folder()
