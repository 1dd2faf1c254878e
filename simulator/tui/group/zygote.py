"""The zygote: one process that imports a participant's app once, then forks a participant per request.

Separately started processes share almost nothing of Python's heap, so each
participant cost the whole interpreter, Textual and our modules over again
(about 38 MiB PSS). A child forked from a parent that has imported all of it
shares those pages copy-on-write, and PSS divides them among every sharer.
``gc.freeze()`` before each fork keeps the children's garbage collector off
the inherited objects, which would otherwise write to, and so un-share, them.

Run by the server (``zygote_client.Zygote``) as::

    python -m simulator.tui.group.zygote FD PYTHON -m MODULE ARG...

FD is this end of a Unix socket pair; the rest is the participant's command,
whose MODULE is imported here and whose ``main(args)`` each child runs. Lines
of JSON go both ways. The server sends ``{"environment": {...}}`` with three
file descriptors (the child's stdin, stdout and stderr); the zygote answers
``{"ready": PID}`` once, ``{"started": PID}`` per child, ``{"ended": PID,
"code": N}`` as each child ends. When the server's end closes (the server
ended, however), the children are asked to end and the zygote ends: each
child's parent-death signal (``end_with_server``) is set on the zygote.

With ``REHEARSE_APPS_PER_PROCESS`` above 1 in its environment (``rehearse serve
--apps-per-process``) and a module that can host (``run_hosted``), the zygote
forks a hosting process (``host.py``) for that many participants rather than a
process each, and hands it each participant's descriptors in turn: it answers
``{"started": ID, "host": PID}`` with an id of its own (negative, so never a
pid), and ``{"ended": ID, "code": N}`` when that participant's app has ended.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import random
import select
import signal
import socket
import sys
import threading
import time
import traceback

from simulator.group.serve import SERVER_PID, end_with_server, save_then_end
from simulator.tui.group.zygote_client import APPS_PER_PROCESS

# Modules a participant loads after its first screen (joining, playing, the
# debrief): imported here so that every child shares them rather than loading its
# own. Found by comparing sys.modules in a participant that had played to the end
# with the zygote's; a module missing here costs memory, never correctness.
LATER = (
    "simulator.tui.library_screen",
    "simulator.tui.briefing_screen",
    "simulator.tui.play_screen",
    "simulator.tui.say_first",
    "simulator.tui.debrief_screen",
    "simulator.format.library_entry",
    "simulator.format.check_cache",
    "scoring.reports",
    "scoring.json_report",
    "scoring.catalogue_cache",
    "scoring.own_words",
    "simulator.model.placeholders",
    "simpleeval",
    "textual.layouts.factory",
    "textual.widgets._text_area",
    "textual.widgets._rich_log",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.scrollbar",
    "rich.pretty",
)
CHILD_END_SECONDS = 5  # a child saves what is waiting and ends in well under this


class HostLine:
    """The zygote's side of one hosting process."""

    def __init__(self, pid: int, control: socket.socket) -> None:
        self.pid = pid
        self.control = control
        self.given = 0  # participants handed to it so far
        self.live: set[int] = set()  # those whose app has not ended yet
        self.heard = b""


def preload(module_name: str):
    module = importlib.import_module(module_name)
    for name in LATER:
        try:
            importlib.import_module(name)
        except ImportError:  # a module renamed: the children load it themselves
            print(f"rehearse zygote: cannot preload {name}", file=sys.stderr)
    return module


class Zygote:
    def __init__(self, control: socket.socket, module, args: list[str]) -> None:
        self.control = control
        self.module = module
        self.args = args
        self.children: set[int] = set()
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)
        try:
            wanted = int(os.environ.get(APPS_PER_PROCESS, "1"))
        except ValueError:
            wanted = 1
        self.per_process = max(1, wanted) if hasattr(module, "run_hosted") else 1
        self.hosts: dict[int, HostLine] = {}
        self._next_id = -1

    def say(self, message: dict) -> None:
        self.control.sendall(json.dumps(message).encode() + b"\n")

    def serve(self) -> None:
        # A child's end wakes select through the wakeup pipe: no thread (a fork
        # with threads running is unsafe) and no polling.
        signal.set_wakeup_fd(self._wake_write)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        self.say({"ready": os.getpid()})
        waiting, fds = b"", []
        while True:
            lines = {host.control: host for host in self.hosts.values()}
            readable, _, _ = select.select([self.control, self._wake_read, *lines], [], [])
            for control in readable:
                if control in lines:
                    self.hear(lines[control])
            if self._wake_read in readable:
                os.read(self._wake_read, 4096)
                self.reap()
            if self.control not in readable:
                continue
            try:
                data, received, _, _ = socket.recv_fds(self.control, 1 << 16, 3)
            except OSError:  # reset: the server ended with our last words unread
                break
            if not data:
                break  # the server has gone
            waiting += data
            fds.extend(received)
            while b"\n" in waiting:
                line, waiting = waiting.split(b"\n", 1)
                request, given, fds = json.loads(line), fds[:3], fds[3:]
                self.say(self.fork(request["environment"], given))
        self.end_children()

    def fork(self, environment: dict[str, str], fds: list[int]) -> dict:
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            return {"failed": f"expected 3 file descriptors, got {len(fds)}"}
        if self.per_process > 1:
            return self.host(environment, fds)
        pid, zygote = self._fork()
        if pid == 0:
            self.become_participant(environment, fds, zygote)  # never returns
        for fd in fds:
            os.close(fd)
        self.children.add(pid)
        return {"started": pid}

    @staticmethod
    def _fork() -> tuple[int, int]:
        """``os.fork()``, and the zygote's pid (the child's parent)."""
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # what the zygote holds now is never scanned (so never written) by a child's collector
        zygote = os.getpid()
        return os.fork(), zygote

    def host(self, environment: dict[str, str], fds: list[int]) -> dict:
        """Hand a participant to a hosting process with room, forking one if none has."""
        participant, self._next_id = self._next_id, self._next_id - 1
        message = json.dumps({"environment": environment, "id": participant}).encode() + b"\n"
        try:
            line = next((host for host in self.hosts.values() if host.given < self.per_process), None)
            try:
                line = line or self.fork_host(fds)
                socket.send_fds(line.control, [message], fds)
            except OSError:
                if not line or not line.given:
                    raise
                # It ended a moment ago and has not been reaped: a new one takes the participant.
                self.forget_host(line, None)
                line = self.fork_host(fds)
                socket.send_fds(line.control, [message], fds)
        except OSError as exc:
            return {"failed": f"the hosting process could not be given the participant ({exc})"}
        finally:
            for fd in fds:
                os.close(fd)
        line.given += 1
        line.live.add(participant)
        if line.given >= self.per_process:
            # Nothing more for it: it ends with its last app, and its memory goes back.
            try:
                line.control.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # it has ended already: reaped in a moment
        return {"started": participant, "host": line.pid}

    def fork_host(self, in_hand: list[int]) -> HostLine:
        """A new hosting process. ``in_hand``: the descriptors of the participant being
        handed over, which it is sent and so must not keep the copies forked into it."""
        ours, theirs = socket.socketpair()
        pid, zygote = self._fork()
        if pid == 0:
            ours.close()
            for fd in in_hand:
                os.close(fd)  # a copy kept here would hold the participant's pipes open after their app ended
            self.become_host(theirs, zygote)  # never returns
        theirs.close()
        self.children.add(pid)
        line = self.hosts[pid] = HostLine(pid, ours)
        return line

    def hear(self, line: HostLine) -> None:
        """What a hosting process says: one of its participants' apps has ended."""
        try:
            data = line.control.recv(1 << 16)
        except OSError:
            data = b""
        if not data:
            self.forget_host(line, None)
            return
        line.heard += data
        while b"\n" in line.heard:
            message, line.heard = line.heard.split(b"\n", 1)
            ended = json.loads(message)
            line.live.discard(ended["ended"])
            self.say(ended)

    def forget_host(self, line: HostLine, code: int | None) -> None:
        """A hosting process has ended (or closed its line): its apps still running have ended with it."""
        if self.hosts.pop(line.pid, None) is None:
            return
        line.control.close()
        for participant in sorted(line.live):
            self.say({"ended": participant, "code": -9 if code is None else code})
        line.live.clear()

    def become_host(self, control: socket.socket, zygote: int) -> None:
        code = 1
        try:
            self._leave_the_zygote()
            # Textual's driver looks at standard input even where it reads a pipe of
            # its own; here that is a pipe nothing writes to.
            quiet, _ = os.pipe()
            os.dup2(quiet, 0)
            os.close(quiet)
            os.environ[SERVER_PID] = str(zygote)
            random.seed()
            gc.enable()
            from simulator.tui.group.host import Host

            host = Host(control, self.module, self.args)
            end_with_server(save_then_end(host.end), str(zygote))
            code = host.serve()
        except BaseException:
            traceback.print_exc()
        finally:
            try:
                sys.stderr.flush()
            finally:
                os._exit(code)

    def _leave_the_zygote(self) -> None:
        """Nothing of the zygote's lines to the server and to hosting processes, nor its
        signal handling, is a child's."""
        self.control.close()
        for host in self.hosts.values():
            host.control.close()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.close(self._wake_read)
        os.close(self._wake_write)

    def become_participant(self, environment: dict[str, str], fds: list[int], zygote: int) -> None:
        code = 1
        try:
            self._leave_the_zygote()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            for fd in fds:
                os.close(fd)
            os.environ.clear()
            os.environ.update(environment)
            # The child's parent is the zygote, which ends with the server: the
            # participant's app ends when the zygote does (see end_with_server).
            os.environ[SERVER_PID] = str(zygote)
            random.seed()  # never the zygote's sequence, nor a sibling's
            gc.enable()
            sys.argv = [self.module.__file__, *self.args]  # as ``python -m`` sets it
            code = self.module.main(self.args)
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        except BaseException:
            traceback.print_exc()
        finally:
            # A forked child never returns into the zygote's loop; what a normal exit
            # waits for (threads still saving, buffered output) is waited for here.
            try:
                for thread in threading.enumerate():
                    if thread is not threading.main_thread() and not thread.daemon:
                        thread.join()
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code if isinstance(code, int) else 0)

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children.discard(pid)
            if pid in self.hosts:
                self.forget_host(self.hosts[pid], os.waitstatus_to_exitcode(status))
                continue
            self.say({"ended": pid, "code": os.waitstatus_to_exitcode(status)})

    def end_children(self) -> None:
        """The server has gone: each child is asked to end (it saves what is waiting) and waited for."""
        for pid in self.children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + CHILD_END_SECONDS
        while self.children and time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid:
                self.children.discard(pid)
            else:
                time.sleep(0.05)
        for pid in self.children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def main(argv: list[str]) -> int:
    # Ctrl+C in the facilitator's terminal reaches every process in it: the
    # server ends the zygote itself, by closing its end of the socket.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = socket.socket(fileno=int(argv[0]))
    command = argv[1:]
    if len(command) < 3 or command[1] != "-m":
        print(f"rehearse zygote: the participant's command is not PYTHON -m MODULE: {command!r}", file=sys.stderr)
        return 2
    # The gc module's advice for fork without exec: no collection while importing
    # (freed holes among the kept objects would be filled by each child, copying
    # those pages), gc.freeze() before each fork, collection again in the child.
    gc.disable()
    module = preload(command[2])
    Zygote(control, module, command[3:]).serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
