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

from simulator.group.serve import SERVER_PID

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
            readable, _, _ = select.select([self.control, self._wake_read], [], [])
            if self._wake_read in readable:
                os.read(self._wake_read, 4096)
                self.reap()
            if self.control not in readable:
                continue
            data, received, _, _ = socket.recv_fds(self.control, 1 << 16, 3)
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
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # what the zygote holds now is never scanned (so never written) by a child's collector
        zygote = os.getpid()
        pid = os.fork()
        if pid == 0:
            self.become_participant(environment, fds, zygote)  # never returns
        for fd in fds:
            os.close(fd)
        self.children.add(pid)
        return {"started": pid}

    def become_participant(self, environment: dict[str, str], fds: list[int], zygote: int) -> None:
        code = 1
        try:
            # Nothing of the zygote's line to the server, nor its signal handling, is the child's.
            self.control.close()
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.close(self._wake_read)
            os.close(self._wake_write)
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
