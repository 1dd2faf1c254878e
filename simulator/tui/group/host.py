"""A hosting process: several participants' apps in one process forked by the zygote, each on a thread.

A participant forked on their own shares the zygote's imported modules, but
copies about half of those pages as soon as their app runs (every object it
touches has its reference count written, and Python 3.11 writes into the code
it runs), so each cost ~28 MiB. Apps that share a process pay for those copies
once between them: with four to a process, ~15 MiB each.

The zygote sends this process, over its socket, what it sends for a forked
child (``{"environment": ..., "id": N}`` with three file descriptors); the app
runs on a thread of its own on those pipes (``cohort_app.run_hosted``) and this
process says ``{"ended": N, "code": C}`` when it has. Once the zygote has sent
all it will (it shuts its side for writing), the process ends with its last app.
On SIGTERM (the server has gone, or the zygote asks) each app's waiting writes
are saved and the process ends, as a participant's own process does.

A fault that ends the process ends the apps in it: each participant's browser
says the session has ended, and what they did is in the store already (every
decision is saved as it is made), so they join again and resume.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import traceback


class Host:
    def __init__(self, control: socket.socket, module, args: list[str]) -> None:
        self.control = control
        self.module = module  # has run_hosted(args, environment, stdin_fd, stdout_fd) and end_hosted()
        self.args = args
        self.threads: dict[int, threading.Thread] = {}
        self._saying = threading.Lock()

    def say(self, message: dict) -> None:
        with self._saying:
            try:
                self.control.sendall(json.dumps(message).encode() + b"\n")
            except OSError:
                pass  # the zygote has gone; this process is ending with it

    def serve(self) -> int:
        waiting, fds = b"", []
        while True:
            try:
                data, received, _, _ = socket.recv_fds(self.control, 1 << 16, 3)
            except OSError:  # the zygote has gone: its parent-death signal ends this process too
                data, received = b"", []
            fds.extend(received)
            if not data:
                break  # nothing more will come: end with the last app
            waiting += data
            while b"\n" in waiting:
                line, waiting = waiting.split(b"\n", 1)
                request, given, fds = json.loads(line), fds[:3], fds[3:]
                self.start(request["id"], request["environment"], given)
        for fd in fds:
            os.close(fd)
        for thread in list(self.threads.values()):
            thread.join()
        return 0

    def start(self, participant: int, environment: dict[str, str], fds: list[int]) -> None:
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            self.say({"ended": participant, "code": 1})
            return
        thread = threading.Thread(target=self.run, args=(participant, environment, fds),
                                  name=f"participant-{participant}")
        self.threads[participant] = thread
        thread.start()

    def run(self, participant: int, environment: dict[str, str], fds: list[int]) -> None:
        stdin_fd, stdout_fd, errors_fd = fds
        code = 1
        try:
            code = self.module.run_hosted(self.args, environment, stdin_fd, stdout_fd)
        except SystemExit as exit:  # argparse, for a command it cannot read
            code = exit.code if isinstance(exit.code, int) else 1
        except BaseException:
            with os.fdopen(os.dup(errors_fd), "w") as errors:
                traceback.print_exc(file=errors)
        finally:
            for fd in fds:
                os.close(fd)  # the server reads the end of this participant's output
            self.threads.pop(participant, None)
            self.say({"ended": participant, "code": code if isinstance(code, int) else 0})

    def end(self) -> None:
        """Told to end: every app's waiting writes saved (see ``cohort_app.end_hosted``)."""
        self.module.end_hosted()
