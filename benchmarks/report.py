"""What ``benchmarks/run.py`` prints: the machine, then one table per size (rich)."""

from __future__ import annotations

from typing import Any

from results_md import RESULT_COLUMNS, check_rows, events_label, result_rows
from rich.console import Console
from rich.table import Table


def print_machine(console: Console, facts: dict[str, Any]) -> None:
    disk = facts["disk"]
    versions = ", ".join(f"{k} {v}" for k, v in facts["versions"].items())
    console.print(
        f"[bold]machine[/]: {facts['cpu_model']}, {facts['cpu_count']} CPUs, "
        f"{facts['ram_gib']} GiB RAM, {disk['device']} {disk['fstype']} "
        f"({disk['free_gib']} GiB free in {disk['path']}), {facts['os']}, {facts['kernel']}\n"
        f"[bold]versions[/]: {facts['python']}, {versions}, java: {facts['java'] or 'none'}; "
        f"commit {facts['commit']}; load average {facts['load_start'][0]}"
    )


def size_table(report: dict[str, Any], size: dict[str, Any]) -> Table:
    """Scan floor and every contender × step for one size."""
    table = Table(title=f"{events_label(size['events'])} events ({size['rows']:,} rows, "
                        f"{size['dump_mib']:,.0f} MiB dump)", title_justify="left")
    for i, name in enumerate(RESULT_COLUMNS[1:]):
        table.add_column(name, justify="left" if i < 2 else "right")
    for row in result_rows(report, size):
        table.add_row(*row[1:])
    return table


def check_lines(report: dict[str, Any], size: dict[str, Any]) -> list[str]:
    """One line per contender: its weekly table against m2if's, and its row account."""
    lines = []
    for _, title, verdict, loaded, dups, bad, _store in check_rows(report, size):
        colour = "red" if "DIFFER" in verdict else "green"
        lines.append(f"[{colour}]{title}[/]: {verdict}; loaded {loaded}, duplicates {dups}, "
                     f"set aside {bad}")
    return lines
