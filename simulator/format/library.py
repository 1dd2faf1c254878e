"""Where scenarios come from: the bundled library, or files and folders named by the user."""

from __future__ import annotations

import importlib.util
import os
from collections import defaultdict
from pathlib import Path

from scoring.record import record
from simulator.model.diagnostics import Diagnostic, did_you_mean

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from simulator.format.library_entry import Entry
    from simulator.format.loader import LoadResult

# The loader (YAML, schema, validator) is imported only when a file has to be
# read: `validate`, `list`, `play` and the app's first screen answer an
# unchanged library from the cache (see library_entry).


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
    # os.walk, so a hidden folder is never entered at all (a library kept in git
    # has thousands of files under .git), and no Path is made for what is skipped.
    for where, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            path = os.path.join(where, name)
            if name.endswith(SCENARIO_SUFFIXES) and not name.startswith(".") and os.path.isfile(path):
                found.append(Path(path))
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


def load_all(paths: list[str] | None = None, use_cache: bool = True) -> list[Entry]:
    """Every scenario named, each loaded in full only when its ``scenario`` is
    asked for; ids used by two files are reported on both."""
    from simulator.format.library_entry import read

    entries = [read(path, use_cache) for path in scenario_files(paths)]
    clashes = _id_clashes([(e.source, e.summary.id if e.summary else None) for e in entries])
    return [e.without(clashes[e.source]) if e.source in clashes else e for e in entries]


@record
class CheckResult:
    """What ``rehearse validate`` says of one file."""

    source: str
    diagnostics: tuple[Diagnostic, ...]
    scenario_id: str | None  # None when the file does not load

    @property
    def ok(self) -> bool:
        return self.scenario_id is not None


def check_all(paths: list[str] | None = None, use_cache: bool = True) -> list[CheckResult]:
    """The verdict on every scenario named, as ``load_all`` gives it,
    answered from the cache for files (and code) that have not changed."""
    return [CheckResult(e.source, e.diagnostics, e.summary.id if e.summary else None)
            for e in load_all(paths, use_cache)]


def _max_bytes() -> int:
    from simulator.format.library_entry import MAX_BYTES

    return MAX_BYTES


def find(reference: str, use_cache: bool = True) -> LoadResult | Entry:
    """A scenario by file path, or by id in the bundled library."""
    from simulator.format.library_entry import read

    path = Path(reference)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return read(path, use_cache)
    entries = load_all(use_cache=use_cache)
    for entry in entries:
        if entry.summary is not None and entry.summary.id == reference:
            return entry
    from simulator.format.loader import LoadResult

    suggestion = did_you_mean(reference, [e.summary.id for e in entries if e.summary])
    # No file and no line: the message names the id, not a position in it.
    return LoadResult(reference, None, (Diagnostic("", 0, 0, "error",
                      f"no scenario file or library id '{reference}'" + (f"; {suggestion}" if suggestion else ""),
                      "run `rehearse list` to see the library, or give a path to a .yaml file"),))
