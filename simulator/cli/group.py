"""Commands for group training: ``facilitate`` (a room around one projector),
``serve`` (participants on their own devices) and ``dashboard`` (the
facilitator's live view of a cohort).

A command checks what it can in plain words before Textual is imported: a bad
countdown, a mistyped cohort or a busy port is a message, not a screen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

from simulator.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

if TYPE_CHECKING:
    from simulator.records.location import DatabaseURL
    from simulator.records.store import Cohort

MAX_COUNTDOWN = 60 * 60
MAX_OPTIONS = 26  # lettered A to Z on the projector


def facilitate(args) -> int:
    from simulator.format.library import find

    if not 0 <= args.countdown <= MAX_COUNTDOWN:
        print(f"rehearse facilitate: --countdown takes seconds from 0 (none) to {MAX_COUNTDOWN}, "
              f"e.g. --countdown 90", file=sys.stderr)
        return EXIT_USAGE
    export_dir = Path(args.export_dir).expanduser() if args.export_dir else Path.cwd()
    if export_dir.exists() and not export_dir.is_dir():
        print(f"rehearse facilitate: --export-dir {export_dir} is a file, not a folder", file=sys.stderr)
        return EXIT_USAGE
    result = find(args.scenario)
    if result.scenario is None:
        for diagnostic in result.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    nodes = result.scenario.nodes.values()
    if not any(node.choices for node in nodes):
        print(f"rehearse facilitate: {args.scenario} has no decisions to vote on", file=sys.stderr)
        return EXIT_PROBLEMS
    crowded = [node.id for node in nodes if len(node.choices) > MAX_OPTIONS]
    if crowded:
        print(f"rehearse facilitate: node '{crowded[0]}' has more than {MAX_OPTIONS} options, more than a room "
              f"can vote on by letter (A-Z)", file=sys.stderr)
        return EXIT_PROBLEMS

    from simulator.tui.group.facilitation_app import make_facilitation_app

    make_facilitation_app(result.scenario, countdown=args.countdown, export_dir=export_dir).run()
    return EXIT_OK


def records_place(args, command: str, err: TextIO | None = None) -> Path | DatabaseURL | None:
    """Where a cohort's records are: ``--store`` (or ``$REHEARSE_STORE``), a
    PostgreSQL address; else the ``--data`` file. None after saying why not."""
    from simulator.records.location import STORE_ENV, DatabaseURL, is_database_url
    from simulator.records.store import default_path

    err = err or sys.stderr
    given = getattr(args, "store", None)
    store = given or (os.environ.get(STORE_ENV) if not args.data else None)
    if given and args.data:
        print(f"rehearse {command}: give --store or --data, not both: --store is a PostgreSQL database, "
              "--data a history file", file=err)
        return None
    if store:
        if not is_database_url(store):
            where = "--store" if given else f"${STORE_ENV}"
            # Not echoed: it may be an address with a password, mistyped.
            print(f"rehearse {command}: {where} takes a PostgreSQL address such as "
                  "postgresql://rehearse@db.example.org/rehearse; for a history file use --data PATH", file=err)
            return None
        return DatabaseURL(store)
    return (Path(args.data) if args.data else default_path()).expanduser()


def serve(args) -> int:
    from simulator.group.join_code import new_join_code
    from simulator.group.serve import (
        EVERY_INTERFACE,
        NAME_LIMIT,
        TEMPLATES,
        is_loopback,
        library_scenario,
        open_log,
        participant_command,
        port_problem,
        url_host,
    )
    from simulator.group.serve_guard import (
        DEFAULT_APPS_PER_PROCESS,
        DEFAULT_MAX_PARTICIPANTS,
        DEFAULT_WARM,
        MAX_APPS_PER_PROCESS,
        MAX_PARTICIPANTS,
    )
    from simulator.model.text import inert
    from simulator.records.location import STORE_ENV, DatabaseURL
    from simulator.records.store import Store, StoreError
    from simulator.tui.group.web_server import make_server

    def fail(message: str, status: int = EXIT_USAGE) -> int:
        print(f"rehearse serve: {message}", file=sys.stderr)
        return status

    name = " ".join(args.cohort.split())
    if not name:
        return fail("give the session a name with --cohort, e.g. --cohort 'Leeds DSL training 12 March'")
    if len(name) > NAME_LIMIT:
        return fail(f"the cohort name is longer than {NAME_LIMIT} characters")
    if not 0 < args.port < 65536:
        return fail(f"--port must be between 1 and 65535, not {args.port}")
    cap = args.max_participants if args.max_participants is not None else DEFAULT_MAX_PARTICIPANTS
    if not 1 <= cap <= MAX_PARTICIPANTS:
        return fail(f"--max-participants takes 1 to {MAX_PARTICIPANTS}, not {cap}")
    warm = args.warm if args.warm is not None else min(DEFAULT_WARM, cap)
    if not 0 <= warm <= cap:
        return fail(f"--warm takes 0 to the --max-participants ({cap}), not {warm}")
    together = args.apps_per_process if args.apps_per_process is not None else DEFAULT_APPS_PER_PROCESS
    if not 1 <= together <= MAX_APPS_PER_PROCESS:
        return fail(f"--apps-per-process takes 1 to {MAX_APPS_PER_PROCESS}, not {together}")
    if args.public_url:
        parts = urlsplit(args.public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return fail(f"--public-url must be an address such as http://192.168.1.20:{args.port}, "
                        f"not {inert(args.public_url)!r}")
    scenario = None
    if args.scenario:
        scenario, problem = library_scenario(args.scenario)
        if scenario is None:
            return fail(problem)

    problem = port_problem(args.host, args.port)
    if problem:
        return fail(problem, EXIT_PROBLEMS)

    data = records_place(args, "serve")
    if data is None:
        return EXIT_USAGE
    if isinstance(data, DatabaseURL):
        # Each participant's process finds the database here: in the
        # environment, never on a command line the process list shows.
        os.environ[STORE_ENV] = data.secret()
    else:
        data = data.resolve()
    try:
        with Store(data) as store:
            cohort = store.create_cohort(name, new_join_code(), scenario.id if scenario else None)
    except StoreError as exc:
        return fail(str(exc), EXIT_PROBLEMS)
    if args.scenario and cohort.scenario_id != args.scenario:
        playing = f"plays '{cohort.scenario_id}'" if cohort.scenario_id else "lets participants choose"
        return fail(f"the session '{inert(name)}' already exists and {playing}; run it without --scenario, "
                    "or give a new session another --cohort name")
    if scenario is None and cohort.scenario_id is not None:
        scenario, problem = library_scenario(cohort.scenario_id)
        if scenario is None:
            return fail(f"the session '{inert(name)}' plays a scenario that is not in the library now: {problem}",
                        EXIT_PROBLEMS)

    everywhere = args.host in EVERY_INTERFACE
    public_url = args.public_url or f"http://{url_host(args.host)}:{args.port}"
    print(f"Group session  {inert(name)}")
    print(f"Scenario       {inert(scenario.title) if scenario else 'participants choose from the library'}")
    print(f"Join code      {cohort.join_code}")
    if everywhere and not args.public_url:
        print(f"Address        http://<this computer's address>:{args.port}")
        print(f"\nWarning: listening on every network interface, but the address participants should type is "
              f"not known. Give it with --public-url, e.g. --public-url http://192.168.1.20:{args.port} "
              "(this computer's address on the room's network).", file=sys.stderr)
    else:
        print(f"Address        {inert(public_url)}")
    try:
        log_path, log_file = open_log(data)
    except OSError as exc:
        return fail(f"cannot create the session's log beside {inert(str(data))}: {exc.strerror or exc}", EXIT_PROBLEMS)
    print(f"Records        {inert(str(data))}")
    print(f"Log            {inert(str(log_path))} (errors and refused connections)")
    print(f"Participants   up to {cap} at once (--max-participants), {warm} started ahead (--warm), "
          f"{together} to a process (--apps-per-process)")
    if is_loopback(args.host):
        print("\nOnly this computer can connect. For a room, listen on its network too: "
              f"--host 0.0.0.0 --public-url http://<this computer's address>:{args.port}")
    print("\nGive participants the address and the join code. Press Ctrl+C to end the session.", flush=True)

    server = make_server(participant_command(data, name), args.host, args.port, public_url, TEMPLATES,
                         max_participants=cap, log_file=log_file, console=lambda line: print(line, flush=True),
                         warm=warm, apps_per_process=together)
    try:
        server.serve()
    finally:
        log_file.close()
    print("Session ended. Attempts are kept in the records file.")
    return EXIT_OK


def dashboard(args) -> int:
    path = records_place(args, "dashboard")
    if path is None:
        return EXIT_USAGE
    cohort = find_cohort(path, args.cohort, "dashboard")
    if cohort is None:
        return EXIT_PROBLEMS
    from simulator.format.library import load_all
    from simulator.tui.group.dashboard_screen import DashboardApp

    scenarios = [result.scenario for result in load_all() if result.scenario is not None]
    DashboardApp(path, cohort, scenarios).run()
    return EXIT_OK


def find_cohort(path: Path | DatabaseURL, name: str, command: str, err: TextIO | None = None) -> Cohort | None:
    """The cohort ``name`` in the history file (or database) at ``path``; None
    after telling the user why not (on ``err``, default stderr) and which cohorts there are."""
    from simulator.model.text import inert
    from simulator.records.location import exists
    from simulator.records.store import Store, StoreError

    err = err or sys.stderr
    shown_path, shown_name = inert(str(path)), inert(name)
    if not exists(path):
        print(f"rehearse {command}: there is no history file at {shown_path}, so no cohort '{shown_name}'.\n"
              "Give the file the group session uses with --data PATH.", file=err)
        return None
    try:
        with Store(path, access="read") as store:
            cohort, known = store.cohort(name), store.cohorts()
    except StoreError as exc:
        print(f"rehearse {command}: {inert(str(exc))}", file=err)
        return None
    if cohort is not None:
        return cohort
    if not known:
        print(f"rehearse {command}: {shown_path} has no cohorts yet.\n"
              "A group session creates one: rehearse serve --cohort NAME", file=err)
        return None
    print(f"rehearse {command}: there is no cohort '{shown_name}' in {shown_path}. The cohorts there are:", file=err)
    for other in known:
        scenario = f"plays {inert(other.scenario_id)}" if other.scenario_id else "participants choose the scenario"
        print(f"  {inert(other.name):24} {scenario}, created {other.created_at[:10]}", file=err)
    return None
