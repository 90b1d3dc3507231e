"""The Spark engine (issue 7): the same weekly table as DuckDB, and the dialect fixes.

The JVM tests share one local Spark session (started once, ``local[2]``) and are marked
``slow``; the transpiler tests are pure Python.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import sqlglot
from typer.testing import CliRunner

from m2if_analytics.cli import app
from m2if_analytics.engagement.table import weekly_engagement
from m2if_analytics.engines import get_engine, spark_plan, transpile
from m2if_analytics.engines.spark_session import RUN_SETTINGS, run_settings, start_settings
from m2if_analytics.engines.transpile import TranspileError
from m2if_analytics.errors import M2IFError
from m2if_analytics.warehouse.sql import query
from m2if_analytics.warehouse.workspace import Workspace, open_workspace
from tests.conftest import SAMPLE_CONFIG, local, write_logstore
from tests.engagement.test_weekly_cases import (
    LATEST_EVENT_COLUMNS,
    case_names,
    check_case,
    check_expected,
    load_case,
    shares_a_warehouse,
)

KEYS = ["student", "week_start"]
# Many tiny queries: the quick JIT tier and the serial collector halve the JVM's CPU time;
# interpreting the plans instead of generating and compiling Java for each (and no adaptive
# re-planning) makes a run on a few hundred rows about a fifth shorter; one partition per
# shuffle and per scan another tenth of the CPU (seven hand cases twice: 75.5-78.9 s -> 70.0-
# 70.3 s of CPU, JVM included). The results are compared with DuckDB's either way, and the
# sample cohorts' run uses the engine's own four shuffle partitions (SAMPLE_PARTITIONS).
TEST_SETTINGS = {"spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                 "spark.sql.shuffle.partitions": "1",
                 "spark.default.parallelism": "1",
                 "spark.sql.codegen.wholeStage": "false",
                 "spark.sql.codegen.factoryMode": "NO_CODEGEN",
                 "spark.sql.adaptive.enabled": "false"}


# --- the transpiler, without a JVM -------------------------------------------------------

def spark_sql(select: str, schema: dict[str, dict[str, str]] | None = None) -> str:
    """Transpile one DuckDB query over ``t`` (default columns below) to Spark SQL."""
    schema = schema or {"t": {"ts": "TIMESTAMP WITH TIME ZONE", "naive": "TIMESTAMP",
                              "d": "DATE", "i": "INTEGER", "x": "DOUBLE", "k": "UHUGEINT",
                              "tz": "VARCHAR"}}
    tree = transpile.parse(select)
    assert isinstance(tree, sqlglot.exp.Query)
    return transpile.to_spark(transpile.typed(tree, schema))


def weekly_query() -> str:
    return query("engagement/weekly.sql").statements[0]


def test_at_time_zone_of_an_instant_gives_its_local_wall_time():
    sql = spark_sql("SELECT ts AT TIME ZONE 'Europe/Paris' AS l FROM t")
    assert "FROM_UTC_TIMESTAMP(`t`.`ts`, 'Europe/Paris')" in sql


def test_at_time_zone_of_a_naive_timestamp_gives_the_instant_of_that_wall_time():
    sql = spark_sql("SELECT CAST(d AS TIMESTAMP) AT TIME ZONE tz AS a, "
                    "naive AT TIME ZONE 'Europe/Paris' AS b FROM t")
    assert "TO_UTC_TIMESTAMP(CAST(`t`.`d` AS TIMESTAMP), `t`.`tz`)" in sql
    assert "TO_UTC_TIMESTAMP(`t`.`naive`, 'Europe/Paris')" in sql
    assert "TIMESTAMP_NTZ" not in sql


def test_timezone_function_is_read_as_at_time_zone():
    sql = spark_sql("SELECT timezone('Europe/Paris', ts) AS l FROM t")
    assert "FROM_UTC_TIMESTAMP(`t`.`ts`, 'Europe/Paris')" in sql


def test_at_time_zone_of_an_untyped_value_is_refused():
    with pytest.raises(TranspileError, match="explicit CAST"):
        spark_sql("SELECT d AT TIME ZONE 'Europe/Paris' AS l FROM t")


def test_epoch_keeps_fractional_seconds_as_a_double():
    sql = spark_sql("SELECT epoch(ts) - epoch(lag(ts) OVER (ORDER BY ts)) AS g FROM t")
    assert "CAST(`t`.`ts` AS DOUBLE)" in sql and "UNIX_TIMESTAMP" not in sql


def test_week_truncation_of_a_date_is_the_monday_as_a_timestamp():
    sql = spark_sql("SELECT CAST(date_trunc('week', d) AS DATE) AS w, "
                    "date_trunc('week', ts) AS v FROM t")
    assert "CAST(CAST(TRUNC(`t`.`d`, 'WEEK') AS TIMESTAMP) AS DATE)" in sql
    assert "DATE_TRUNC('WEEK', `t`.`ts`)" in sql


def test_truncation_to_an_unknown_unit_is_refused():
    with pytest.raises(TranspileError, match="isoyear"):
        spark_sql("SELECT date_trunc('isoyear', d) AS y FROM t")


def test_date_plus_interval_is_a_timestamp_as_in_duckdb():
    sql = spark_sql("SELECT d + INTERVAL 1 DAY AS a, ts + INTERVAL 7 DAY AS b FROM t")
    assert "CAST(`t`.`d` AS TIMESTAMP) + INTERVAL '1' DAY" in sql
    assert "`t`.`ts` + INTERVAL '7' DAY" in sql


def test_division_is_a_double_division():
    sql = spark_sql("SELECT i / 3600.0 AS a, x / 3600.0 AS b, i // 2 AS c FROM t")
    assert "CAST(`t`.`i` AS DOUBLE) / 3600.0" in sql
    assert "`t`.`x` / 3600.0" in sql and "CAST(`t`.`x`" not in sql


def test_duckdb_only_types_become_spark_types():
    sql = spark_sql("SELECT CAST(tz AS TIMESTAMPTZ) AS a, CAST(i AS TIMESTAMP) AS b, "
                    "CAST(i AS UHUGEINT) AS c, CAST(i AS UINTEGER) AS e FROM t")
    assert sql.count("AS TIMESTAMP)") == 2
    assert "DECIMAL(38, 0)" in sql and "AS BIGINT)" in sql


@pytest.mark.parametrize("value", ["Europe/Paris", "it's", "back\\slash", "a'\\'b", "é\n"])
def test_string_parameters_are_quoted_so_spark_reads_them_back(value: str):
    text = transpile.literal(value).sql(dialect="spark")
    parsed = sqlglot.parse_one(f"SELECT {text}", read="spark").selects[0]
    assert isinstance(parsed, sqlglot.exp.Literal) and parsed.this == value


def test_parameters_become_typed_literals_and_odd_values_are_refused():
    import datetime as dt

    assert transpile.literal(1800.0).sql("spark") == "CAST(1800.0 AS DOUBLE)"
    assert transpile.literal(60).sql("spark") == "60"
    assert transpile.literal(True).sql("spark") == "TRUE"
    assert transpile.literal(dt.date(2027, 1, 4)).sql("spark") == "CAST('2027-01-04' AS DATE)"
    for bad in (float("nan"), float("inf"), b"x", [1]):
        with pytest.raises(TranspileError):
            transpile.literal(bad)
    with pytest.raises(TranspileError, match=r"\$tz"):
        transpile.bind(transpile.parse("SELECT $tz"), {})


def test_table_macros_are_expanded_with_their_arguments_bound():
    tree = transpile.parse("CREATE OR REPLACE MACRO m(p) AS TABLE SELECT i + p AS v FROM t")
    macro = transpile.as_macro(tree)
    assert macro is not None and macro.params == ("p",)
    query = transpile.bind(transpile.parse("SELECT v FROM m($n) AS q"), {"n": 5})
    expanded = transpile.expand_macros(query, {"m": macro})
    assert expanded.sql("duckdb") == "SELECT v FROM (SELECT i + 5 AS v FROM t) AS q"
    with pytest.raises(TranspileError, match="takes 1 arguments"):
        transpile.expand_macros(transpile.parse("SELECT * FROM m(1, 2)"), {"m": macro})


def test_the_pipeline_plan_reads_eight_tables_and_creates_prefixed_temporary_views():
    statements = spark_plan.pipeline_statements("weekly_engagement")
    inputs = spark_plan.input_tables(statements, weekly_query())
    assert inputs == ["cfg_calendar_weeks", "cfg_cohorts", "identities", "identity_links",
                      "name_folds", "name_keys", "raw_events", "roster"]
    schema = {"raw_events": {"event_key": "UHUGEINT", "ident_id": "INTEGER",
                             "ts": "TIMESTAMP WITH TIME ZONE", "event_name": "VARCHAR",
                             "component": "VARCHAR", "context": "VARCHAR",
                             "course_id": "BIGINT", "cmid": "BIGINT"},
              "identities": {"ident_id": "INTEGER", "ident": "VARCHAR"},
              "identity_links": {"ident": "VARCHAR", "person": "VARCHAR", "origin": "VARCHAR"},
              "name_folds": {"ident": "VARCHAR", "folded": "VARCHAR"},
              "name_keys": {"folded": "VARCHAR", "person": "VARCHAR", "file_id": "INTEGER"},
              "roster": {"person": "VARCHAR", "cohort_id": "VARCHAR", "role": "VARCHAR",
                         "group_name": "VARCHAR", "file_id": "INTEGER"},
              "cfg_cohorts": {"cohort_id": "VARCHAR", "start_date": "DATE", "end_date": "DATE"},
              "cfg_calendar_weeks": {"cohort_id": "VARCHAR", "week_start": "DATE",
                                     "iso_week": "VARCHAR", "holiday": "BOOLEAN",
                                     "target_hours": "DOUBLE"}}
    params = {"tz": "Europe/Paris", "timeout_seconds": 1800.0, "last_event_seconds": 60.0}
    plan = spark_plan.build_plan(statements, params, weekly_query(), {"c": "2026-2027"}, schema,
                                 prefix="m2if_t_")
    assert "event_key" not in plan.columns["raw_events"]  # never read: not exported
    assert [(s.view, s.cache) for s in plan.steps] == [
        ("m2if_t_persons", True), ("m2if_t_cohort_students", True),
        ("m2if_t_weekly_activity", False), ("m2if_t_weekly_engagement", False)]
    assert all(s.sql.startswith(f"CREATE OR REPLACE TEMPORARY VIEW `{s.view}` AS")
               for s in plan.steps)
    text = " ".join(s.sql for s in plan.steps)
    assert "MACRO" not in text.upper() and "STG_EVENTS(" not in text.upper()
    assert "FROM_UTC_TIMESTAMP(`e`.`ts`, 'Europe/Paris')" in text
    assert "FROM `m2if_t_weekly_engagement`" in plan.query and "'2026-2027'" in plan.query


def test_export_sends_wide_integers_as_text_and_naive_timestamps_as_utc_instants():
    assert transpile.parquet_column("k", "UHUGEINT") == ('CAST("k" AS VARCHAR) AS "k"',
                                                         "VARCHAR")
    assert transpile.parquet_column("n", "TIMESTAMP") == (
        "\"n\" AT TIME ZONE 'UTC' AS \"n\"", "TIMESTAMP")
    assert transpile.parquet_column("ts", "TIMESTAMP WITH TIME ZONE")[0] == '"ts"'


def test_an_unknown_engine_is_refused_by_name():
    assert get_engine(" DuckDB ").name == "duckdb"
    with pytest.raises(M2IFError, match="unknown engine 'flink': use one of duckdb, spark"):
        get_engine("flink")


def test_weekly_refuses_an_unknown_engine_before_any_work(tmp_path: Path):
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "w.duckdb"), "weekly",
                                      "--engine", "flink"])
    assert result.exit_code != 0 and "unknown engine 'flink'" in str(result.exception)
    assert not (tmp_path / "w.duckdb").exists()


def test_without_java_the_spark_engine_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch):
    from m2if_analytics.engines import spark_session

    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(spark_session.shutil, "which", lambda name: None)
    with pytest.raises(M2IFError, match=r"needs Java 17 or later.*JAVA_HOME.*SPARK_REMOTE"):
        spark_session.check_java()


def test_a_master_in_spark_defaults_is_honoured(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch):
    from m2if_analytics.engines.spark_session import configured_master

    monkeypatch.delenv("PYSPARK_SUBMIT_ARGS", raising=False)
    monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path))
    assert not configured_master()
    (tmp_path / "spark-defaults.conf").write_text("# comment\nspark.master  yarn\n")
    assert configured_master()


# --- the same tables on Spark local ------------------------------------------------------

@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the whole test run (started once: the JVM is slow)."""
    pytest.importorskip("pyspark")
    from m2if_analytics.engines.spark_session import check_java, spark_session

    try:
        check_java()
    except M2IFError as exc:
        pytest.skip(f"Spark tests need Java 17+: {exc}")
    session = spark_session(TEST_SETTINGS)
    yield session
    session.stop()


def assert_same_tables(duck: pl.DataFrame, other: pl.DataFrame) -> None:
    """Same columns, types, rows and keys in the same order; hours within 1e-9."""
    assert other.schema == duck.schema
    assert other.select(KEYS).equals(duck.select(KEYS))
    rest = [c for c in duck.columns if c not in (*KEYS, "hours")]
    assert other.select(rest).equals(duck.select(rest))
    gap = (other["hours"] - duck["hours"]).abs().max()
    assert gap is None or gap <= 1e-9, f"hours differ by up to {gap}"


SAMPLE_PARTITIONS = start_settings("local[2]")["spark.sql.shuffle.partitions"]


@pytest.mark.slow
def test_sample_cohorts_weekly_is_identical_on_duckdb_and_spark(
        spark: Any, sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    """Both sample cohorts in one Spark run (a run costs seconds whatever its size): the
    weekly query without its cohort filter. The one-cohort path (``weekly --engine spark``)
    is the command test's below."""
    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    every_cohort = weekly_query().replace("WHERE cohort = $c ", "").replace(
        "ORDER BY student", "ORDER BY cohort, student")
    assert "cohort = $c" not in every_cohort
    assert "ORDER BY cohort, student, week_start" in every_cohort
    spark.conf.set("spark.sql.shuffle.partitions", SAMPLE_PARTITIONS)  # rows meet across
    try:  # partitions in every window and join, as on a real cluster
        with open_workspace(sample_warehouse, SAMPLE_CONFIG) as ws:
            duck = get_engine("duckdb").run(ws, every_cohort, {}, "weekly_engagement")
            on_spark = get_engine("spark").run(ws, every_cohort, {}, "weekly_engagement")
    finally:
        spark.conf.set("spark.sql.shuffle.partitions",
                       TEST_SETTINGS["spark.sql.shuffle.partitions"])
        cohorts = [c.id for c in ws.cfg.cohorts]
    assert len(cohorts) >= 2  # the sample cohort and the year before
    assert sorted(duck["cohort"].unique()) == sorted(cohorts)
    for cohort in cohorts:
        one = duck.filter(pl.col("cohort") == cohort)
        assert one.height > 100 and one["hours"].sum() > 0, cohort
        assert one["below_target"].any() and one["holiday"].any(), cohort
    assert_same_tables(duck, on_spark)


SHARED_CASES = [case for case in case_names() if shares_a_warehouse(case)]
ALONE_CASES = [case for case in case_names() if not shares_a_warehouse(case)]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::m2if_analytics.engagement.NoRosterWarning")
def test_hand_computed_cases_loaded_side_by_side_give_the_same_tables_on_spark(
        spark: Any, ws: Workspace, tmp_path: Path):
    """One Spark run for every case that can share a warehouse (each a file of its own, its
    user ids shifted by a thousand per case): a Spark run costs seconds, whatever its size.
    The week of the warehouse's latest event (in progress, so not below target) is another
    case's here: those two columns are compared with DuckDB's, not with the hand values."""
    assert len(SHARED_CASES) >= 9
    offsets = {case: 1000 * (n + 1) for n, case in enumerate(SHARED_CASES)}
    for case, offset in offsets.items():
        load_case(case, ws, tmp_path, user_offset=offset)
    on_spark = weekly_engagement(ws, engine="spark")
    assert_same_tables(weekly_engagement(ws), on_spark)
    for case, offset in offsets.items():
        check_expected(case, ws, on_spark, user_offset=offset,
                       unchecked=LATEST_EVENT_COLUMNS)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::m2if_analytics.engagement.NoRosterWarning")
@pytest.mark.parametrize("case", ALONE_CASES)
def test_hand_computed_case_gives_the_same_table_on_spark(case: str, spark: Any, ws: Workspace,
                                                          tmp_path: Path):
    cfg, on_spark = check_case(case, ws, tmp_path, engine="spark")
    assert_same_tables(weekly_engagement(dataclasses.replace(ws, cfg=cfg)), on_spark)


@pytest.mark.slow
def test_weekly_command_with_spark_writes_the_duckdb_table(spark: Any, tmp_path: Path):
    dump = write_logstore(tmp_path / "log.csv", [(7, local("2026-10-05 09:00:00")),
                                                 (7, local("2026-10-05 09:20:00")),
                                                 (8, local("2026-10-25 02:30:00"))])
    db = ["--db", str(tmp_path / "w.duckdb")]
    runner = CliRunner()
    assert runner.invoke(app, [*db, "ingest", "moodle", str(dump)]).exit_code == 0
    for engine in ("duckdb", "spark"):
        result = runner.invoke(app, [*db, "weekly", "--engine", engine, "--out",
                                     str(tmp_path / f"{engine}.parquet")])
        assert result.exit_code == 0, result.output
    duck = pl.read_parquet(tmp_path / "duckdb.parquet")
    assert duck.height == 6  # two students × the three weeks up to the last event
    assert_same_tables(duck, pl.read_parquet(tmp_path / "spark.parquet"))


@pytest.mark.slow
def test_a_run_leaves_no_view_and_restores_the_session_settings(spark: Any):
    mine = {"spark.sql.session.timeZone": "Europe/Paris", "spark.sql.ansi.enabled": "false",
            "spark.sql.legacy.storeAnalyzedPlanForView": "false"}
    assert mine.keys() == RUN_SETTINGS.keys()
    before = {key: spark.conf.get(key) for key in mine}
    try:
        for key, value in mine.items():
            spark.conf.set(key, value)
        with run_settings(spark):
            assert {key: spark.conf.get(key) for key in mine} == RUN_SETTINGS
        assert {key: spark.conf.get(key) for key in mine} == mine
    finally:
        for key, value in before.items():
            spark.conf.set(key, value)
    assert not [t.name for t in spark.catalog.listTables() if t.name.startswith("m2if_")]


@pytest.mark.slow
def test_a_local_session_keeps_its_catalog_warehouse_out_of_the_current_folder(spark: Any):
    """Spark's default is ./spark-warehouse, an empty folder left wherever m2if was run."""
    folder = spark.conf.get("spark.sql.warehouse.dir")
    assert "m2if-spark-warehouse-" in folder and str(Path.cwd()) not in folder
    assert Path(folder.removeprefix("file:")).is_relative_to(tempfile.gettempdir())


@pytest.mark.slow
def test_a_run_leaves_nothing_cached_even_when_it_fails(spark: Any, ws: Workspace,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    """The steps read several times are cached during a run, then uncached before their views
    are dropped: after a run, and after a run whose query fails, the session caches nothing."""
    from m2if_analytics.engines import spark_engine

    cache = spark._jsparkSession.sharedState().cacheManager()
    cached_before_drop = []
    drop = spark_engine._drop_views

    def watched(session: Any, plan: spark_plan.SparkPlan) -> None:
        cached_before_drop.append(not cache.isEmpty())
        drop(session, plan)

    monkeypatch.setattr(spark_engine, "_drop_views", watched)
    load_case("silent_week", ws, tmp_path)
    engine = get_engine("spark")
    engine.run(ws, weekly_query(), {"c": "2026-2027"}, "weekly_engagement")
    assert cache.isEmpty()
    with pytest.raises(M2IFError):
        engine.run(ws, "SELECT CAST(student AS INTEGER) AS n FROM weekly_engagement", {},
                   "weekly_engagement")  # ANSI mode: a pseudonym is no integer
    assert cache.isEmpty()
    assert cached_before_drop == [True, True]  # both runs had cached their shared steps
    assert not [t.name for t in spark.catalog.listTables() if t.name.startswith("m2if_")]
