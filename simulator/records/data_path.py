"""Where the history file lives, known without opening it: commands that only
need the path (the local profile sits beside it) do not load sqlite3."""

from __future__ import annotations

import os
from pathlib import Path


def default_path() -> Path:
    """Where the history lives: ``$REHEARSE_DATA`` if set, else
    ``rehearse.db`` in the platform's per-user data folder."""
    override = os.environ.get("REHEARSE_DATA")
    if override:
        return Path(override).expanduser()
    from scoring.private_files import user_folder

    return user_folder("data") / "rehearse.db"
