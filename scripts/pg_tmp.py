#!/usr/bin/env python3
"""A throw-away PostgreSQL server for tests and benchmarks (standard library only).

CLI::

    python scripts/pg_tmp.py run -- pytest -x        # child gets DATABASE_URL
    python scripts/pg_tmp.py run -- sh -c 'psql "$DATABASE_URL" -c "select 1"'

Library::

    from pg_tmp import temporary_postgres       # with scripts/ on sys.path
    with temporary_postgres() as pg:
        print(pg.url)                            # postgres://postgres@127.0.0.1:PORT/postgres

The server runs from Debian's PostgreSQL server binaries (``initdb``/``pg_ctl``, found
through ``$PG_BINDIR``, ``pg_config --bindir``, ``/usr/lib/postgresql/*/bin`` or ``$PATH``)
in a fresh temporary directory, listening on 127.0.0.1 (free port) and on a Unix socket
in that directory, with durability switched off for speed. The server is stopped and
the directory removed afterwards, also on errors, SIGTERM and Ctrl-C. initdb and pg_ctl
refuse to run as root; as root they run as the ``postgres`` system user (``runuser``).
Exit code of ``run``: the child's (128+N when killed by signal N); 1 when PostgreSQL
cannot be started, with the reason on stderr. It never skips silently.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT = 60  # seconds
SERVER_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
)
INSTALL_HINT = "apt-get update && apt-get install -y postgresql   (or: make system-deps)"


class PgTmpError(RuntimeError):
    """PostgreSQL could not be found or started."""


def log(message: str) -> None:
    print(f"pg_tmp: {message}", file=sys.stderr, flush=True)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path)) or (0,)


def find_bindir() -> Path:
    """The directory holding initdb and pg_ctl; the newest Debian version wins."""
    candidates: list[str] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(os.environ["PG_BINDIR"])
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
            if out:
                candidates.append(out)
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        path = Path(candidate)
        if all(os.access(path / tool, os.X_OK) for tool in ("initdb", "pg_ctl")):
            return path
    raise PgTmpError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found "
        f"(looked in: {', '.join(candidates) or 'nothing'}). Install them: {INSTALL_HINT}"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent to reap it is dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@dataclass
class TempPostgres:
    """One throw-away server. Use as a context manager; ``url`` is set once started."""

    bindir: Path | None = None
    verbose: bool = True

    def __post_init__(self) -> None:
        self.dir: Path | None = None
        self.port: int | None = None
        self.url: str | None = None
        self.version: str = ""
        self._as_user: list[str] = []
        self._uid: int | None = None
        self._gid: int | None = None

    # -- helpers -----------------------------------------------------------------------
    def _workdir(self) -> Path:
        if self.dir is None:
            raise PgTmpError("server not started")
        return self.dir

    @property
    def datadir(self) -> Path:
        return self._workdir() / "data"

    def _say(self, message: str) -> None:
        if self.verbose:
            log(message)

    def _run(self, tool: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        bindir = self.bindir or find_bindir()
        command = [*self._as_user, str(bindir / tool), *args]
        return subprocess.run(
            command,
            cwd=self._workdir(),
            capture_output=True,
            text=True,
            timeout=timeout,
            start_new_session=True,  # Ctrl-C in the terminal must not hit the server
        )

    def _server_pid(self) -> int | None:
        try:
            first = (self.datadir / "postmaster.pid").read_text().splitlines()[0]
            return int(first)
        except (OSError, IndexError, ValueError):
            return None

    def _server_log(self) -> str:
        try:
            return (self._workdir() / "server.log").read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    # -- life cycle --------------------------------------------------------------------
    def start(self) -> str:
        started = time.monotonic()
        if self.bindir is None:
            self.bindir = find_bindir()
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PgTmpError(
                    "running as root, but there is no 'postgres' system user to run the "
                    f"server as. Install Debian's package: {INSTALL_HINT}"
                ) from exc
            runuser = shutil.which("runuser")
            if not runuser:
                raise PgTmpError("running as root, but 'runuser' (util-linux) is missing")
            self._as_user = [runuser, "-u", "postgres", "--"]
            self._uid, self._gid = user.pw_uid, user.pw_gid

        self.dir = Path(tempfile.mkdtemp(prefix="pg_tmp-"))
        if self._uid is not None and self._gid is not None:
            os.chown(self.dir, self._uid, self._gid)

        initdb = self._run(
            "initdb",
            "-D",
            str(self.datadir),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        if initdb.returncode != 0:
            raise PgTmpError(
                f"initdb failed ({initdb.returncode}):\n{initdb.stdout}{initdb.stderr}"
            )

        last_error = ""
        for _attempt in range(5):  # another process may grab the free port in between
            port = free_port()
            options = f"-k {self.dir} -p {port} -h 127.0.0.1 {SERVER_OPTIONS}"
            pg_ctl = self._run(
                "pg_ctl",
                "start",
                "-w",
                "-t",
                str(START_TIMEOUT),
                "-D",
                str(self.datadir),
                "-l",
                str(self.dir / "server.log"),
                "-o",
                options,
                timeout=START_TIMEOUT + 30,
            )
            if pg_ctl.returncode == 0 and self._wait_ready(port):
                self.port = port
                break
            last_error = f"{pg_ctl.stdout}{pg_ctl.stderr}\n--- server.log ---\n{self._server_log()}"
            self._stop_server()
        else:
            raise PgTmpError(f"pg_ctl could not start PostgreSQL:\n{last_error}")

        self.version = self._run("pg_ctl", "--version").stdout.strip()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self._say(
            f"{self.version} ready on 127.0.0.1:{self.port} (socket dir {self.dir}) "
            f"in {time.monotonic() - started:.1f}s"
        )
        return self.url

    def _wait_ready(self, port: int) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if _port_open(port):
                return True
            time.sleep(0.1)
        return False

    def _stop_server(self) -> None:
        if self.dir is None or not self.datadir.exists():
            return
        pid = self._server_pid()
        if pid is None:
            return
        try:
            stopped = self._run(
                "pg_ctl", "stop", "-D", str(self.datadir), "-m", "immediate", "-w", timeout=60
            )
            if stopped.returncode == 0:
                return
        except (subprocess.SubprocessError, OSError):
            pass
        # pg_ctl failed: the data directory is about to disappear, so the server must go.
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)

    def stop(self) -> None:
        try:
            self._stop_server()
        finally:
            if self.dir is not None:
                shutil.rmtree(self.dir, ignore_errors=True)
                self._say("stopped, directory removed")
            self.dir = None
            self.url = None

    def __enter__(self) -> TempPostgres:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@contextlib.contextmanager
def temporary_postgres(verbose: bool = True) -> Iterator[TempPostgres]:
    """``with temporary_postgres() as pg: ... pg.url ...``"""
    with TempPostgres(verbose=verbose) as server:
        yield server


class _Terminated(Exception):
    pass


def _raise_terminated(signum: int, _frame: object) -> None:
    raise _Terminated(signum)


def _end(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run(command: list[str]) -> int:
    """Start a server, run ``command`` with DATABASE_URL set, stop the server."""
    if not command:
        log("nothing to run: python scripts/pg_tmp.py run -- <command ...>")
        return 2
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        with temporary_postgres() as server:
            env = dict(os.environ, DATABASE_URL=str(server.url))
            try:
                child = subprocess.Popen(command, env=env)
            except OSError as exc:
                log(f"cannot run {command[0]!r}: {exc}")
                return 127
            try:
                code = child.wait()
            finally:
                _end(child)  # on Ctrl-C/SIGTERM: the child goes before the server does
            return 128 - code if code < 0 else code
    except PgTmpError as exc:
        log(f"ERROR: {exc}")
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 128 + signal.SIGINT
    except _Terminated:
        log("terminated")
        return 128 + signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str]) -> int:
    usage = "usage: python scripts/pg_tmp.py run -- <command ...>"
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        print(usage)
        return 0 if argv else 2
    if argv[0] != "run":
        print(usage, file=sys.stderr)
        return 2
    rest = argv[1:]
    if rest and rest[0] == "--":
        rest = rest[1:]
    return run(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
