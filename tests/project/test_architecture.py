"""The rules of the house: the import contracts in pyproject.toml, no import
loop between any two modules, and commands that open no screen never load
Textual (something a static contract cannot see)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    kept = [line for line in result.stdout.splitlines() if line.endswith(" KEPT")]
    assert len(kept) >= 4, result.stdout
    assert "layers" in result.stdout and "Textual" in result.stdout


def _cycle(graph: grimp.ImportGraph, modules: set[str]) -> list[str] | None:
    """One import loop among ``modules``, as the list of modules round it, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if state.get(imported) == 1:
                return path[path.index(imported):] + [imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(modules):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_module_imports_itself_round_a_loop():
    graph = grimp.build_graph("simulator", "scoring", cache_dir=None)
    modules = {m for m in graph.modules if m.split(".")[0] in ("simulator", "scoring")}
    assert _cycle(graph, modules) is None, " -> ".join(_cycle(graph, modules) or [])


def test_the_loop_finder_finds_a_loop():
    graph = grimp.ImportGraph()
    for name in ("a", "b", "c"):
        graph.add_module(name)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    assert _cycle(graph, {"a", "b", "c"}) is None
    graph.add_import(importer="c", imported="a")
    assert _cycle(graph, {"a", "b", "c"}) == ["a", "b", "c", "a"]


def test_no_module_is_over_450_lines():
    long = {str(p.relative_to(REPO)): n for p in sorted((REPO / "simulator").rglob("*.py")) + sorted(
        (REPO / "scoring").rglob("*.py")) if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert not long, f"split these along their parts: {long}"


@pytest.mark.parametrize("argv", [
    ["validate"],
    ["list"],
    ["play", "dsl-mash-threshold", "--choices", "1,1"],
    ["analyse", "tm-receiving-challenge"],
    ["graph", "hv-gcp2-closure", "--format", "html"],
    ["say", "--scenario", "dsl-mash-threshold", "--at", "marcus-explains", "I'm worried about Leo."],
])
def test_commands_that_open_no_screen_never_load_textual(argv):
    code = (
        "import sys\nfrom simulator.cli import main\n"
        f"status = main({argv!r})\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_serve'))\n"
        "assert not loaded, loaded\nsys.exit(0 if status in (0, 1) else status)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-500:] + result.stderr[-2000:]
