"""One xAPI statement → the fields raw_events needs, or the reason it is set aside.

Identities (docs/xapi.md, "Who"): ``account.name`` → the platform user id identity ``id:``
(the one Moodle logs and rosters use), or, with ``home_page`` set, only for accounts of that
homePage (others → ``account:`` of homePage and name); ``mbox`` → ``mail:`` (``mailto:``
removed, case-folded: roster e-mails link it); ``mbox_sha1sum`` → ``mbox_sha1sum:``;
``openid`` → ``openid:``. Each distinct identity is hashed once; only the keyed hash leaves
this module.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any, NamedTuple

from m2if_analytics.ingest.window import outside
from m2if_analytics.ingest.xapi_read import Malformed
from m2if_analytics.warehouse.pseudonyms import Pseudonymiser, is_number_text, normalise_id

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
_SHA1 = re.compile(r"[0-9a-f]{40}")
_IFIS = "account, mbox, mbox_sha1sum or openid"


class Rejected(Exception):
    """A statement that cannot be loaded; the message is the quarantine reason."""


class Row(NamedTuple):
    """What raw_events keeps of a statement (idents are keyed hashes, ts in µs since 1970)."""

    key_material: str
    k: str
    related_k: str | None
    ts: int
    verb: str
    object_kind: str  # activity | agent | statement
    object_id: str | None
    activity_type: str | None
    context_ids: str


def normalise_home(url: str) -> str:
    """A homePage compared case-insensitively, without trailing slashes."""
    return url.strip().rstrip("/").casefold()


def _text(value: Any) -> str | None:
    """A non-blank string, stripped, else None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def instant(value: Any) -> int:
    """Microseconds since 1970 (UTC) of an ISO 8601 timestamp with ``Z`` or an offset."""
    if value is None:
        raise Rejected("no timestamp")
    text = _text(value)
    if text is None:
        raise Rejected("timestamp is not an ISO 8601 text (e.g. 2026-10-05T09:00:00+02:00)")
    shown = text if len(text) <= 40 else text[:40] + "..."
    if text[-1] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Rejected(f"timestamp {shown!r} is not ISO 8601 "
                       "(e.g. 2026-10-05T09:00:00+02:00)") from None
    if when.tzinfo is None:
        raise Rejected(f"timestamp {shown!r} has no time zone (add Z or an offset like +02:00)")
    try:
        return (when - EPOCH) // MICROSECOND
    except OverflowError:
        raise Rejected(f"timestamp {shown!r} is out of range") from None


def context_ids(statement: dict[str, Any]) -> str:
    """Ids of the statement's parent and grouping activities, space-separated."""
    context = statement.get("context")
    if not isinstance(context, dict):
        return ""
    activities = context.get("contextActivities")
    if not isinstance(activities, dict):
        return ""
    ids: list[str] = []
    for key in ("parent", "grouping"):
        value = activities.get(key)
        for activity in [value] if isinstance(value, dict) else value or ():
            if isinstance(activity, dict) and isinstance(activity.get("id"), str):
                ids.append(activity["id"])
    return " ".join(ids)


class StatementReader:
    """Turns statements into rows; remembers each distinct identity's hash and homePage."""

    def __init__(self, pseudo: Pseudonymiser, home_page: str | None = None,
                 window: tuple[dt.datetime, dt.datetime] | None = None) -> None:
        self.pseudo = pseudo
        self.window = window
        self.home_page = normalise_home(home_page) if home_page else None
        self.home_pages: set[str] = set()  # every account homePage seen (for warnings)
        self._idents: dict[tuple[str, ...], str] = {}

    def agent(self, agent: Any, role: str) -> str:
        """The keyed identity of an Agent or identified Group."""
        if not isinstance(agent, dict):
            raise Rejected(f"{role} is not a JSON object")
        key = self._ifi(agent, role)
        ident = self._idents.get(key)
        if ident is None:
            ident = self._hash(key, role)
            self._idents[key] = ident
        return ident

    def _ifi(self, agent: dict[str, Any], role: str) -> tuple[str, ...]:
        account = agent.get("account")
        if account is not None:
            if not isinstance(account, dict) or _text(account.get("name")) is None:
                raise Rejected(f"{role}.account has no name")
            home = account.get("homePage")
            return ("account", home if isinstance(home, str) else "", account["name"])
        for ifi in ("mbox", "mbox_sha1sum", "openid"):
            if agent.get(ifi) is not None:
                value = _text(agent[ifi])
                if value is None:
                    raise Rejected(f"{role}.{ifi} is empty or not a text")
                return (ifi, value)
        if agent.get("objectType") == "Group":
            raise Rejected(f"{role} is an anonymous group (no {_IFIS})")
        raise Rejected(f"{role} has no {_IFIS}")

    def _hash(self, key: tuple[str, ...], role: str) -> str:
        kind, value = key[0], key[-1]
        if kind == "account":
            home = normalise_home(key[1])
            self.home_pages.add(home)
            if self.home_page is None or home == self.home_page:
                number = normalise_id(value)
                if is_number_text(number.lstrip("-")) and int(number) <= 0:
                    raise Rejected(f"{role}.account.name {value!r} is not a Moodle user id "
                                   "(a whole number from 1: guests and the system have none)")
                ident = self.pseudo.id_ident(value)
            else:
                ident = self.pseudo.ident("account", f"{home} {normalise_id(value)}")
        elif kind == "mbox":
            address = value[7:] if value[:7].casefold() == "mailto:" else value
            ident = self.pseudo.mail_ident(address)
        elif kind == "mbox_sha1sum":
            if not _SHA1.fullmatch(value.casefold()):
                raise Rejected(f"{role}.mbox_sha1sum is not 40 hexadecimal digits")
            ident = self.pseudo.ident("mbox_sha1sum", value.casefold())
        else:
            ident = self.pseudo.ident("openid", value)
        if ident is None:
            raise Rejected(f"{role} has an empty identifier")
        return ident

    def _object(self, statement: dict[str, Any], verb: str
                ) -> tuple[str, str | None, str | None, str | None]:
        """(kind, activity id, activity type, related identity) of the statement's object."""
        obj = statement.get("object")
        if obj is None:
            raise Rejected("no object")
        if not isinstance(obj, dict):
            raise Rejected("object is not a JSON object")
        kind = obj.get("objectType", "Activity")
        if kind == "SubStatement":  # e.g. "planned to attend": its own object is the activity
            if not isinstance(obj.get("object"), dict):
                raise Rejected("object is a SubStatement without an object")
            obj, kind = obj["object"], obj["object"].get("objectType", "Activity")
        if kind == "Activity":
            activity = _text(obj.get("id"))
            if activity is None:
                raise Rejected("object has no id")
            definition = obj.get("definition")
            kind_iri = _text(definition.get("type")) if isinstance(definition, dict) else None
            return "activity", activity, kind_iri and sys.intern(kind_iri), None
        if kind in ("Agent", "Group"):
            return "agent", None, None, self.agent(obj, "object")
        if kind == "StatementRef":
            if verb == VOIDED:
                raise Rejected("voiding statement: it voids another statement and is no activity "
                               "(LRS exports already leave voided statements out)")
            return "statement", _text(obj.get("id")), None, None
        raise Rejected(f"object has an unknown objectType {str(kind)[:40]!r}")

    def read(self, statement: Any) -> Row:
        """The row of one decoded statement; Rejected with every missing part otherwise."""
        if isinstance(statement, Malformed):
            raise Rejected(statement.reason)
        if not isinstance(statement, dict):
            raise Rejected(f"a JSON {type(statement).__name__}, not a statement object")
        if "actor" not in statement and isinstance(statement.get("statements"), list):
            raise Rejected("an LRS StatementResult, not a statement: extract its statements "
                           "first (jq -c '.statements[]')")
        problems: list[str] = []
        k = verb = kind = activity = kind_iri = related = None
        ts = 0
        try:
            if statement.get("actor") is None:
                raise Rejected("no actor")
            k = self.agent(statement["actor"], "actor")
        except Rejected as exc:
            problems.append(str(exc))
        raw_verb = statement.get("verb")
        verb = _text(raw_verb.get("id")) if isinstance(raw_verb, dict) else None
        if verb is None:
            problems.append("no verb" if raw_verb is None else "verb has no id")
        try:
            kind, activity, kind_iri, related = self._object(statement, verb or "")
        except Rejected as exc:
            problems.append(str(exc))
        try:
            ts = instant(statement.get("timestamp"))
            late = outside(dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
                           + dt.timedelta(microseconds=ts), self.window)
            if late:
                raise Rejected(f"timestamp {late}")
        except Rejected as exc:
            problems.append(str(exc))
        statement_id = statement.get("id")
        if statement_id is not None and not isinstance(statement_id, str):
            problems.append("id is not a text (a UUID)")
        if problems:
            raise Rejected("; ".join(problems))
        assert k is not None and verb is not None and kind is not None
        if statement_id and statement_id.strip():
            material = "xapi\x1fid\x1f" + statement_id.strip().casefold()
        else:
            material = "\x1f".join(("xapi", k, verb, activity or related or "", str(ts)))
        return Row(material, k, related, ts, sys.intern(verb), kind, activity, kind_iri,
                   context_ids(statement))
