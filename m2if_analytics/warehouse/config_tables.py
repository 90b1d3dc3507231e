"""The configuration as tables the SQL joins to: cohorts, calendar weeks, units, rules.

The TOML is the one home of the programme's facts; the pipeline reads them from these tables
(``cfg_*``), rewritten from the configuration before every build
(``queries/warehouse/config_tables.sql``).
"""

from __future__ import annotations

import duckdb
import polars as pl

from m2if_analytics.calendar import programme_weeks
from m2if_analytics.config import Config
from m2if_analytics.warehouse.sql import registered, run


def config_frames(cfg: Config) -> dict[str, pl.DataFrame]:
    """The configuration tables as frames, by the name they are registered under."""
    cohorts = pl.DataFrame(
        {"cohort_id": [c.id for c in cfg.cohorts], "start_date": [c.start for c in cfg.cohorts],
         "end_date": [c.end for c in cfg.cohorts]},
        schema={"cohort_id": pl.String, "start_date": pl.Date, "end_date": pl.Date})
    weeks = [w for c in cfg.cohorts for w in programme_weeks(c, cfg.programme.weekly_target_hours)]
    calendar = pl.DataFrame(
        {"cohort_id": [w.cohort_id for w in weeks], "week_start": [w.week_start for w in weeks],
         "iso_week": [w.iso_week for w in weeks], "holiday": [w.holiday for w in weeks],
         "target_hours": [w.target_hours for w in weeks]},
        schema={"cohort_id": pl.String, "week_start": pl.Date, "iso_week": pl.String,
                "holiday": pl.Boolean, "target_hours": pl.Float64})
    semesters = cfg.semesters
    units = pl.DataFrame(
        {"code": [u.code for u in cfg.units], "title": [u.title for u in cfg.units],
         "semester": [u.semester for u in cfg.units],
         "coefficient": [u.coefficient for u in cfg.units],
         "position": list(range(1, len(cfg.units) + 1)),
         "semester_position": [semesters.index(u.semester) + 1 for u in cfg.units]},
        schema={"code": pl.String, "title": pl.String, "semester": pl.String,
                "coefficient": pl.Float64, "position": pl.Int32,
                "semester_position": pl.Int32})
    p, h = cfg.programme, cfg.honours
    rules = pl.DataFrame(
        {"timezone": [p.timezone], "pass_mark": [p.pass_mark], "total_hours": [p.total_hours],
         "internship_min_days": [p.internship_min_days],
         "internship_pace_ratio": [cfg.risk.internship_pace_ratio],
         "honours_passable": [h.passable], "honours_assez_bien": [h.assez_bien],
         "honours_bien": [h.bien], "honours_tres_bien": [h.tres_bien],
         "internship_grace_weeks": [cfg.risk.internship_grace_weeks]},
        schema={"timezone": pl.String, **dict.fromkeys(
            ["pass_mark", "total_hours", "internship_min_days", "internship_pace_ratio",
             "honours_passable", "honours_assez_bien", "honours_bien", "honours_tres_bien"],
            pl.Float64), "internship_grace_weeks": pl.Int32})
    letters = pl.DataFrame(
        {"cohort_id": [c.id for c in cfg.cohorts],
         "mission_letter_deadline": [cfg.mission_letter_deadline(c.id) for c in cfg.cohorts]},
        schema={"cohort_id": pl.String, "mission_letter_deadline": pl.Date})
    unit_courses = pl.DataFrame(
        {"code": [u.code for u in cfg.units for _ in u.courses],
         "course_id": [c for u in cfg.units for c in u.courses],
         "position": [i for i, u in enumerate(cfg.units, 1) for _ in u.courses]},
        schema={"code": pl.String, "course_id": pl.Int64, "position": pl.Int32})
    kinds = pl.DataFrame({"component": [c for c, _ in cfg.activity_kinds],
                          "kind": [k for _, k in cfg.activity_kinds]},
                         schema={"component": pl.String, "kind": pl.String})
    return {"_cfg_unit_courses_df": unit_courses, "_cfg_activity_kinds_df": kinds,
            "_cfg_cohorts_df": cohorts, "_cfg_calendar_df": calendar, "_cfg_units_df": units,
            "_cfg_programme_df": rules, "_cfg_cohort_rules_df": letters}


def sync_config_tables(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """Rewrite the ``cfg_*`` tables from the configuration."""
    with registered(con, config_frames(cfg)):
        run(con, "warehouse/config_tables.sql")
