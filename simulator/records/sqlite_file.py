"""The history file on disk: where it lives, making sure it is ours, creating
it owner-only, and riding out the moments when another process holds the lock.

Safeguarding practice is sensitive, so the file is private to its owner and
never leaves the machine. ``--data`` can point anywhere, so before SQLite
opens a file for writing we make sure it is a Rehearse history (our
application id in its header, or the tables of a Rehearse file made before
the id existed), a new file, or an empty one; never another program's
database, a device or a pipe, which SQLite would otherwise happily rewrite.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import stat
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from scoring.record import record
from simulator.records.data_path import default_path  # noqa: F401  (named here by store.py and the CLI)

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Any

BUSY_TIMEOUT_MS = 5000
# busy_timeout waits out an ordinary lock; these cover the few cases where
# SQLite answers "database is locked" at once (WAL recovery, a checkpoint in
# progress), which several processes sharing the file in a group session can hit.
RETRY_DELAYS = (0.05, 0.2, 0.5)


class StoreError(Exception):
    """The history file cannot be used; the message says why, for the user."""


class NewerStoreError(StoreError):
    """The file was written by a newer Rehearse than this one."""


class NotAHistoryError(StoreError):
    """The path is not a Rehearse history file (another program's, a device, a pipe)."""


class DamagedStoreError(StoreError):
    """The file is a Rehearse history but SQLite finds it damaged."""


# Written to every history file's header (PRAGMA application_id): "RHRS".
# SQLite's own list of application ids has no other use of this number.
APPLICATION_ID = 0x52485253
# The tables every Rehearse history has had since its first version.
HISTORY_TABLES = frozenset({"attempts", "decisions", "settings"})
_DAMAGED_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


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


def is_damaged(exc: sqlite3.DatabaseError) -> bool:
    """SQLite's way of saying the file's pages are not what they should be."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGED_CODES
    return "malformed" in str(exc) or "not a database" in str(exc)


def damaged(path: Path, exc: BaseException) -> DamagedStoreError:
    return DamagedStoreError(
        f"the history file {os.path.abspath(path)} is damaged (SQLite says: {exc}). Nothing more was written to it. "
        "Restore it from a backup, or start a new history with --data NEW-FILE and keep this one "
        "for someone who can repair it."
    )


def plainly(method):
    """SQLite's "malformed" turned into a ``DamagedStoreError`` that says, in
    words, which file is damaged and what to do: a damaged page can be met by
    any query, long after the file opened. For the methods of an object with
    a ``path``."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if is_damaged(exc):
                raise damaged(self.path, exc) from None
            raise

    return guarded


def newer_message(found: int, known: int) -> str:
    return (f"this history file was written by a newer version of Rehearse (format {found}; this version reads up "
            f"to {known}). Update Rehearse, or choose another file with --data.")


@record
class Found:
    """What is at a history path: ``new`` (nothing: created now, owner-only),
    ``missing`` (nothing, and nothing created), ``empty`` (a file of 0 bytes),
    ``ours`` (a history with our id), ``legacy`` (a history from before the id)."""

    kind: str
    version: int = 0
    notes: tuple[str, ...] = ()  # what the user should be told


def examine(path: Path, *, create: bool) -> Found:
    """What is at ``path``, without writing to anything that is not ours.

    With ``create``, a missing file is created owner-only. An empty file is
    accepted when only its owner can read it, or tightened to 0600 (with a
    note) when ``create``. Raises ``NotAHistoryError`` for anything else:
    another program's SQLite file, a file that is not SQLite at all, a
    device, a pipe, a folder or a link to nothing."""
    shown = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise NotAHistoryError(f"{shown} is a link to a file that does not exist; choose the history file "
                                   "itself with --data") from None
        if not create:
            return Found("missing")
        _create_private(path)
        return Found("new")
    except OSError as exc:
        raise StoreError(f"cannot use the history file {shown}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise NotAHistoryError(f"{shown} is a folder; give a file inside it, e.g. --data {path / 'rehearse.db'}")
    if not stat.S_ISREG(info.st_mode):
        # Opening a device or a pipe can block or have effects of its own, so it is not even opened.
        raise NotAHistoryError(f"{shown} is not an ordinary file (a device, a pipe or a socket), so it cannot be "
                               "a history file; nothing was written to it. Choose a file with --data.")
    if info.st_size == 0:
        return Found("empty", notes=tuple(_owner_only(path, info, create)))
    # Only SQLite opens the file from here on, never a file descriptor of our
    # own: closing one would silently drop every POSIX lock this process's
    # SQLite connections hold on it (a documented trap of fcntl locks), and
    # another process could then checkpoint the WAL from under them.
    application_id, version, tables = _schema(_uri(path, "immutable=1"), path)
    if application_id == APPLICATION_ID:
        return Found("ours", version)
    if application_id != 0:
        raise NotAHistoryError(f"{shown} is another program's database (SQLite application id "
                               f"{application_id:#010x}), not a Rehearse history; nothing was written to it. "
                               "Choose another file with --data.")
    if not HISTORY_TABLES <= tables and os.path.exists(f"{path}-wal"):
        # The id or the tables may still be in the write-ahead log of a
        # history whose last session ended abruptly: read through it.
        application_id, version, tables = _schema(_uri(path, "mode=ro"), path)
    if application_id == APPLICATION_ID:
        return Found("ours", version)
    if HISTORY_TABLES <= tables and version >= 1:
        return Found("legacy", version)
    what = "an empty SQLite database" if not tables else "an SQLite database without Rehearse's tables"
    raise NotAHistoryError(f"{path} is {what}, not a Rehearse history; nothing was written to it. Choose "
                           "another file with --data (a name that does not exist yet makes a new history).")


def _uri(path: Path, options: str) -> str:
    # immutable: read the file as it is, with no lock and no -wal or -shm
    # file made beside someone else's database.
    return f"file:{quote(str(path))}?{options}"


def _schema(uri: str, path: Path) -> tuple[int, int, frozenset[str]]:
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read {path}: {exc}") from None
    try:
        application_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = frozenset(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_NOTADB:
            raise NotAHistoryError(f"{path} is not a Rehearse history file (it is not an SQLite database); "
                                   "nothing was written to it. Choose another file with --data.") from None
        if is_damaged(exc):
            raise damaged(path, exc) from None
        raise StoreError(f"cannot read {path}: {exc}") from None
    finally:
        db.close()
    return application_id, version, tables


def _owner_only(path: Path, info: os.stat_result, create: bool) -> list[str]:
    if os.name != "posix" or not info.st_mode & 0o077:
        return []
    if not create:
        return []
    os.chmod(path, 0o600)
    return [f"{path} could be read by other users; it is now readable only by you, as a history file must be."]


def _create_private(path: Path) -> None:
    """Create ``path`` owner-only and empty; SQLite fills it in.

    SQLite would create it with the umask's permissions (often world-readable);
    creating it first with 0600 means it is never readable by others, not even
    for a moment. SQLite gives the -wal and -shm files the same permissions.
    """
    if not path.parent.exists():
        # Only the last folder gets the mode (and only when we make it); a
        # platform data folder such as ~/.local/share is left as it is.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_EXCL: if something appeared since we looked, we do not take it over.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    os.close(fd)


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens ``path`` for reading only: never created,
    never written, never switched to another journal mode."""
    return f"file:{quote(str(path))}?mode=ro"
