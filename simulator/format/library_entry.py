"""One scenario file as the library sees it: what the list shows at once, the
whole scenario only when it is opened.

An unchanged file is answered from the cache (``check_cache``): its verdict,
its summary and its checked document, with no YAML parsed and nothing checked.
A changed file, a changed checker, or an entry that cannot be trusted means
the file is read and checked afresh, as ``--no-cache`` always does.
"""

from __future__ import annotations

import json
from pathlib import Path

from scoring.record import record
from simulator.format import check_cache
from simulator.model.diagnostics import Diagnostic

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from simulator.model.scenario import Scenario

# The same limit as the YAML reader, without importing it for a cache hit.
MAX_BYTES = 8 * 1024 * 1024


@record
class Summary:
    """What the library list shows; named as on ``Scenario`` so either will do."""

    id: str
    title: str
    area: str
    role_title: str
    minutes: int
    difficulty: int

    @classmethod
    def of(cls, scenario: Scenario) -> Summary:
        return cls(*(getattr(scenario, name) for name in cls._fields))

    @classmethod
    def from_plain(cls, data: object) -> Summary | None:
        """From a cache entry, or None when it is not exactly a summary."""
        names = list(cls._fields)
        if not isinstance(data, dict) or sorted(data) != sorted(names):
            return None
        kinds = {"minutes": int, "difficulty": int}
        if not all(isinstance(data[n], kinds.get(n, str)) and not isinstance(data[n], bool) for n in names):
            return None
        return cls(**data)

    def filled(self) -> Summary:
        """With the title and role saying the local profile's names."""
        if "{{" not in self.title + self.role_title:
            return self
        from simulator.model.placeholders import fill

        return self._replace(title=fill(self.title), role_title=fill(self.role_title))


class Entry:
    """A file in the library. It answers as a ``LoadResult`` does (``source``,
    ``diagnostics``, ``ok``, ``scenario``), and ``scenario`` is built the first
    time it is asked for, from the cached document when there is one."""

    def __init__(self, source: str, summary: Summary | None, diagnostics: tuple[Diagnostic, ...],
                 document: str | bytes = "", scenario: Scenario | None = None) -> None:
        self.source = source
        # The cache keeps the file as written; placeholders ({{partnership}}) take the
        # local profile's values here, so a changed profile changes what is shown.
        self.summary = summary.filled() if summary is not None else None
        self.diagnostics = diagnostics
        self._document = document  # JSON, as text or UTF-8 (decoded only if the scenario is opened)
        self._scenario = scenario

    @property
    def ok(self) -> bool:
        return self.summary is not None

    @property
    def first_error(self) -> Diagnostic | None:
        return next((d for d in self.diagnostics if d.severity == "error"), None)

    @property
    def scenario(self) -> Scenario | None:
        if self.summary is not None and self._scenario is None:
            self._scenario = self._load()
        return self._scenario

    def without(self, problem: Diagnostic) -> Entry:
        """This file refused (two files with one id), with the reason added."""
        return Entry(self.source, None, self.diagnostics + (problem,))

    def _load(self) -> Scenario | None:
        if self._document:
            from simulator.model import placeholders
            from simulator.model.scenario import from_document

            try:
                return from_document(placeholders.fill_data(json.loads(self._document)), self.source)
            except (ValueError, KeyError, TypeError, AttributeError):
                pass  # not what was kept: read the file instead
        from simulator.format.loader import load_file

        return load_file(self.source).scenario

    def __repr__(self) -> str:
        return f"Entry({self.source!r}, {self.summary!r}, {len(self.diagnostics)} diagnostics)"


def read(path: Path, use_cache: bool = True) -> Entry:
    """The library's view of one file, from the cache when the file (and the
    code that checks it) has not changed since it was last checked."""
    source = str(path)
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_BYTES else None
    except OSError:
        raw = None
    entry_key = check_cache.key(source, raw) if raw is not None and use_cache else None
    if entry_key:
        remembered = _from_cache(source, check_cache.lookup(entry_key))
        if remembered is not None:
            return remembered
    from simulator.format.loader import compile_bytes, load_file

    result, document = compile_bytes(raw, source) if raw is not None else (load_file(path), None)
    summary = Summary.of(result.scenario) if result.scenario is not None else None
    text = _as_json(document) if summary is not None else ""
    if entry_key:
        check_cache.remember(entry_key, summary.id if summary else None, [d.as_dict() for d in result.diagnostics],
                             summary._asdict() if summary else None, text)
    # A scenario with placeholders is built again, filled, when it is opened.
    as_written = raw is not None and b"{{" in raw
    return Entry(source, summary, result.diagnostics, text, None if as_written else result.scenario)


def _from_cache(source: str, remembered: tuple[dict, bytes] | None) -> Entry | None:
    if remembered is None:
        return None
    header, document = remembered
    try:
        diagnostics = tuple(Diagnostic(**d) for d in header["diagnostics"])
    except TypeError:
        return None
    summary = Summary.from_plain(header.get("summary"))
    if (summary is None) != (header.get("scenario_id") is None):
        return None  # a verdict without its summary (or the reverse): check again
    if summary is not None and summary.id != header["scenario_id"]:
        return None
    return Entry(source, summary, diagnostics, document)


def _as_json(document: dict | None) -> str:
    """The document as one line of JSON, or "" when JSON would not give back
    exactly what YAML gave (then opening the scenario reads the file)."""
    if document is None:
        return ""
    try:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        return text if json.loads(text) == document else ""
    except (TypeError, ValueError):
        return ""
