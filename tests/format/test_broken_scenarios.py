"""Every broken scenario in tests/broken/ is refused with a located, useful diagnostic.

Each file in tests/broken/ is a complete small scenario (tests/fixtures/minimal.yaml)
with exactly one fault, and starts with a header saying what is wrong and what
`rehearse validate` must print::

    # fault: <one sentence>
    # expect: <line>:<col>: <severity>: <substring of the message>
    # strict: yes      (only when the fault is a warning: validate runs with --strict)
    # xfail: <reason>  (only while the tool is known to get this one wrong)

Hostile inputs (a >10 MB file, 20,000-deep nesting) are generated here at run
time rather than committed. Nothing is timed: for hostile input it is enough
that validation returns, with an error, and without a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.format import yaml_source

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "broken"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
PWNED = Path("/tmp/rehearse-pwned")  # what the hostile fixtures try to create

_EXPECT = re.compile(r"(\d+):(\d+): (error|warning): (.+)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# One file per fault the format must catch; more files may exist.
REQUIRED = {
    "yaml-syntax-colon", "tab-indentation", "duplicate-top-level-key", "duplicate-node-id", "duplicate-choice-id",
    "unknown-top-level-key", "unknown-choice-key", "unknown-ending-key", "missing-start", "difficulty-wrong-type",
    "difficulty-out-of-range", "invalid-area", "invalid-outcome", "evidence-out-of-range", "evidence-unknown-quality",
    "next-missing-node", "start-missing-node", "unreachable-node", "no-ending-reachable", "choices-and-ending",
    "no-choices-next-or-ending", "speaker-not-character", "condition-syntax", "condition-undefined-variable",
    "condition-function-call", "set-out-of-range", "add-to-boolean", "set-undeclared-variable",
    "integer-variable-no-range", "empty-debrief", "cites-unknown-fact", "python-tag", "billion-laughs",
    "deep-nesting-flow", "non-utf8", "two-documents", "ansi-escape", "osc-hyperlink", "same-evidence",
}

# Files whose diagnostics currently echo raw control characters to the terminal.


@dataclass(frozen=True)
class Case:
    path: Path
    fault: str
    line: int
    column: int
    severity: str
    substring: str
    strict: bool = False
    xfail: str = ""


def read_header(path: Path) -> dict[str, str]:
    """The `# key: value` comment lines at the top of a fixture."""
    header: dict[str, str] = {}
    for raw in path.read_bytes().splitlines():
        if not raw.startswith(b"# "):
            break
        key, sep, value = raw[2:].decode("utf-8").partition(": ")
        if sep:
            header.setdefault(key, value)
    return header


def read_case(path: Path) -> Case:
    header = read_header(path)
    match = _EXPECT.fullmatch(header["expect"])
    assert match, f"{path.name}: bad '# expect:' line {header['expect']!r}"
    return Case(path, header["fault"], int(match[1]), int(match[2]), match[3], match[4],
                header.get("strict") == "yes", header.get("xfail", ""))


def broken_files() -> list[Path]:
    return sorted(BROKEN.glob("*.yaml"))


def _param(path: Path):
    case = read_case(path)
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=path.stem, marks=marks)


def run_validate(capsys, path: Path, strict: bool = False, *extra: str) -> tuple[int, str]:
    code = main(["validate", str(path), *extra] + (["--strict"] if strict else []))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_reported(output: str, path: Path, line: int, column: int, severity: str, substring: str) -> None:
    prefix = f"{path}:{line}:{column}: {severity}: "
    lines = output.splitlines()
    assert any(text.startswith(prefix) and substring in text for text in lines), (
        f"expected a line starting {prefix!r} containing {substring!r}; got:\n{output}"
    )


@pytest.fixture
def no_pwn():
    """The hostile fixtures try to create /tmp/rehearse-pwned: it must never appear."""
    if PWNED.exists():  # a stale marker from an earlier, broken build: start clean
        PWNED.unlink()
    yield
    assert not PWNED.exists(), "validating a scenario ran a command from the file"


# -- the corpus ---------------------------------------------------------------------------------


def test_corpus_is_large_enough_and_every_file_has_a_header():
    files = broken_files()
    assert len(files) >= 25
    for path in files:
        lines = path.read_bytes().splitlines()
        assert lines[0].startswith(b"# fault: ") and len(lines[0]) > len(b"# fault: "), path.name
        assert lines[1].startswith(b"# expect: "), path.name
        case = read_case(path)
        # A warning only fails validation with --strict, and --strict is only for warnings.
        assert case.strict == (case.severity == "warning"), path.name
        assert path.stat().st_size < 100 * 1024, path.name


def test_corpus_covers_every_required_fault():
    present = {path.stem for path in broken_files()}
    assert REQUIRED <= present, f"missing: {sorted(REQUIRED - present)}"


@pytest.mark.parametrize("case", [_param(path) for path in broken_files()])
def test_broken_file_is_reported_where_the_fault_is(case: Case, capsys, no_pwn):
    code, output = run_validate(capsys, case.path, case.strict)
    assert "Traceback" not in output
    assert code == 1, output
    assert_reported(output, case.path, case.line, case.column, case.severity, case.substring)


@pytest.mark.parametrize("path", broken_files(), ids=lambda path: path.stem)
def test_diagnostics_never_echo_control_characters(path: Path, capsys):
    """Whatever a file holds, what `validate` prints is safe to show in a terminal."""
    _, output = run_validate(capsys, path, True)
    assert not _CONTROL.search(output), repr(output)


# -- hostile input generated at run time --------------------------------------------------------


def _minimal_with(extra: str) -> tuple[str, int]:
    """minimal.yaml with ``extra`` inserted after `objectives:`, and the 1-based line ``extra`` starts on."""
    text = MINIMAL.read_text("utf-8")
    anchor = "objectives: [Cite the record]\n"
    at = text.index(anchor) + len(anchor)
    return text[:at] + extra + text[at:], text.count("\n", 0, at) + 1


def test_huge_file_is_refused_before_reading(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    padding = ("# " + "x" * 1020 + "\n") * (10 * 1024 + 16)  # a little over 10 MB of comment lines
    path.write_text(MINIMAL.read_text("utf-8") + padding, "utf-8")
    assert path.stat().st_size > 10 * 1024 * 1024
    code, output = run_validate(capsys, path)
    assert "Traceback" not in output
    assert code == 1
    assert_reported(output, path, 1, 1, "error", "MB")


def test_deep_block_nesting_is_refused(tmp_path, capsys):
    # 20,000 nested block sequences on one line: "- - - - ... x"
    text, line = _minimal_with("tags:\n  " + "- " * 20_000 + "x\n")
    path = tmp_path / "deep-block.yaml"
    path.write_text(text, "utf-8")
    code, output = run_validate(capsys, path)
    assert "Traceback" not in output
    assert code == 1
    # The root mapping is level 1 and `tags:`'s list (column 3) level 2; each "- " opens the next
    # level two columns on, so the first level over the limit starts at column 3 + 2 * (MAX_DEPTH - 1).
    assert_reported(output, path, line + 1, 3 + 2 * (yaml_source.MAX_DEPTH - 1), "error", "nests more than")


def test_deep_flow_mapping_nesting_is_refused(tmp_path, capsys):
    text, line = _minimal_with("tags: " + "{a: " * 20_000 + "x" + "}" * 20_000 + "\n")
    path = tmp_path / "deep-flow.yaml"
    path.write_text(text, "utf-8")
    code, output = run_validate(capsys, path)
    assert "Traceback" not in output
    assert code == 1
    assert_reported(output, path, line, 7 + 4 * (yaml_source.MAX_DEPTH - 1), "error", "nests more than")


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system",
    "!!python/object/apply:subprocess.check_call",
    "!!python/object/new:os.system",
])
def test_python_tags_are_refused_and_never_run(tag, tmp_path, capsys):
    marker = tmp_path / "pwned"
    args = f'["touch {marker}"]' if "check_call" not in tag else f'[["touch", "{marker}"]]'
    text, line = _minimal_with(f"tags: {tag} {args}\n")
    path = tmp_path / "tagged.yaml"
    path.write_text(text, "utf-8")
    code, output = run_validate(capsys, path)
    assert not marker.exists()
    assert "Traceback" not in output
    assert code == 1
    assert_reported(output, path, line, 7, "error", "is not allowed")


# -- the command as a whole ---------------------------------------------------------------------


def test_rehearse_validate_on_the_whole_corpus(no_pwn):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run([sys.executable, "-m", "simulator", "validate", "tests/broken"], cwd=ROOT, env=env,
                         capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600)
    assert "Traceback" not in run.stdout
    assert "Traceback" not in run.stderr
    assert run.returncode == 1, run.stdout + run.stderr
    for path in broken_files():
        assert f"tests/broken/{path.name}:" in run.stdout, f"{path.name} is not named in the output"
    assert f"checked {len(broken_files())} files" in run.stdout


def test_valid_file_passes_and_missing_file_is_a_usage_error(capsys):
    assert main(["validate", str(MINIMAL)]) == 0
    assert main(["validate", "--strict", str(MINIMAL)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out
    assert main(["validate", "no/such/file.yaml"]) == 2
    assert "no/such/file.yaml" in capsys.readouterr().err


def test_json_output_parses_and_counts(capsys):
    assert main(["validate", "--format", "json", str(MINIMAL)]) == 0
    clean = json.loads(capsys.readouterr().out)
    assert clean["errors"] == 0 and clean["warnings"] == 0
    assert [f["ok"] for f in clean["files"]] == [True]

    assert main(["validate", "--format", "json", str(BROKEN)]) == 1
    report = json.loads(capsys.readouterr().out)
    diagnostics = [d for f in report["files"] for d in f["diagnostics"]]
    assert len(report["files"]) == len(broken_files())
    assert not any(f["ok"] for f in report["files"] if f["diagnostics"] and
                   any(d["severity"] == "error" for d in f["diagnostics"]))
    assert report["errors"] == sum(d["severity"] == "error" for d in diagnostics) > 0
    assert report["warnings"] == sum(d["severity"] == "warning" for d in diagnostics) > 0
    for diagnostic in diagnostics:
        assert diagnostic["line"] >= 1 and diagnostic["column"] >= 1
        assert set(diagnostic) == {"path", "line", "column", "severity", "message", "hint"}

    one = BROKEN / "missing-start.yaml"
    assert main(["validate", "--format", "json", str(one)]) == 1
    single = json.loads(capsys.readouterr().out)
    assert single["errors"] == 1 and single["files"][0]["ok"] is False
    assert single["files"][0]["diagnostics"][0]["message"].startswith("missing required key 'start'")
