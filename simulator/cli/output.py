"""The one way the command's words reach the terminal.

Messages echo paths, scenario titles, learners' names and what an error
said; any of them may hold an escape sequence (a title that retitles the
terminal or turns it red) or a right-to-left override. Rather than trust
every ``print`` to remember ``inert``, standard output and standard error
are wrapped once, for the commands that do not open a screen: all they write
is made inert on the way out, and a character the terminal's encoding cannot
show (``PYTHONIOENCODING=ascii``) is written as a ``\\u`` code, not a traceback.
"""

from __future__ import annotations

import sys

from simulator.model.text import inert

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import TextIO


class InertStream:
    """A text stream that writes everything through ``inert``. CSV's ``\\r\\n``
    line ends are kept; a lone carriage return (which lets a line overwrite
    itself on a terminal) is shown as ``\\r``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write("\r\n".join(inert(part) for part in text.split("\r\n")))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _forgiving(stream: TextIO) -> TextIO:
    if hasattr(stream, "reconfigure"):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (ValueError, OSError):  # a stream already written in some way it cannot change
            pass
    return stream


def guard() -> tuple[TextIO, TextIO]:
    """Wrap standard output and error; returns the originals to put back."""
    original = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, InertStream):
        sys.stdout = InertStream(_forgiving(sys.stdout))  # type: ignore[assignment]
    if sys.stderr is not None and not isinstance(sys.stderr, InertStream):
        sys.stderr = InertStream(_forgiving(sys.stderr))  # type: ignore[assignment]
    return original


def shown_path(path: str, limit: int = 240) -> str:
    """A path for a message: whole when short, else its start and its length."""
    return path if len(path) <= limit else f"{path[:limit]}… ({len(path):,} characters)"


def not_a_file(path: str) -> str:
    """Why ``path`` cannot be read as a file, in words: it is missing, or a
    folder, a device (``/dev/zero`` never ends), a pipe or a socket."""
    import os
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file (name a file saved on disk)"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a file (name a file saved on disk)"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file (name a file saved on disk)"
    return "is not an ordinary file (name a file saved on disk)"
