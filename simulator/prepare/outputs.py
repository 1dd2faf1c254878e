"""Writing what a plan produces: owner-only files that never replace another.

A plan, its printout and its drafts describe a real safeguarding case, so each
file is written by the one owner-only writer (``scoring.reports.write_private``)
and only where nothing exists yet, not even a dangling link: a second render
must not silently replace a printout someone annotated, and a link planted at
the output path must not redirect sensitive text elsewhere. (The writer itself
refuses both at the moment of opening; this check makes the refusal clear to
the user before anything is rendered.)
"""

from __future__ import annotations

import os
from pathlib import Path

from scoring.reports import write_private


def write_output(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to a new owner-only file at ``path`` and return the path.

    Raises ``FileExistsError`` if anything (a file, folder or link) is already
    there, and ``OSError`` if the folder cannot be written."""
    target = Path(path)
    if os.path.lexists(target):
        raise FileExistsError(f"{target} already exists; choose another name (plans never overwrite a file)")
    return write_private(target, text, taken="refuse")
