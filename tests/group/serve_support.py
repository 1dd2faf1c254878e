"""Starting `rehearse serve` on loopback for tests and benchmarks, and reading what it recorded."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ANSI = re.compile(r"\x1b(\[[0-9;?<>=$ ]*[A-Za-z~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def screen_text(output: bytes) -> str:
    """The words in a stretch of terminal output, escape sequences removed."""
    return ANSI.sub(" ", output.decode("utf-8", "replace"))


@dataclass
class RunningServer:
    process: subprocess.Popen
    url: str
    join_code: str
    data: Path
    banner: str
    lines: list[str] = field(default_factory=list)  # everything printed so far, kept up to date

    def console(self) -> str:
        return "".join(self.lines)

    def stop(self) -> bool:
        """Ctrl+C, as a facilitator ends the session. True if the server and
        every participant's app ended by themselves within 15 seconds;
        anything left of this server's own process group is then killed."""
        clean = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                clean = False
                self.process.kill()
                self.process.wait()
        deadline = time.monotonic() + 5
        while True:
            try:
                os.killpg(self.process.pid, 0)  # anything left in this server's group?
            except (ProcessLookupError, PermissionError):
                return clean
            if time.monotonic() > deadline:
                os.killpg(self.process.pid, signal.SIGKILL)
                return False
            time.sleep(0.1)


def start_server(data: Path | str, cohort: str, *extra: str, port: int | None = None, timeout: float = 30) -> RunningServer:
    """`rehearse serve` as a facilitator starts it; returns once it accepts connections."""
    port = port or free_port()
    # A PostgreSQL address is a --store; anything else the history file.
    where = ["--store", str(data)] if str(data).startswith("postgresql://") else ["--data", str(data)]
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--cohort", cohort, "--port", str(port), *where, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    lines: list[str] = []
    code = None
    deadline = time.monotonic() + timeout
    while code is None:
        line = process.stdout.readline()
        if not line:
            raise AssertionError("rehearse serve stopped before printing a join code:\n" + "".join(lines))
        lines.append(line)
        if line.startswith("Join code"):
            code = line.split()[-1]
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("no join code printed:\n" + "".join(lines))
    while True:
        line = process.stdout.readline()
        lines.append(line)
        if not line or line.startswith("Give participants"):
            break

    def keep_reading() -> None:
        # So the server's pipe never fills and blocks it.
        for rest in process.stdout:
            lines.append(rest)

    threading.Thread(target=keep_reading, daemon=True).start()
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError("rehearse serve is not listening:\n" + "".join(lines))
            time.sleep(0.1)
    return RunningServer(process, f"http://127.0.0.1:{port}", code, data, "".join(lines), lines)


def wait_for(condition, timeout: float = 30, interval: float = 0.1, what: str = "condition", sleep=time.sleep):
    """Poll ``condition`` until it returns something true; fail with ``what`` after ``timeout`` seconds.
    ``sleep`` lets a caller wait in a way that keeps its own events flowing (a browser's)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        sleep(interval)
