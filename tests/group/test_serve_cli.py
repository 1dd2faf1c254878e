"""`rehearse serve` as a facilitator starts it: what it prints, and what it refuses."""

from __future__ import annotations

import socket

import pytest

import simulator.group.serve as serve
import simulator.tui.group.web_server as web_server
from simulator.cli import main
from simulator.records.store import Store


class NoServer:
    """Stands in for the web server so these tests never listen on every interface."""

    def __init__(self, command, host, port, public_url, templates, **limits):
        self.started = dict(command=command, host=host, port=port, public_url=public_url, **limits)
        NoServer.last = self

    def serve(self):
        pass


@pytest.fixture
def no_server(monkeypatch):
    monkeypatch.setattr(web_server, "make_server", NoServer)
    monkeypatch.setattr(serve, "port_problem", lambda host, port: None)


def printed_code(out: str) -> str:
    return next(line.split()[-1] for line in out.splitlines() if line.startswith("Join code"))


def test_prints_the_join_code_and_address_and_keeps_the_code_on_restart(tmp_path, capsys, no_server):
    data = tmp_path / "room.db"
    assert main(["serve", "--cohort", "Room A", "--data", str(data), "--port", "8123"]) == 0
    out = capsys.readouterr().out
    code = printed_code(out)
    assert "Address        http://127.0.0.1:8123" in out
    assert "Only this computer can connect" in out
    with Store(data) as store:
        assert store.cohort("Room A").join_code == code
    # A facilitator restarting the server keeps the code the room already has.
    assert main(["serve", "--cohort", "Room A", "--data", str(data), "--port", "8123"]) == 0
    assert printed_code(capsys.readouterr().out) == code
    assert "simulator.tui.group.cohort_app" in NoServer.last.started["command"]


def test_the_cap_is_said_and_passed_on_and_a_log_file_is_made_owner_only(tmp_path, capsys, no_server):
    data = tmp_path / "room.db"
    assert main(["serve", "--cohort", "Room A", "--data", str(data), "--max-participants", "25"]) == 0
    out = capsys.readouterr().out
    assert "up to 25 at once" in out
    assert NoServer.last.started["max_participants"] == 25
    (log,) = tmp_path.glob("room-serve-*.log")
    assert f"Log            {log}" in out
    assert log.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("bad", ["0", "100000"])
def test_a_cap_out_of_range_is_refused(tmp_path, capsys, bad):
    assert main(["serve", "--cohort", "Room A", "--data", str(tmp_path / "r.db"), "--max-participants", bad]) == 2
    assert "--max-participants takes 1 to 500" in capsys.readouterr().err


def test_every_interface_without_a_public_url_warns(tmp_path, capsys, no_server):
    assert main(["serve", "--cohort", "Room A", "--data", str(tmp_path / "r.db"), "--host", "0.0.0.0"]) == 0
    captured = capsys.readouterr()
    assert "--public-url" in captured.err and "Warning" in captured.err
    assert "http://<this computer's address>:8000" in captured.out


def test_a_public_url_is_the_address_given_out(tmp_path, capsys, no_server):
    url = "http://192.168.1.20:8000"
    assert main(["serve", "--cohort", "Room A", "--data", str(tmp_path / "r.db"), "--host", "0.0.0.0",
                 "--public-url", url]) == 0
    captured = capsys.readouterr()
    assert f"Address        {url}" in captured.out and "Warning" not in captured.err
    assert NoServer.last.started["public_url"] == url


@pytest.mark.parametrize("bad", ["192.168.1.20:8000", "ftp://x", "http://"])
def test_a_public_url_that_is_not_a_web_address_is_refused(tmp_path, capsys, bad):
    assert main(["serve", "--cohort", "Room A", "--data", str(tmp_path / "r.db"), "--public-url", bad]) == 2
    assert "--public-url must be an address such as" in capsys.readouterr().err


def test_an_unknown_scenario_is_refused_with_a_suggestion(tmp_path, capsys):
    assert main(["serve", "--cohort", "Room A", "--data", str(tmp_path / "r.db"), "--scenario", "hv-gcp2-closur"]) == 2
    err = capsys.readouterr().err
    assert "no scenario 'hv-gcp2-closur'" in err and "hv-gcp2-closure" in err


def test_a_cohort_keeps_its_scenario(tmp_path, capsys, no_server):
    data = str(tmp_path / "r.db")
    assert main(["serve", "--cohort", "Room A", "--data", data, "--scenario", "hv-gcp2-closure"]) == 0
    assert "Graded 4 for physical care" in capsys.readouterr().out
    assert main(["serve", "--cohort", "Room A", "--data", data, "--scenario", "dsl-mash-threshold"]) == 2
    assert "already exists and plays 'hv-gcp2-closure'" in capsys.readouterr().err
    # Without --scenario, a restart plays what the cohort plays.
    assert main(["serve", "--cohort", "Room A", "--data", data]) == 0
    assert "Graded 4 for physical care" in capsys.readouterr().out


def test_a_port_in_use_is_said_plainly(tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--cohort", "Room A", "--data", str(tmp_path / "r.db"), "--port", str(port)]) == 1
    assert f"port {port} is already in use" in capsys.readouterr().err


def test_the_warm_pool_defaults_to_eight_within_the_cap_and_is_passed_on(tmp_path, capsys, no_server):
    data = tmp_path / "room.db"
    assert main(["serve", "--cohort", "Room A", "--data", str(data)]) == 0
    assert "8 started ahead (--warm)" in capsys.readouterr().out
    assert NoServer.last.started["warm"] == 8
    assert main(["serve", "--cohort", "Room A", "--data", str(data), "--max-participants", "5"]) == 0
    assert NoServer.last.started["warm"] == 5, "never more waiting than the cap"
    assert main(["serve", "--cohort", "Room A", "--data", str(data), "--warm", "0"]) == 0
    assert NoServer.last.started["warm"] == 0


def test_a_pool_larger_than_the_cap_is_refused(tmp_path, capsys):
    assert main(["serve", "--cohort", "Room A", "--data", str(tmp_path / "r.db"),
                 "--max-participants", "10", "--warm", "11"]) == 2
    assert "--warm takes 0 to the --max-participants (10), not 11" in capsys.readouterr().err


def test_apps_run_four_to_a_process_unless_asked_otherwise_and_a_number_out_of_range_is_refused(
        tmp_path, capsys, no_server):
    data = str(tmp_path / "room.db")
    assert main(["serve", "--cohort", "Room A", "--data", data]) == 0
    assert "4 to a process (--apps-per-process)" in capsys.readouterr().out
    assert NoServer.last.started["apps_per_process"] == 4
    assert main(["serve", "--cohort", "Room A", "--data", data, "--apps-per-process", "1"]) == 0
    assert NoServer.last.started["apps_per_process"] == 1
    for wrong in ("0", "33"):
        assert main(["serve", "--cohort", "Room A", "--data", data, "--apps-per-process", wrong]) == 2
        assert f"--apps-per-process takes 1 to 32, not {wrong}" in capsys.readouterr().err
