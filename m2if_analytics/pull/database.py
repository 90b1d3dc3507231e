"""A read-only connection to Moodle's database: PostgreSQL (psycopg 3) or MySQL/MariaDB
(PyMySQL), chosen by the DSN's scheme.

Every read runs in a read-only transaction with a consistent snapshot (:meth:`Database.
snapshot`); the big tables are streamed to a CSV file (PostgreSQL's ``COPY ... TO STDOUT``,
else an unbuffered cursor), never held in memory. Connection errors are one line without the
password."""

from __future__ import annotations

import contextlib
import csv
import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from m2if_analytics.config import Config
from m2if_analytics.credentials import password, redact, scrub
from m2if_analytics.errors import M2IFError

SCHEMES = {"postgresql": "postgresql", "postgres": "postgresql", "mysql": "mysql",
           "mariadb": "mysql"}
DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql"}


@dataclass(frozen=True)
class Dsn:
    """A parsed database URL; ``password`` is kept out of ``repr``/``str``."""

    dialect: str  # postgresql | mysql
    host: str
    port: int | None
    user: str
    database: str
    options: tuple[tuple[str, str], ...]
    url: str  # as given, only shown through redact()

    @property
    def shown(self) -> str:
        """The DSN as it may be shown or stored: without any password."""
        parts = urlsplit(self.url)
        host = parts.netloc.rsplit("@", 1)[-1]
        user = f"{parts.username}@" if parts.username else ""
        return f"{parts.scheme}://{user}{host}{parts.path}"

    @property
    def url_password(self) -> str | None:
        parts = urlsplit(self.url)
        return unquote(parts.password) if parts.password else None


def parse_dsn(url: str) -> Dsn:
    """Read ``postgresql://user@host:port/db`` or ``mysql://user@host/db`` (``mariadb://``,
    ``postgres://`` too); query options (``?sslmode=require``) are passed to the driver."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise M2IFError(f"database URL {redact(url)}: {exc}") from None
    dialect = SCHEMES.get(parts.scheme.lower())
    if dialect is None:
        raise M2IFError(f"database URL {redact(url)}: the scheme should be postgresql:// or "
                        "mysql:// (mariadb://), e.g. postgresql://m2if_reader@db/moodle")
    database = unquote(parts.path.lstrip("/"))
    if not parts.hostname or not database:
        raise M2IFError(f"database URL {redact(url)}: give the host and the database, e.g. "
                        f"{parts.scheme}://m2if_reader@db.example.org/moodle")
    return Dsn(dialect, parts.hostname, port, unquote(parts.username or ""), database,
               tuple(parse_qsl(parts.query)), url)


class Database:
    """An open connection; close it with :meth:`close` (or use it as a context manager)."""

    def __init__(self, dsn: Dsn, password: str | None, timeout: float) -> None:
        self.dsn = dsn
        self.dialect = dsn.dialect
        self._secret = password or dsn.url_password
        try:
            driver = importlib.import_module(DRIVERS[dsn.dialect])
        except ImportError:
            raise M2IFError(f"reading a {dsn.dialect} database needs the driver "
                            f"{DRIVERS[dsn.dialect]}: pip install 'm2if-analytics[pull]'"
                            ) from None
        try:
            self.con = (self._postgresql(driver, timeout) if dsn.dialect == "postgresql"
                        else self._mysql(driver, timeout))
        except Exception as exc:  # the drivers' own error classes
            raise M2IFError(f"cannot connect to {dsn.shown}: {self.message(exc)}") from None

    def _postgresql(self, psycopg: Any, timeout: float) -> Any:
        options = dict(self.dsn.options)
        return psycopg.connect(
            host=self.dsn.host, port=self.dsn.port or 5432, user=self.dsn.user or None,
            password=self._secret, dbname=self.dsn.database,
            connect_timeout=max(1, round(timeout)), application_name="m2if-analytics",
            autocommit=True, **options)

    def _mysql(self, pymysql: Any, timeout: float) -> Any:
        options: dict[str, Any] = dict(self.dsn.options)
        return pymysql.connect(
            host=self.dsn.host, port=self.dsn.port or 3306, user=self.dsn.user or None,
            password=self._secret or "", database=self.dsn.database, charset="utf8mb4",
            connect_timeout=timeout, read_timeout=None, autocommit=True, **options)

    def message(self, exc: BaseException) -> str:
        """The first line of a driver error, without the password or the full DSN."""
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return scrub(text, self._secret, self.dsn.url)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read-only transaction with a consistent view of every table read in it."""
        begin = ("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                 if self.dialect == "postgresql"
                 else "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        with self._errors("start a read-only transaction"):
            self._execute(begin)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):  # a broken connection: nothing was written
                self._execute("ROLLBACK")

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except M2IFError:
            raise
        except Exception as exc:
            raise M2IFError(f"{self.dsn.shown}: cannot {doing}: {self.message(exc)}"
                            ) from None

    def _execute(self, sql: str) -> None:
        with self.con.cursor() as cur:
            cur.execute(sql)

    def quote(self, name: str) -> str:
        """A table name quoted for this dialect (names are checked by the caller)."""
        return f'"{name}"' if self.dialect == "postgresql" else f"`{name}`"

    def tables(self) -> set[str]:
        """The tables this user can see in the database's schema (lower case)."""
        where = "current_schema()" if self.dialect == "postgresql" else "DATABASE()"
        rows = self.rows("SELECT table_name FROM information_schema.tables "
                         f"WHERE table_schema = {where}", {}, "list the tables")
        return {str(r[0]).lower() for r in rows}

    def rows(self, sql: str, params: dict[str, Any], doing: str) -> list[tuple]:
        """A small result, whole."""
        with self._errors(doing), self.con.cursor() as cur:
            cur.execute(sql, params or None)
            return [tuple(r) for r in cur.fetchall()]

    def to_csv(self, sql: str, params: dict[str, Any], path: Path, doing: str) -> None:
        """Stream a query's result to a CSV file with a header row (NULL → empty field)."""
        with self._errors(doing), path.open("wb") as out:
            if self.dialect == "postgresql":
                with self.con.cursor() as cur, cur.copy(
                        f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER true)",
                        params or None) as copy:
                    for block in copy:
                        out.write(block)
                return
            import pymysql.cursors

            with self.con.cursor(pymysql.cursors.SSCursor) as cur:
                cur.execute(sql, params or None)
                text = _TextOut(out)
                writer = csv.writer(text, lineterminator="\n")
                writer.writerow([d[0] for d in cur.description])
                while batch := cur.fetchmany(20_000):
                    writer.writerows(["" if v is None else v for v in row] for row in batch)


class _TextOut:
    """A binary file seen as a UTF-8 text stream by csv.writer."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(text.encode("utf-8"))


DSN_ENV = "M2IF_MOODLE_DSN"


def open_database(cfg: Config, dsn: str | None) -> Database:
    """Connect with ``dsn``, else ``$M2IF_MOODLE_DSN``, else ``[moodle] dsn``; the password
    from ``[moodle] password_env``/``password_file``, else from the DSN itself."""
    url = dsn or os.environ.get(DSN_ENV) or cfg.moodle.dsn
    if not url:
        raise M2IFError(f"no Moodle database given: --dsn postgresql://user@host/moodle, "
                        f"${DSN_ENV} or [moodle] dsn")
    secret = password("[moodle]", cfg.moodle.password_env, cfg.moodle.password_file)
    return Database(parse_dsn(url), secret, cfg.moodle.timeout_seconds)
