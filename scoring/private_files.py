"""The one way Rehearse creates a file: owner-only, new, and never through a link.

What Rehearse writes (debriefs, exports, graphs, session records, plans,
scenarios) can describe safeguarding cases, so every file is created:

- readable by its owner only (0600) from the moment it exists;
- new (``O_EXCL``): an existing file is never truncated or written over, and
  its permissions are never inherited;
- never through a symbolic link (``O_EXCL`` refuses any link, even a dangling
  one; ``O_NOFOLLOW`` says so twice), so a link planted at the name cannot
  send the text somewhere else.

When the name is taken, the caller chooses what happens: ``rename`` (a name
given by the user, e.g. ``--out e.csv``) adds the time to the second,
``e-2026-12-04-1530-07.csv``, then ``-2``, ``-3``…; ``number`` (a name that
already says when, e.g. the app's debriefs) goes straight to ``-2``, ``-3``…;
``refuse`` (a scenario file whose name is its id, a plan) raises
``FileExistsError``. Every function returns the paths really written, so the
message the user reads names the file that exists.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Literal

    Taken = Literal["rename", "number", "refuse"]

MAX_NUMBER = 999  # -2 … -999 in one second is plenty; beyond it something is wrong
_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
          | getattr(os, "O_BINARY", 0))


def stamp(moment: datetime | None = None) -> str:
    """The time to the second as file names carry it: ``2026-12-04-1530-07``."""
    from datetime import datetime  # only when a name is taken: the caches never need it

    return (moment or datetime.now().astimezone()).strftime("%Y-%m-%d-%H%M-%S")


def write_private(path: str | os.PathLike[str], text: str, encoding: str = "utf-8", newline: str = "\n", *,
                  taken: Taken = "rename", now: datetime | None = None) -> Path:
    """Create a new owner-only file at ``path`` (or the next free name, see
    ``taken``) holding ``text``, and return the path written. ``newline=""``
    keeps a CSV writer's own line endings."""
    target = Path(path)
    return write_private_files(target.with_name(target.stem), {target.suffix: text}, encoding, newline,
                               taken=taken, now=now)[0]


def write_private_files(base: str | os.PathLike[str], texts: Mapping[str, str], encoding: str = "utf-8",
                        newline: str = "\n", *, taken: Taken = "rename", now: datetime | None = None) -> list[Path]:
    """Create one owner-only file per suffix in ``texts`` (``{".md": …, ".html": …}``)
    at ``base`` + suffix, all with the same name: when any of them is taken,
    every file moves on to the next free name together. Returns the paths
    written, in the order of ``texts``.

    Raises ``FileExistsError`` when the name is taken and ``taken`` is
    ``refuse`` (or no free name is left), and ``OSError`` when the folder
    cannot be written; a file left half-written (a full disk) is removed."""
    base = Path(base)
    for candidate in _candidates(base, taken, now):
        paths = [candidate.with_name(candidate.name + suffix) for suffix in texts]
        if not all(_free(path) for path in paths):
            if taken == "refuse":
                taken_path = next(path for path in paths if not _free(path))
                raise FileExistsError(f"{taken_path} already exists")
            continue
        try:
            return _create_all(paths, list(texts.values()), encoding, newline)
        except FileExistsError:
            if taken == "refuse":
                raise
            continue  # another process took the name between the look and the write
    raise FileExistsError(f"no free name for {base} (tried up to -{MAX_NUMBER})")


def _candidates(base: Path, taken: Taken, now: datetime | None) -> Iterator[Path]:
    yield base
    if taken == "refuse":
        return
    dated = base
    if taken == "rename":
        when = stamp(now)
        # A name that already carries this second needs only a number.
        if not base.name.endswith(when):
            dated = base.with_name(f"{base.name}-{when}")
            yield dated
    for number in range(2, MAX_NUMBER + 1):
        yield dated.with_name(f"{dated.name}-{number}")


def _free(path: Path) -> bool:
    # lexists: a dangling link makes a name taken too.
    return not os.path.lexists(path)


def _create_all(paths: list[Path], texts: list[str], encoding: str, newline: str) -> list[Path]:
    created: list[Path] = []
    try:
        for path, text in zip(paths, texts):
            descriptor = os.open(path, _FLAGS, 0o600)
            created.append(path)
            with open(descriptor, "w", encoding=encoding, newline=newline) as stream:
                stream.write(text)
    except BaseException:
        # All or nothing: a set split across two names, or a file cut short
        # by a full disk, would be worse than none.
        for path in created:
            try:
                os.unlink(path)
            except OSError:
                pass
        raise
    return created


def cache_folder() -> Path:
    """The folder of what Rehearse keeps only to start faster (compiled
    scenarios, the qualities catalogue): ``$REHEARSE_CACHE``, else the user's
    cache folder. Created owner-only by whoever writes to it first."""
    override = os.environ.get("REHEARSE_CACHE")
    if override:
        return Path(override).expanduser()
    return user_folder("cache") / "validate"


# The XDG folders platformdirs gives on Linux, where its import (tempfile,
# shutil, random) took ~7 ms of every start; tests/scoring/test_private_files.py
# holds this to platformdirs' answer. Elsewhere platformdirs is asked.
_XDG = {"cache": ("XDG_CACHE_HOME", "~/.cache"), "data": ("XDG_DATA_HOME", "~/.local/share")}


def user_folder(kind: str) -> Path:
    """Rehearse's per-user ``kind`` folder ("cache" or "data"), as platformdirs names it."""
    if sys.platform == "linux":
        variable, fallback = _XDG[kind]
        base = os.environ.get(variable, "")  # the XDG spec ignores a relative path
        return Path(base if os.path.isabs(base) else os.path.expanduser(fallback)) / "rehearse"
    import platformdirs

    ask = platformdirs.user_cache_dir if kind == "cache" else platformdirs.user_data_dir
    return Path(ask("rehearse", appauthor=False))


def _owner_id() -> int | None:
    getuid = getattr(os, "getuid", None)  # not on Windows, where the folder's ACL protects it
    return getuid() if getuid else None


def read_own(path: str | os.PathLike[str]) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link) that this
    user owns and no one else may write, else None (also when it cannot be
    read): a file another user could have put there is not trusted."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        owner = _owner_id()
        if (not stat.S_ISREG(info.st_mode) or (owner is not None and info.st_uid != owner)
                or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            return None
        with open(descriptor, "rb", closefd=False) as stream:
            return stream.read()
    except OSError:
        return None
    finally:
        os.close(descriptor)
