"""The "Reports at scale" section of results.md, from ``report_scale.py``'s figures."""

from __future__ import annotations

from typing import Any

REPORTS = {"weekly": "weekly report", "cohort": "cohort overview"}
COLUMNS = ["students", "report", "before: render (s)", "before: size (MB)",
           "first render (s)", "render (s)", "size (MB)", "peak memory (MiB)"]


def section(record: dict[str, Any] | None) -> list[str]:
    """Lines of the section (none when ``report_scale.py`` has not run)."""
    if not record:
        return []
    before = record.get("before", {})
    rows = []
    for figures in record["results"]:
        for report, label in REPORTS.items():
            now = figures[report]
            old = before.get(str(figures["students"]), {}).get(report)
            rows.append([f"{figures['students']:,}", label,
                         f"{old['seconds']:.1f}" if old else "—",
                         f"{old['bytes'] / 1e6:.1f}" if old else "—",
                         f"{now['first_s']:.1f}", f"{now['render_s']:.1f}",
                         f"{now['bytes'] / 1e6:.1f}", f"{now['peak_mib']:,.0f}"])
    return ["", "## Reports at scale", "",
            f"`benchmarks/report_scale.py` ({record['date'][:10]}, {record['cores']} cores): one "
            "cohort of the first 20, 200 and 2,000 students of the 10 M dump, no roster; "
            "`m2if report weekly|cohort`, each in a fresh process, page with plotly.js inline. "
            "The first render after the ingestion also judges and stores every week's risk "
            "levels; the next ones read them. Before: commit ece6072, one heatmap row and one "
            "menu entry per student, levels judged again at every render.", "",
            "| " + " | ".join(COLUMNS) + " |",
            "|" + "|".join(["---", "---"] + ["---:"] * (len(COLUMNS) - 2)) + "|",
            *["| " + " | ".join(row) + " |" for row in rows]]
