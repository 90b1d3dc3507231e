"""``m2if ingest forum``: dumps of Moodle's ``forum_posts`` table, structure and sizes only.

Who answered whom and when is kept; what was written is not: subject and message are read
only to count the message's words and characters when the dump lacks Moodle's own
``wordcount`` / ``charcount``, then dropped (they carry names). The author is a user id or a
full name, pseudonymised like a log row and resolved through the roster. Posts with
``deleted = 1`` (blanked by Moodle's privacy API after an erasure request) are not loaded.
The format is documented in docs/forum.md. Each file is one transaction; bad rows are
quarantined with their line and reason; rows read = loaded + duplicates + quarantined.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from m2if_analytics.config import Config
from m2if_analytics.errors import IngestError
from m2if_analytics.ingest.common import (
    IngestAccount,
    check_input,
    header_roles,
    new_file_id,
    quarantine,
    record_file,
    register_idents,
    register_names,
)
from m2if_analytics.ingest.csvfile import read_export
from m2if_analytics.ingest.programme_values import RowError
from m2if_analytics.text import shown
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser, is_number_text, normalise_id
from m2if_analytics.warehouse.sql import frame, query, register, run_sql, transaction

# folded header → role (see fold_header); the subject column is never read
ALIASES = {
    "post_id": {"id", "post id", "postid"},
    "discussion": {"discussion", "discussion id", "discussionid"},
    "parent": {"parent", "parent id", "parentid"},
    "user_id": {"userid", "user id"},
    "full_name": {"userfullname", "user full name", "full name", "fullname", "author",
                  "auteur", "nom complet", "nom complet de l'utilisateur"},
    "first_name": {"firstname", "first name", "prenom"},
    "last_name": {"lastname", "last name", "nom de famille"},
    "created": {"created"},
    "modified": {"modified"},
    "message": {"message"},
    "deleted": {"deleted"},
    "wordcount": {"wordcount", "word count"},
    "charcount": {"charcount", "char count"},
    "forum": {"forum", "forum id", "forumid"},
}
REQUIRED = ("post_id", "discussion", "parent", "created")
NULLS = {"", "\\N", "NULL", "null"}
MAX_SECONDS = 17179869183  # 2514-05-30: beyond it a "Unix time" is not one
_INT = re.compile(r"[+-]?[0-9]+")

# Moodle's count_words / count_letters: a space after closing block tags and <br>, tags
# stripped, entities decoded; words are whitespace-separated, letters non-space characters.
_BLOCK_END = re.compile(
    r"(</(?!(?:a|b|del|em|i|ins|s|small|span|strong|sub|sup|u)>)\w+>|<br\s*/?>)", re.I)
_TAG = re.compile(r"<[^>]*>")


def word_count(message: str) -> int:
    """Words of a post's HTML message, as Moodle's ``count_words`` counts them."""
    return len(html.unescape(_TAG.sub("", _BLOCK_END.sub(r"\1 ", message))).split())


def char_count(message: str) -> int:
    """Non-space characters of a post's HTML message, as Moodle's ``count_letters``."""
    return len("".join(html.unescape(_TAG.sub("", message)).split()))


@dataclass(frozen=True)
class _Post:
    k: str  # hashed identity of the author
    post_id: int
    discussion_id: int
    parent_id: int | None
    forum_id: int | None
    created: int
    modified: int | None
    wordcount: int | None
    charcount: int | None


def _whole(value: str, what: str, minimum: int, maximum: int = 2**63 - 1) -> int:
    text = value.strip()
    if text.endswith(".0"):  # numbers re-saved by a spreadsheet
        text = text[:-2]
    if not _INT.fullmatch(text) or not minimum <= int(text) <= maximum:
        raise RowError(f"{what} {shown(value)} is not a whole number from {minimum}")
    return int(text)


class _Reader:
    """Turns one record into a post, or raises RowError with the quarantine reason."""

    def __init__(self, cols: dict[str, int], header: list[str], pseudo: Pseudonymiser) -> None:
        self.cols, self.pseudo = cols, pseudo
        self.names = {role: header[index].strip() for role, index in cols.items()}
        self.idents: dict[tuple[str, str], str | None] = {}  # one hash per distinct author

    def get(self, fields: list[str], role: str) -> str | None:
        value = fields[self.cols[role]] if role in self.cols else ""
        return None if value.strip() in NULLS else value

    def author(self, fields: list[str]) -> str:
        uid = self.get(fields, "user_id")
        if uid is not None and normalise_id(uid) != "0":
            if not is_number_text(normalise_id(uid)):
                raise RowError(f"userid {shown(uid)} is not a Moodle user id")
            kind, value = "id", normalise_id(uid)
        else:
            name = self.get(fields, "full_name") or " ".join(
                p for p in (self.get(fields, "first_name"), self.get(fields, "last_name")) if p)
            kind, value = "name", name
        if (kind, value) not in self.idents:
            self.idents[kind, value] = (self.pseudo.id_ident(value) if kind == "id"
                                        else self.pseudo.name_ident(value))
        ident = self.idents[kind, value]
        if ident is None:
            raise RowError("no author: userid is empty or 0 and there is no full name")
        return ident

    def count(self, fields: list[str], role: str, message: str | None) -> int | None:
        given = self.get(fields, role)
        if given is not None and _INT.fullmatch(given.strip()) and int(given) >= 0:
            return int(given)
        if message is None:
            return None
        return word_count(message) if role == "wordcount" else char_count(message)

    def post(self, fields: list[str]) -> _Post:
        deleted = self.get(fields, "deleted")
        if deleted is not None and deleted.strip().lower() not in ("0", "false", "f"):
            raise RowError("deleted post (deleted = 1: its text was erased in Moodle; "
                           "not loaded, see docs/forum.md)")
        need = {r: self.get(fields, r) for r in REQUIRED}
        empty = [r for r, v in need.items() if v is None]
        if empty:
            hint = " (0 = a discussion's first post)" if "parent" in empty else ""
            raise RowError(f"empty {', '.join(self.names[r] for r in empty)}{hint}")
        post_id = _whole(need["post_id"] or "", "id", 1)
        parent = _whole(need["parent"] or "", "parent", 0)
        if parent == post_id:
            raise RowError(f"post {post_id} is its own parent")
        forum, modified = self.get(fields, "forum"), self.get(fields, "modified")
        message = self.get(fields, "message")
        return _Post(
            k=self.author(fields), post_id=post_id,
            discussion_id=_whole(need["discussion"] or "", "discussion", 1),
            parent_id=parent or None,
            forum_id=None if forum is None else _whole(forum, "forum", 1),
            created=_whole(need["created"] or "", "created (Unix seconds)", 1, MAX_SECONDS),
            modified=(None if modified is None
                      else _whole(modified, "modified (Unix seconds)", 0, MAX_SECONDS)),
            wordcount=self.count(fields, "wordcount", message),
            charcount=self.count(fields, "charcount", message))


def _columns(header: list[str], path: Path) -> dict[str, int]:
    cols = header_roles(header, ALIASES)
    missing = ["id" if r == "post_id" else r for r in REQUIRED if r not in cols]
    if not ({"user_id", "full_name"} & set(cols) or {"first_name", "last_name"} <= set(cols)):
        missing.append("userid or a full name (userfullname, author, auteur...)")
    if missing:
        raise IngestError(f"{path}, line 1: a forum_posts dump needs the column(s) "
                          f"{', '.join(missing)} (found {len(header)} columns); see "
                          "docs/forum.md")
    return cols


def _read(path: Path, pseudo: Pseudonymiser
          ) -> tuple[int, list[tuple[int, _Post]], int, list[tuple[int | None, str]], int,
                     list[str]]:
    """(rows read, posts to stage, in-file duplicates, quarantined rows, recoded lines,
    author names) of one dump."""
    export = read_export(path)
    header = export.header
    reader = _Reader(_columns(header, path), header, pseudo)
    kept: dict[int, tuple[int, _Post]] = {}
    bad: list[tuple[int | None, str]] = list(export.bad)
    read, duplicates = export.read, 0
    for start, fields in export.records:
        if len(fields) != len(header):
            bad.append((start, f"expected {len(header)} fields, found {len(fields)}"))
            continue
        try:
            post = reader.post(fields)
        except RowError as exc:
            bad.append((start, str(exc)))
            continue
        if post.post_id not in kept:
            kept[post.post_id] = (start, post)
        elif kept[post.post_id][1] == post:
            duplicates += 1
        else:
            bad.append((start, f"post {post.post_id} is already on line "
                               f"{kept[post.post_id][0]} with other values; keep one"))
    names = [value for kind, value in reader.idents if kind == "name"]
    return read, list(kept.values()), duplicates, bad, len(export.recoded), names


def _staged(posts: list[tuple[int, _Post]]) -> pl.DataFrame:
    fields = ("post_id", "discussion_id", "parent_id", "forum_id", "created", "modified")
    return pl.DataFrame(
        {"line": [line for line, _ in posts], "k": [p.k for _, p in posts],
         **{f: [getattr(p, f) for _, p in posts] for f in fields},
         "wordcount": [p.wordcount for _, p in posts],
         "charcount": [p.charcount for _, p in posts]},
        schema={"line": pl.Int64, "k": pl.String, **dict.fromkeys(fields, pl.Int64),
                "wordcount": pl.Int32, "charcount": pl.Int32})


def ingest_forum_file(con: duckdb.DuckDBPyConnection, path: Path, cfg: Config,
                      pseudo: Pseudonymiser, cohort_id: str | None = None,
                      strict: bool = False) -> IngestAccount:
    """Load one ``forum_posts`` dump; the file is one transaction.

    ``cohort_id`` is only checked against the configuration: posts belong to cohorts through
    their author's roster entry and their dates.
    """
    path = Path(path)
    check_input(path)
    if cohort_id is not None:
        cfg.cohort(cohort_id)
    read, posts, in_file_duplicates, bad, recoded, names = _read(path, pseudo)
    if strict and bad:
        raise IngestError(f"{path}, line {bad[0][0]}: {bad[0][1]} (--strict: nothing loaded; "
                          f"{len(bad)} bad row(s) in all)")
    with transaction(con):
        file_id = new_file_id(con)
        register_idents(con, {p.k: p.k for _, p in posts}, pl.String)
        register_names(con, pseudo, names)
        register(con, "_forum_df", _staged(posts))
        con.execute("CREATE OR REPLACE TEMP TABLE _forum_staged AS SELECT * FROM _forum_df")
        con.unregister("_forum_df")
        run_sql(con, query("ingest/forum_merge.sql"), {"file_id": file_id})
        status = dict(con.execute("SELECT status, count(*) FROM _forum_cmp GROUP BY status")
                      .fetchall())
        conflicts = con.execute("SELECT line, post_id, stored_from FROM _forum_cmp "
                                "WHERE status = 'conflict' ORDER BY line").fetchall()
        con.execute("DROP TABLE _forum_cmp")
        con.execute("DROP TABLE _forum_staged")
        bad += [(line, f"post {post_id} is already stored (from {stored}) with another author "
                       "or creation time; one warehouse holds one platform's posts")
                for line, post_id, stored in conflicts]
        if strict and conflicts:
            raise IngestError(f"{path}, line {bad[-len(conflicts)][0]}: "
                              f"{bad[-len(conflicts)][1]} (--strict: nothing loaded)")
        loaded = status.get("new", 0) + status.get("edited", 0)
        account = IngestAccount(path.name, read, loaded,
                                in_file_duplicates + status.get("same", 0), len(bad),
                                recoded)
        quarantine(con, file_id, path, sorted(bad, key=lambda b: b[0] or 0))
        record_file(con, file_id, path, "forum", "forum_posts", account)
    return account


def forum_log_links(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each stored post with the instant of the log event that recorded its creation
    (``event_ts`` null when the logs hold none): a match on author and second, since the
    warehouse keeps no log object ids (queries/ingest/forum_log_links.sql)."""
    return frame(con, query("ingest/forum_log_links.sql").statements[0])
