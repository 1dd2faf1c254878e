"""The wheel carries the simulator, scoring and the bundled scenarios."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(REPO)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(work.glob("rehearse-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr
    # Dependencies come from the test environment; a path line in a .pth file does
    # not run that environment's own .pth files, so this checkout is not visible.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv, work


def test_installed_wheel_validates_its_bundled_library(installed_wheel):
    venv, work = installed_wheel
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    result = subprocess.run([str(venv / "bin" / "rehearse"), "validate"], capture_output=True, text=True,
                            cwd=work, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout
    assert "checked 0 files" not in result.stdout


def test_installed_wheel_writes_a_starter_that_validates(installed_wheel):
    venv, work = installed_wheel
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    rehearse = str(venv / "bin" / "rehearse")
    made = subprocess.run([rehearse, "new", "wheel-starter"], capture_output=True, text=True, cwd=work, env=env)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([rehearse, "validate", "wheel-starter.yaml"], capture_output=True, text=True,
                             cwd=work, env=env)
    assert checked.returncode == 0 and "0 errors" in checked.stdout, checked.stdout + checked.stderr


def test_installed_package_is_the_wheel_not_the_checkout(installed_wheel):
    venv, work = installed_wheel
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import simulator, scoring; from simulator.format.library import bundled_dir, scenario_files;"
         "print(simulator.__file__); print(scoring.__file__); print(len(scenario_files()))"],
        capture_output=True, text=True, cwd=work, check=True,
    )
    simulator_file, scoring_file, count = result.stdout.split()
    assert str(REPO) not in simulator_file and str(REPO) not in scoring_file
    assert int(count) >= 1


def test_python_dash_m_simulator_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "simulator", "validate", "--format", "json"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert '"errors": 0' in result.stdout


def test_installed_wheel_carries_the_group_session_page(installed_wheel):
    venv, work = installed_wheel
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "from simulator.group.serve import TEMPLATES; print((TEMPLATES / 'app_index.html').read_text())"],
        capture_output=True, text=True, cwd=work,
    )
    assert result.returncode == 0, result.stderr
    assert 'class="textual-terminal"' in result.stdout
    # The page loads nothing from the internet: a room without a connection works.
    assert "http://" not in result.stdout and "https://" not in result.stdout


def test_every_package_folder_is_in_the_wheel_list():
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {".".join(init.parent.relative_to(REPO).parts) for top in ("simulator", "scoring")
               for init in (REPO / top).rglob("__init__.py")}
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_installed_wheel_carries_the_plan_schema_starters_and_pushback_bank(installed_wheel):
    venv, work = installed_wheel
    code = (
        "from simulator.prepare.starter import write_starter\n"
        "from simulator.prepare.loader import load_plan\n"
        "from simulator.prepare.pushbacks import load_pushbacks\n"
        "path = write_starter('wheel-plan.yaml', example=True)\n"
        "plan, diagnostics = load_plan(path)\n"
        "assert plan is not None and not [d for d in diagnostics if d.severity == 'error'], diagnostics\n"
        "print(len(load_pushbacks()))\n"
    )
    result = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, cwd=work)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 40
