"""The cohort store in PostgreSQL: a throwaway cluster started here (initdb in a
temporary folder, pg_ctl on a Unix socket in it), skipped only when the server
binaries are not installed. `.ci/run` installs them, so CI runs all of this.

The store must keep the promises it keeps in SQLite: the schema from nothing or
from an older version, every decision saved once however many processes write
at once, an attempt carried on from another process, the dashboard's reads,
and never a password in anything it says.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap

import postgres_cluster
import pytest
from cohort_fixtures import HOSTILE, MINIMAL, fill_demo_cohort, scenario

from simulator.cli import main
from simulator.records.location import DatabaseURL, redact
from simulator.records.migrations import MIGRATIONS
from simulator.records.store import NewerStoreError, NotAHistoryError, Store, StoreError

COHORT = "Leeds DSL training"
SECRET = "Tr0ub4dor-and-3"
WRITERS, DECISIONS_EACH, SHARED_EACH = 6, 20, 10


@pytest.fixture(scope="module")
def driver():
    return pytest.importorskip("psycopg", exc_type=ImportError, reason="psycopg, the PostgreSQL driver, is not installed "
                                                 "(pip install -e '.[test]' or '.[postgres]')")


@pytest.fixture(scope="module")
def cluster(driver):
    if postgres_cluster.server_binaries() is None:
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed (Debian: apt-get install "
                    "postgresql; .ci/run does)")
    running = postgres_cluster.start(max_connections=60)
    yield running
    running.stop()


@pytest.fixture
def database(cluster) -> str:
    return cluster.new_database()


def schema_version(cluster, url: str) -> int:
    return cluster.sql(url, "SELECT version FROM rehearse_schema")[0][0]


# -- migrations -----------------------------------------------------------------------------

def test_a_new_database_gets_the_whole_schema_and_is_left_alone_when_opened_again(cluster, database):
    with Store(database) as store:
        store.create_cohort(COHORT, "K7PQ4X")
    assert schema_version(cluster, database) == len(MIGRATIONS)
    tables = {r[0] for r in cluster.sql(database, "SELECT table_name FROM information_schema.tables"
                                                  " WHERE table_schema = 'public'")}
    assert tables == {"attempts", "decisions", "settings", "cohorts", "drafts", "plans", "write_keys", "cohort_members",
                      "rehearse_schema"}
    with Store(database) as store:  # a second host starting: same code, no second cohort
        assert store.create_cohort(COHORT, "ZZZZZZ").join_code == "K7PQ4X"
    assert cluster.sql(database, "SELECT count(*) FROM cohorts")[0][0] == 1


def _columns_in_file(path) -> dict[str, list[tuple[str, bool]]]:
    import sqlite3

    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    # table_info: (cid, name, type, notnull, default, pk); a primary key is never null in either.
    found = {t: [(r[1], bool(r[3] or r[5])) for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}
    db.close()
    return found


def test_the_schema_is_the_same_in_a_history_file_and_in_postgresql(cluster, database, tmp_path):
    # One list of migrations for both: the same tables, the same columns in the same order, the
    # same ones required. A step written for one database only would show here.
    Store(tmp_path / "history.db").close()
    Store(database).close()
    in_file = _columns_in_file(tmp_path / "history.db")
    rows = cluster.sql(database, "SELECT table_name, column_name, is_nullable FROM information_schema.columns"
                                 " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position")
    in_postgres: dict[str, list[tuple[str, bool]]] = {}
    for table, column, nullable in rows:
        if table != "rehearse_schema":  # where PostgreSQL keeps the version a file keeps in its header
            in_postgres.setdefault(table, []).append((column, nullable == "NO"))
    assert in_postgres == in_file
    indexes = {r[0] for r in cluster.sql(database, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
                                                   " AND indexname NOT LIKE '%_pkey'")}
    assert indexes == {"attempts_by_scenario", "attempts_by_cohort", "write_keys_by_attempt"}


def test_a_database_at_the_previous_version_is_migrated_and_keeps_its_attempts(cluster, database):
    from simulator.records import postgres

    old = postgres.Connection(DatabaseURL(database), read_only=False, patience_ms=1000)
    try:
        assert postgres.migrate(old, MIGRATIONS[:-1]) == len(MIGRATIONS) - 1
        old.execute("INSERT INTO attempts (scenario_id, scenario_title, mode, started_at, updated_at, cohort,"
                    " participant) VALUES ('s', 'Title', 'debrief', 't0', 't0', ?, 'p-1')", (COHORT,))
    finally:
        old.close()
    assert schema_version(cluster, database) == len(MIGRATIONS) - 1
    with Store(database) as store:
        (kept,) = store.attempts(cohort=COHORT)
        assert kept.title == "Title"
        assert store.record_decision(kept.id, {}, "n1", "c1", False, key="once") == 1
        assert store.record_decision(kept.id, {}, "n1", "c1", False, key="once") == 1  # the new table at work
    assert schema_version(cluster, database) == len(MIGRATIONS)


def _open(url: str) -> None:
    Store(url).close()


def test_four_hosts_starting_at_once_on_an_empty_database_migrate_it_once(cluster, database):
    with multiprocessing.get_context("fork").Pool(4) as pool:
        pool.map(_open, [database] * 4)
    assert schema_version(cluster, database) == len(MIGRATIONS)
    assert cluster.sql(database, "SELECT count(*) FROM rehearse_schema")[0][0] == 1


def test_a_newer_database_and_another_programs_are_refused_untouched(cluster, database):
    Store(database).close()
    cluster.sql(database, "UPDATE rehearse_schema SET version = 99")
    with pytest.raises(NewerStoreError, match="this database was written by a newer version of Rehearse"):
        Store(database)
    theirs = cluster.new_database()
    cluster.sql(theirs, "CREATE TABLE invoices (id integer)")
    with pytest.raises(NotAHistoryError, match="has tables, but not Rehearse's; nothing was written"):
        Store(theirs)
    assert [r[0] for r in cluster.sql(theirs, "SELECT table_name FROM information_schema.tables"
                                              " WHERE table_schema = 'public'")] == ["invoices"]


# -- many writers ------------------------------------------------------------------------------

def _writer(url: str, number: int) -> None:
    from simulator.group.participant_store import ParticipantStore

    # Its own attempt, through the store the app uses in a group session...
    own = ParticipantStore(url, COHORT, f"p-{number}")
    attempt = own.start_attempt("s", "Title", learner=f"Writer {number}")
    for i in range(DECISIONS_EACH):
        own.record_decision(attempt, {"at": i}, f"w{number}-n{i}", f"c{i}", False)
    own.close()
    # ...and one attempt every writer writes to at once (two hosts writing the
    # same attempt: a participant who moved while the old host had writes queued).
    with Store(url) as store:
        shared = store.attempts(cohort=COHORT, participant="p-shared")[0].id
        for i in range(SHARED_EACH):
            store.record_decision(shared, {}, f"w{number}-s{i}", "c", False, key=f"w{number}-s{i}")


def test_six_processes_writing_at_once_store_every_decision_once(cluster, database):
    with Store(database) as store:
        store.create_cohort(COHORT, "K7PQ4X")
        shared = store.start_attempt("s", "Shared", cohort=COHORT, participant="p-shared")
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_writer, args=(database, n)) for n in range(WRITERS)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(120)
        assert process.exitcode == 0
    with Store(database, access="read") as store:
        attempts = {a.participant: a for a in store.cohort_attempts(COHORT)}
    assert len(attempts) == WRITERS + 1
    for n in range(WRITERS):
        made = attempts[f"p-{n}"].decisions
        assert [d.node_id for d in made] == [f"w{n}-n{i}" for i in range(DECISIONS_EACH)]  # in order, none twice
        assert [d.seq for d in made] == list(range(1, DECISIONS_EACH + 1))
    together = attempts["p-shared"]
    assert together.id == shared
    assert sorted(d.node_id for d in together.decisions) == sorted(
        f"w{n}-s{i}" for n in range(WRITERS) for i in range(SHARED_EACH))
    assert [d.seq for d in together.decisions] == list(range(1, WRITERS * SHARED_EACH + 1))


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_a_decision_whose_commit_was_lost_on_the_way_back_is_not_stored_twice(kind, request, tmp_path):
    from simulator.records.patient_store import PatientStore
    from simulator.records.postgres import StoreUnreachable

    class LosesTheFirstAnswer(Store):
        lost = False

        def record_decision(self, *args, **kwargs):
            seq = super().record_decision(*args, **kwargs)
            if not LosesTheFirstAnswer.lost:  # committed, but the host never hears so
                LosesTheFirstAnswer.lost = True
                raise StoreUnreachable("the PostgreSQL database cannot be reached: connection lost")
            return seq

    where = request.getfixturevalue("database") if kind == "postgresql" else tmp_path / "history.db"
    patient = PatientStore(where, open_store=LosesTheFirstAnswer, retry_delays=(0.05,))
    attempt = patient.start_attempt("s", "Title", cohort=COHORT, participant="p-1")
    patient.record_decision(attempt, {}, "n1", "c1", False)
    patient.record_decision(attempt, {}, "n2", "c2", False)
    assert patient.wait(10)
    saved = patient.attempt(attempt)
    patient.close()
    assert LosesTheFirstAnswer.lost
    assert [(d.seq, d.node_id) for d in saved.decisions] == [(1, "n1"), (2, "n2")]


# -- resume on another process --------------------------------------------------------------------

FIRST_HOST = textwrap.dedent("""
    import sys, time
    from simulator.group.participant_store import ParticipantStore
    store = ParticipantStore(sys.argv[1], sys.argv[2], "p-moves")
    attempt = store.start_attempt("test-minimal", "Minimal", learner="Asha")
    store.record_decision(attempt, {"kept": 1}, "start", "a", False)
    store.save_draft(attempt, "second", 1, "I am worried that")
    while store.pending:
        time.sleep(0.01)
    print("saved", flush=True)
    time.sleep(600)  # killed here, mid-attempt, as a host that goes down
""")


def test_an_attempt_begun_on_a_host_that_dies_carries_on_from_another_process(database, minimal):
    from simulator.engine.session import Session
    from simulator.group.participant_store import ParticipantStore

    with Store(database) as store:
        store.create_cohort(COHORT, "K7PQ4X", minimal.id)
    session = Session(minimal, learner="Asha")
    first = session.choices()[0].id
    session.choose(first)
    host = subprocess.Popen([sys.executable, "-c", FIRST_HOST.replace('{"kept": 1}', repr(session.to_json()))
                             .replace('"start", "a"', f'"{minimal.start}", "{first}"'), database, COHORT],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert host.stdout.readline().strip() == "saved"
    finally:
        os.kill(host.pid, signal.SIGKILL)
        host.wait()

    other = ParticipantStore(database, COHORT, "p-moves")
    (left,) = other.unfinished()
    found = other.attempt(left.id)
    assert [d.node_id for d in found.decisions] == [minimal.start]
    assert other.draft(left.id).words == "I am worried that"
    resumed = Session.from_json(minimal, found.session_json)
    while not resumed.finished:
        node, choice = resumed.node.id, resumed.choices()[0].id
        resumed.choose(choice)
        other.record_decision(left.id, resumed.to_json(), node, choice, False)
    other.finish_attempt(left.id, resumed.to_json(), resumed.outcome, resumed.node.id, {"overall": 1.0}, "{}")
    other.close()
    with Store(database, access="read") as store:
        done = store.attempt(left.id)
    assert done.finished and len(done.decisions) == len(resumed.moves)
    assert ParticipantStore(database, COHORT, "someone-else").unfinished() == []


# -- the dashboard's and the exports' reads ------------------------------------------------------------

async def test_the_dashboard_reads_the_room_from_postgres_as_it_does_from_a_file(database, tmp_path):
    from datetime import datetime

    from textual.widgets import DataTable, Static

    from simulator.tui.group.dashboard_screen import DashboardApp

    file = tmp_path / "cohort.db"
    shown = {}
    for where in (file, database):
        fill_demo_cohort(where)
        with Store(where) as store:
            store.record_join("demo", "p-6", "Fay")  # joined, never started
            store.record_join("demo", "p-6", "Fay")  # the same write tried again
            cohort = store.cohort("demo")
        app = DashboardApp(DatabaseURL(where) if where == database else where, cohort,
                           [scenario(MINIMAL), scenario(HOSTILE)], poll_seconds=3600,
                           clock=lambda: datetime(2026, 3, 2, 10, 15))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = pilot.app.dashboard
            table = screen.query_one("#participants", DataTable)
            shown[str(where)] = (screen.query_one("#cohort-status", Static).visual.plain,
                                 [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)],
                                 screen.query_one("#choices-body", Static).visual.plain)
    from_file, from_postgres = shown[str(file)], shown[database]
    assert "6 joined, 1 playing, 4 finished, 1 not started" in from_postgres[0]
    assert from_postgres[1][-1][:2] == ["Fay", "joined, not started"]
    assert from_postgres[1:] == from_file[1:]


def test_export_and_dashboard_take_store_and_name_the_cohorts_there(database, capsys):
    fill_demo_cohort(database)
    assert main(["export", "--store", database, "--cohort", "demo", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 6 and "Asha" in "\n".join(lines)
    assert main(["dashboard", "--store", database, "--cohort", "dmeo"]) == 1
    err = capsys.readouterr().err
    assert "there is no cohort 'dmeo'" in err and any(line.split()[:1] == ["demo"] for line in err.splitlines())


def test_an_xapi_export_from_postgresql_keeps_its_ids_from_one_export_to_the_next(database, capsys):
    import json

    fill_demo_cohort(database)
    exported = []
    for _ in range(2):
        assert main(["export", "--store", database, "--cohort", "demo", "--format", "xapi"]) == 0
        exported.append(json.loads(capsys.readouterr().out))
    assert exported[0] and [s["id"] for s in exported[0]] == [s["id"] for s in exported[1]]


def test_reading_commands_cannot_write(database):
    fill_demo_cohort(database)
    with Store(database, access="read") as store, pytest.raises(StoreError, match="read-only"):
        store.set_setting("x", 1)


# -- no password, anywhere ---------------------------------------------------------------------------

def test_an_address_never_shows_its_password():
    url = DatabaseURL(f"postgresql://rehearse:{SECRET}@db.example.org:5432/rehearse?sslmode=verify-full")
    for shown in (str(url), repr(url), f"{url}", redact(f"postgresql://u@h/db?password={SECRET}&sslmode=require")):
        assert SECRET not in shown and "***" in shown
    assert str(url) == "postgresql://rehearse:***@db.example.org:5432/rehearse?sslmode=verify-full"
    assert url.scrub(f"FATAL: password {SECRET} rejected") == "FATAL: password *** rejected"


def test_a_database_that_cannot_be_reached_is_said_without_the_password(driver, tmp_path, capsys):
    url = f"postgresql://rehearse:{SECRET}@/rehearse?host={tmp_path}&port=1"
    assert main(["export", "--store", url, "--cohort", "demo"]) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and SECRET not in err and "rehearse:***@" in err
    assert main(["--data", str(tmp_path / "x.db"), "dashboard", "--store", url, "--cohort", "demo"]) == 2
    assert SECRET not in capsys.readouterr().err


def test_serve_says_an_unreachable_database_without_the_password(driver, tmp_path):
    url = f"postgresql://rehearse:{SECRET}@/rehearse?host={tmp_path}&port=1"
    done = subprocess.run([sys.executable, "-m", "simulator", "serve", "--cohort", COHORT, "--port",
                           str(postgres_cluster.free_port()), "--store", url], capture_output=True, text=True, timeout=60, check=False)
    said = done.stdout + done.stderr
    assert done.returncode != 0 and "cannot be reached" in said
    assert SECRET not in said and "Traceback" not in said


def test_without_the_driver_a_postgresql_address_says_how_to_install_it(tmp_path):
    # An install without the postgres extra: a psycopg that cannot be imported stands in for none at all.
    (tmp_path / "psycopg").mkdir()
    (tmp_path / "psycopg" / "__init__.py").write_text("raise ImportError('no psycopg here')\n")
    url = f"postgresql://rehearse:{SECRET}@/rehearse?host={tmp_path}&port=1"
    done = subprocess.run([sys.executable, "-m", "simulator", "export", "--store", url, "--cohort", "demo"],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "needs the PostgreSQL driver, which is not installed: pip install 'rehearse[postgres]'" in done.stderr
    assert SECRET not in done.stderr + done.stdout
