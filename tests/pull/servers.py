"""Real database servers on loopback for the pull tests: PostgreSQL and MariaDB, each a
throw-away instance in a temporary folder (Debian's packages; `.ci/run` installs them).

As root, the servers run as their packages' system users (postgres, mysql), since
PostgreSQL refuses to run as root. A server that cannot be found or started makes its tests
skip with the reason; CI installs both, so there they never skip."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ADMIN_PASSWORD = "admin-pw-not-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(process: subprocess.Popen, seconds: float = 30) -> None:
    """Ask a server to stop, then kill it if it has not within ``seconds``."""
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(seconds)
    if process.poll() is None:
        process.kill()


def _binary(name: str, patterns: tuple[str, ...]) -> str | None:
    for pattern in patterns:
        found = sorted(glob.glob(pattern), reverse=True)
        if found:
            return found[0]
    return shutil.which(name)


def _installed(programs: list[tuple[str, tuple[str, ...]]], user: str, package: str
               ) -> tuple[list[str], pwd.struct_passwd | None]:
    """The server's programs and the system user to run them as (when root);
    FileNotFoundError, which makes the tests skip, when either is missing."""
    found = [_binary(name, patterns) for name, patterns in programs]
    if None in found:
        raise FileNotFoundError(f"{package} is not installed (apt-get install {package})")
    owner = _owner(user)
    if os.geteuid() == 0 and owner is None:
        raise FileNotFoundError(f"running as root and there is no {user} user to run as")
    return [str(f) for f in found], owner


def _owner(name: str) -> pwd.struct_passwd | None:
    """The system user to run a server as (only when we are root)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


@contextlib.contextmanager
def _folder(prefix: str, owner: pwd.struct_passwd | None) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_as(owner: pwd.struct_passwd | None) -> dict:
    return {} if owner is None else {"user": owner.pw_uid, "group": owner.pw_gid,
                                     "extra_groups": []}


def _wait(ready: callable, process: subprocess.Popen, log: Path, what: str,
          timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start: {log.read_text(errors='replace')[-800:]}")
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer in {timeout} s")


@dataclass
class Server:
    """A running server: where it listens and its administrator's credentials."""

    kind: str  # postgresql | mysql
    port: int
    admin_user: str
    admin_password: str
    socket_dir: Path

    def dsn(self, user: str, database: str, password: str | None = None) -> str:
        auth = f"{user}:{password}@" if password else f"{user}@"
        return f"{self.kind}://{auth}127.0.0.1:{self.port}/{database}"


@contextlib.contextmanager
def postgresql() -> Iterator[Server]:
    """initdb + postgres on 127.0.0.1 (scram-sha-256 passwords; fsync off: throw-away)."""
    (initdb, server), owner = _installed(
        [("initdb", ("/usr/lib/postgresql/*/bin/initdb",)),
         ("postgres", ("/usr/lib/postgresql/*/bin/postgres",))], "postgres", "postgresql")
    with _folder("m2if-pg-", owner) as home:
        data, pwfile, log = home / "data", home / "pw", home / "server.log"
        pwfile.write_text(ADMIN_PASSWORD)
        if owner is not None:
            os.chown(pwfile, owner.pw_uid, owner.pw_gid)
        subprocess.run([initdb, "-D", str(data), "-U", "postgres", "--auth=scram-sha-256",
                        f"--pwfile={pwfile}", "-E", "UTF8", "--no-locale", "--no-sync"],
                       check=True, capture_output=True, **_run_as(owner))
        port = free_port()
        with log.open("wb") as out:
            process = subprocess.Popen(
                [server, "-D", str(data), "-p", str(port), "-k", str(home),
                 "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                 "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
                stdout=out, stderr=subprocess.STDOUT, **_run_as(owner))
        try:
            import psycopg

            def ready() -> bool:
                psycopg.connect(host="127.0.0.1", port=port, user="postgres",
                                password=ADMIN_PASSWORD, dbname="postgres",
                                connect_timeout=2).close()
                return True

            _wait(ready, process, log, "PostgreSQL")
            yield Server("postgresql", port, "postgres", ADMIN_PASSWORD, home)
        finally:
            stop(process)


@contextlib.contextmanager
def mariadb() -> Iterator[Server]:
    """mariadb-install-db + mariadbd on 127.0.0.1; the administrator is root by socket."""
    (install, server), owner = _installed(
        [("mariadb-install-db", ()), ("mariadbd", ("/usr/sbin/mariadbd",))], "mysql",
        "mariadb-server")
    user = ["--user=" + (owner.pw_name if owner else pwd.getpwuid(os.geteuid()).pw_name)]
    with _folder("m2if-maria-", owner) as home:
        data, log, sock = home / "data", home / "server.log", home / "mysqld.sock"
        subprocess.run([install, "--no-defaults", f"--datadir={data}", *user,
                        "--auth-root-authentication-method=normal", "--skip-test-db"],
                       check=True, capture_output=True)
        port = free_port()
        with log.open("wb") as out:
            process = subprocess.Popen(
                [server, "--no-defaults", f"--datadir={data}", f"--socket={sock}",
                 f"--port={port}", "--bind-address=127.0.0.1", *user,
                 f"--pid-file={home / 'mysqld.pid'}", "--skip-log-bin",
                 "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=0",
                 "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"],
                stdout=out, stderr=subprocess.STDOUT)
        try:
            import pymysql

            def ready() -> bool:
                pymysql.connect(unix_socket=str(sock), user="root", password="").close()
                return True

            _wait(ready, process, log, "MariaDB")
            yield Server("mysql", port, "root", "", home)
        finally:
            stop(process)


def admin_connection(server: Server, database: str | None = None):
    """A connection as the administrator (autocommit)."""
    if server.kind == "postgresql":
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=server.port, user=server.admin_user,
                               password=server.admin_password, dbname=database or "postgres",
                               autocommit=True)
    import pymysql

    return pymysql.connect(unix_socket=str(server.socket_dir / "mysqld.sock"), user="root",
                           password="", database=database, autocommit=True,
                           charset="utf8mb4")
