"""The benchmark harness (benchmarks/): it runs, its contenders agree, it writes results.md.

Figures are never asserted (they depend on the machine); only that the harness measures,
compares and reports. The end-to-end test runs every contender but Spark on 20k events.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(autouse=True)
def _benchmarks_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))


def test_streaming_generator_writes_the_same_bytes_as_the_one_statement_reference(
        tmp_path: Path) -> None:
    import generate_logstore as gen

    reference, streamed = tmp_path / "reference.csv", tmp_path / "streamed.csv"
    con = gen.connect(tmp_path)
    try:
        con.execute(gen.reference_sql(6_000, reference))
        gen.write_dump(con, 6_000, streamed, chunk_events=700)  # 9 time slices
    finally:
        con.close()
    assert streamed.read_bytes() == reference.read_bytes()
    lines = reference.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,eventname,") and len(lines) > 6_000


def test_measure_reports_the_step_s_memory_not_the_harness_s() -> None:
    from measure import measure

    ballast = bytearray(300 * 2**20)  # the measuring process is big...
    small = measure([sys.executable, "-c", "pass"])
    big = measure([sys.executable, "-c", "x = bytearray(200 * 2**20)"])
    assert len(ballast) and small.peak_rss_mib < 100  # ...its children are not
    assert big.peak_rss_mib >= 200


def test_an_in_memory_contender_over_the_memory_budget_is_skipped_with_its_reason() -> None:
    from contenders import BY_NAME, SizeRun
    from rich.console import Console
    from run import _one

    size = SizeRun(csv=Path("dump.csv"), config=Path("bench.toml"), work=Path("."),
                   rows=100_000_000, env={})
    result = _one(BY_NAME["pandas"], size, 1, {}, budget=1024.0, console=Console(quiet=True))
    assert result["status"] == "skipped"
    assert "memory budget" in result["reason"]


def test_the_spark_contender_runs_spark_weekly_in_its_own_process(tmp_path: Path) -> None:
    from contenders import BY_NAME, SizeRun

    (tmp_path / "fake_spark.py").write_text(
        "from pathlib import Path\n"
        "def spark_weekly(db_path: Path, config: Path) -> tuple[float, int]:\n"
        "    assert db_path.name == 'm2if.duckdb' and config.suffix == '.toml'\n"
        "    return 0.25, 42\n", encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path), "BENCH_SPARK_MODULE": "fake_spark"}
    size = SizeRun(csv=tmp_path / "dump.csv", config=tmp_path / "bench.toml", work=tmp_path,
                   rows=1, env=env, shared={"m2if_db": tmp_path / "m2if.duckdb"})
    outcome = BY_NAME["spark"].run(size)
    assert outcome.weekly_rows == 42
    assert set(outcome.steps) == {"weekly"}
    assert "0.25 s" in outcome.notes[0]


@pytest.mark.slow
def test_the_harness_runs_every_contender_and_writes_results_md(tmp_path: Path) -> None:
    from results_md import CHECK_COLUMNS, RESULT_COLUMNS

    results, figures = tmp_path / "results.md", tmp_path / "run.json"
    run = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--sizes", "20k",
         "--contenders", "m2if,pandas,pandas-equal,polars", "--bench-dir", str(tmp_path),
         "--results", str(results), "--json", str(figures)],
        capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr

    report = json.loads(figures.read_text(encoding="utf-8"))
    [size] = report["sizes"]
    assert size["events"] == 20_000 and size["rows"] > 20_000
    assert size["scan"]["seconds"] > 0
    for name in ("m2if", "pandas", "pandas-equal", "polars"):
        result = size["results"][name]
        assert result["status"] == "ok", result
        assert result["check"]["ok"], result["check"]
        assert set(result["steps"]) == {"ingest", "weekly", "end_to_end"}
        assert result["accounts"][0]["loaded"] == size["results"]["m2if"]["accounts"][0][
            "loaded"]

    text = results.read_text(encoding="utf-8")
    assert "| " + " | ".join(RESULT_COLUMNS) + " |" in text
    assert "| " + " | ".join(CHECK_COLUMNS) + " |" in text
    for fact in ("| CPU |", "| memory |", "| disk |", "| OS |", "| Python |", "| libraries |"):
        assert fact in text
    for title in ("m2if (DuckDB)", "pandas (minimal)", "pandas (equal work)", "Polars (lazy)"):
        for step in ("ingest", "weekly", "end to end"):
            assert f"| 20 k | {title} | {step} |" in text
    assert "| 20 k | DuckDB | scan floor |" in text
    assert "## Issue 7 targets" in text


def _tiny_report(bench_dir: Path) -> dict[str, object]:
    from machine import machine_facts

    step = {"seconds": 2.0, "peak_rss_mib": 300.0, "rows_per_s": 500_000}
    ok = {"status": "ok", "steps": {"ingest": step, "weekly": step, "end_to_end": step},
          "accounts": [{"loaded": 999_000, "duplicates": 900, "quarantined": 100}],
          "check": {"ok": True, "reference": True, "rows_ours": 74_000}, "store_mib": 20.0}
    size = {"events": 1_000_000, "rows": 1_000_000, "dump_mib": 131.0,
            "scan": {"seconds": 1.0, "peak_rss_mib": 180.0, "rows_per_s": 1_000_000},
            "results": {"m2if": ok, "spark": {"status": "skipped", "reason": "no Java"}}}
    return {"command": "python benchmarks/run.py", "machine": machine_facts(bench_dir),
            "repeat": 1, "memory_budget_gib": 12.0, "pandas": "pandas",
            "pandas_equal": "pandas-equal", "sizes": [size],
            "contenders": {"m2if": {"title": "m2if (DuckDB)", "does": "ingest, weekly"},
                           "spark": {"title": "Spark local", "does": "weekly"}}}


def test_results_md_keeps_its_hand_written_notes_when_rewritten(tmp_path: Path) -> None:
    import results_md

    report = _tiny_report(tmp_path)
    path = tmp_path / "results.md"
    results_md.write(path, report)
    text = path.read_text(encoding="utf-8")
    assert "| 1 M | m2if (DuckDB) | end to end | 2.00 | 300 | 500,000 |" in text
    assert "- 1 M, Spark local: skipped — no Java" in text
    path.write_text(text.replace(results_md.DEFAULT_NOTES, "Context that stays true."),
                    encoding="utf-8")
    results_md.write(path, report)
    rewritten = path.read_text(encoding="utf-8")
    assert "Context that stays true." in rewritten
    assert rewritten.count(results_md.NOTES_START) == 1


def test_results_md_keeps_the_other_scripts_sections_when_this_run_has_none(
        tmp_path: Path) -> None:
    """`run.py` alone (no report figures in its bench folder) must not drop the report
    rendering line, the "Reports at scale" table or the pull section of the file it
    replaces; a run that has report figures replaces theirs."""
    import pull_bench
    import results_md

    path = tmp_path / "results.md"
    figures = {"first_s": 3.0, "render_s": 2.5, "bytes": 5_400_000, "peak_mib": 460.0}
    with_reports = {**_tiny_report(tmp_path),
                    "report_bench": {"date": "2026-12-06", "whole_s": 4.1, "notebook_s": 4.0,
                                     "budget_s": 30},
                    "report_scale": {"date": "2026-12-06", "cores": 2, "before": {},
                                     "results": [{"students": 20, "weekly": figures,
                                                  "cohort": figures}]}}
    results_md.write(path, with_reports)
    pull = "\n".join([pull_bench.BEGIN, "## Pull from PostgreSQL (issue 14)", "", "| a |",
                      pull_bench.END]) + "\n"
    pull_bench.write_results(path, pull)
    first = path.read_text(encoding="utf-8")
    scale = results_md.block(first, results_md.REPORT_SCALE)
    rendering = results_md.block(first, results_md.REPORT_BENCH)
    assert scale and "## Reports at scale" in scale and "| 20 | weekly report |" in scale
    assert rendering and "`m2if report weekly` 4.1 s" in rendering

    results_md.write(path, _tiny_report(tmp_path))  # run.py alone: no report figures
    again = path.read_text(encoding="utf-8")
    for kept in (scale, rendering, pull.rstrip("\n")):
        assert again.count(kept) == 1, kept
    assert again.index(scale) < again.index(results_md.NOTES_START) < again.index(
        pull_bench.BEGIN)

    newer = {**with_reports, "report_bench": {**with_reports["report_bench"], "whole_s": 3.2}}
    results_md.write(path, newer)
    latest = path.read_text(encoding="utf-8")
    assert "`m2if report weekly` 3.2 s" in latest and "4.1 s" not in latest
    assert latest.count(results_md.REPORT_BENCH[0]) == 1 and latest.count(pull_bench.BEGIN) == 1
