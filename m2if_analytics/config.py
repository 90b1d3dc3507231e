"""Programme and cohort configuration (TOML) as frozen dataclasses.

This module is the only home of defaults: 15 h/week, 30 min inactivity timeout, 60 s credit
for a session's last event, Europe/Paris, the M2 IF cohort calendar, its teaching units
(UE) and coefficients, the at-risk thresholds and the honours bands. Environment variables
with the ``M2IF_`` prefix override file locations (:mod:`m2if_analytics.paths`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from m2if_analytics.config_sections import (
    Alerts,
    Honours,
    Ingest,
    Lrs,
    Moodle,
    Programme,
    Research,
    Risk,
    Smtp,
    TimeOnTask,
    Warehouse,
)
from m2if_analytics.config_units import (
    DEFAULT_UNITS,
    Milestone,
    Unit,
    parse_activity_kinds,
    parse_ids,
    parse_milestone,
    parse_unit,
)
from m2if_analytics.errors import ConfigError


@dataclass(frozen=True)
class Cohort:
    """One promotion: its calendar and holidays (inclusive date ranges).

    ``mission_letter_deadline``: the date by which every student should have a validated
    mission letter; ``None`` = the ``[risk]`` month-day default (see
    :meth:`Config.mission_letter_deadline`).
    """

    id: str
    start: dt.date
    end: dt.date
    holidays: tuple[tuple[dt.date, dt.date], ...] = ()
    mission_letter_deadline: dt.date | None = None


DEFAULT_COHORTS: tuple[Cohort, ...] = (
    Cohort(
        id="2026-2027",
        start=dt.date(2026, 10, 5),
        end=dt.date(2027, 7, 2),
        holidays=(
            (dt.date(2026, 12, 19), dt.date(2027, 1, 3)),
            (dt.date(2027, 4, 17), dt.date(2027, 5, 2)),
        ),
        mission_letter_deadline=dt.date(2026, 12, 18),
    ),
)


@dataclass(frozen=True)
class Config:
    """The whole configuration; build it with :func:`load_config`."""

    programme: Programme = field(default_factory=Programme)
    time_on_task: TimeOnTask = field(default_factory=TimeOnTask)
    warehouse: Warehouse = field(default_factory=Warehouse)
    ingest: Ingest = field(default_factory=Ingest)
    risk: Risk = field(default_factory=Risk)
    honours: Honours = field(default_factory=Honours)
    research: Research = field(default_factory=Research)
    smtp: Smtp = field(default_factory=Smtp)
    moodle: Moodle = field(default_factory=Moodle)
    lrs: Lrs = field(default_factory=Lrs)
    alerts: Alerts = field(default_factory=Alerts)
    units: tuple[Unit, ...] = DEFAULT_UNITS
    milestones: tuple[Milestone, ...] = ()
    activity_kinds: tuple[tuple[str, str], ...] = ()  # [activity_kinds]: component → kind
    cohorts: tuple[Cohort, ...] = DEFAULT_COHORTS
    source: str = "packaged M2 IF defaults"

    @property
    def semesters(self) -> list[str]:
        """The semester labels, in the order their first unit is configured."""
        return list(dict.fromkeys(u.semester for u in self.units))

    def unit(self, code: str) -> Unit:
        """The teaching unit ``code`` (case-insensitive)."""
        for unit in self.units:
            if unit.code.casefold() == code.strip().casefold():
                return unit
        known = ", ".join(u.code for u in self.units)
        raise ConfigError(f"unknown teaching unit {code!r} in {self.source}; known: {known}")

    def mission_letter_deadline(self, cohort_id: str | None = None) -> dt.date:
        """The cohort's own date, else the first ``[risk] mission_letter_deadline`` month-day
        on or after the cohort's start (12-18 → 2026-12-18 for a cohort starting 2026-10-05)."""
        cohort = self.cohort(cohort_id)
        if cohort.mission_letter_deadline is not None:
            return cohort.mission_letter_deadline
        month, day = _month_day(self.risk.mission_letter_deadline, self.source)
        candidate = dt.date(cohort.start.year, month, day)
        return candidate if candidate >= cohort.start else candidate.replace(
            year=cohort.start.year + 1)

    def time_window(self, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
        """The plausible event times (aware UTC): ``[ingest] earliest`` (else a year before
        the earliest cohort's start) to the end of ``[ingest] latest`` (else now + ``[ingest]
        latest_days_ahead`` days)."""
        now = now or dt.datetime.now(dt.UTC)
        first = self.ingest.earliest or (min([c.start for c in self.cohorts] or [now.date()])
                                         - dt.timedelta(days=365))
        earliest = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
        if self.ingest.latest is not None:
            latest = dt.datetime.combine(self.ingest.latest + dt.timedelta(days=1), dt.time(),
                                         tzinfo=dt.UTC)
        else:
            latest = now + dt.timedelta(days=self.ingest.latest_days_ahead)
        return earliest, latest

    def cohort(self, cohort_id: str | None = None) -> Cohort:
        """The cohort named ``cohort_id``, or the default one (the latest to start)."""
        if not self.cohorts:
            raise ConfigError(f"{self.source}: no [[cohorts]] defined; add one (see README)")
        if cohort_id is None:
            return max(self.cohorts, key=lambda c: c.start)
        for cohort in self.cohorts:
            if cohort.id == cohort_id:
                return cohort
        known = ", ".join(c.id for c in self.cohorts)
        raise ConfigError(f"unknown cohort {cohort_id!r} in {self.source}; known: {known}")


def load_config(path: str | Path | None = None) -> Config:
    """Read a TOML configuration; ``None`` gives the packaged M2 IF defaults."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc}); fix the file") from None
    return config_from_dict(data, source=str(path))


def config_from_dict(data: dict[str, Any], source: str = "<dict>") -> Config:
    """Build a :class:`Config` from parsed TOML, rejecting unknown keys and bad values."""
    sections = {"programme": Programme, "time_on_task": TimeOnTask, "warehouse": Warehouse,
                "ingest": Ingest, "risk": Risk, "honours": Honours, "research": Research,
                "smtp": Smtp, "alerts": Alerts, "moodle": Moodle, "lrs": Lrs}
    lists = {"cohorts", "units", "milestones", "activity_kinds"}
    unknown = set(data) - set(sections) - lists
    if unknown:
        raise ConfigError(f"{source}: unknown section(s) {sorted(unknown)}; "
                          f"expected {sorted([*sections, *lists])}")
    parts: dict[str, Any] = {}
    for name, cls in sections.items():
        parts[name] = _section(cls, data.get(name, {}), f"{source} [{name}]")
    if "cohorts" in data:
        parts["cohorts"] = tuple(_cohort(c, f"{source} [[cohorts]] #{i + 1}")
                                 for i, c in enumerate(_array(data["cohorts"], source,
                                                              "cohorts")))
    if "units" in data:
        parts["units"] = tuple(parse_unit(u, f"{source} [[units]] #{i + 1}")
                               for i, u in enumerate(_array(data["units"], source, "units")))
    if "milestones" in data:
        parts["milestones"] = tuple(
            parse_milestone(m, f"{source} [[milestones]] #{i + 1}")
            for i, m in enumerate(_array(data["milestones"], source, "milestones")))
        ids = [m.id.casefold() for m in parts["milestones"]]
        if len(ids) != len(set(ids)):
            raise ConfigError(f"{source}: two [[milestones]] have the same id")
    if "activity_kinds" in data:
        parts["activity_kinds"] = parse_activity_kinds(data["activity_kinds"],
                                                       f"{source} [activity_kinds]")
    parts["ingest"] = _ingest_dates(parts["ingest"], f"{source} [ingest]")
    cfg = Config(**parts, source=source)
    _validate(cfg)
    return cfg


def _section(cls: type, values: dict[str, Any], where: str) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: expected a table of keys")
    allowed = {f.name: f for f in fields(cls)}
    unknown = set(values) - set(allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed {sorted(allowed)}")
    out = {}
    for key, value in values.items():
        default = allowed[key].default
        if isinstance(default, bool) or not isinstance(default, int | float | str):
            out[key] = value
        elif isinstance(default, float) and isinstance(value, int | float) and not isinstance(
            value, bool
        ):
            out[key] = float(value)
        elif isinstance(value, type(default)) and not isinstance(value, bool):
            out[key] = value
        else:
            raise ConfigError(f"{where}: {key} = {value!r} should be a {type(default).__name__}")
    return cls(**out)


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: {value!r} is not a date (write 2026-10-05)")


def _ingest_dates(ingest: Ingest, where: str) -> Ingest:
    """``earliest`` / ``latest`` as dates (TOML dates or ISO strings); a window that makes
    sense (``latest`` after ``earliest``, ``latest_days_ahead`` ≥ 0)."""
    earliest = None if ingest.earliest is None else _date(ingest.earliest, f"{where} earliest")
    latest = None if ingest.latest is None else _date(ingest.latest, f"{where} latest")
    if earliest and latest and latest < earliest:
        raise ConfigError(f"{where}: latest {latest} is before earliest {earliest}")
    if ingest.latest_days_ahead < 0:
        raise ConfigError(f"{where}: latest_days_ahead should be 0 or more")
    return replace(ingest, earliest=earliest, latest=latest)


def _array(value: Any, source: str, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(f"{source}: {name} should be an array of tables ([[{name}]])")
    return value


def _month_day(value: str, where: str) -> tuple[int, int]:
    """'12-18' → (12, 18); 02-29 is refused (it does not exist every year)."""
    try:
        month, day = (int(part) for part in value.split("-"))
        dt.date(2001, month, day)
    except ValueError:
        raise ConfigError(f"{where}: [risk] mission_letter_deadline = {value!r} should be a "
                          "month-day such as \"12-18\" (or set the date per cohort)") from None
    return month, day


def _cohort(raw: Any, where: str) -> Cohort:
    if not isinstance(raw, dict) or "id" not in raw or "start" not in raw or "end" not in raw:
        raise ConfigError(f"{where}: a cohort needs id, start and end")
    unknown = set(raw) - {"id", "start", "end", "holidays", "mission_letter_deadline"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}")
    holidays = []
    for pair in raw.get("holidays", []):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ConfigError(f"{where}: holidays are [first_day, last_day] pairs")
        first, last = _date(pair[0], where), _date(pair[1], where)
        if last < first:
            raise ConfigError(f"{where}: holiday range {first}..{last} ends before it starts")
        holidays.append((first, last))
    letter = raw.get("mission_letter_deadline")
    cohort = Cohort(id=str(raw["id"]), start=_date(raw["start"], where),
                    end=_date(raw["end"], where), holidays=tuple(holidays),
                    mission_letter_deadline=None if letter is None else _date(letter, where))
    if cohort.end < cohort.start:
        raise ConfigError(f"{where}: end {cohort.end} is before start {cohort.start}")
    return cohort


def _validate(cfg: Config) -> None:
    try:
        ZoneInfo(cfg.programme.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{cfg.source}: unknown timezone {cfg.programme.timezone!r} "
                          "(use an IANA name such as Europe/Paris)") from None
    if cfg.time_on_task.inactivity_timeout_minutes <= 0:
        raise ConfigError(f"{cfg.source}: inactivity_timeout_minutes must be positive")
    if cfg.time_on_task.last_event_seconds < 0:
        raise ConfigError(f"{cfg.source}: last_event_seconds cannot be negative")
    ids = [c.id for c in cfg.cohorts]
    if len(ids) != len(set(ids)):
        raise ConfigError(f"{cfg.source}: duplicate cohort ids {ids}")
    _validate_programme_rules(cfg)


def _validate_programme_rules(cfg: Config) -> None:
    """Units, honours bands and risk thresholds."""
    codes = [u.code.casefold() for u in cfg.units]
    if len(codes) != len(set(codes)):
        raise ConfigError(f"{cfg.source}: duplicate unit codes {[u.code for u in cfg.units]}")
    bands = [low for _, _, low in cfg.honours.bands()]
    if any(high <= low for low, high in itertools.pairwise(bands)):
        raise ConfigError(f"{cfg.source}: [honours] bands should increase: passable < "
                          f"assez_bien < bien < tres_bien (got {bands})")
    for name in ("below_target_weeks", "inactivity_days", "late_submissions",
                 "missing_submissions", "collective_silent_weeks"):
        if getattr(cfg.risk, name) < 1:
            raise ConfigError(f"{cfg.source}: [risk] {name} should be at least 1")
    if not isinstance(cfg.risk.inactivity_skip_holidays, bool):
        raise ConfigError(f"{cfg.source}: [risk] inactivity_skip_holidays should be true or "
                          "false")
    if cfg.risk.internship_grace_weeks < 1:
        raise ConfigError(f"{cfg.source}: [risk] internship_grace_weeks should be at least 1")
    if not 0 < cfg.risk.internship_pace_ratio <= 1:
        raise ConfigError(f"{cfg.source}: [risk] internship_pace_ratio should be in (0, 1]")
    if not 0 <= cfg.programme.pass_mark <= 20:
        raise ConfigError(f"{cfg.source}: [programme] pass_mark should be between 0 and 20")
    _month_day(cfg.risk.mission_letter_deadline, cfg.source)
    if cfg.risk.chronic_weeks < 0 or not 0 < cfg.risk.chronic_share <= 1 or not (
            0 < cfg.risk.chronic_mean_ratio <= 1):
        raise ConfigError(f"{cfg.source}: [risk] chronic_weeks should be 0 (off) or more, "
                          "chronic_share and chronic_mean_ratio in (0, 1]")
    _validate_delivery(cfg)
    _validate_sources(cfg)


def _validate_sources(cfg: Config) -> None:
    """[moodle] and [lrs]: a safe table prefix, course ids, role lists, sizes."""
    moodle, lrs = cfg.moodle, cfg.lrs
    if not re.fullmatch(r"[A-Za-z0-9_]{0,20}", moodle.prefix):
        raise ConfigError(f"{cfg.source}: [moodle] prefix = {moodle.prefix!r} should be up to "
                          "20 letters, digits or underscores (Moodle's $CFG->prefix)")
    parse_ids(moodle.courses, f"{cfg.source}: [moodle] courses")
    for name in ("student_roles", "teacher_roles"):
        roles = getattr(moodle, name)
        if not isinstance(roles, list) or not all(isinstance(r, str) and r for r in roles):
            raise ConfigError(f"{cfg.source}: [moodle] {name} should be a list of role short "
                              "names, e.g. [\"student\"]")
    if moodle.batch_rows < 1 or lrs.page_limit < 1:
        raise ConfigError(f"{cfg.source}: [moodle] batch_rows and [lrs] page_limit should be "
                          "at least 1")


def _validate_delivery(cfg: Config) -> None:
    """[smtp] and [alerts]: a known security mode, a port, lists of addresses."""
    smtp, alerts = cfg.smtp, cfg.alerts
    if smtp.security not in ("none", "starttls", "ssl"):
        raise ConfigError(f"{cfg.source}: [smtp] security = {smtp.security!r} should be none, "
                          "starttls or ssl")
    if not 0 < smtp.port < 65536:
        raise ConfigError(f"{cfg.source}: [smtp] port = {smtp.port} is not a port number")
    recipients = alerts.recipients
    if not isinstance(recipients, dict) or not all(
            isinstance(v, list) and all(isinstance(a, str) and "@" in a for a in v)
            for v in recipients.values()):
        raise ConfigError(f"{cfg.source}: [alerts] recipients should map a tutor, a group or "
                          '"*" to a list of addresses, e.g. { "*" = ["direction@example.org"] }')
    if alerts.lang not in ("fr", "en"):
        raise ConfigError(f"{cfg.source}: [alerts] lang should be fr or en")
