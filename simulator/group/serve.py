"""Serving a group session to participants' browsers (``rehearse serve``): the checks and the command.

textual-serve runs one app process per browser connection (nothing shared in
memory); every process writes to the one history file, tagged with the cohort
and a pseudonymous participant id. The page we serve is our own template: it
loads nothing from the internet, so a training room without a connection works.
"""

from __future__ import annotations

import ctypes
import ipaddress
import os
import shlex
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Callable

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


SERVER_PID = "REHEARSE_SERVER_PID"  # set by the server in each participant's environment
PR_SET_PDEATHSIG = 1


def save_then_end(save: Callable[[], None]) -> Callable[[], None]:
    """A ``stop`` for ``end_with_server``: ``save`` on a thread of its own (off the
    signal handler's frame, which may have interrupted the very store it saves),
    then the process ends without touching the screen."""
    def stop() -> None:
        def last_save() -> None:
            save()
            os._exit(0)

        threading.Thread(target=last_save, name="last-save").start()

    return stop


def end_with_server(stop: Callable[[], None], server_pid: str | None) -> str:
    """Make this participant's process run ``stop`` when the server that
    started it ends, however it ends (a kill -9 included): the kernel's
    parent-death signal on Linux, a watch on the parent elsewhere. Returns how.

    ``stop`` runs in a signal handler or a thread: it must save what is
    waiting and end the process without touching the screen."""
    expected = int(server_pid) if server_pid and server_pid.isdigit() else None
    signal.signal(signal.SIGTERM, lambda signum, frame: stop())
    how = "watch"
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0:
                how = "pdeathsig"
        except (OSError, AttributeError):
            pass
    if expected is not None and os.getppid() != expected:
        stop()  # the server ended before the signal was set up
        return "gone"
    if how == "watch":
        parent = os.getppid()

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            stop()

        threading.Thread(target=watch, name="end-with-server", daemon=True).start()
    return how


def open_log(data: Path | DatabaseURL):
    """A new owner-only log file beside the session's records (for a
    PostgreSQL store, in the user data folder), opened for appending: the
    server's and every participant's tracebacks go there."""
    from scoring.private_files import stamp, write_private

    if isinstance(data, DatabaseURL):
        from simulator.records.data_path import default_path

        data = default_path().parent / "cohort"
        data.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = write_private(data.parent / f"{data.stem}-serve-{stamp()}.log", "", taken="number")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    return path, os.fdopen(descriptor, "a", encoding="utf-8", buffering=1)
