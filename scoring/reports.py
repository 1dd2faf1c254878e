"""Debrief reports in the three formats a learner or organisation can keep:
Markdown, a print-friendly HTML page, and JSON.

Each function scores the log and builds feedback itself unless given them, so
the UI can pass what it has already shown and a script can pass just the log.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from scoring.catalogue import Catalogue
from scoring.debrief import prepare_debrief
from scoring.evidence import EvidenceLog
from scoring.feedback import Feedback
from scoring.private_files import write_private
from scoring.scorer import Scorecard

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from scoring.private_files import Taken

# write_private is the one writer of every file Rehearse creates; it lives in
# scoring.private_files and is named here too, where callers first found it.
__all__ = ["to_html", "to_json", "to_markdown", "write_private", "write_report"]

# Each renderer is imported when a report in its format is made: the JSON one
# is all the app and `rehearse export` need to save an attempt.
_RENDERERS = {".md": ("scoring.markdown_report", "render_markdown"), ".html": ("scoring.html_report", "render_html"),
              ".json": ("scoring.json_report", "render_json")}


def _renderer(suffix: str):
    from importlib import import_module

    module, name = _RENDERERS[suffix]
    return getattr(import_module(module), name)


def to_markdown(
    log: EvidenceLog,
    catalogue: Catalogue | None = None,
    *,
    scorecard: Scorecard | None = None,
    feedback: Feedback | None = None,
) -> str:
    """The debrief as a Markdown document."""
    return _renderer(".md")(prepare_debrief(log, catalogue, scorecard, feedback))


def to_html(
    log: EvidenceLog,
    catalogue: Catalogue | None = None,
    *,
    scorecard: Scorecard | None = None,
    feedback: Feedback | None = None,
) -> str:
    """The debrief as a self-contained HTML page: inline styles, no scripts,
    nothing fetched from anywhere, laid out for printing."""
    return _renderer(".html")(prepare_debrief(log, catalogue, scorecard, feedback))


def to_json(
    log: EvidenceLog,
    catalogue: Catalogue | None = None,
    *,
    scorecard: Scorecard | None = None,
    feedback: Feedback | None = None,
) -> str:
    """The debrief as a JSON document with a schema version."""
    return _renderer(".json")(prepare_debrief(log, catalogue, scorecard, feedback))


def write_report(
    path: str | os.PathLike[str],
    log: EvidenceLog,
    catalogue: Catalogue | None = None,
    *,
    scorecard: Scorecard | None = None,
    feedback: Feedback | None = None,
    taken: Taken = "rename",
    now: datetime | None = None,
) -> Path:
    """Write the debrief to a new owner-only file at ``path`` in the format its
    suffix names (``.md``, ``.html`` or ``.json``) and return the path really
    written: when ``path`` is taken, the next free name (see
    ``scoring.private_files``), never over the file that is there.

    Raises ``ValueError`` for any other suffix, before anything is written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _RENDERERS:
        given = f"'{target.suffix}'" if target.suffix else "no suffix"
        raise ValueError(
            f"Cannot write a report to {target}: the file name must end in "
            f".md (Markdown), .html (web page) or .json (data), not {given}."
        )
    return write_private(target, _renderer(suffix)(prepare_debrief(log, catalogue, scorecard, feedback)), taken=taken, now=now)
