"""Remembered verdicts and compiled scenarios, so an unchanged library is not read twice.

Trainers run ``rehearse validate`` over and over while they write, usually on
a library where one file changed. Like mypy's and ruff's caches, a result is
kept under a key made of the file's path and bytes *and* a fingerprint of the
code that checks it (the checker, the schema, the quality catalogue), so a new
version of Rehearse, or an edited checker in a checkout, never reuses an old
verdict.

An entry holds the verdict, what the library shows of the scenario (id,
title, area, role, minutes, difficulty) and the checked document as plain
JSON, so `rehearse list`, `play` and the app's first screen neither parse nor
check a file that has not changed. Only JSON is read back (never pickle), and
only from a regular file that this user owns and nobody else may write: an
entry another user could have written might describe a scenario that is not
the one on disk.

The cache is a convenience: any problem reading or writing it means the file
is simply checked again. It lives in the user's cache folder (owner-only:
diagnostics quote scenario text), or in ``$REHEARSE_CACHE``.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from scoring.content_hash import content_hash
from scoring.private_files import cache_folder, read_own

FORMAT = 2
MAX_ENTRIES = 512


def cache_dir() -> Path:
    # One folder for everything kept to start faster (the scoring catalogue too).
    return cache_folder()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash over every file whose change could change a verdict: the model,
    the format's checker, the lint rules, the schema and the scoring catalogue."""
    import scoring
    import simulator

    simulator_dir, scoring_dir = os.path.dirname(simulator.__file__), os.path.dirname(scoring.__file__)
    folders = [(os.path.join(simulator_dir, part), ".py") for part in ("model", "format", "analysis")]
    folders += [(os.path.join(simulator_dir, "schema"), ".json"), (scoring_dir, ".py"), (scoring_dir, ".yaml")]
    # os.scandir and plain strings: pathlib's glob and relative_to took ~0.5 ms of every start here.
    files = sorted((entry.path, f"{os.path.basename(folder)}/{entry.name}")
                   for folder, suffix in folders for entry in os.scandir(folder) if entry.name.endswith(suffix))
    # Each file by its size and times rather than its bytes: reading and hashing
    # the ~270 KB of code took ~2 ms of every start. Writing a file in any way
    # (an edit, a checkout, an install, even one that keeps an old mtime) sets
    # its status-change time to now, which no tool can set back.
    digest = content_hash(f"format {FORMAT}".encode())
    for path, name in files:
        info = os.stat(path)
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0".encode())
    return digest.hexdigest()


def key(source: str, raw: bytes) -> str:
    # The source is part of the key because diagnostics name the file.
    digest = content_hash(code_fingerprint().encode())
    digest.update(source.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def lookup(entry_key: str) -> tuple[dict, bytes] | None:
    """The remembered header (``scenario_id``, ``diagnostics``, ``summary``)
    and the document's JSON as UTF-8 bytes (empty when none was kept), or None.
    Only the header is decoded here: the library reads every entry, and opens
    one scenario."""
    # read_own: a regular file of ours that no one else may write; anything
    # else could have been put there by another user, and is not trusted.
    data = read_own(cache_dir() / entry_key)
    if data is None:
        return None
    try:
        header_line, _, document = data.partition(b"\n")
        header = json.loads(header_line)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return None
    if not isinstance(header.get("diagnostics"), list):
        return None
    return header, document


def remember(entry_key: str, scenario_id: str | None, diagnostics: list[dict],
             summary: dict | None = None, document: str = "") -> None:
    """Keep a verdict, and the checked document as one line of JSON (no newline
    in it: the header is the first line, read without parsing the rest)."""
    folder = cache_dir()
    header = json.dumps({"format": FORMAT, "scenario_id": scenario_id, "diagnostics": diagnostics, "summary": summary})
    temporary = folder / f".{entry_key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            _write(fd, (header + "\n" + document).encode("utf-8"))
        finally:
            os.close(fd)
        # Atomic: a reader sees the whole entry or none.
        os.replace(temporary, folder / entry_key)
        _prune(folder)
    except OSError:
        # A full disk, a read-only folder: the next run checks the file again.
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _prune(folder: Path) -> None:
    """Keep the newest entries: every edit of a file makes a new one."""
    entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for stale in entries[: len(entries) - MAX_ENTRIES // 2]:
        stale.unlink(missing_ok=True)
