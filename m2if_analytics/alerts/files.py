"""The digests of a week as files: ``<key>.html`` and ``<key>.txt`` per digest, and
``digests.json`` listing them (key, kind, subject, files, counts) for ``m2if alerts send``."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from m2if_analytics.alerts import render
from m2if_analytics.alerts.digest import COHORT_KEY, Digest, build_digests
from m2if_analytics.outputs import write_text
from m2if_analytics.privacy.mapping import load_mapping
from m2if_analytics.risk import flags
from m2if_analytics.warehouse import sql
from m2if_analytics.warehouse.workspace import Workspace

MANIFEST = "digests.json"


def file_stem(d: Digest) -> str:
    """``tutor-HV``, ``group-A``, ``cohort``: safe as a file name."""
    if d.key == COHORT_KEY:
        return "cohort"
    return f"{d.kind}-" + re.sub(r"[^A-Za-z0-9._-]", "_", d.key)


def write_digests(ws: Workspace, cohort: str | None, week: str | dt.date | None, out: Path,
                  mapping: Path | None = None, lang: str | None = None) -> list[Path]:
    """Write the digests of ``week`` (default: the last complete week) into ``out``; names
    only with ``mapping``. The paths written (the manifest last)."""
    lang = lang or ws.cfg.alerts.lang
    c = ws.cfg.cohort(cohort)
    table = flags(ws, c.id, week, lang)
    tutors = sql.select(ws.tables, "alerts/tutors.sql", {"c": c.id})
    names = load_mapping(mapping) if mapping is not None else {}
    written: list[Path] = []
    entries = []
    for d in build_digests(table, c.id, tutors):
        stem = file_stem(d)
        html_path = write_text(out / f"{stem}.html", render.html(d, lang, names))
        text_path = write_text(out / f"{stem}.txt", render.text(d, lang, names))
        written += [html_path, text_path]
        entries.append({"key": d.key, "kind": d.kind, "subject": render.subject(d, lang),
                        "html": html_path.name, "text": text_path.name,
                        "new": len(d.new), "uncontacted": len(d.uncontacted),
                        "resolved": len(d.resolved), **d.counts,
                        "names": mapping is not None})
    manifest = {"cohort": c.id, "week_start": table["week_start"][0].isoformat(),
                "lang": lang, "digests": entries}
    written.append(write_text(out / MANIFEST, json.dumps(manifest, indent=1,
                                                         ensure_ascii=False) + "\n"))
    return written
