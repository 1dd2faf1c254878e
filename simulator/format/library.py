"""Where scenarios come from: the bundled library, or files and folders named by the user."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.model.diagnostics import Diagnostic, did_you_mean

if TYPE_CHECKING:
    from simulator.format.loader import LoadResult

# The loader (YAML, schema, validator) is imported only when a file has to be
# read: `rehearse validate` on an unchanged library answers from the cache.


def bundled_dir() -> Path:
    """The folder of scenarios shipped with the app (checkout or installed wheel)."""
    # `scenarios/` holds no __init__.py (it is a trainer's folder, not code), so
    # once installed it is a namespace package: ask for its folder, not its files.
    try:
        spec = importlib.util.find_spec("simulator.bundled_scenarios")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "scenarios"


SCENARIO_SUFFIXES = (".yaml", ".yml")


def files_in(folder: Path) -> list[Path]:
    """Every scenario file in ``folder`` and the folders below it, in path
    order (a trainer's library may be sorted into folders by area or team).
    Hidden folders (``.git``, ``.venv``) are not searched."""
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).parts
        if path.suffix in SCENARIO_SUFFIXES and path.is_file() and not any(p.startswith(".") for p in relative):
            found.append(path)
    return sorted(found)


def scenario_files(paths: list[str] | None = None) -> list[Path]:
    """Every ``*.yaml`` named, or inside a folder named (at any depth); the library when none."""
    targets = [Path(p) for p in paths] if paths else [bundled_dir()]
    files: list[Path] = []
    for target in targets:
        files.extend(files_in(target) if target.is_dir() else [target])
    return files


def _id_clashes(ids: list[tuple[str, str | None]]) -> dict[str, Diagnostic]:
    """For ``(source, scenario id)`` pairs, an error for every file whose id
    another file also uses, keyed by source."""
    by_id: dict[str, list[str]] = defaultdict(list)
    for source, scenario_id in ids:
        if scenario_id is not None:
            by_id[scenario_id].append(source)
    clashes = {}
    for scenario_id, sources in by_id.items():
        for source in sources if len(sources) > 1 else ():
            others = ", ".join(s for s in sources if s != source)
            clashes[source] = Diagnostic(source, 1, 1, "error", f"scenario id '{scenario_id}' is also used by {others}",
                                         "give every scenario in a library its own id")
    return clashes


def load_all(paths: list[str] | None = None) -> list[LoadResult]:
    """Load every scenario named; ids used by two files are reported on both."""
    from simulator.format.loader import LoadResult, load_file

    results = [load_file(path) for path in scenario_files(paths)]
    clashes = _id_clashes([(r.source, r.scenario.id if r.scenario else None) for r in results])
    return [
        LoadResult(r.source, None, r.diagnostics + (clashes[r.source],)) if r.source in clashes else r
        for r in results
    ]


@dataclass(frozen=True)
class CheckResult:
    """What ``rehearse validate`` says of one file."""

    source: str
    diagnostics: tuple[Diagnostic, ...]
    scenario_id: str | None  # None when the file does not load

    @property
    def ok(self) -> bool:
        return self.scenario_id is not None


def check_all(paths: list[str] | None = None, use_cache: bool = True) -> list[CheckResult]:
    """The verdict on every scenario named, as ``load_all`` would give it,
    answered from the cache for files (and code) that have not changed."""
    from simulator.format import check_cache

    results = []
    for path in scenario_files(paths):
        source = str(path)
        try:
            raw = path.read_bytes() if path.stat().st_size <= _max_bytes() else None
        except OSError:
            raw = None
        entry_key = check_cache.key(source, raw) if raw is not None and use_cache else None
        entry = check_cache.lookup(entry_key) if entry_key else None
        if entry is not None:
            diagnostics = tuple(Diagnostic(**d) for d in entry["diagnostics"])
            results.append(CheckResult(source, diagnostics, entry["scenario_id"]))
            continue
        from simulator.format.loader import load_bytes, load_file

        loaded = load_bytes(raw, source) if raw is not None else load_file(path)
        result = CheckResult(source, loaded.diagnostics, loaded.scenario.id if loaded.scenario else None)
        if entry_key:
            check_cache.remember(entry_key, result.scenario_id, [d.as_dict() for d in result.diagnostics])
        results.append(result)
    clashes = _id_clashes([(r.source, r.scenario_id) for r in results])
    return [
        CheckResult(r.source, r.diagnostics + (clashes[r.source],), None) if r.source in clashes else r
        for r in results
    ]


def _max_bytes() -> int:
    # The same limit as the YAML reader, without importing it for a cache hit.
    return 8 * 1024 * 1024


def find(reference: str) -> LoadResult:
    """A scenario by file path, or by id in the bundled library."""
    from simulator.format.loader import LoadResult, load_file

    path = Path(reference)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_file(path)
    results = load_all()
    for result in results:
        if result.scenario is not None and result.scenario.id == reference:
            return result
    suggestion = did_you_mean(reference, [r.scenario.id for r in results if r.scenario])
    return LoadResult(reference, None, (Diagnostic(reference, 1, 1, "error",
                      f"no scenario file or library id '{reference}'" + (f"; {suggestion}" if suggestion else ""),
                      "run `rehearse list` to see the library, or give a path to a .yaml file"),))
