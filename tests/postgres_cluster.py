"""A throwaway PostgreSQL cluster for tests and benchmarks.

``initdb`` in a temporary folder, ``pg_ctl`` starting the server on a Unix
socket in that folder only (no TCP port is opened), and everything removed
afterwards. The server binaries are looked for on PATH and in Debian's
``/usr/lib/postgresql/*/bin``. PostgreSQL refuses to run as root, so as root
(CI in a fresh container) the cluster runs as ``nobody``, in a folder made
for it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path


def server_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None."""
    candidates = []
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def free_port() -> int:
    # Only names the socket file (.s.PGSQL.PORT); still one nothing else uses.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    folder: Path
    port: int
    bin: Path
    run_as: dict

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def url(self, database: str = "postgres", user: str = "rehearse", password: str | None = None) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@/{database}?host={self.socket_dir}&port={self.port}"

    def new_database(self, name: str | None = None) -> str:
        """A fresh, empty database; returns its address."""
        import psycopg

        name = name or "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def sql(self, database_url: str, statement: str) -> list:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as db:
            cursor = db.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def stop(self) -> None:
        subprocess.run([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60, check=False, **self.run_as)
        shutil.rmtree(self.folder, ignore_errors=True)


def start(max_connections: int = 100) -> Cluster:
    """Start a cluster; raises ``RuntimeError`` with the server's words if it cannot."""
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL's server binaries (initdb, pg_ctl) were not found")
    folder = Path(tempfile.mkdtemp(prefix="rehearse-pg-"))
    run_as: dict = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": [], "cwd": str(folder)}
    (folder / "socket").mkdir()
    if run_as:
        os.chown(folder / "socket", run_as["user"], run_as["group"])
    port = free_port()
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    data = folder / "data"
    done = subprocess.run([str(binaries / "initdb"), "-D", str(data), "-U", "rehearse", "--auth=trust", "-E", "UTF8",
                           "--no-sync"], capture_output=True, text=True, timeout=120, env=env, check=False, **run_as)
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {done.stderr.strip()[-800:]}")
    options = (f"-k {folder / 'socket'} -p {port} -c listen_addresses='' -c max_connections={max_connections} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    done = subprocess.run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options,
                           "-w", "-t", "60", "start"], capture_output=True, text=True, timeout=90, env=env, check=False, **run_as)
    if done.returncode != 0:
        log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()[-400:]} {log[-800:]}")
    return Cluster(folder, port, binaries, run_as)
