"""A resources list read for one command (``m2if coverage --resources FILE``): the columns,
English and French aliases, encodings and checks of ``m2if ingest resources``, nothing stored.

    listed = read_resources_list(Path("ressources.csv"), cfg)   # course_id, cmid, listed_ue, name

A list is small and given on purpose, so the first bad row stops the command with its file,
line and reason (``m2if ingest resources`` quarantines it instead).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from m2if_analytics.config import Config
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import header_roles
from m2if_analytics.ingest.csvfile import read_export
from m2if_analytics.ingest.programme_specs import RESOURCES
from m2if_analytics.ingest.programme_values import RowError

SCHEMA = {"course_id": pl.Int64, "cmid": pl.Int64, "listed_ue": pl.String, "name": pl.String}


def read_resources_list(path: Path, cfg: Config) -> pl.DataFrame:
    """course_id, cmid, listed_ue (the configured UE code), name of every row of ``path``;
    an :class:`IngestError` naming the file and line at the first row that cannot be read."""
    export = read_export(path)
    cols = header_roles(export.header, RESOURCES.aliases)
    if "cmid" not in cols:
        raise IngestError(f"{path}: no cmid column (course module ids, one per document: "
                          f"cmid, id du module...); columns: {', '.join(export.header)}")
    if export.bad:
        line, reason = export.bad[0]
        raise IngestError(f"{path}, line {line}: {reason}")
    rows = []
    for line, fields in export.records:
        if len(fields) != len(export.header):
            raise IngestError(f"{path}, line {line}: expected {len(export.header)} fields, "
                              f"found {len(fields)}")

        def get(role: str, fields: list[str] = fields) -> str:
            return fields[cols[role]].strip() if role in cols else ""

        try:
            row = RESOURCES.parse(get, cfg)
        except RowError as exc:
            raise IngestError(f"{path}, line {line}: {exc}; fix the list (one document per "
                              "row)") from None
        rows.append((row["course_id"], row["cmid"], row["ue"], row["name"]))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")
