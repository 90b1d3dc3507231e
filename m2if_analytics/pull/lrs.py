"""``m2if pull lrs``: statements from an xAPI 1.0.3 LRS, incrementally.

``GET <endpoint>/statements?since=<mark>&limit=N`` (``until`` when asked) with the
``X-Experience-API-Version`` header and basic auth, then every ``more`` link until it is
empty. Pages are streamed to a private temporary JSON Lines file (never held in memory);
then, in one warehouse transaction, the file goes through ``m2if ingest xapi``'s reader and
mapping (the same account, quarantine and duplicate detection), the events of voided
statements are removed, and the high-water mark moves to the latest ``stored`` seen. A pull
killed mid-way changes nothing: the next one reads the same statements again.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from m2if_analytics.config import Config
from m2if_analytics.credentials import password, redact, scrub
from m2if_analytics.errors import M2IFError
from m2if_analytics.ingest.xapi_statement import VOIDED
from m2if_analytics.pull import marks
from m2if_analytics.pull.account import PullAccount
from m2if_analytics.warehouse.sql import query, registered, run_sql, transaction
from m2if_analytics.warehouse.workspace import Workspace

ENDPOINT_ENV = "M2IF_LRS_ENDPOINT"
VERSION = "1.0.3"
ITEM = "statements"


@dataclass(frozen=True)
class Lrs:
    """An LRS's xAPI base URL (without credentials) and how to authenticate."""

    endpoint: str
    user: str
    secret: str | None
    limit: int
    timeout: float

    def get(self, url: str) -> dict[str, Any]:
        """One page of a StatementResult; one-line errors without the password."""
        request = urllib.request.Request(url, headers={
            "X-Experience-API-Version": VERSION, "Accept": "application/json"})
        if self.user or self.secret:
            token = base64.b64encode(f"{self.user}:{self.secret or ''}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            hint = (": check [lrs] user and the password ($M2IF_LRS_PASSWORD or [lrs] "
                    "password_file)" if exc.code in (401, 403) else "")
            raise M2IFError(f"LRS {self.endpoint}: the server answered HTTP {exc.code} "
                            f"{exc.reason}{hint}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise M2IFError(f"cannot reach the LRS {self.endpoint}: "
                            f"{scrub(str(reason), self.secret)}") from None
        try:
            page = json.loads(body)
        except ValueError:
            raise M2IFError(f"LRS {self.endpoint}: the answer to {self.shown(url)} is not "
                            "JSON (is the endpoint the xAPI base URL, e.g. .../xAPI?)") from None
        if not isinstance(page, dict) or not isinstance(page.get("statements"), list):
            raise M2IFError(f"LRS {self.endpoint}: the answer is not a StatementResult "
                            "(no statements list)")
        return page

    def shown(self, url: str) -> str:
        return scrub(redact(url), self.secret)

    def first_url(self, since: str | None, until: str | None) -> str:
        params = {"limit": str(self.limit)}
        if since:
            params["since"] = since
        if until:
            params["until"] = until
        return f"{self.endpoint}/statements?{urllib.parse.urlencode(params)}"

    def next_url(self, more: str) -> str:
        """A ``more`` link: an IRL relative to the server (or absolute)."""
        return urllib.parse.urljoin(self.endpoint + "/", more)


def open_lrs(cfg: Config, endpoint: str | None) -> Lrs:
    """The LRS of ``endpoint``, else ``$M2IF_LRS_ENDPOINT``, else ``[lrs] endpoint``."""
    url = (endpoint or os.environ.get(ENDPOINT_ENV) or cfg.lrs.endpoint).rstrip("/")
    if not url:
        raise M2IFError(f"no LRS given: --endpoint https://lrs.example.org/xAPI, "
                        f"${ENDPOINT_ENV} or [lrs] endpoint")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise M2IFError(f"LRS endpoint {redact(url)}: expected an http(s) URL such as "
                        "https://lrs.example.org/xAPI")
    secret = password("[lrs]", cfg.lrs.password_env, cfg.lrs.password_file)
    user = cfg.lrs.user or urllib.parse.unquote(parts.username or "")
    secret = secret or (urllib.parse.unquote(parts.password) if parts.password else None)
    bare = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]))
    return Lrs(bare, user, secret, cfg.lrs.page_limit, cfg.lrs.timeout_seconds)


def _instant(text: str) -> dt.datetime:
    value = text.strip()
    parsed = dt.datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _fetch(lrs: Lrs, since: str | None, until: str | None, path: Path
           ) -> tuple[int, list[str], str | None]:
    """Every page to ``path`` (JSON Lines, voiding statements left out): (statements
    received, ids voided, latest stored)."""
    url: str | None = lrs.first_url(since, until)
    received, voided, latest = 0, [], None
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as out:
        while url:
            if url in seen:
                raise M2IFError(f"LRS {lrs.endpoint}: the more link repeats itself "
                                f"({lrs.shown(url)}); nothing loaded")
            seen.add(url)
            page = lrs.get(url)
            for statement in page["statements"]:
                received += 1
                stored = statement.get("stored") if isinstance(statement, dict) else None
                if isinstance(stored, str):
                    try:
                        when = _instant(stored)
                        latest = max(latest, when) if latest else when
                    except ValueError:
                        pass
                if _voids(statement):
                    voided.append(statement["object"]["id"])
                    continue
                out.write(json.dumps(statement, ensure_ascii=False) + "\n")
            more = page.get("more")
            url = lrs.next_url(more) if isinstance(more, str) and more else None
    return received, voided, _iso(latest) if latest else None


def _voids(statement: Any) -> bool:
    if not isinstance(statement, dict):
        return False
    verb, obj = statement.get("verb"), statement.get("object")
    return (isinstance(verb, dict) and verb.get("id") == VOIDED and isinstance(obj, dict)
            and obj.get("objectType") == "StatementRef" and isinstance(obj.get("id"), str))


def _option(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return _iso(_instant(value))
    except ValueError:
        raise M2IFError(f"--{name} {value!r} is not an ISO 8601 instant (write "
                        "2026-10-05T00:00:00Z)") from None


def pull_lrs(ws: Workspace, lrs: Lrs, since: str | None, home_page: str | None,
             strict: bool, say: Callable[[str], None], until: str | None = None
             ) -> list[PullAccount]:
    """Read what the LRS stored after ``since`` (default: the mark), up to ``until`` when
    given, and load it."""
    from m2if_analytics.ingest.xapi import ingest_xapi_file

    source = lrs.endpoint
    since, until = _option(since, "since"), _option(until, "until")
    previous = marks.get(ws.con, source, ITEM)
    start = since or previous
    account = PullAccount("statements", mark=start)
    folder = Path(tempfile.mkdtemp(prefix="m2if-pull-"))
    path = folder / "statements.jsonl"
    try:
        received, voided, latest = _fetch(lrs, start, until, path)
        voiding = len(voided)
        with transaction(ws.con):
            if received - voiding:
                result = ingest_xapi_file(ws.con, path, ws.cfg, ws.pseudo, strict, home_page)
                account.add(result)
            removed = 0
            if voided:
                with registered(ws.con, {"_voided": pl.DataFrame({"id": voided},
                                                                 schema={"id": pl.String})}):
                    rows = run_sql(ws.con, query("pull/xapi_void.sql"), {})
                removed = int(rows[0][0]) if rows else 0
            if latest is not None:
                newest = max([t for t in (latest, previous) if t], key=_instant)
                marks.put(ws.con, source, ITEM, newest, received)
                account.mark = newest
    finally:
        if path.exists():
            path.unlink()
        folder.rmdir()
    account.read += voiding
    account.voiding, account.removed = voiding, removed
    if voiding:
        say(f"statements: {voiding} voiding statement(s) read, {removed} stored event(s) "
            "removed")
    return [account]
