"""The one writer of every file Rehearse creates: owner-only, never over
another file, never through a link, and it says the name it really wrote."""

from __future__ import annotations

import os
import stat
import sys
from datetime import datetime
from pathlib import Path

import pytest

from scoring.reports import write_private

NOW = datetime(2026, 12, 4, 15, 30, 7)

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes and links as POSIX has them")


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@posix_only
def test_a_new_file_is_owner_only_even_with_a_permissive_umask(tmp_path):
    old = os.umask(0)
    try:
        written = write_private(tmp_path / "report.html", "<p>case</p>")
    finally:
        os.umask(old)
    assert written == tmp_path / "report.html"
    assert mode(written) == 0o600 and written.read_text() == "<p>case</p>"


@posix_only
def test_an_existing_world_readable_file_is_left_alone_and_the_export_gets_a_new_name(tmp_path):
    theirs = tmp_path / "e.csv"
    theirs.write_text("someone else's spreadsheet")
    theirs.chmod(0o644)
    written = write_private(theirs, "id,learner\n", now=NOW)
    assert theirs.read_text() == "someone else's spreadsheet" and mode(theirs) == 0o644
    assert written == tmp_path / "e-2026-12-04-1530-07.csv"
    assert written.read_text() == "id,learner\n" and mode(written) == 0o600


@posix_only
def test_a_link_at_the_name_is_never_followed(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("untouched")
    link = tmp_path / "out.html"
    link.symlink_to(target)
    written = write_private(link, "<p>case detail</p>", now=NOW)
    assert target.read_text() == "untouched"
    assert os.path.islink(link) and written != link and written.read_text() == "<p>case detail</p>"


@posix_only
def test_a_dangling_link_does_not_create_its_target(tmp_path):
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "planted.md")
    written = write_private(link, "case detail", now=NOW)
    assert not (tmp_path / "planted.md").exists()
    assert written == tmp_path / "out-2026-12-04-1530-07.md"


def test_names_taken_in_the_same_second_are_numbered(tmp_path):
    paths = [write_private(tmp_path / "e.csv", f"export {n}", now=NOW) for n in range(4)]
    assert [p.name for p in paths] == ["e.csv", "e-2026-12-04-1530-07.csv", "e-2026-12-04-1530-07-2.csv",
                                       "e-2026-12-04-1530-07-3.csv"]
    assert [p.read_text() for p in paths] == [f"export {n}" for n in range(4)]


def test_a_name_that_already_says_when_is_only_numbered(tmp_path):
    first = write_private(tmp_path / "rehearse-x-2026-12-04-1530-07.html", "one", taken="number", now=NOW)
    second = write_private(first, "two", taken="number", now=NOW)
    assert second.name == "rehearse-x-2026-12-04-1530-07-2.html"
    assert first.read_text() == "one" and second.read_text() == "two"


def test_refuse_leaves_the_existing_file_and_raises(tmp_path):
    path = tmp_path / "my-scenario.yaml"
    path.write_text("a trainer's work")
    with pytest.raises(FileExistsError):
        write_private(path, "starter", taken="refuse")
    assert path.read_text() == "a trainer's work" and sorted(tmp_path.iterdir()) == [path]


def test_a_set_of_files_moves_to_the_next_name_together(tmp_path):
    from scoring.private_files import write_private_files

    (tmp_path / "record.json").write_text("earlier")
    written = write_private_files(tmp_path / "record", {".md": "m", ".html": "h", ".json": "j"}, taken="number")
    assert [p.name for p in written] == ["record-2.md", "record-2.html", "record-2.json"]
    assert not (tmp_path / "record.md").exists() and (tmp_path / "record.json").read_text() == "earlier"


def test_a_file_that_cannot_be_finished_is_removed(tmp_path):
    with pytest.raises(UnicodeEncodeError):
        write_private(tmp_path / "out.txt", "caf\u00e9 \u2603", encoding="ascii")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rule is ours only on Linux; elsewhere platformdirs answers")
@pytest.mark.parametrize("cache, data", [(None, None), ("", "   "), ("/srv/cache", "/srv/data"), ("relative", "~/x")])
def test_our_user_folders_are_the_ones_platformdirs_names(monkeypatch, tmp_path, cache, data):
    import platformdirs

    from scoring.private_files import user_folder

    monkeypatch.setenv("HOME", str(tmp_path))
    for variable, value in (("XDG_CACHE_HOME", cache), ("XDG_DATA_HOME", data)):
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    assert user_folder("cache") == Path(platformdirs.user_cache_dir("rehearse", appauthor=False))
    assert user_folder("data") == Path(platformdirs.user_data_dir("rehearse", appauthor=False))
