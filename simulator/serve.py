"""``rehearse serve``: the app in participants' browsers, for one group session.

textual-serve runs one app process per browser connection (nothing shared in
memory); every process writes to the one history file, tagged with the cohort
and a pseudonymous participant id. The page we serve is our own template: it
loads nothing from the internet, so a training room without a connection works.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from simulator.text import inert

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
TEMPLATES = Path(__file__).resolve().parent / "web"
NAME_LIMIT = 60
EVERY_INTERFACE = {"0.0.0.0", "::", ""}


def participant_command(data: Path, cohort: str) -> str:
    """The shell command textual-serve runs for each browser that connects."""
    return shlex.join([sys.executable, "-m", "simulator.tui.cohort_app", "--data", str(data), "--cohort", cohort])


def _url_host(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _port_problem(host: str, port: int) -> str | None:
    """Why the address cannot be listened on, checked before anything is printed."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"cannot listen on {host!r}: {exc.strerror}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
                return f"port {port} is already in use: choose another with --port"
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def _scenario(scenario_id: str):
    from simulator.diagnostics import did_you_mean
    from simulator.library import load_all

    results = load_all()
    for result in results:
        if result.scenario is not None and result.scenario.id == scenario_id:
            return result.scenario, None
    hint = did_you_mean(scenario_id, [r.scenario.id for r in results if r.scenario])
    return None, (f"no scenario '{scenario_id}' in the library" + (f"; {hint}" if hint else "")
                  + " (run `rehearse list` to see the ids)")


def run_cli(args) -> int:
    from simulator.join_code import new_join_code
    from simulator.store import Store, StoreError, default_path

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
    if args.public_url:
        parts = urlsplit(args.public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return fail(f"--public-url must be an address such as http://192.168.1.20:{args.port}, "
                        f"not {inert(args.public_url)!r}")
    scenario = None
    if args.scenario:
        scenario, problem = _scenario(args.scenario)
        if scenario is None:
            return fail(problem)

    problem = _port_problem(args.host, args.port)
    if problem:
        return fail(problem, EXIT_PROBLEMS)

    data = (Path(args.data) if args.data else default_path()).expanduser().resolve()
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
        scenario, problem = _scenario(cohort.scenario_id)
        if scenario is None:
            return fail(f"the session '{inert(name)}' plays a scenario that is not in the library now: {problem}",
                        EXIT_PROBLEMS)

    everywhere = args.host in EVERY_INTERFACE
    public_url = args.public_url or f"http://{_url_host(args.host)}:{args.port}"
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
    print(f"Records        {inert(str(data))}")
    if _is_loopback(args.host):
        print("\nOnly this computer can connect. For a room, listen on its network too: "
              f"--host 0.0.0.0 --public-url http://<this computer's address>:{args.port}")
    print("\nGive participants the address and the join code. Press Ctrl+C to end the session.", flush=True)

    server = _server(participant_command(data, name), args.host, args.port, public_url)
    server.serve()
    print("Session ended. Attempts are kept in the records file.")
    return EXIT_OK


def _server(command: str, host: str, port: int, public_url: str):
    import asyncio
    import logging

    from textual_serve.server import Server

    class RehearseServer(Server):
        """textual-serve with our page, a quiet console, and a prompt stop."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._connections: set[asyncio.Task] = set()

        def initialize_logging(self) -> None:
            super().initialize_logging()
            # A line per request would bury the join code the facilitator reads out.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app) -> None:
            pass  # run_cli has said what matters

        async def handle_websocket(self, request):
            task = asyncio.current_task()
            self._connections.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self._connections.discard(task)

        async def on_shutdown(self, app) -> None:
            # Without this, Ctrl+C waits up to a minute for open browsers.
            # Cancelling a connection closes its websocket and tells its app
            # process to quit; every decision is already saved.
            for task in list(self._connections):
                task.cancel()

    return RehearseServer(command, host=host, port=port, title="Rehearse", public_url=public_url,
                          templates_path=TEMPLATES)
