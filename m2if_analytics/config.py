"""Programme and cohort configuration (TOML) as frozen dataclasses.

This module is the only home of defaults: 15 h/week, 30 min inactivity timeout, 60 s credit
for a session's last event, Europe/Paris, and the M2 IF cohort calendar. Environment
variables with the ``M2IF_`` prefix override file locations (see :func:`resolve_paths`).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from m2if_analytics.errors import ConfigError

DEFAULT_DB = "m2if.duckdb"
DEFAULT_CONFIG = "m2if.toml"


@dataclass(frozen=True)
class Programme:
    """Facts of the programme that every cohort shares."""

    timezone: str = "Europe/Paris"
    weekly_target_hours: float = 15.0
    total_hours: float = 1500.0
    internship_min_days: float = 100.0
    pass_mark: float = 10.0


@dataclass(frozen=True)
class TimeOnTask:
    """Parameters of the time-on-task estimate (DESIGN.md §4)."""

    inactivity_timeout_minutes: float = 30.0
    last_event_seconds: float = 60.0


@dataclass(frozen=True)
class Warehouse:
    """Engine settings: DuckDB's memory ceiling (it spills to disk beyond) and threads."""

    memory_limit: str = "600MB"
    threads: int = 0  # 0 = DuckDB's default (all cores)


@dataclass(frozen=True)
class Ingest:
    """How far outside a cohort's dates a year-less Moodle time may fall and still be dated."""

    year_inference_margin_days: int = 31


@dataclass(frozen=True)
class Cohort:
    """One promotion: its calendar and holidays (inclusive date ranges)."""

    id: str
    start: dt.date
    end: dt.date
    holidays: tuple[tuple[dt.date, dt.date], ...] = ()


DEFAULT_COHORTS: tuple[Cohort, ...] = (
    Cohort(
        id="2026-2027",
        start=dt.date(2026, 10, 5),
        end=dt.date(2027, 7, 2),
        holidays=(
            (dt.date(2026, 12, 19), dt.date(2027, 1, 3)),
            (dt.date(2027, 4, 17), dt.date(2027, 5, 2)),
        ),
    ),
)


@dataclass(frozen=True)
class Config:
    """The whole configuration; build it with :func:`load_config`."""

    programme: Programme = field(default_factory=Programme)
    time_on_task: TimeOnTask = field(default_factory=TimeOnTask)
    warehouse: Warehouse = field(default_factory=Warehouse)
    ingest: Ingest = field(default_factory=Ingest)
    cohorts: tuple[Cohort, ...] = DEFAULT_COHORTS
    source: str = "packaged M2 IF defaults"

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


@dataclass(frozen=True)
class Paths:
    """Where the warehouse, the configuration and the pseudonymisation key live."""

    db: Path
    config: Path | None
    key_file: Path


def resolve_paths(
    db: str | Path | None = None,
    config: str | Path | None = None,
    key_file: str | Path | None = None,
) -> Paths:
    """Apply the precedence: explicit option, then ``M2IF_*`` variable, then default."""
    db_path = Path(db or os.environ.get("M2IF_DB") or DEFAULT_DB)
    cfg: Path | None = None
    if config or os.environ.get("M2IF_CONFIG"):
        cfg = Path(config or os.environ["M2IF_CONFIG"])
        if not cfg.is_file():
            raise ConfigError(f"configuration file {cfg} not found")
    elif Path(DEFAULT_CONFIG).is_file():
        cfg = Path(DEFAULT_CONFIG)
    key = Path(key_file or os.environ.get("M2IF_PSEUDONYM_KEY_FILE") or db_path.with_suffix(".key"))
    return Paths(db=db_path, config=cfg, key_file=key)


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
                "ingest": Ingest}
    unknown = set(data) - set(sections) - {"cohorts"}
    if unknown:
        raise ConfigError(f"{source}: unknown section(s) {sorted(unknown)}; "
                          f"expected {sorted([*sections, 'cohorts'])}")
    parts: dict[str, Any] = {}
    for name, cls in sections.items():
        parts[name] = _section(cls, data.get(name, {}), f"{source} [{name}]")
    if "cohorts" in data:
        parts["cohorts"] = tuple(_cohort(c, f"{source} [[cohorts]] #{i + 1}")
                                 for i, c in enumerate(data["cohorts"]))
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


def _cohort(raw: Any, where: str) -> Cohort:
    if not isinstance(raw, dict) or "id" not in raw or "start" not in raw or "end" not in raw:
        raise ConfigError(f"{where}: a cohort needs id, start and end")
    unknown = set(raw) - {"id", "start", "end", "holidays"}
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
    cohort = Cohort(id=str(raw["id"]), start=_date(raw["start"], where),
                    end=_date(raw["end"], where), holidays=tuple(holidays))
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
