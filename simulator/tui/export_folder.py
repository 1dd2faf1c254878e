"""Where the app saves exported debriefs, and how it says where it saved one.

The folder is the learner's choice (settings, kept in their history file, so
each ``--data`` file has its own), ``--export-dir`` for one session, or by
default ``Rehearse`` in their documents folder. The message after saving names
the file and the folder on lines of their own, broken only between the parts
of a path (after a ``/``, after a ``-``), so a narrow notification never cuts
a word in two.
"""

from __future__ import annotations

import os
from pathlib import Path

SETTING = "export_dir"


def default_export_dir() -> Path:
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "Rehearse"


def shown(path: Path) -> str:
    """``path`` as a person reads it: the home folder as ``~``."""
    home = Path.home()
    try:
        return str(Path("~") / path.relative_to(home)) if path != home else "~"
    except ValueError:
        return str(path)


def fold(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken only after a
    space, a path separator, a hyphen or an underscore, never inside a word
    and never inside a date and time such as ``2026-12-04-1530-07`` (a run
    with no break longer than ``width`` is the one thing cut, as there is no
    other way to show it)."""
    width = max(width, 8)
    pieces, piece = [], ""
    for i, ch in enumerate(text):
        piece += ch
        between_digits = ch == "-" and piece[-2:-1].isdigit() and text[i + 1:i + 2].isdigit()
        if (ch in "/\\_ " or ch == os.sep or ch == "-") and not between_digits:
            pieces.append(piece)
            piece = ""
    if piece:
        pieces.append(piece)
    lines, line = [], ""
    for piece in pieces:
        if len(line) + len(piece) > width and line:
            lines.append(line.rstrip(" "))
            line = ""
        while len(piece) > width:
            lines.append(piece[:width])
            piece = piece[width:]
        line += piece
    if line:
        lines.append(line.rstrip(" "))
    return lines or [""]


def saved_message(path: Path, width: int) -> str:
    """What the app says after saving a debrief to ``path``, for a
    notification ``width`` characters wide inside."""
    return "\n".join([
        "Saved the debrief as",
        *fold(path.name, width),
        "in the folder",
        *fold(shown(path.parent), width),
        *fold("(choose the folder in settings: s in the library)", width),
    ])
