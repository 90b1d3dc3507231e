"""Machine facts and the rich table printed by ``benchmarks/run.py``."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from typing import Any

from rich.console import Console
from rich.table import Table


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_facts() -> dict[str, Any]:
    """CPU, memory and the versions that matter for the figures."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_gib": round(ram / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": _version("duckdb"),
        "pandas": _version("pandas"),
        "pyarrow": _version("pyarrow"),
        "m2if_analytics": _version("m2if-analytics"),
    }


def print_machine(console: Console, facts: dict[str, Any]) -> None:
    console.print(
        f"[bold]machine[/]: {facts['cpu_count']} CPU ({facts['cpu_model']}), "
        f"{facts['ram_gib']} GiB RAM, {facts['platform']}\n"
        f"[bold]versions[/]: python {facts['python']}, duckdb {facts['duckdb']}, "
        f"pandas {facts['pandas']}, pyarrow {facts['pyarrow']}, "
        f"m2if-analytics {facts['m2if_analytics']}"
    )


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if unit == "rows/s":
        return f"{value:,.0f}"
    if unit == "x":
        return f"{value:.2f}×"
    return f"{value:,.1f}" if unit == "MiB" else f"{value:,.2f}"


def _ratio(baseline: float | None, ours: float | None) -> float | None:
    return None if baseline is None or not ours else baseline / ours


def _get(side: dict[str, Any] | None, *path: str) -> float | None:
    value: Any = side
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def size_table(result: dict[str, Any]) -> Table:
    """One table for one dataset size: scan floor, m2if, pandas and the ratio."""
    scan, ours, pandas = result["scan"], result.get("ours"), result.get("pandas")
    table = Table(title=f"{result['events']:,} events ({result['rows']:,} rows in the dump, "
                        f"{result['dump_mib']:,.0f} MiB)", title_justify="left")
    for name in ("", "DuckDB scan floor", "m2if", "pandas", "pandas / m2if"):
        table.add_column(name, justify="left" if not name else "right")
    rows = [
        ("ingest wall (s)", ("ingest", "seconds"), scan["seconds"], "s"),
        ("weekly wall (s)", ("weekly", "seconds"), None, "s"),
        ("total wall (s)", ("total_s",), scan["seconds"], "s"),
        ("peak RSS ingest (MiB)", ("ingest", "peak_rss_mib"), scan["peak_rss_mib"], "MiB"),
        ("peak RSS weekly (MiB)", ("weekly", "peak_rss_mib"), None, "MiB"),
        ("store on disk (MiB)", ("store_mib",), None, "MiB"),
        ("rows/s end to end", ("rows_per_s",), scan["rows_per_s"], "rows/s"),
    ]
    for label, path, floor, unit in rows:
        a, b = _get(ours, *path), _get(pandas, *path)
        ratio = None if unit == "rows/s" else _ratio(b, a)  # rows/s: see total wall
        table.add_row(label, _fmt(floor, unit), _fmt(a, unit), _fmt(b, unit),
                      _fmt(ratio, "x"))
    return table


def check_line(check: dict[str, Any] | None) -> str:
    if check is None:
        return "[yellow]weekly tables not compared (m2if did not run)[/]"
    if "error" in check:
        return f"[red]weekly tables could not be compared: {check['error']}[/]"
    facts = (f"{check['rows_ours']:,} vs {check['rows_baseline']:,} rows, "
             f"{check['students_ours']:,} vs {check['students_baseline']:,} students, "
             f"rows only in m2if {check['rows_only_ours']}, "
             f"only in pandas {check['rows_only_baseline']}, "
             f"max |Δhours| {check['max_hours_diff']:.2e}")
    if check["ok"]:
        return f"[green]weekly tables AGREE[/]: {facts}"
    examples = (f"\n  e.g. only in m2if: {check.get('examples_only_ours')}"
                f"\n  e.g. only in pandas: {check.get('examples_only_baseline')}")
    return f"[red]weekly tables DIFFER[/]: {facts}{examples}"
