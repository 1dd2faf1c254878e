"""Where scenarios come from: the bundled library, or files and folders named by the user."""

from __future__ import annotations

from collections import defaultdict
import importlib.util
from pathlib import Path

from simulator.diagnostics import Diagnostic, did_you_mean
from simulator.loader import LoadResult, load_file


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
    return Path(__file__).resolve().parent.parent / "scenarios"


def scenario_files(paths: list[str] | None = None) -> list[Path]:
    """Every ``*.yaml`` named, or inside a folder named; the library when none."""
    targets = [Path(p) for p in paths] if paths else [bundled_dir()]
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(p for p in target.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            files.append(target)
    return files


def load_all(paths: list[str] | None = None) -> list[LoadResult]:
    """Load every scenario named; ids used by two files are reported on both."""
    results = [load_file(path) for path in scenario_files(paths)]
    by_id: dict[str, list[LoadResult]] = defaultdict(list)
    for result in results:
        if result.scenario is not None:
            by_id[result.scenario.id].append(result)
    clashes = {id_: group for id_, group in by_id.items() if len(group) > 1}
    if not clashes:
        return results
    fixed = []
    for result in results:
        group = clashes.get(result.scenario.id) if result.scenario else None
        if not group:
            fixed.append(result)
            continue
        others = ", ".join(r.source for r in group if r is not result)
        clash = Diagnostic(result.source, 1, 1, "error", f"scenario id '{result.scenario.id}' is also used by {others}",
                           "give every scenario in a library its own id")
        fixed.append(LoadResult(result.source, None, result.diagnostics + (clash,)))
    return fixed


def find(reference: str) -> LoadResult:
    """A scenario by file path, or by id in the bundled library."""
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
