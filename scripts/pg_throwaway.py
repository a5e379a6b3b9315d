#!/usr/bin/env python3
"""A throwaway PostgreSQL 15 cluster: initdb into a temporary folder, a free loopback port,
stopped and removed at the end even when what ran against it failed.

Two ways to use it:

* from Python (the benchmarks)::

      from scripts.pg_throwaway import throwaway_cluster
      with throwaway_cluster() as url:      # postgres://postgres@127.0.0.1:PORT/policylend
          ...

* from the shell (the Makefile)::

      scripts/pg_throwaway.py run -- pytest -q

  starts the cluster, runs the command with ``DATABASE_URL`` set to the cluster's ``policylend``
  database, stops and removes the cluster in a ``finally`` and exits with the command's code.

``initdb``, ``pg_ctl`` and ``postgres`` refuse to run as root, so as root every PostgreSQL
program runs as the ``postgres`` user (``runuser -u postgres --``) in a 0755 folder that user
owns; as any other user (a developer's laptop) they run as that user. Standard library only, so
it works before the virtual environment exists.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

DATABASE = "policylend"


def postgres_bin_dir() -> Path:
    """Where initdb and pg_ctl live: $PG_BIN, Debian's PostgreSQL 15, or the PATH."""
    candidates = [os.environ.get("PG_BIN"), "/usr/lib/postgresql/15/bin"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise SystemExit(
        "pg_throwaway: PostgreSQL 15 is not installed (no initdb); "
        "as root: apt-get install -y --no-install-recommends postgresql"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """One PostgreSQL cluster in its own temporary folder."""

    def __init__(self, bin_dir: Path | None = None):
        self.bin_dir = bin_dir or postgres_bin_dir()
        self.as_root = os.geteuid() == 0
        self.base: Path | None = None
        self.port: int | None = None
        self.started = False

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = ""
            if self.base and (self.base / "log").exists():
                log = (self.base / "log").read_text(errors="replace")[-2000:]
            raise RuntimeError(
                f"pg_throwaway: {program} failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}{log}"
            )

    def start(self) -> str:
        # mkdtemp makes a root-owned 0700 folder that the postgres user cannot enter: open it
        # up and hand it over.
        self.base = Path(tempfile.mkdtemp(prefix="policylend-pg-"))
        self.base.chmod(0o755)
        (self.base / "sock").mkdir(mode=0o755)
        if self.as_root:
            owner = pwd.getpwnam("postgres")
            for path in (self.base, self.base / "sock"):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.port = free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} "
            f"-c unix_socket_directories={self.base / 'sock'}"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.base / "log"),
            "-w",
            "-o",
            options,
            "start",
        )
        self.started = True
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DATABASE)
        return self.url

    def stop(self) -> None:
        try:
            if self.started:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
                self.started = False
        finally:
            if self.base is not None:
                shutil.rmtree(self.base, ignore_errors=True)
                self.base = None


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a cluster, yield its DATABASE_URL, stop and remove it whatever happens."""
    cluster = Cluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def run(command: list[str]) -> int:
    if not command:
        print(
            "pg_throwaway: nothing to run (usage: pg_throwaway.py run -- COMMAND...)",
            file=sys.stderr,
        )
        return 2
    # SIGTERM (a CI timeout, kill) must still stop the cluster: turn it into an exception.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster = Cluster()
    try:
        url = cluster.start()
        print(f"pg_throwaway: PostgreSQL at {url} in {cluster.base}", flush=True)
        try:
            return subprocess.call(command, env={**os.environ, "DATABASE_URL": url})
        except KeyboardInterrupt:
            return 130
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    run_parser = sub.add_parser(
        "run", help="start a cluster, run COMMAND with DATABASE_URL set, remove it"
    )
    run_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    return run(command)


if __name__ == "__main__":
    sys.exit(main())
