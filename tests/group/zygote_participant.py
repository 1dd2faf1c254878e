"""A stand-in participant for the zygote's tests: says what it was given, then waits for its exit code.

Run as ``python -m zygote_participant ARG...`` (or forked by the zygote, which
calls ``main``). It ends with its parent as the real app does (``end_with_server``).
"""

from __future__ import annotations

import json
import os
import random
import sys

from simulator.group.serve import SERVER_PID, end_with_server


def main(args: list[str]) -> int:
    end_with_server(lambda: os._exit(0), os.environ.get(SERVER_PID))
    descriptors = sorted(int(fd) for fd in os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    print("a line for the log", file=sys.stderr, flush=True)  # before the report: the test reads it after
    print(json.dumps({"args": args, "columns": os.environ.get("COLUMNS"), "server": os.environ.get(SERVER_PID),
                      "parent": os.getppid(), "random": random.random(), "descriptors": descriptors}), flush=True)
    line = sys.stdin.readline()
    return int(line) if line.strip() else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


def run_hosted(args: list[str], environment: dict[str, str], stdin_fd: int, stdout_fd: int) -> int:
    """The same, for one of several participants in a hosting process, on this thread and these pipes."""
    import threading

    report = {"args": args, "columns": environment.get("COLUMNS"), "process": os.getpid(),
              "thread": threading.current_thread().name}
    os.write(stdout_fd, (json.dumps(report) + "\n").encode())
    line = b""
    while not line.endswith(b"\n"):
        data = os.read(stdin_fd, 64)
        if not data:
            return 99  # the line was closed: ended from outside
        line += data
    return int(line) if line.strip() else 0


ENDED_BY_HOST: list[str] = []


def end_hosted() -> None:
    ENDED_BY_HOST.append("ended")
