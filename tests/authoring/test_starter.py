"""`rehearse new`: a trainer's first file validates, plays and is never written over."""

import stat
from pathlib import Path

import pytest

from simulator.analysis.balance import analyse
from simulator.authoring import starter
from simulator.cli import main
from simulator.engine.session import Session
from simulator.format.loader import load_file
from simulator.model.vocabulary import areas


def _new(tmp_path, *args):
    return main(["new", *args, "--out", str(tmp_path)])


@pytest.mark.parametrize("area", areas())
def test_the_starter_validates_with_only_its_placeholders_to_replace_in_every_area(tmp_path, capsys, area):
    assert _new(tmp_path, "hv-isla-weight", "--area", area) == 0
    path = tmp_path / "hv-isla-weight.yaml"
    result = load_file(path)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert [d.message.split(" still")[0] for d in result.diagnostics] == ["[todo-left] title", "[todo-left] situation"]
    assert result.scenario.id == "hv-isla-weight" and result.scenario.area == area
    # With the placeholders written, it is clean even under --strict.
    path.write_text(path.read_text("utf-8").replace("TODO", "Done"), "utf-8")
    capsys.readouterr()
    assert main(["validate", "--strict", str(path)]) == 0


def test_the_starter_plays_to_each_of_its_endings(tmp_path):
    _new(tmp_path, "starter")
    scenario = load_file(tmp_path / "starter.yaml").scenario
    outcomes = set()
    for path in ([2, 2], [1, 2], [3, 2], [2, 1]):
        session = Session(scenario)
        for number in path:
            session.choose_number(number)
        assert session.finished
        outcomes.add(session.outcome)
    assert outcomes == {"resolved", "escalated", "child-at-risk"}


def test_the_starter_does_not_reward_a_test_wise_player(tmp_path):
    # A starter teaches by example: its best option is neither always first
    # nor always longest.
    _new(tmp_path, "starter")
    analysis = analyse(load_file(tmp_path / "starter.yaml").scenario)
    assert analysis.warnings == [] or not any("test-wise" in w for w in analysis.warnings)
    assert all(s.overall < 80 for s in analysis.strategies)


def test_an_existing_file_is_never_overwritten(tmp_path, capsys):
    path = tmp_path / "mine.yaml"
    path.write_text("my afternoon's work\n")
    assert _new(tmp_path, "mine") == 2
    assert path.read_text() == "my afternoon's work\n"
    assert "already exists" in capsys.readouterr().err


def test_a_bad_id_or_area_is_a_usage_error_with_the_choices(tmp_path, capsys):
    assert _new(tmp_path, "Bad Id") == 2
    assert "lower-case letters, digits and hyphens" in capsys.readouterr().err
    assert _new(tmp_path, "ok-id", "--area", "threshold") == 2
    err = capsys.readouterr().err
    assert "information-sharing" in err and "receiving-challenge" in err
    assert list(tmp_path.iterdir()) == []


def test_the_modeline_points_at_the_schema_that_checks_it(tmp_path):
    _new(tmp_path, "starter")
    first = (tmp_path / "starter.yaml").read_text().splitlines()[0]
    reference = first.split("$schema=", 1)[1]
    # A path from the file's own folder, as the editor's language server reads it.
    assert not reference.startswith(("file:", "/")), reference
    schema = (tmp_path / reference).resolve()
    assert schema.name == "scenario.schema.json" and schema.is_file()
    assert schema == starter.schema_path()


def test_a_starter_in_the_library_folder_points_where_the_library_does(tmp_path):
    library = Path(__file__).resolve().parents[2] / "scenarios"
    assert starter.schema_reference(library) == "../simulator/schema/scenario.schema.json"


def test_the_placeholders_keep_strict_validation_failing_until_replaced(tmp_path, capsys):
    _new(tmp_path, "starter")
    capsys.readouterr()
    assert main(["validate", "--strict", str(tmp_path / "starter.yaml")]) == 1
    assert "[todo-left] title still says TODO" in capsys.readouterr().out


def test_out_makes_the_folder_and_the_file_is_the_trainers_to_read(tmp_path):
    folder = tmp_path / "drafts" / "2026"
    assert main(["new", "starter", "--out", str(folder)]) == 0
    mode = stat.S_IMODE((folder / "starter.yaml").stat().st_mode)
    assert mode & stat.S_IRUSR and mode & stat.S_IWUSR
