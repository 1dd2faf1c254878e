"""From a scenario file to a ``Scenario`` and the problems found on the way.

Never raises for bad input: whatever the bytes, the caller gets diagnostics,
and a scenario only when there are no errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from simulator.format import schema_check, text_check, validator, yaml_source
from simulator.model import placeholders
from simulator.model.diagnostics import Diagnostic, has_errors
from simulator.model.gc_pause import gc_paused
from simulator.model.scenario import Scenario, from_document


@dataclass(frozen=True)
class LoadResult:
    source: str
    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.scenario is not None

    @property
    def summary(self) -> Scenario | None:
        # What the library shows (id, title, area, role, minutes, difficulty):
        # a scenario has them all, as a cached ``library_entry.Summary`` does.
        return self.scenario


def _quality_ids() -> frozenset[str]:
    from scoring.catalogue import quality_ids

    return quality_ids()


def load_bytes(raw: bytes, source: str) -> LoadResult:
    """Load a scenario from a file's bytes; ``source`` names it in diagnostics.
    Its placeholders ({{partnership}}) say the local profile's values."""
    result, document = compile_bytes(raw, source)
    if document is None or b"{{" not in raw:
        return result
    return LoadResult(source, filled(document, source), result.diagnostics)


def filled(document: dict, source: str) -> Scenario:
    """The scenario of a checked document, its placeholders filled from the
    profile in use now (``placeholders.use``)."""
    return from_document(placeholders.fill_data(document), source)


def compile_bytes(raw: bytes, source: str) -> tuple[LoadResult, dict | None]:
    """The scenario as written (placeholders not filled), and the checked
    document it was built from (plain data, None unless the file loads):
    what the cache keeps."""
    with gc_paused():
        return _load(raw, source)


def _load(raw: bytes, source: str) -> tuple[LoadResult, dict | None]:
    document, diagnostics = yaml_source.load(raw, source)
    if document is None or has_errors(diagnostics):
        return LoadResult(source, None, tuple(diagnostics)), None
    if not isinstance(document.data, dict):
        diagnostics.append(Diagnostic(source, 1, 1, "error", "a scenario file is a mapping of keys such as id:, title:, nodes:",
                                      "start from `rehearse new ID`"))
        return LoadResult(source, None, tuple(diagnostics)), None
    diagnostics.extend(schema_check.check(document.data, document.positions, source))
    if has_errors(diagnostics):
        return LoadResult(source, None, tuple(diagnostics)), None
    diagnostics.extend(_placeholder_errors(document, source))
    if has_errors(diagnostics):
        return LoadResult(source, None, tuple(diagnostics)), None
    # Checked as written ({{partnership}} and all): the verdict and what the cache
    # keeps do not depend on the local profile, which fills placeholders on the way out.
    scenario = from_document(document.data, source)
    diagnostics.extend(sorted(validator.check(scenario, document.positions, source, _quality_ids()) +
                              text_check.check(document.data, document.positions, source)))
    if has_errors(diagnostics):
        return LoadResult(source, None, tuple(diagnostics)), None
    return LoadResult(source, scenario, tuple(diagnostics)), document.data


def _placeholder_errors(document, source: str) -> list[Diagnostic]:
    """An unknown placeholder name in any text, located at its value."""
    from simulator.model.diagnostics import did_you_mean

    found: list[Diagnostic] = []

    def walk(value, path: tuple) -> None:
        if isinstance(value, str):
            for _, name in placeholders.unknown(value):
                line, column = document.positions.of_value(path)
                suggestion = did_you_mean(name, list(placeholders.DEFAULTS))
                found.append(Diagnostic(
                    source, line + 1, column + 1, "error", f"unknown placeholder '{{{{{name}}}}}'",
                    (suggestion + " " if suggestion else "") + "The placeholders are "
                    + ", ".join(placeholders.NAMES) + " (see docs/scenario-format.md)"))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, path + (index,))

    walk(document.data, ())
    return found


def load_text(text: str, source: str = "<text>") -> LoadResult:
    return load_bytes(text.encode("utf-8", "surrogatepass"), source)


def load_file(path: str | Path) -> LoadResult:
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > yaml_source.MAX_BYTES:
            return LoadResult(source, None, (yaml_source.too_large(size, source),))
        raw = path.read_bytes()
    except OSError as exc:
        return LoadResult(source, None, (Diagnostic(source, 1, 1, "error", f"cannot read the file: {exc.strerror}",
                                                    "check the path and its permissions"),))
    return load_bytes(raw, source)
