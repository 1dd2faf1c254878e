"""Remembered validation results, so re-checking an unchanged library is quick.

Trainers run ``rehearse validate`` over and over while they write, usually on
a library where one file changed. Like mypy's and ruff's caches, a result is
kept under a key made of the file's path and bytes *and* a fingerprint of the
code that checks it (the checker, the schema, the quality catalogue), so a new
version of Rehearse, or an edited checker in a checkout, never reuses an old
verdict.

The cache is a convenience: any problem reading or writing it means the file
is simply checked again. It lives in the user's cache folder (owner-only:
diagnostics quote scenario text), or in ``$REHEARSE_CACHE``.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

FORMAT = 1
MAX_ENTRIES = 512


def cache_dir() -> Path:
    override = os.environ.get("REHEARSE_CACHE")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("rehearse", appauthor=False)) / "validate"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of every file whose change could change a verdict: the model,
    the format's checker, the lint rules, the schema and the scoring catalogue."""
    import scoring
    import simulator

    simulator_dir = Path(simulator.__file__).parent
    scoring_dir = Path(scoring.__file__).parent
    checking = [simulator_dir / part for part in ("model", "format", "analysis")]
    files = sorted(
        [*(p for folder in checking for p in folder.glob("*.py")), *(simulator_dir / "schema").glob("*.json"),
         *scoring_dir.glob("*.py"), *scoring_dir.glob("*.yaml")]
    )
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in files:
        digest.update(path.relative_to(path.parents[1]).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(source: str, raw: bytes) -> str:
    # The source is part of the key because diagnostics name the file.
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(source.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def lookup(entry_key: str) -> dict | None:
    """The remembered ``{"scenario_id", "diagnostics"}``, or None."""
    try:
        entry = json.loads((cache_dir() / entry_key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    return entry


def remember(entry_key: str, scenario_id: str | None, diagnostics: list[dict]) -> None:
    folder = cache_dir()
    entry = json.dumps({"format": FORMAT, "scenario_id": scenario_id, "diagnostics": diagnostics})
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = folder / f".{entry_key}.{os.getpid()}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8") as out:
            out.write(entry)
        # Atomic: a reader sees the whole entry or none.
        os.replace(temporary, folder / entry_key)
        _prune(folder)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """Keep the newest entries: every edit of a file makes a new one."""
    entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for stale in entries[: len(entries) - MAX_ENTRIES // 2]:
        stale.unlink(missing_ok=True)
