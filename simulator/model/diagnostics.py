"""Problems found in a scenario file, reported like a compiler does.

A ``Diagnostic`` is a value with a location; loaders and checks collect them
and the CLI prints them all at once, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

from scoring.record import record
from simulator.model.text import inert

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Literal

    Severity = Literal["error", "warning"]

# A message quotes the file; one quoting a huge value must not flood a terminal.
MAX_MESSAGE = 1000


@record
class Diagnostic:
    """A problem with a file: where it is, what it is and what to do."""

    path: str
    line: int  # 1-based; 0 when the problem has no place in a file (a mistyped id)
    column: int  # 1-based
    severity: Severity
    message: str
    hint: str = ""

    def format(self) -> str:
        """``path:line:col: severity: message`` and, indented below, the hint.

        Messages quote what the file says, so control characters are written
        out visibly: a scenario must not be able to retitle or clear the terminal."""
        where = f"{self.path}:{self.line}:{self.column}: " if self.line else (f"{self.path}: " if self.path else "")
        message = self.message if len(self.message) <= MAX_MESSAGE else (
            f"{self.message[:MAX_MESSAGE]}… (a message of {len(self.message):,} characters, cut short)")
        head = inert(f"{where}{self.severity}: {message}")
        return f"{head}\n    hint: {inert(self.hint)}" if self.hint else head

    def as_dict(self) -> dict:
        return self._asdict()


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``did you mean 'x'?`` suffix, or an empty string when nothing is close."""
    import difflib  # only needed when something is wrong

    close = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
