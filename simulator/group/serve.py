"""Serving a group session to participants' browsers (``rehearse serve``): the checks and the command.

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

from simulator.records.location import DatabaseURL

TEMPLATES = Path(__file__).resolve().parent / "web"
NAME_LIMIT = 60
EVERY_INTERFACE = {"0.0.0.0", "::", ""}


def participant_command(data: Path | DatabaseURL, cohort: str) -> str:
    """The shell command textual-serve runs for each browser that connects.
    A PostgreSQL store (a ``DatabaseURL``) is not named in it: the process
    finds it in ``$REHEARSE_STORE``, which ``rehearse serve`` sets."""
    where = [] if isinstance(data, DatabaseURL) else ["--data", str(data)]
    return shlex.join([sys.executable, "-m", "simulator.tui.group.cohort_app", *where, "--cohort", cohort])


def url_host(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def port_problem(host: str, port: int) -> str | None:
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


def library_scenario(scenario_id: str):
    """The library's scenario with this id, and None; or None and why not."""
    from simulator.format.library import load_all
    from simulator.model.diagnostics import did_you_mean

    results = load_all()
    for result in results:
        if result.scenario is not None and result.scenario.id == scenario_id:
            return result.scenario, None
    hint = did_you_mean(scenario_id, [r.scenario.id for r in results if r.scenario])
    return None, (f"no scenario '{scenario_id}' in the library" + (f"; {hint}" if hint else "")
                  + " (run `rehearse list` to see the ids)")
