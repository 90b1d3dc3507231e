"""What a file dropped in an inbox is (``m2if run weekly``), from its name and header row,
and the one call that loads it.

    kind = detect.kind_of(Path("inbox/notes.csv"))      # 'grades'
    account = detect.ingest_any(ws.con, path, ws.cfg, ws.pseudo)

Kinds, in the order an inbox is loaded (the roster first, so that the logs' names find
their students): ``roster``, ``moodle`` (a Logs download or a logstore dump), ``xapi``
(.json, .jsonl, .ndjson, gzip or not), ``grades``, ``deadlines``, ``submissions``,
``internship`` (days or mission letters), ``milestones``, ``resources`` (documents
provided), ``forum`` (a forum_posts dump). A file that
matches none is an :class:`IngestError` naming what was expected.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from m2if_analytics.config import Config
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest import moodle_download, moodle_logstore
from m2if_analytics.ingest.common import (
    IngestAccount,
    check_input,
    first_line,
    fold_header,
    sniff_delimiter,
)
from m2if_analytics.ingest.forum import ingest_forum_file
from m2if_analytics.ingest.moodle import ingest_moodle_file
from m2if_analytics.ingest.programme import INGESTERS, is_mission_letters
from m2if_analytics.ingest.programme_specs import (
    DEADLINES,
    GRADES,
    INTERNSHIP,
    MILESTONES,
    RESOURCES,
    SUBMISSIONS,
    Spec,
)
from m2if_analytics.ingest.roster import ALIASES as ROSTER_ALIASES
from m2if_analytics.ingest.roster import ingest_roster_file
from m2if_analytics.ingest.xapi import ingest_xapi_file
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser

KINDS = ("roster", "moodle", "xapi", "grades", "deadlines", "submissions", "internship",
         "milestones", "resources", "forum")
XAPI_SUFFIXES = (".json", ".jsonl", ".ndjson")
FORUM_COLUMNS = {"discussion", "parent", "userid", "created"}
# in this order: a submissions file may name its assignments by cmid, so resources come last
PROGRAMME: tuple[Spec, ...] = (GRADES, DEADLINES, SUBMISSIONS, INTERNSHIP, MILESTONES, RESOURCES)


def _has(folded: set[str], spec: Spec) -> bool:
    return all(any(folded & spec.aliases[role] for role in choice) for choice in spec.required)


def kind_of(path: Path) -> str:
    """The kind of ``path`` (see the module's docstring); IngestError when it is none."""
    check_input(path)
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(XAPI_SUFFIXES):
        return "xapi"
    header = first_line(path)
    if moodle_logstore.is_logstore(header):
        return "moodle"
    fields = header.split(sniff_delimiter(header, path))
    if moodle_download.is_download(fields):
        return "moodle"
    folded = {fold_header(f) for f in fields}
    if {fold_header(c) for c in FORUM_COLUMNS} <= folded:
        return "forum"
    roster = {role for role, names in ROSTER_ALIASES.items() if folded & names}
    if "role" in roster and ({"full_name", "last_name"} & roster):
        return "roster"
    for spec in PROGRAMME:
        if _has(folded, spec):
            return spec.kind
    if is_mission_letters(fields):
        return "internship"
    raise IngestError(
        f"{path}, line 1: cannot tell what this file is from its header (expected a Moodle "
        "log download or logstore dump, xAPI statements (.json/.jsonl), a roster with a role "
        "column, grades, deadlines, submissions, internship days, mission letters, "
        "milestones, a resources list (cmid) or a forum_posts dump); load it with the "
        "matching `m2if ingest <kind>` command")


Loader = Callable[[duckdb.DuckDBPyConnection, Path, Config, Pseudonymiser, str | None],
                  IngestAccount]


def _xapi(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config, pseudo: Pseudonymiser,
          cohort: str | None) -> IngestAccount:
    return ingest_xapi_file(con, path, cfg, pseudo)


LOADERS: dict[str, Loader] = {
    "roster": ingest_roster_file, "moodle": ingest_moodle_file, "xapi": _xapi,
    "forum": ingest_forum_file, **INGESTERS}


def ingest_any(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config, pseudo: Pseudonymiser,
               cohort: str | None = None, kind: str | None = None) -> IngestAccount:
    """Load ``path`` with the loader of its kind (detected unless given)."""
    return LOADERS[kind or kind_of(path)](con, path, cfg, pseudo, cohort)
