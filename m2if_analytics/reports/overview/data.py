"""The whole year of one cohort at a glance, as of a report week: the data of the cohort
overview (``notebooks/cohort_overview.ipynb``) as Polars frames.

    s = overview.scope(ws, week="2027-W10")        # the report week and the day it is judged
    levels = overview.student_levels(ws, s)        # one row per student × complete week
    overview.level_counts(levels, by_group=True)   # green / amber / red per week and group

"As of" the report week: later weeks are left out, and the indicators (grades, internship,
forums) are judged on its Sunday, a whole local day, as the weekly report's risk table is.
Frames split by group carry a ``group`` column in which :data:`ALL` is the whole cohort.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from m2if_analytics import engagement as eng
from m2if_analytics.calendar import iso_week_label, programme_weeks
from m2if_analytics.programme import indicators as ind
from m2if_analytics.risk import LEVELS, history
from m2if_analytics.risk.data import last_events
from m2if_analytics.warehouse.workspace import Workspace

ALL = "all"  # the whole cohort, in frames split by group
# validation forecast statuses, best first
FORECAST = ("validated", "on_track", "compromised", "blocked", "no_grades")


@dataclass(frozen=True)
class Scope:
    """The cohort and the report week the overview is about."""

    cohort: str
    week_start: dt.date  # Monday of the report week
    iso_week: str

    @property
    def as_of(self) -> dt.date:
        """The report week's Sunday: the day the indicators are judged on (inclusive)."""
        return self.week_start + dt.timedelta(days=6)


def scope(ws: Workspace, cohort: str | None = None,
          week: str | dt.date | None = None) -> Scope:
    """The cohort (default: the latest) and the report week (``2027-W10`` or a date;
    default: the last complete week with data)."""
    cohort_id = ws.cfg.cohort(cohort).id
    monday = eng.report_week(ws, cohort_id, week)
    return Scope(cohort_id, monday, iso_week_label(monday))


def members(ws: Workspace, s: Scope) -> pl.DataFrame:
    """student, group: the cohort's students by group (no group last), then pseudonym."""
    return (eng.students(ws, s.cohort).select("student", "group")
            .sort("group", "student", nulls_last=True))


def engagement(ws: Workspace, s: Scope) -> pl.DataFrame:
    """:func:`m2if_analytics.engagement.weekly` up to the report week (student × week)."""
    return eng.weekly(ws, s.cohort).filter(pl.col("week_start") <= s.week_start)


def pace_line(ws: Workspace, cohort: str | None = None) -> pl.DataFrame:
    """Every programme week of the cohort, to its end: week_start, iso_week, holiday,
    teaching_weeks_elapsed, pace_hours (the programme's total hours spread evenly over the
    teaching weeks, so the line reaches 1500 h on the last one) and target_cumulative (the
    weekly target summed over teaching weeks) — the lines of
    :func:`m2if_analytics.engagement.cumulative`, over the whole year."""
    c = ws.cfg.cohort(cohort)
    programme = ws.cfg.programme
    weeks = programme_weeks(c, programme.weekly_target_hours)
    teaching = sum(not w.holiday for w in weeks) or 1
    rows, elapsed = [], 0
    for w in weeks:
        elapsed += not w.holiday
        rows.append({"week_start": w.week_start, "iso_week": w.iso_week, "holiday": w.holiday,
                     "teaching_weeks_elapsed": elapsed,
                     "pace_hours": programme.total_hours * elapsed / teaching,
                     "target_cumulative": float(programme.weekly_target_hours * elapsed)})
    return pl.DataFrame(rows, schema={
        "week_start": pl.Date, "iso_week": pl.String, "holiday": pl.Boolean,
        "teaching_weeks_elapsed": pl.Int64, "pace_hours": pl.Float64,
        "target_cumulative": pl.Float64})


def cumulative(ws: Workspace, s: Scope) -> pl.DataFrame:
    """:func:`m2if_analytics.engagement.cumulative` up to the report week: student, group,
    week_start, iso_week, hours, cumulative_hours, pace_hours, target_cumulative."""
    return (eng.cumulative(ws, s.cohort).filter(pl.col("week_start") <= s.week_start)
            .drop("in_progress"))


def student_levels(ws: Workspace, s: Scope, lang: str = "fr") -> pl.DataFrame:
    """The at-risk rules at every complete week up to the report week, per student:
    student, group, week_start, iso_week, holiday, level ('green' | 'amber' | 'red'),
    rules (the rules that fired) and reasons (in ``lang``). Each week is judged as
    :func:`m2if_analytics.risk.assess` judges it, once, and stored
    (:mod:`m2if_analytics.risk.history`)."""
    table = history.levels(ws, s.cohort, s.week_start, lang)
    return (table.join(members(ws, s), on="student", how="left")
            .select("student", "group", *table.columns[1:]).sort("week_start", "student"))


def _with_cohort_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (with a group column) followed by a copy of every row as group :data:`ALL`."""
    return pl.concat([frame.with_columns(pl.lit(ALL).alias("group")), frame])


def level_counts(levels: pl.DataFrame, by_group: bool = False) -> pl.DataFrame:
    """How many students were green, amber and red each week: week_start, iso_week, holiday,
    group (:data:`ALL`, then each group when ``by_group``), green, amber, red, students."""
    rows = _with_cohort_rows(levels) if by_group else levels.with_columns(
        pl.lit(ALL).alias("group"))
    counts = rows.group_by("week_start", "iso_week", "holiday", "group").agg(
        *[(pl.col("level") == lv).sum().cast(pl.Int64).alias(lv) for lv in reversed(LEVELS)],
        pl.len().cast(pl.Int64).alias("students"))
    return counts.sort(pl.col("group") != ALL, "group", "week_start", nulls_last=True)


def ue_means(ws: Workspace, s: Scope) -> pl.DataFrame:
    """One row per student × configured UE as of the report week's Sunday: student, group,
    ue, title, semester, coefficient, mean (null: no grade yet), below_pass, assessments."""
    table = ind.ue_results(ws, s.cohort, s.as_of)
    return (table.join(members(ws, s), on="student", how="left")
            .select("student", "group", "ue", "title", "semester", "coefficient", "mean",
                    "below_pass", "assessments"))


def forecast_status(validation: pl.DataFrame, ue: pl.DataFrame,
                    concerns: pl.DataFrame | None = None) -> pl.DataFrame:
    """The year's validation forecast under "every UE ≥ pass mark, no compensation", from
    :func:`~m2if_analytics.programme.indicators.year_validation` and
    :func:`~m2if_analytics.programme.indicators.ue_results` frames, and optionally
    :func:`forecast_concerns`. One row per student: student, status, graded_ues, ues,
    year_mean, blocking_ues, honours. Status:

    - ``validated``: every UE graded and at or above the pass mark;
    - ``blocked``: some graded UE below the pass mark — the year cannot be validated unless
      that UE is retaken, whatever the other means;
    - ``compromised``: not validated nor blocked, but the student is inactive beyond the
      ``[risk] inactivity_days`` threshold or has missing work past its deadline
      (``concerns``): never "on track", whatever the grades so far;
    - ``on_track``: some UE not graded yet, none below the pass mark, no such concern;
    - ``no_grades``: no grade at all yet (and no such concern).
    """
    graded = ue.group_by("student").agg(pl.col("mean").is_not_null().sum().cast(pl.Int64)
                                        .alias("graded_ues"),
                                        pl.len().cast(pl.Int64).alias("ues"))
    table = (validation.join(graded, on="student", how="left")
             .with_columns(pl.col("graded_ues", "ues").fill_null(0)))
    if concerns is None:
        table = table.with_columns(pl.lit(False).alias("concern"))
    else:
        table = (table.join(concerns.select("student", "concern"), on="student", how="left")
                 .with_columns(pl.col("concern").fill_null(False)))
    status = (pl.when(pl.col("validated")).then(pl.lit("validated"))
              .when(pl.col("validated").not_()).then(pl.lit("blocked"))
              .when(pl.col("concern")).then(pl.lit("compromised"))
              .when(pl.col("graded_ues") > 0).then(pl.lit("on_track"))
              .otherwise(pl.lit("no_grades")))
    return (table.with_columns(status.alias("status"))
            .select("student", "status", "graded_ues", "ues", "year_mean", "blocking_ues",
                    "honours").sort("student"))


def forecast_concerns(ws: Workspace, cohort: str, as_of: dt.date) -> pl.DataFrame:
    """What keeps a student off "on track" as of ``as_of`` (a whole local day): student,
    inactive_days (days since the last event, or since the cohort's start without one),
    missing (work past its deadline not handed in), concern (inactive_days ≥ ``[risk]
    inactivity_days`` or missing ≥ ``[risk] missing_submissions``)."""
    risk, start = ws.cfg.risk, ws.cfg.cohort(cohort).start
    last = last_events(ws, cohort, as_of).with_columns(
        pl.col("last_event_local").cast(pl.Date).fill_null(start - dt.timedelta(days=1))
        .alias("last_day"))
    frame = last.select("student", (pl.lit(as_of) - pl.col("last_day")).dt.total_days()
                        .cast(pl.Int64).alias("inactive_days"))
    if ind.available(ws, "submissions", cohort):
        missing = ind.submission_summary(ws, cohort, as_of).select(
            "student", pl.col("missing").cast(pl.Int64))
        frame = frame.join(missing, on="student", how="left")
    else:
        frame = frame.with_columns(pl.lit(None, pl.Int64).alias("missing"))
    return frame.with_columns(
        ((pl.col("inactive_days") >= risk.inactivity_days)
         | (pl.col("missing").fill_null(0) >= risk.missing_submissions)).alias("concern"))


def validation_forecast(ws: Workspace, s: Scope) -> pl.DataFrame:
    """:func:`forecast_status` of the cohort as of the report week's Sunday, with the
    students' group: student, group, status, graded_ues, ues, year_mean, blocking_ues,
    honours."""
    table = forecast_status(ind.year_validation(ws, s.cohort, s.as_of),
                            ind.ue_results(ws, s.cohort, s.as_of),
                            forecast_concerns(ws, s.cohort, s.as_of))
    return (table.join(members(ws, s), on="student", how="left")
            .select("student", "group", *(c for c in table.columns if c != "student")))


def forecast_counts(forecast: pl.DataFrame) -> pl.DataFrame:
    """Students per forecast status for the whole cohort (group :data:`ALL`, first) and
    each group: group, validated, on_track, blocked, no_grades, students."""
    counts = _with_cohort_rows(forecast).group_by("group").agg(
        *[(pl.col("status") == st).sum().cast(pl.Int64).alias(st) for st in FORECAST],
        pl.len().cast(pl.Int64).alias("students"))
    return counts.sort(pl.col("group") != ALL, "group", nulls_last=True)


def internship(ws: Workspace, s: Scope) -> pl.DataFrame:
    """Internship days against the pace as of the report week's Sunday, one row per
    student: student, group, days_done, expected_days, behind, mission_letter_on,
    mission_letter_late, min_days (the programme's minimum, 100 days by default)."""
    table = ind.internship_pace(ws, s.cohort, s.as_of)
    return (members(ws, s).join(table, on="student", how="left")
            .with_columns(pl.lit(float(ws.cfg.programme.internship_min_days)).alias("min_days"))
            .select("student", "group", "days_done", "expected_days", "behind",
                    "mission_letter_on", "mission_letter_late", "min_days"))


def collective(ws: Workspace, s: Scope) -> pl.DataFrame:
    """Participation in collective activities (forum posts) per week up to the report week,
    for the whole cohort (group :data:`ALL`) and each group: week_start, iso_week, holiday,
    collective_week (some student of the cohort posted), group, students, posting (students
    with a post that week), share (posting / students)."""
    table = ind.collective_participation(ws, s.cohort, s.as_of).filter(
        pl.col("week_start") <= s.week_start)
    rows = _with_cohort_rows(table.join(members(ws, s), on="student", how="left"))
    out = rows.group_by("week_start", "holiday", "collective_week", "group").agg(
        pl.len().cast(pl.Int64).alias("students"),
        (pl.col("forum_events") > 0).sum().cast(pl.Int64).alias("posting"))
    return (out.with_columns((pl.col("posting") / pl.col("students")).alias("share"),
                             pl.col("week_start").dt.strftime("%G-W%V").alias("iso_week"))
            .select("week_start", "iso_week", "holiday", "collective_week", "group",
                    "students", "posting", "share")
            .sort(pl.col("group") != ALL, "group", "week_start", nulls_last=True))


def available(ws: Workspace, s: Scope) -> dict[str, bool]:
    """Which sections have data: grades, internship, collective (some forum post of a
    student of the cohort up to the report week)."""
    posted = (ind.available(ws, "activity", s.cohort)
              and ind.collective_participation(ws, s.cohort, s.as_of)["forum_events"].sum() > 0)
    return {"grades": ind.available(ws, "grades", s.cohort),
            "internship": ind.available(ws, "internship", s.cohort),
            "collective": bool(posted)}


@dataclass(frozen=True)
class Headline:
    """The overview's key numbers at the report week (labels come from i18n)."""

    students: int
    red: int
    amber: int
    green: int
    validated: int
    on_track: int
    compromised: int
    blocked: int
    no_grades: int
    median_cumulative_hours: float | None
    pace_hours: float | None
    internship_behind: int | None  # None: no internship data


def headline(s: Scope, levels: pl.DataFrame, forecast: pl.DataFrame,
             cumulative_hours: pl.DataFrame, internship_days: pl.DataFrame | None) -> Headline:
    """Students, levels at the report week, forecast statuses, the median student's
    cumulative hours against the pace, and students behind on their internship."""
    week = levels.filter(pl.col("week_start") == s.week_start)
    now = cumulative_hours.filter(pl.col("week_start") == s.week_start)
    status = dict(forecast_counts(forecast).filter(pl.col("group") == ALL)
                  .select(FORECAST).row(0, named=True)) if forecast.height else {}
    behind = None
    if internship_days is not None:
        behind = int(internship_days["behind"].fill_null(False).sum())
    return Headline(
        students=week.height, **{lv: int((week["level"] == lv).sum()) for lv in LEVELS},
        **{st: int(status.get(st, 0)) for st in FORECAST},
        median_cumulative_hours=now["cumulative_hours"].median() if now.height else None,
        pace_hours=now["pace_hours"][0] if now.height else None,
        internship_behind=behind)


def competences(ws: Workspace, s: Scope) -> pl.DataFrame:
    """student, group, competence, mean, coverage: each student's competence sets as of the
    report week (empty when the units declare none)."""
    from m2if_analytics.programme.competences import competence_sets

    table = competence_sets(ws, s.cohort, s.as_of)
    if table.is_empty():
        return table.drop("ues").with_columns(pl.lit(None, pl.String).alias("group"))
    return (members(ws, s).join(table.drop("ues"), on="student", how="inner")
            .select("student", "group", "competence", "mean", "coverage"))


def milestone_counts(ws: Workspace, s: Scope) -> pl.DataFrame:
    """Per configured milestone (configuration order): title, due (the cohort's due day),
    and how many students are done, late, missing or not due yet at the report week."""
    from m2if_analytics.programme.milestones import milestones

    statuses = ("done", "late", "missing", "not_due")
    schema = {"title": pl.String, "due": pl.Date, **dict.fromkeys(statuses, pl.Int64)}
    if not ws.cfg.milestones:
        return pl.DataFrame(schema=schema)
    table = milestones(ws, s.cohort, s.as_of)
    rows = []
    for m in ws.cfg.milestones:
        part = table.filter(pl.col("milestone") == m.id)
        rows.append({"title": m.title, "due": part["due"].drop_nulls().first(),
                     **{k: int((part["status"] == k).sum()) for k in statuses}})
    return pl.DataFrame(rows, schema=schema)


@dataclass(frozen=True)
class Overview:
    """Everything the overview report shows, computed once (the notebook only draws)."""

    scope: Scope
    engagement: pl.DataFrame
    cumulative: pl.DataFrame
    pace_line: pl.DataFrame
    levels: pl.DataFrame
    ue_means: pl.DataFrame
    forecast: pl.DataFrame
    internship: pl.DataFrame
    collective: pl.DataFrame
    available: dict[str, bool]
    headline: Headline
    competences: pl.DataFrame  # student × competence set (empty: none declared)
    milestones: pl.DataFrame  # per milestone, students by status (empty: none declared)
    coverage: pl.DataFrame  # student × UE documents opened (empty: no document in the logs)
    rare_documents: pl.DataFrame  # documents nobody or almost nobody opened


def load(ws: Workspace, cohort: str | None = None, week: str | dt.date | None = None,
         lang: str = "fr") -> Overview:
    """Every frame of the overview of ``cohort`` as of ``week`` (reasons in ``lang``)."""
    s = scope(ws, cohort, week)
    have = available(ws, s)
    levels = student_levels(ws, s, lang)
    forecast = validation_forecast(ws, s)
    cum = cumulative(ws, s)
    placement = internship(ws, s)
    return Overview(
        scope=s, engagement=engagement(ws, s), cumulative=cum, pace_line=pace_line(ws, s.cohort),
        levels=levels, ue_means=ue_means(ws, s), forecast=forecast, internship=placement,
        collective=collective(ws, s), available=have,
        headline=headline(s, levels, forecast, cum,
                          placement if have["internship"] else None),
        competences=competences(ws, s), milestones=milestone_counts(ws, s),
        coverage=coverage(ws, s), rare_documents=rare_documents(ws, s))


def coverage(ws: Workspace, s: Scope) -> pl.DataFrame:
    """student, group, ue, documents, opened, share: the documents each student opened per
    UE up to the report week's Sunday (:func:`m2if_analytics.engagement.coverage.coverage`)."""
    from m2if_analytics.engagement.coverage import coverage as document_coverage

    table = document_coverage(ws, s.cohort, as_of=s.as_of)
    return (members(ws, s).join(table, on="student", how="inner")
            .select("student", "group", "ue", "documents", "opened", "share"))


def rare_documents(ws: Workspace, s: Scope) -> pl.DataFrame:
    """ue, cmid, name, opened_by, students: the documents nobody or almost nobody opened up to
    the report week's Sunday, least opened first (a document nobody opened is known only from
    the cohort's resources list)."""
    from m2if_analytics.engagement.coverage import documents

    return (documents(ws, s.cohort, as_of=s.as_of).filter(pl.col("rare"))
            .select("ue", "cmid", "name", "opened_by", "students"))
