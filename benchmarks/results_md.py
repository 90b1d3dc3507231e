"""Write ``benchmarks/results.md`` from a run's figures (the JSON ``run.py`` also saves).

    python benchmarks/results_md.py benchmarks/last_run.json [--out benchmarks/results.md]

Everything above the notes section is regenerated; the notes section (hand-written context
that stays true from run to run) is carried over from the file being replaced, and so are the
sections other scripts write when this run has nothing newer: the report rendering line and
"Reports at scale" (when ``report_bench.json`` / ``report_scale.json`` are not in the bench
folder, e.g. ``run.py`` run alone), and the "Pull from PostgreSQL" section (``pull_bench.py``
rewrites it after ``run.py`` in ``make bench``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import scale_md

NOTES_START = "<!-- notes: kept as written by every run of benchmarks/run.py -->"
NOTES_END = "<!-- end of notes -->"
STEPS = ("ingest", "weekly", "end_to_end")
POLARS = "polars"  # the lazy Polars peer (contenders/polars_lazy.py)
STEP_LABELS = {"scan": "scan floor", "ingest": "ingest", "weekly": "weekly",
               "end_to_end": "end to end"}
RESULT_COLUMNS = ["events", "contender", "step", "wall (s)", "peak memory (MiB)", "rows/s",
                  "pandas ÷ this", "pandas equal-work ÷ this", "Polars ÷ this", "× scan floor"]
CHECK_COLUMNS = ["events", "contender", "weekly table", "loaded", "duplicates", "set aside",
                 "store (MiB)"]
DEFAULT_NOTES = "(No notes yet: add context here; later runs keep this section as written.)"
# Sections written from other scripts' figures, kept from the previous file when absent here.
REPORT_BENCH = ("<!-- report-bench:begin -->", "<!-- report-bench:end -->")
REPORT_SCALE = ("<!-- report-scale:begin -->", "<!-- report-scale:end -->")
PULL_BENCH = ("<!-- pull-bench:begin -->", "<!-- pull-bench:end -->")  # as pull_bench.py
INPUT = """\
Input: synthetic `logstore_standard_log` dumps written by `benchmarks/generate_logstore.py`
(21 columns, 2,000 students over the 2026-10-05 – 2027-07-02 year, about 0.1 % exact duplicate
rows and 0.01 % rows without a user, both DST changes and both holiday ranges crossed; the
same bytes for a given size and DuckDB version). Configuration: Europe/Paris, 15 h weekly
target, 30 min inactivity timeout, 60 s for a session's last event, no roster (every user is
a student)."""
METHOD = """\
Each step runs in a fresh process, one after the other, on the same dump; wall time includes
interpreter start and imports (about 0.2–0.5 s per Python process), as a user pays them. Peak
memory is the larger of the step's `ru_maxrss` (the step is forked by a small launcher, so the
harness's own memory does not leak into it) and the summed RSS of its process tree sampled
every 0.1 s (which counts Spark's JVM). rows/s = rows of the dump ÷ the step's wall
time. The **scan floor** is DuckDB reading the dump once (`count(*)` and the three columns the
weekly table needs, `benchmarks/scan_floor.py`); it runs first, so the dump is in the page cache
for every contender after it. "pandas ÷ this" is the minimal pandas baseline's time for the
same step divided by this contender's (above 1: faster than pandas), "Polars ÷ this" the same
against the lazy Polars peer (issue 16's target for m2if end to end: at least 0.70×); "× scan
floor" is the
step's time in scan floors. An in-memory contender is skipped, with the reason printed, when its
expected peak (measured at the previous size, scaled linearly; otherwise a per-event guess)
exceeds the memory budget, and any step going over the budget is stopped. Every contender's
weekly table is compared with m2if's: same rows, same students (all contenders use m2if's
keyed pseudonyms with the same key), hours within 1e-6 h."""


def events_label(n: int) -> str:
    for factor, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= factor and n % factor == 0:
            return f"{n // factor:,} {suffix}"
    return f"{n:,}"


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or not denominator:
        return "—"
    return f"{numerator / denominator:.2f}×"


def _seconds(size: dict[str, Any], name: str, step: str) -> float | None:
    result = size["results"].get(name, {})
    return result.get("steps", {}).get(step, {}).get("seconds")


def result_rows(report: dict[str, Any], size: dict[str, Any]) -> list[list[str]]:
    """The results table's rows for one size: the scan floor, then contender × step."""
    events = events_label(size["events"])
    scan = size["scan"]
    rows = [[events, "DuckDB", STEP_LABELS["scan"], _num(scan["seconds"]),
             _num(scan["peak_rss_mib"], 0), _num(scan["rows_per_s"], 0), "", "", "", "1.00×"]]
    for name, result in size["results"].items():
        if result["status"] != "ok":
            continue
        title = report["contenders"][name]["title"]
        for step in STEPS:
            figures = result["steps"].get(step)
            if not figures:
                continue
            mine = figures["seconds"]
            rows.append([
                events, title, STEP_LABELS[step], _num(mine), _num(figures["peak_rss_mib"], 0),
                _num(figures["rows_per_s"], 0),
                _ratio(_seconds(size, report["pandas"], step), mine),
                _ratio(_seconds(size, report["pandas_equal"], step), mine),
                _ratio(_seconds(size, POLARS, step), mine),
                _ratio(mine, scan["seconds"]),
            ])
    return rows


def check_rows(report: dict[str, Any], size: dict[str, Any]) -> list[list[str]]:
    """Per contender that ran: its weekly table against m2if's and its row account."""
    rows = []
    for name, result in size["results"].items():
        if result["status"] != "ok":
            continue
        account = (result.get("accounts") or [{}])[0]
        store = result.get("store_mib")
        rows.append([events_label(size["events"]), report["contenders"][name]["title"],
                     check_text(result.get("check")),
                     _num(account.get("loaded"), 0), _num(account.get("duplicates"), 0),
                     _num(account.get("quarantined"), 0), _num(store, 1)])
    return rows


def check_text(check: dict[str, Any] | None) -> str:
    if check is None:
        return "not compared"
    if "error" in check:
        return f"not compared: {check['error']}"
    if check.get("reference"):
        return f"reference ({check['rows_ours']:,} rows)"
    if "max_hours_diff" not in check:  # a row count only (Spark)
        verdict = "same row count" if check["ok"] else "DIFFERENT row count"
        return f"{verdict} ({check['rows_baseline']:,} vs {check['rows_ours']:,} rows)"
    if check["ok"]:
        return (f"identical ({check['rows_baseline']:,} rows, max Δhours "
                f"{check['max_hours_diff']:.0e})")
    return (f"DIFFERS ({check['rows_only_baseline']:,} rows only here, "
            f"{check['rows_only_ours']:,} only in m2if)")


def not_run(report: dict[str, Any]) -> list[str]:
    lines = []
    for size in report["sizes"]:
        for name, result in size["results"].items():
            if result["status"] != "ok":
                title = report["contenders"][name]["title"]
                reason = " ".join(str(result.get("reason", "")).split())
                lines.append(f"- {events_label(size['events'])}, {title}: {result['status']}"
                             f" — {reason}")
        if size.get("skipped"):
            lines.append(f"- {events_label(size['events'])}: size skipped — {size['skipped']}")
    return lines


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |",
             "|" + "|".join("---" if i < 3 else "---:" for i in range(len(columns))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _size(report: dict[str, Any], events: int) -> dict[str, Any] | None:
    for size in report["sizes"]:
        if size["events"] == events and "scan" in size:
            return size
    return None


def targets(report: dict[str, Any]) -> list[str]:
    """The issue's acceptance figures, computed from this run (reported, not asserted)."""
    ours, pandas = "m2if", report["pandas"]
    lines = []
    ten = _size(report, 10_000_000)
    if ten and _seconds(ten, ours, "end_to_end") and _seconds(ten, pandas, "end_to_end"):
        mine, theirs = _seconds(ten, ours, "end_to_end"), _seconds(ten, pandas, "end_to_end")
        ratio = theirs / mine
        lines.append(f"- 10 M events end to end: m2if {mine:.2f} s, pandas {theirs:.2f} s: "
                     f"**{ratio:.2f}×** faster than pandas (target ≥ 4×: "
                     f"{'met' if ratio >= 4 else 'not met'}).")
    else:
        lines.append("- 10 M events end to end vs pandas: not measured in this run.")
    weekly = _seconds(ten, ours, "weekly") if ten else None
    if ten and weekly:
        ratio = weekly / ten["scan"]["seconds"]
        lines.append(f"- 10 M events, weekly step: m2if {weekly:.2f} s = **{ratio:.1f}×** the "
                     f"scan floor ({ten['scan']['seconds']:.2f} s; target ≤ 10×: "
                     f"{'met' if ratio <= 10 else 'not met'}).")
    else:
        lines.append("- 10 M events, weekly step vs scan floor: not measured in this run.")
    for step in ("ingest", "end_to_end"):
        mine = _seconds(ten, ours, step) if ten else None
        peer = _seconds(ten, POLARS, step) if ten else None
        if mine and peer:
            verdict = ("met" if peer / mine >= 0.7 else "not met") if step == "end_to_end" else ""
            lines.append(f"- 10 M events, {STEP_LABELS[step]}: m2if {mine:.2f} s, Polars lazy "
                         f"{peer:.2f} s: m2if at **{peer / mine:.2f}×** Polars' speed"
                         + (f" (issue 16 target ≥ 0.70×: {verdict})." if verdict else "."))
    big = [s for s in report["sizes"] if s["events"] >= 100_000_000 and "scan" in s]
    for size in big:
        result = size["results"].get(ours, {})
        e2e = result.get("steps", {}).get("end_to_end")
        label = events_label(size["events"])
        if result.get("status") == "ok" and e2e:
            lines.append(f"- {label} events on one machine: m2if completed, **{e2e['seconds']:,.1f}"
                         f" s** end to end at **{e2e['peak_rss_mib']:,.0f} MiB** peak memory.")
        else:
            lines.append(f"- {label} events: m2if {result.get('status', 'did not run')} "
                         f"({result.get('reason', '')}).")
    if not big:
        lines.append("- 100 M events: not measured in this run.")
    return lines


def _machine(facts: dict[str, Any], report: dict[str, Any]) -> list[str]:
    disk, versions = facts["disk"], facts["versions"]
    cores = f", {facts['physical_cores']} physical cores" if facts.get("physical_cores") else ""
    libraries = ", ".join(f"{k} {v}" for k, v in versions.items())
    load = report.get("load_end")
    rows = [
        ["CPU", f"{facts['cpu_model']}: {facts['cpu_count']} logical CPUs{cores} "
                f"({facts['usable_cpus']} usable)"],
        ["memory", f"{facts['ram_gib']} GiB RAM"],
        ["disk", f"{disk['device']} ({disk['fstype']}, {disk['kind']}), {disk['total_gib']} GiB,"
                 f" {disk['free_gib']} GiB free at start; files in `{disk['path']}`"],
        ["OS", f"{facts['os']}, {facts['kernel']}"],
        ["Python", facts["python"]],
        ["libraries", libraries],
        ["Java", facts["java"] or "not found"],
        ["code", f"commit {facts['commit']}"],
        ["load average", f"{facts['load_start'][0]} at start"
                         + (f", {load[0]} at the end" if load else "")
                         + f" (1-minute; {facts['cpu_count']} CPUs)"],
    ]
    return ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]


def _busy(facts: dict[str, Any]) -> list[str]:
    load, cpus = facts["load_start"][0], facts["cpu_count"] or 1
    if load <= cpus / 2:
        return []
    return ["", f"**Busy machine**: the load average was {load} on {cpus} CPUs when the run "
                "started, so other work competed for the CPUs; absolute times are inflated and "
                "noisy, and even same-run ratios are approximate. Final figures need a quiet "
                "machine."]


def block(text: str, markers: tuple[str, str]) -> str | None:
    """The part of ``text`` from the first marker to the second, both included."""
    begin, end = markers
    if begin not in text or end not in text.split(begin, 1)[1]:
        return None
    return begin + text.split(begin, 1)[1].split(end, 1)[0] + end


def _kept(lines: list[str], markers: tuple[str, str], previous: str) -> list[str]:
    """``lines`` between ``markers``, or the previous file's block when there are none."""
    if lines:
        return ["", markers[0], *lines, markers[1]]
    old = block(previous, markers)
    return ["", old] if old else []


def render(report: dict[str, Any], notes: str = DEFAULT_NOTES, previous: str = "") -> str:
    """The whole results.md for one run (``previous``: the file it replaces)."""
    facts = report["machine"]
    sizes = ", ".join(events_label(s["events"]) for s in report["sizes"])
    repeat = report.get("repeat", 1)
    out = [
        "# Benchmark results",
        "",
        "<!-- Written by benchmarks/run.py (make bench); edit only the notes section. -->",
        "",
        f"Run of {facts['date'][:16].replace('T', ' ')} UTC: `{report['command']}`, sizes "
        f"{sizes}, {'one run per step' if repeat == 1 else f'median of {repeat} runs'}; "
        f"memory budget {report['memory_budget_gib']:.1f} GiB.",
        *_busy(facts),
        "",
        "## Machine",
        "",
        *_machine(facts, report),
        "",
        "## Method",
        "",
        INPUT,
        "",
        METHOD,
        "",
        "## Contenders",
        "",
    ]
    for info in report["contenders"].values():
        out.append(f"- **{info['title']}**: {info['does']}")
    out += ["", "## Results", ""]
    rows = [row for size in report["sizes"] if "scan" in size
            for row in result_rows(report, size)]
    out += _table(RESULT_COLUMNS, rows)
    skipped = not_run(report)
    if skipped:
        out += ["", "Not run:", "", *skipped]
    out += ["", "## Weekly tables and row accounts", ""]
    checks = [row for size in report["sizes"] if "scan" in size
              for row in check_rows(report, size)]
    out += _table(CHECK_COLUMNS, checks)
    notes_lines = [f"- {events_label(s['events'])}, {report['contenders'][n]['title']}: {note}"
                   for s in report["sizes"] for n, r in s["results"].items()
                   for note in r.get("notes", [])]
    if notes_lines:
        out += ["", *notes_lines]
    out += ["", "## Issue 7 targets (figures of this run)", "", *targets(report)]
    bench = report.get("report_bench")
    rendering = [f"Weekly report rendering on the sample cohort (`benchmarks/report_bench.py`, "
                 f"{bench['date'][:10]}): `m2if report weekly` {bench['whole_s']:.1f} s, the "
                 f"notebook alone {bench['notebook_s']:.1f} s (budget {bench['budget_s']:g} s)."
                 ] if bench else []
    out += _kept(rendering, REPORT_BENCH, previous)
    out += _kept(scale_md.section(report.get("report_scale"))[1:], REPORT_SCALE, previous)
    out += ["", "## Notes", "", NOTES_START, notes.strip("\n"), NOTES_END, ""]
    pull = block(previous, PULL_BENCH)
    if pull:
        out += [pull, ""]
    return "\n".join(out)


def kept_notes(path: Path) -> str:
    """The notes section of an existing results.md, or the default text."""
    if not path.is_file():
        return DEFAULT_NOTES
    text = path.read_text(encoding="utf-8")
    if NOTES_START not in text or NOTES_END not in text:
        return DEFAULT_NOTES
    return text.split(NOTES_START, 1)[1].split(NOTES_END, 1)[0].strip("\n")


def write(path: Path, report: dict[str, Any]) -> None:
    """(Re)write results.md at ``path``, keeping its notes section."""
    previous = path.read_text(encoding="utf-8") if path.is_file() else ""
    text = render(report, kept_notes(path), previous)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figures", type=Path, help="a run's JSON (benchmarks/last_run.json)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    args = parser.parse_args()
    write(args.out, json.loads(args.figures.read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
