"""The history file on disk: where it lives, creating it owner-only, and riding
out the moments when another process holds the lock.

Safeguarding practice is sensitive, so the file is private to its owner and
never leaves the machine.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable

BUSY_TIMEOUT_MS = 5000
# busy_timeout waits out an ordinary lock; these cover the few cases where
# SQLite answers "database is locked" at once (WAL recovery, a checkpoint in
# progress), which several processes sharing the file in a group session can hit.
RETRY_DELAYS = (0.05, 0.2, 0.5)


class StoreError(Exception):
    """The history file cannot be used; the message says why, for the user."""


class NewerStoreError(StoreError):
    """The file was written by a newer Rehearse than this one."""


def default_path() -> Path:
    """Where the history lives: ``$REHEARSE_DATA`` if set, else
    ``rehearse.db`` in the platform's per-user data folder."""
    override = os.environ.get("REHEARSE_DATA")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("rehearse", appauthor=False)) / "rehearse.db"


def is_locked(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc)


def retrying(action: Callable[[], Any]) -> Any:
    """``action()``, tried again after a short wait while SQLite says the file is locked."""
    for delay in (*RETRY_DELAYS, None):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if delay is None or not is_locked(exc):
                raise
            time.sleep(delay)


def create_private(path: Path) -> None:
    """Make sure ``path`` exists, created owner-only if we create it.

    SQLite would create it with the umask's permissions (often world-readable);
    creating it first with 0600 means it is never readable by others, not even
    for a moment. SQLite gives the -wal and -shm files the same permissions.
    """
    if not path.parent.exists():
        # Only the last folder gets the mode (and only when we make it); a
        # platform data folder such as ~/.local/share is left as it is.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
