"""The sections of the configuration (one frozen dataclass per TOML table) and their
defaults; :mod:`m2if_analytics.config` reads the file into them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


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
    """Parameters of the time-on-task estimate (README: "The weekly engagement table")."""

    inactivity_timeout_minutes: float = 30.0
    last_event_seconds: float = 60.0


@dataclass(frozen=True)
class Warehouse:
    """Engine settings: DuckDB's memory ceiling, where it spills beyond it, and threads."""

    memory_limit: str = "600MB"
    threads: int = 0  # 0 = DuckDB's default (all cores)
    temp_directory: str = ""  # spill and stage files; "" = beside the warehouse (<db>.tmp)


@dataclass(frozen=True)
class Ingest:
    """How far outside a cohort's dates a year-less Moodle time may fall and still be dated,
    and the window of plausible event times (:meth:`Config.time_window`): from ``earliest``
    (default: a year before the earliest cohort's start) to ``latest`` (default: now plus
    ``latest_days_ahead`` days). An event outside it (a clock set to 2031, a timestamp of
    year 1) is quarantined with the reason."""

    year_inference_margin_days: int = 31
    earliest: dt.date | None = None
    latest: dt.date | None = None
    latest_days_ahead: int = 1


@dataclass(frozen=True)
class Risk:
    """Thresholds of the at-risk rules (README: "At-risk students"); the rules read them as
    ``RiskThresholds``: this class is the one home of their defaults."""

    below_target_weeks: int = 2  # consecutive teaching weeks below the weekly target
    inactivity_days: int = 10  # days without any event
    late_submissions: int = 2  # late submissions that fire the rule
    missing_submissions: int = 1  # missing submissions (due and not handed in)
    collective_silent_weeks: int = 3  # collective weeks in a row without a forum post
    internship_pace_ratio: float = 0.8  # behind when days done < ratio × expected days
    internship_grace_weeks: int = 12  # no internship day this many weeks into the year: say so
    mission_letter_deadline: str = "12-18"  # MM-DD, for cohorts without their own date
    inactivity_skip_holidays: bool = True  # days of holiday weeks do not count as inactive
    # chronic under-work: of the last chronic_weeks teaching weeks, at least chronic_share
    # below the weekly target and their mean below chronic_mean_ratio × target (0 = off)
    chronic_weeks: int = 8
    chronic_share: float = 0.5
    chronic_mean_ratio: float = 0.8


@dataclass(frozen=True)
class Research:
    """What a research export says about its use: who publishes it and on what terms
    (empty ``terms``: the packaged data-use terms, docs/research.md)."""

    publisher: str = "the programme's team"
    licence: str = "Restricted: research use under a data-use agreement"
    terms: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Honours:
    """Lower bounds (out of 20) of the usual French honours bands ("mentions")."""

    passable: float = 10.0
    assez_bien: float = 12.0
    bien: float = 14.0
    tres_bien: float = 16.0

    def bands(self) -> list[tuple[str, str, float]]:
        """(key, name as the year validation writes it, lower bound), lowest first."""
        return [("passable", "passable", self.passable),
                ("assez_bien", "assez bien", self.assez_bien),
                ("bien", "bien", self.bien), ("tres_bien", "très bien", self.tres_bien)]

    def band_of(self, mean: float | None) -> str | None:
        """The band of a mean (with the year validation's 1e-9 tolerance), None below."""
        if mean is None:
            return None
        reached = [name for _, name, low in self.bands() if mean >= low - 1e-9]
        return reached[-1] if reached else None


@dataclass(frozen=True)
class Smtp:
    """The mail server the alert digests are sent through (``m2if alerts send``). The
    password is never in the file: it comes from the environment variable ``password_env``
    or from ``password_file`` (a file only its owner can read)."""

    host: str = "localhost"
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    user: str = ""
    password_env: str = "M2IF_SMTP_PASSWORD"
    password_file: str = ""
    sender: str = "m2if@localhost"
    timeout_seconds: float = 30.0
    ca_file: str = ""  # a CA bundle to trust besides the system's (an internal server)


@dataclass(frozen=True)
class Alerts:
    """Who receives the alert digests: ``recipients`` maps a tutor code, a group or
    ``"*"`` (the whole cohort's digest, and any digest without its own entry) to a list of
    addresses; ``lang`` is the digests' language."""

    recipients: dict[str, list[str]] = field(default_factory=dict)
    lang: str = "fr"



@dataclass(frozen=True)
class Moodle:
    """Where ``m2if pull moodle`` reads: the database (``dsn``, else ``$M2IF_MOODLE_DSN``),
    its table prefix, the courses of the programme (empty: every course), the role short
    names read as students and teachers, and how many log rows one batch holds. The password
    is never in this file: ``password_env``, else ``password_file`` (mode 0600), else the
    DSN."""

    dsn: str = ""
    prefix: str = "mdl_"
    courses: list[int] = field(default_factory=list)
    student_roles: list[str] = field(default_factory=lambda: ["student"])
    teacher_roles: list[str] = field(default_factory=lambda: ["editingteacher", "teacher"])
    password_env: str = "M2IF_MOODLE_PASSWORD"
    password_file: str = ""
    batch_rows: int = 2_000_000
    timeout_seconds: float = 30.0


@dataclass(frozen=True)
class Lrs:
    """Where ``m2if pull lrs`` reads: an xAPI 1.0.3 statements resource (``endpoint``, e.g.
    ``https://lrs.example.org/xAPI``, else ``$M2IF_LRS_ENDPOINT``), with basic auth (``user``,
    the password from ``password_env`` or ``password_file``), the platform's account homePage
    (as ``m2if ingest xapi --home-page``) and the page size asked for."""

    endpoint: str = ""
    user: str = ""
    password_env: str = "M2IF_LRS_PASSWORD"
    password_file: str = ""
    home_page: str = ""
    page_limit: int = 1000
    timeout_seconds: float = 60.0
