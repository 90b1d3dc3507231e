"""The programme's at-risk rules (README: "At-risk students"), one pure function each.

Every rule reads one student's rows from :class:`~m2if_analytics.risk.inputs.Lookups` and
returns a :class:`~m2if_analytics.risk.inputs.RuleResult`: ``fired`` (amber or red, with a
reason in French and English that names its figures), ``clear``, or ``not_evaluated`` when
the data it needs is absent — a rule never fires on missing data.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from m2if_analytics.i18n import LANGS, MESSAGES, NNBSP, hours, number, t
from m2if_analytics.i18n import day as i18n_day
from m2if_analytics.risk.inputs import Context, Lookups, RuleResult, Severity

Rule = Callable[[str, Lookups, Context], RuleResult]


def _say(key: str, count: int | None = None, **values: Callable[[str], object] | object
         ) -> Callable[[str], str]:
    """A reason in any language: ``values`` are plain values or ``lang -> text`` functions;
    ``count == 1`` picks the ``key_one`` (singular) message when there is one."""
    if count == 1 and f"{key}_one" in MESSAGES:
        key = f"{key}_one"

    def say(lang: str) -> str:
        return t(key, lang, **{k: v(lang) if callable(v) else v for k, v in values.items()})
    return say


def _joined(*parts: Callable[[str], str]) -> Callable[[str], str]:
    return lambda lang: ", ".join(part(lang) for part in parts)


def _num(x: float, lang: str) -> str:
    """1 decimal, or none for a whole number: ``15``, ``12,5``."""
    return number(x, lang, 0 if float(x).is_integer() else 1)


def _grade(x: float, lang: str) -> str:
    """A grade with enough decimals to show it is below the mark: ``9,5``, ``9,95``."""
    return number(x, lang, 1 if round(x, 1) == round(x, 2) else 2)


def _date(value: dt.date, lang: str) -> str:
    return i18n_day(value, lang)


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def not_evaluated(rule: str, why: str) -> RuleResult:
    return RuleResult(rule, "not_evaluated", figures={"why": why})


def clear(rule: str, **figures: Any) -> RuleResult:
    return RuleResult(rule, "clear", figures=figures)


def fired(rule: str, severity: Severity, say: Callable[[str], str],
          **figures: Any) -> RuleResult:
    texts = {lang: say(lang) for lang in LANGS}
    return RuleResult(rule, "fired", severity, figures, texts["fr"], texts["en"])


def below_target(student: str, data: Lookups, ctx: Context) -> RuleResult:
    """Below the weekly target for ≥ N consecutive teaching weeks ending at the report week
    (holiday weeks neither count nor break; the week in progress is never judged) → amber;
    red from 2N weeks or when the streak's mean is under half the target."""
    rule = "below_target"
    if data.weekly is None:
        return not_evaluated(rule, "no weekly engagement")
    weeks = data.teaching_weeks(student, ctx.report_week)
    if not weeks:
        return not_evaluated(rule, "no complete teaching week yet")
    streak = []
    for row in reversed(weeks):
        if not row["below_target"]:
            break
        streak.append(float(row["hours"]))
    n = ctx.thresholds.below_target_weeks
    mean = sum(streak) / len(streak) if streak else None
    figures = {"weeks": len(streak), "mean_hours": mean, "target_hours": ctx.target_hours}
    if mean is None or len(streak) < n:
        return clear(rule, **figures)
    red = len(streak) >= 2 * n or mean < ctx.target_hours / 2
    say = _say("risk_reason_below_target", len(streak), weeks=len(streak),
               mean=lambda lang: hours(mean, lang),
               target=lambda lang: hours(ctx.target_hours, lang,
                                         0 if ctx.target_hours.is_integer() else 1))
    return fired(rule, "red" if red else "amber", say, **figures)


def chronic_under_work(student: str, data: Lookups, ctx: Context) -> RuleResult:
    """Of the last ``chronic_weeks`` complete teaching weeks (holiday weeks skipped), at least
    ``chronic_share`` below the weekly target and their mean below ``chronic_mean_ratio`` ×
    target → amber; red when that mean is under half the target. Catches the student whose
    short weeks alternate with good ones, which the consecutive-weeks rule never sees; when
    every short week of the window is in one run up to the report week, that rule already
    says it and this one stays clear.
    Counted from the student's first week with any time on task (a late start is the
    consecutive-weeks rule's and the pace's concern, not a rhythm), and evaluated once that
    many teaching weeks are complete."""
    rule = "chronic_under_work"
    th = ctx.thresholds
    if th.chronic_weeks == 0:
        return not_evaluated(rule, "switched off (chronic_weeks = 0)")
    if data.weekly is None:
        return not_evaluated(rule, "no weekly engagement")
    weeks = data.teaching_weeks(student, ctx.report_week)
    started = next((i for i, r in enumerate(weeks) if float(r["hours"]) > 0), len(weeks))
    weeks = weeks[started:]
    if len(weeks) < th.chronic_weeks:
        return clear(rule, weeks=len(weeks), below=None, mean_hours=None)
    window = weeks[-th.chronic_weeks:]
    below = sum(bool(r["below_target"]) for r in window)
    trailing = next((i for i, r in enumerate(reversed(window)) if not r["below_target"]),
                    len(window))
    mean = sum(float(r["hours"]) for r in window) / len(window)
    figures = {"weeks": len(window), "below": below, "mean_hours": mean,
               "target_hours": ctx.target_hours}
    if below < th.chronic_share * len(window) or mean >= th.chronic_mean_ratio * ctx.target_hours:
        return clear(rule, **figures)
    if below == trailing:  # one run up to now: the consecutive-weeks rule's case, said once
        return clear(rule, **figures, consecutive=True)
    say = _say("risk_reason_chronic", below=below, weeks=len(window),
               mean=lambda lang: hours(mean, lang),
               target=lambda lang: hours(ctx.target_hours, lang,
                                         0 if ctx.target_hours.is_integer() else 1))
    return fired(rule, "red" if mean < ctx.target_hours / 2 else "amber", say, **figures)


def inactivity(student: str, data: Lookups, ctx: Context) -> RuleResult:
    """No event for ≥ inactivity_days days at the end of the report week (Sunday 24:00)
    → amber; red from twice that, or when the student has no event since the start."""
    rule = "inactivity"
    if data.last_event is None:
        return not_evaluated(rule, "no event dates")
    threshold = ctx.thresholds.inactivity_days
    last = data.last_event.get(student)
    end = ctx.judged_end
    if _missing(last):
        if ctx.cohort_start is None:
            return not_evaluated(rule, "no event and no cohort start")
        counted = ctx.counted_days(ctx.cohort_start, end)
        days = max((end - ctx.cohort_start).days + 1, 0)
        figures = {"days": days, "days_counted": counted, "last_event": None}
        if counted < threshold:
            return clear(rule, **figures)
        key = "risk_reason_never_active" + ("_holidays" if counted != days else "")
        return fired(rule, "red", _say(key, days=counted), **figures)
    last_day = last.date() if isinstance(last, dt.datetime) else last
    assert isinstance(last_day, dt.date)
    days = max((end - last_day).days, 0)
    counted = ctx.counted_days(last_day + dt.timedelta(days=1), end)
    figures = {"days": days, "days_counted": counted, "last_event": last_day}
    if counted < threshold:
        return clear(rule, **figures)
    key = "risk_reason_inactivity" + ("_holidays" if counted != days else "")
    say = _say(key, days=counted, date=lambda lang: _date(last_day, lang))
    return fired(rule, "red" if counted >= 2 * threshold else "amber", say, **figures)


def deadlines(student: str, data: Lookups, ctx: Context) -> RuleResult:
    """Missing ≥ missing_submissions → red; late ≥ late_submissions → amber."""
    rule = "deadlines"
    if data.submission_summary is None:
        return not_evaluated(rule, "no deadlines")
    row = data.submission_summary.get(student)
    if row is None:
        return not_evaluated(rule, "no deadline for this student")
    missing, late = int(row.get("missing") or 0), int(row.get("late") or 0)
    figures = {"missing": missing, "late": late, "on_time": int(row.get("on_time") or 0),
               "pending": int(row.get("pending") or 0)}
    th = ctx.thresholds
    parts = []
    if missing >= th.missing_submissions:
        parts.append(_say("risk_reason_missing", missing, missing=missing))
    if late >= th.late_submissions:
        parts.append(_say("risk_reason_late", late, late=late, threshold=th.late_submissions))
    if not parts:
        return clear(rule, **figures)
    red = missing >= th.missing_submissions
    return fired(rule, "red" if red else "amber", _joined(*parts), **figures)


def ue_below_pass(student: str, data: Lookups, ctx: Context) -> RuleResult:
    """Any graded UE mean below the pass mark → red (no compensation between UEs)."""
    rule = "ue_below_pass"
    if data.ue_results is None:
        return not_evaluated(rule, "no grades")
    graded = [r for r in data.ue_results.get(student, []) if not _missing(r["mean"])]
    if not graded:
        return not_evaluated(rule, "no graded UE for this student")
    below = [r for r in graded if float(r["mean"]) < ctx.pass_mark]
    figures = {"below": {r["ue"]: float(r["mean"]) for r in below},
               "graded": len(graded), "pass_mark": ctx.pass_mark}
    if not below:
        return clear(rule, **figures)

    def ues(lang: str) -> str:
        return ", ".join(t("risk_ue_mean", lang, ue=r["ue"], mean=_grade(float(r["mean"]), lang))
                         for r in below)
    say = _say("risk_reason_ue_below_pass", ues=ues,
               pass_mark=lambda lang: _num(ctx.pass_mark, lang))
    return fired(rule, "red", say, **figures)


def internship(student: str, data: Lookups, ctx: Context) -> RuleResult:
    """Days done below ratio × expected days → amber; no mission letter after its deadline
    → amber; both → red."""
    rule = "internship"
    if data.internship_pace is None:
        return not_evaluated(rule, "no internship data")
    row = data.internship_pace.get(student)
    if row is None:
        return not_evaluated(rule, "no internship data for this student")
    done = float(row.get("days_done") or 0.0)
    expected = float(row.get("expected_days") or 0.0)
    ratio = ctx.thresholds.internship_pace_ratio
    behind = expected > 0 and done < ratio * expected
    letter = bool(row.get("mission_letter_late"))
    nothing = bool(row.get("no_internship"))
    figures = {"days_done": done, "expected_days": expected, "ratio": ratio,
               "behind": behind, "mission_letter_late": letter, "no_internship": nothing}
    parts = []
    if nothing:
        since = row.get("year_start")
        parts.append(_say("risk_reason_no_internship",
                          since=lambda lang: _date(since, lang) if since else "?"))
    if behind:
        percent = round(ratio * 100)
        parts.append(_say("risk_reason_internship_behind",
                          done=lambda lang: _num(done, lang),
                          expected=lambda lang: _num(expected, lang),
                          ratio=lambda lang: f"{percent}{NNBSP if lang == 'fr' else ''}%"))
    if letter:
        parts.append(_say("risk_reason_mission_letter"))
    if not parts:
        return clear(rule, **figures)
    return fired(rule, "red" if len(parts) >= 2 else "amber", _joined(*parts), **figures)


def collective(student: str, data: Lookups, ctx: Context) -> RuleResult:
    """Silent in ≥ collective_silent_weeks consecutive weeks where collective activities ran,
    ending at the report week → amber (weeks without collective work neither count nor
    break)."""
    rule = "collective"
    if data.collective_participation is None or ctx.collective_weeks is None:
        return not_evaluated(rule, "no forum activity in the cohort")
    own = data.collective_participation.get(student, {})
    streak = 0
    for week in reversed(ctx.collective_weeks):
        row = own.get(week)
        silent = row is None or (row["silent"] if row.get("silent") is not None
                                 else not (row.get("forum_events") or 0))
        if not silent:
            break
        streak += 1
    figures = {"weeks": streak, "collective_weeks": len(ctx.collective_weeks)}
    if streak < ctx.thresholds.collective_silent_weeks:
        return clear(rule, **figures)
    return fired(rule, "amber", _say("risk_reason_collective", weeks=streak), **figures)


RULES: dict[str, Rule] = {
    "below_target": below_target,
    "chronic_under_work": chronic_under_work,
    "inactivity": inactivity,
    "deadlines": deadlines,
    "ue_below_pass": ue_below_pass,
    "internship": internship,
    "collective": collective,
}
