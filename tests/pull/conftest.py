"""Fixtures of the pull tests: real PostgreSQL and MariaDB servers (one per test process,
started on first use), a Moodle database holding the sample cohort for each test, the
read-only user of the README's GRANTs, and the same data ingested from the CSV files."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from m2if_analytics.config import DEFAULT_UNITS
from m2if_analytics.pull.grants import script
from tests.conftest import SAMPLES, sample_config_without_units
from tests.pull import moodle_fill, servers

READER_PASSWORD = "reader-pw-not-secret"
_numbers = itertools.count(1)


def pull_config(path: Path) -> Path:
    """The sample configuration with every UE tied to its course of moodle_fill."""
    units = "".join(
        f'\n[[units]]\ncode = "{u.code}"\ntitle = "{u.title}"\nsemester = {u.semester}\n'
        f"coefficient = {u.coefficient}\ncourses = [{moodle_fill.UE_COURSE[u.code]}]\n"
        for u in DEFAULT_UNITS)
    path.write_text(sample_config_without_units() + units, encoding="utf-8")
    return path


def started(what: str, start: Callable[[], Any]) -> Iterator[Any]:
    """A server started by ``start`` (a context manager) for the fixture's life; the tests
    skip with the reason where it cannot be installed or started (CI installs them all)."""
    try:
        context = start()
        server = context.__enter__()
    except (FileNotFoundError, RuntimeError) as exc:
        pytest.skip(f"{what} unavailable: {exc}")
    try:
        yield server
    finally:
        context.__exit__(None, None, None)


def _server(kind: str) -> Iterator[servers.Server]:
    yield from started(f"{kind} server",
                       servers.postgresql if kind == "postgresql" else servers.mariadb)


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[servers.Server]:
    yield from _server("postgresql")


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[servers.Server]:
    yield from _server("mysql")


@dataclass
class MoodleDb:
    """A Moodle database on a test server and the read-only user's DSN (no password)."""

    server: servers.Server
    name: str

    @property
    def dsn(self) -> str:
        return self.server.dsn("m2if_reader", self.name)

    def admin(self):
        return servers.admin_connection(self.server, self.name)

    def execute(self, *statements: str) -> None:
        con = self.admin()
        try:
            with con.cursor() as cur:
                for s in statements:
                    cur.execute(s)
        finally:
            con.close()


def make_moodle(server: servers.Server, log: list | None = None) -> MoodleDb:
    """A new database filled with the sample cohort; the reader user granted as the README
    says (created once per server)."""
    name = f"moodle_{next(_numbers)}"
    admin = servers.admin_connection(server)
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    admin.close()
    db = MoodleDb(server, name)
    con = db.admin()
    moodle_fill.create(con, server.kind)
    moodle_fill.fill(con, server.kind, SAMPLES, log)
    statements = script(server.kind, database=name, host="127.0.0.1").replace(
        "choose-a-long-password", READER_PASSWORD).splitlines()
    with con.cursor() as cur:
        for statement in statements:
            if statement.startswith(("CREATE ROLE", "CREATE USER", "ALTER ROLE")) and (
                    _reader_exists(cur, server.kind)):
                continue
            cur.execute(statement.rstrip(";"))
    con.close()
    return db


_read_only: dict[tuple[str, int], MoodleDb] = {}


def read_only_moodle(server: servers.Server) -> MoodleDb:
    """The sample cohort's database on ``server`` for the tests that only read it, filled once
    per server and test process (a MariaDB fill takes about 2 s). They may share it because
    they change nothing: the pulls connect as m2if_reader, which can write nothing."""
    key = (server.kind, server.port)
    if key not in _read_only:
        _read_only[key] = make_moodle(server)
    return _read_only[key]


def _reader_exists(cur, kind: str) -> bool:
    if kind == "postgresql":
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = 'm2if_reader'")
    else:
        cur.execute("SELECT 1 FROM mysql.user WHERE user = 'm2if_reader'")
    return cur.fetchone() is not None


@pytest.fixture(scope="session")
def csv_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample cohort (2026-2027) ingested from its CSV files, with the pull config."""
    from m2if_analytics.ingest.forum import ingest_forum_file
    from m2if_analytics.ingest.moodle import ingest_moodle_file
    from m2if_analytics.ingest.programme import INGESTERS
    from m2if_analytics.ingest.roster import ingest_roster_file
    from m2if_analytics.warehouse.workspace import open_workspace

    folder = tmp_path_factory.mktemp("csv")
    config = pull_config(folder / "m2if.toml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("M2IF_PSEUDONYM_KEY", "test-key-not-secret")
        with open_workspace(folder / "csv.duckdb", config) as ws:
            c = "2026-2027"
            ingest_roster_file(ws.con, SAMPLES / "roster.csv", ws.cfg, ws.pseudo, c)
            ingest_moodle_file(ws.con, SAMPLES / "logstore_standard_log.csv", ws.cfg,
                               ws.pseudo, c)
            for kind in ("grades", "deadlines", "submissions"):
                INGESTERS[kind](ws.con, SAMPLES / f"{kind}.csv", ws.cfg, ws.pseudo, c)
            ingest_forum_file(ws.con, SAMPLES / "forum_posts.csv", ws.cfg, ws.pseudo, c)
    return folder / "csv.duckdb"


SKIP_COLUMNS = {"file_id", "line", "loaded_at", "ingested_at"}


def _rows(alias: str, table: str, columns: list[str]) -> str:
    """The rows of ``table`` of the warehouse attached as ``alias``, without the columns
    naming the file they came from; events name their people by keyed identity, not by the
    warehouse's surrogate number."""
    if table == "raw_events":
        return ("SELECT e.event_key, i.ident, r.ident, e.ts, e.event_name, e.component, "
                f"e.context, e.course_id, e.cmid, e.origin FROM {alias}.raw_events AS e "
                f"JOIN {alias}.identities AS i USING (ident_id) "
                f"LEFT JOIN {alias}.identities AS r ON r.ident_id = e.related_ident_id")
    return f"SELECT {', '.join(columns)} FROM {alias}.{table}"


def assert_same_content(db: Path, other: Path, table: str) -> None:
    """``table`` holds the same rows in both warehouses (every copy counted), compared inside
    DuckDB; a difference names up to five rows found on one side only."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{db}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{other}' AS b (READ_ONLY)")
        columns = {alias: [r[0] for r in con.execute(f"DESCRIBE {alias}.{table}").fetchall()
                           if r[0] not in SKIP_COLUMNS] for alias in ("a", "b")}
        assert columns["a"] == columns["b"], (table, columns)
        first, second = (_rows(alias, table, columns["a"]) for alias in ("a", "b"))
        counts = con.execute(f"SELECT (SELECT count(*) FROM ({first})), "
                             f"(SELECT count(*) FROM ({second}))").fetchone()
        only = [con.execute(f"SELECT * FROM ({x} EXCEPT ALL {y}) ORDER BY ALL LIMIT 5")
                .fetchall() for x, y in ((first, second), (second, first))]
    finally:
        con.close()
    assert only == [[], []] and counts[0] == counts[1], (
        f"{table}: {counts[0]} rows in {db.name}, {counts[1]} in {other.name}; only in "
        f"{db.name}: {only[0]}; only in {other.name}: {only[1]}")


@pytest.fixture(scope="session")
def ralph_server() -> Iterator:
    """A Ralph LRS shared by the tests of one process (tests that change it start their
    own with :func:`tests.pull.lrs_server.ralph`)."""
    from tests.pull.lrs_server import ralph

    yield from started("Ralph LRS", ralph)
