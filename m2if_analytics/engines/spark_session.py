"""The Spark session the Spark engine uses: local, a cluster, or Spark Connect.

Which Spark, in this order:

1. ``SPARK_REMOTE`` (e.g. ``sc://spark.example.org:15002``): a Spark Connect server;
2. an already active session of this process (a notebook, a ``spark-submit`` job): reused;
3. ``M2IF_SPARK_MASTER`` (e.g. ``spark://host:7077``, ``yarn``, ``local[4]``);
4. a master set by ``PYSPARK_SUBMIT_ARGS --master`` or ``spark.master`` in
   ``spark-defaults.conf`` (``$SPARK_CONF_DIR``, else ``$SPARK_HOME/conf``);
5. ``local[2]``.

A session this module starts has no UI, few shuffle partitions and a modest driver heap
(``M2IF_SPARK_SHUFFLE_PARTITIONS``, default 4; ``M2IF_SPARK_DRIVER_MEMORY``, default 1g).
Whatever the session, each run sets the time zone to UTC and ANSI mode on while it works
(:func:`run_settings`): the transpiled SQL relies on both; it also has its views keep their
analysed plans (see ``RUN_SETTINGS``).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from m2if_analytics.errors import M2IFError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

APP_NAME = "m2if-analytics"
DEFAULT_MASTER = "local[2]"
# A run's temporary views keep their analysed plans rather than their SQL text, which Spark
# would otherwise parse and analyse again wherever a later view reads them (the weekly
# pipeline's views read each other in chains): a run on a few hundred rows 3.7 s -> 2.0 s.
# Each run creates its views afresh and drops them, so a stored plan never outlives its inputs.
RUN_SETTINGS = {"spark.sql.session.timeZone": "UTC", "spark.sql.ansi.enabled": "true",
                "spark.sql.legacy.storeAnalyzedPlanForView": "true"}


def spark_session(settings: Mapping[str, str] | None = None) -> SparkSession:
    """The session to run on, started if needed (see the module docstring for which).

    ``settings`` are added to :func:`start_settings` when a local or cluster session is
    started here (the tests pass JVM options that suit many tiny queries)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas",
                                FutureWarning)  # pandas is not used by the engine
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise M2IFError("the spark engine needs PySpark: "
                            "pip install 'm2if-analytics[spark]'") from None
        remote = os.environ.get("SPARK_REMOTE")
        if remote:
            return _connect(SparkSession, remote)
        active = SparkSession.getActiveSession()
        if active is not None:
            return active
        check_java()
        master = os.environ.get("M2IF_SPARK_MASTER") or (
            None if configured_master() else DEFAULT_MASTER)
        builder = SparkSession.builder.appName(APP_NAME)
        if master:
            builder = builder.master(master)
        if master and master.startswith("local"):  # no warning about the host's address
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            builder = builder.config("spark.sql.warehouse.dir", _scratch_warehouse())
        for key, value in {**start_settings(master), **(settings or {})}.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("M2IF_SPARK_LOG_LEVEL", "ERROR"))
    return spark


def _scratch_warehouse() -> str:
    """A folder in the system's temporary space for Spark's catalog warehouse, which m2if never
    uses (its views are temporary) and which a local session would otherwise create as an
    empty ``spark-warehouse/`` in the user's current folder; removed when the process exits."""
    folder = tempfile.mkdtemp(prefix="m2if-spark-warehouse-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _connect(session_class: type[SparkSession], remote: str) -> SparkSession:
    try:
        return session_class.builder.remote(remote).appName(APP_NAME).getOrCreate()
    except Exception as exc:  # missing grpc packages, unreachable server...
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise M2IFError(f"cannot reach Spark Connect at SPARK_REMOTE={remote}: {first}"
                        ) from None


def start_settings(master: str | None) -> dict[str, str]:
    """Options of a session this module starts (static ones cannot change afterwards)."""
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": os.environ.get("M2IF_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.driver.memory": os.environ.get("M2IF_SPARK_DRIVER_MEMORY", "1g"),
        **RUN_SETTINGS,
    }
    if master is not None and master.startswith("local"):
        settings |= {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
    return settings


def check_java() -> None:
    """Refuse early, with the fix, when no Java runtime can start a local Spark."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return
    if shutil.which("java") is None:
        raise M2IFError("the spark engine needs Java 17 or later: install it, set JAVA_HOME, "
                        "or set SPARK_REMOTE to use a Spark Connect server")


def configured_master() -> bool:
    """True when spark-submit settings (PYSPARK_SUBMIT_ARGS, spark-defaults.conf) name a
    master, which a session started here must then honour."""
    if "--master" in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        return True
    folder = os.environ.get("SPARK_CONF_DIR") or (
        str(Path(os.environ["SPARK_HOME"]) / "conf") if os.environ.get("SPARK_HOME") else None)
    defaults = Path(folder) / "spark-defaults.conf" if folder else None
    if defaults is None or not defaults.is_file():
        return False
    lines = defaults.read_text(encoding="utf-8", errors="replace").splitlines()
    return any(line.split()[:1] == ["spark.master"] for line in lines)


@contextmanager
def run_settings(spark: SparkSession) -> Iterator[None]:
    """``RUN_SETTINGS`` (UTC, ANSI mode, analysed views) while a run works; previous values
    restored."""
    before = {key: spark.conf.get(key, None) for key in RUN_SETTINGS}
    for key, value in RUN_SETTINGS.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)


def stop_spark() -> None:
    """Stop the active session (the next Spark run starts a new one)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
