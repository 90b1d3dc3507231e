"""At-risk rules on hand-made cohorts (fires, does not fire, not evaluated, boundaries); the
levels and the risk table are in test_levels.py."""

from __future__ import annotations

import datetime as dt

import polars as pl

from m2if_analytics.risk import (
    RiskInputs,
    RiskThresholds,
    RuleResult,
    evaluate,
)

NBSP, NNBSP = "\u00a0", "\u202f"
START = dt.date(2026, 10, 5)  # a Monday: programme week 0
WEEK = dt.timedelta(days=7)


def week(i: int) -> dt.date:
    return START + i * WEEK


def weekly(hours: dict[str, list[float]], holidays: tuple[int, ...] = (),
           in_progress: bool = False, target: float = 15.0) -> pl.DataFrame:
    """The api.weekly frame: weeks 0..n-1 from START; the last one in progress if asked."""
    rows = []
    for student, values in hours.items():
        for i, h in enumerate(values):
            holiday, pending = i in holidays, in_progress and i == len(values) - 1
            goal = 0.0 if holiday else target
            rows.append({"student": student, "week_start": week(i),
                         "iso_week": f"{week(i).isocalendar()[0]}-W{week(i).isocalendar()[1]:02d}",
                         "hours": float(h), "sessions": 3, "active_days": 2, "events": 50,
                         "target_hours": goal, "below_target": not pending and h < goal,
                         "cohort": "2026-2027", "holiday": holiday, "in_progress": pending,
                         "group": None})
    return pl.DataFrame(rows)


def last_event(**when: dt.datetime | None) -> pl.DataFrame:
    return pl.DataFrame({"student": list(when), "last_event_local": list(when.values())},
                        schema={"student": pl.String, "last_event_local": pl.Datetime})


def run(rule: str, inputs: RiskInputs, report: int | dt.date, student: str = "s1",
        **thresholds: object) -> RuleResult:
    monday = week(report) if isinstance(report, int) else report
    (risk,) = [r for r in evaluate(inputs, RiskThresholds(**thresholds), monday, 15.0, 10.0)
               if r.student == student]
    return risk.result(rule)


# --- 1. below target -------------------------------------------------------------------------

def test_below_target_fires_amber_after_exactly_two_weeks_naming_mean_and_target():
    r = run("below_target", RiskInputs(weekly=weekly({"s1": [16, 12, 13]})), 2)
    assert (r.status, r.severity) == ("fired", "amber")
    assert r.figures == {"weeks": 2, "mean_hours": 12.5, "target_hours": 15.0}
    assert r.reason_fr == (f"12,5{NBSP}h/semaine en moyenne sur les 2 dernières semaines "
                           f"d'enseignement, objectif 15{NBSP}h")
    assert r.reason_en == (f"12.5{NBSP}h/week on average over the last 2 teaching weeks, "
                           f"target 15{NBSP}h")


def test_below_target_does_not_fire_after_one_week_or_when_the_report_week_is_on_target():
    assert run("below_target", RiskInputs(weekly=weekly({"s1": [16, 16, 12]})), 2).status == "clear"
    assert run("below_target", RiskInputs(weekly=weekly({"s1": [10, 10, 16]})), 2).status == "clear"


def test_below_target_ends_at_the_report_week_not_at_the_last_week_of_data():
    assert run("below_target", RiskInputs(weekly=weekly({"s1": [10, 10, 16]})), 1).fired


def test_below_target_is_not_evaluated_without_weekly_data():
    r = run("below_target", RiskInputs(last_event=last_event(s1=None)), 2)
    assert r.status == "not_evaluated" and not r.reason_fr


def test_a_holiday_week_inside_a_streak_neither_counts_nor_breaks_it():
    r = run("below_target", RiskInputs(weekly=weekly({"s1": [16, 12, 0, 13]}, holidays=(2,))), 3)
    assert r.fired and r.figures["weeks"] == 2 and r.figures["mean_hours"] == 12.5
    r = run("below_target", RiskInputs(weekly=weekly({"s1": [16, 16, 0, 12]}, holidays=(2,))), 3)
    assert r.status == "clear" and r.figures["weeks"] == 1


def test_the_week_in_progress_is_never_judged():
    # only one complete week below target: the partial week does not lengthen the streak
    r = run("below_target", RiskInputs(weekly=weekly({"s1": [16, 12, 2]}, in_progress=True)), 2)
    assert r.status == "clear" and r.figures["weeks"] == 1
    # nor does it break one
    r = run("below_target", RiskInputs(weekly=weekly({"s1": [12, 12, 20]}, in_progress=True)), 2)
    assert r.fired and r.figures["weeks"] == 2


def test_below_target_turns_red_from_twice_the_weeks_or_under_half_the_target():
    r = run("below_target", RiskInputs(weekly=weekly({"s1": [12, 12, 13, 14]})), 3)
    assert (r.severity, r.figures["weeks"]) == ("red", 4)
    r = run("below_target", RiskInputs(weekly=weekly({"s1": [16, 6, 7]})), 2)
    assert r.severity == "red" and r.reason_fr.startswith(f"6,5{NBSP}h/semaine")


# --- 2. inactivity --------------------------------------------------------------------------

def test_inactivity_fires_at_exactly_ten_days_without_an_event_and_names_the_last_day():
    # report week 2 ends Sunday 2026-10-25; last event Thursday 2026-10-15: 10 days without
    r = run("inactivity", RiskInputs(last_event=last_event(s1=dt.datetime(2026, 10, 15, 23, 59))),
            2)
    assert (r.status, r.severity, r.figures["days"]) == ("fired", "amber", 10)
    assert r.reason_fr == "aucune activité depuis 10 jours (dernière le 15/10/2026)"
    assert r.reason_en == "no activity for 10 days (last on 2026-10-15)"


def test_inactivity_does_not_fire_at_nine_days():
    r = run("inactivity", RiskInputs(last_event=last_event(s1=dt.datetime(2026, 10, 16, 8))), 2)
    assert (r.status, r.figures["days"]) == ("clear", 9)


def test_inactivity_turns_red_at_twice_the_threshold():
    r = run("inactivity", RiskInputs(last_event=last_event(s1=dt.datetime(2026, 10, 5, 9))), 2)
    assert (r.severity, r.figures["days"]) == ("red", 20)


def test_no_event_since_the_cohort_start_is_red():
    inputs = RiskInputs(last_event=last_event(s1=None), cohort_start=START)
    r = run("inactivity", inputs, 1)
    assert (r.status, r.severity) == ("fired", "red")
    assert r.reason_fr == "aucune activité depuis le début (14 jours)"
    assert r.reason_en == "no activity since the start (14 days)"
    assert run("inactivity", inputs, 0).status == "clear"  # 7 days since the start


def test_inactivity_is_not_evaluated_without_event_dates():
    assert run("inactivity", RiskInputs(weekly=weekly({"s1": [20, 20]})), 1).status == (
        "not_evaluated")


def test_inactivity_does_not_count_the_days_of_holiday_weeks():
    data = weekly({"s1": [20, 0, 0, 0]}, holidays=(1, 2))
    inputs = RiskInputs(weekly=data, last_event=last_event(s1=dt.datetime(2026, 10, 9, 18)))
    r = run("inactivity", inputs, 3)  # Fri of week 0 → Sun of week 3: 23 days, 9 outside holidays
    assert r.status == "clear" and (r.figures["days"], r.figures["days_counted"]) == (23, 9)
    r = run("inactivity", inputs, 3, inactivity_skip_holidays=False)
    assert r.severity == "red"
    inputs = RiskInputs(weekly=weekly({"s1": [20, 0, 0, 0, 0]}, holidays=(1, 2)),
                        last_event=last_event(s1=dt.datetime(2026, 10, 9, 18)))
    r = run("inactivity", inputs, 4)
    assert r.fired and r.reason_fr == (
        "aucune activité depuis 16 jours hors vacances (dernière le 09/10/2026)")


def test_inactivity_is_judged_at_the_end_of_the_last_complete_week():
    data = weekly({"s1": [20, 20, 3]}, in_progress=True)
    # last event Wednesday of week 1; report week 2 is in progress: judged at Sunday of week 1
    r = run("inactivity", RiskInputs(weekly=data, last_event=last_event(
        s1=dt.datetime(2026, 10, 14, 10))), 2)
    assert (r.status, r.figures["days"]) == ("clear", 4)


# --- 3. deadlines ---------------------------------------------------------------------------

def submissions(**counts: tuple[int, int]) -> pl.DataFrame:
    return pl.DataFrame([{"student": s, "late": late, "missing": missing, "on_time": 3,
                          "pending": 1} for s, (late, missing) in counts.items()])


def test_a_missing_submission_is_red_and_repeated_lateness_amber():
    r = run("deadlines", RiskInputs(submission_summary=submissions(s1=(0, 1))), 2)
    assert (r.status, r.severity) == ("fired", "red")
    assert r.reason_fr == "1 travail non rendu après l'échéance"
    assert r.reason_en == "1 assignment not submitted after the deadline"
    r = run("deadlines", RiskInputs(submission_summary=submissions(s1=(2, 0))), 2)
    assert (r.severity, r.reason_fr) == ("amber", "2 travaux rendus en retard (seuil 2)")
    assert r.reason_en == "2 assignments submitted late (threshold 2)"
    r = run("deadlines", RiskInputs(submission_summary=submissions(s1=(3, 2))), 2)
    assert r.severity == "red" and r.reason_fr == (
        "2 travaux non rendus après l'échéance, 3 travaux rendus en retard (seuil 2)")


def test_deadlines_do_not_fire_for_one_late_submission():
    r = run("deadlines", RiskInputs(submission_summary=submissions(s1=(1, 0))), 2)
    assert r.status == "clear" and r.figures["late"] == 1


def test_deadlines_are_not_evaluated_without_deadlines_or_for_a_student_without_any():
    assert run("deadlines", RiskInputs(weekly=weekly({"s1": [20]})), 0).status == "not_evaluated"
    r = run("deadlines", RiskInputs(submission_summary=submissions(s2=(0, 0)),
                                    students=("s1", "s2")), 0)
    assert r.status == "not_evaluated"


# --- 4. UE below the pass mark ----------------------------------------------------------------

def grades(*rows: tuple[str, str, float | None]) -> pl.DataFrame:
    return pl.DataFrame([{"student": s, "ue": ue, "semester": "3", "coefficient": 2.0,
                          "mean": mean, "below_pass": None if mean is None else mean < 10}
                         for s, ue, mean in rows],
                        schema={"student": pl.String, "ue": pl.String, "semester": pl.String,
                                "coefficient": pl.Float64, "mean": pl.Float64,
                                "below_pass": pl.Boolean})


def test_one_ue_at_9_5_is_red_whatever_the_others_no_compensation():
    inputs = RiskInputs(ue_results=grades(("s1", "UE1", 18.0), ("s1", "UE3", 9.5),
                                          ("s1", "UE2", 16.0)))
    r = run("ue_below_pass", inputs, 2)
    assert (r.status, r.severity) == ("fired", "red")
    assert r.reason_fr == f"UE3{NBSP}: 9,5/20, seuil 10 — pas de compensation entre UE"
    assert r.reason_en == "UE3: 9.5/20, pass mark 10 — no compensation between UEs"


def test_every_ue_below_the_mark_is_named_with_its_mean():
    r = run("ue_below_pass", RiskInputs(ue_results=grades(("s1", "UE5", 8.0),
                                                          ("s1", "UE2", 9.95))), 2)
    assert r.figures["below"] == {"UE2": 9.95, "UE5": 8.0}
    assert r.reason_en == "UE2: 9.95/20, UE5: 8.0/20, pass mark 10 — no compensation between UEs"


def test_a_mean_of_exactly_the_pass_mark_does_not_fire():
    r = run("ue_below_pass", RiskInputs(ue_results=grades(("s1", "UE1", 10.0))), 2)
    assert r.status == "clear"


def test_grades_are_not_evaluated_without_grades_or_with_only_ungraded_ues():
    assert run("ue_below_pass", RiskInputs(weekly=weekly({"s1": [20]})), 0).status == (
        "not_evaluated")
    r = run("ue_below_pass", RiskInputs(ue_results=grades(("s1", "UE1", None))), 0)
    assert r.status == "not_evaluated"


# --- 5. internship --------------------------------------------------------------------------

def internship(**rows: tuple[float, float, bool]) -> pl.DataFrame:
    return pl.DataFrame([{"student": s, "days_done": done, "expected_days": expected,
                          "behind": done < expected, "mission_letter_on": None,
                          "mission_letter_late": late}
                         for s, (done, expected, late) in rows.items()],
                        schema_overrides={"mission_letter_on": pl.Date})


def test_internship_behind_pace_is_amber_naming_days_done_and_expected():
    r = run("internship", RiskInputs(internship_pace=internship(s1=(20, 30, False))), 2)
    assert (r.status, r.severity) == ("fired", "amber")
    assert r.reason_fr == (f"stage{NBSP}: 20 jours effectués pour 30 attendus à cette date "
                           f"(seuil 80{NNBSP}%)")
    assert r.reason_en == "internship: 20 days done of 30 expected by now (threshold 80%)"


def test_internship_at_exactly_the_pace_ratio_does_not_fire():
    assert run("internship", RiskInputs(internship_pace=internship(s1=(24, 30, False))),
               2).status == "clear"


def test_no_mission_letter_after_the_deadline_is_amber_and_red_with_a_late_pace():
    r = run("internship", RiskInputs(internship_pace=internship(s1=(30, 30, True))), 2)
    assert (r.severity, r.reason_en) == ("amber", "mission letter not validated by the deadline")
    r = run("internship", RiskInputs(internship_pace=internship(s1=(10.5, 30, True))), 2)
    assert r.severity == "red" and r.reason_fr.startswith(f"stage{NBSP}: 10,5 jours")
    assert r.reason_fr.endswith(", lettre de mission non validée à la date limite")


def test_no_internship_day_weeks_into_the_year_is_its_own_reason():
    import datetime as dt

    frame = internship(s1=(0, 0, False)).with_columns(
        no_internship=pl.lit(True), year_start=pl.lit(dt.date(2026, 10, 5)))
    r = run("internship", RiskInputs(internship_pace=frame), 2)
    assert (r.status, r.severity) == ("fired", "amber")
    assert r.reason_fr == f"stage{NBSP}: aucun jour de stage déclaré depuis le 05/10/2026"
    assert r.reason_en == "internship: no internship day declared since 2026-10-05"


def test_internship_is_not_evaluated_without_internship_data():
    assert run("internship", RiskInputs(weekly=weekly({"s1": [20]})), 0).status == (
        "not_evaluated")


# --- 6. collective work ---------------------------------------------------------------------

def forum(events: dict[str, list[int]], collective: list[bool]) -> pl.DataFrame:
    return pl.DataFrame([{"student": s, "week_start": week(i), "forum_events": n,
                          "collective_week": collective[i], "silent": collective[i] and n == 0}
                         for s, counts in events.items() for i, n in enumerate(counts)])


def test_silent_three_collective_weeks_in_a_row_is_amber():
    inputs = RiskInputs(collective_participation=forum(
        {"s1": [4, 0, 0, 0, 0], "s2": [3, 2, 1, 0, 5]}, [True, True, False, True, True]))
    r = run("collective", inputs, 4)
    assert (r.status, r.severity, r.figures["weeks"]) == ("fired", "amber", 3)
    assert r.reason_fr == ("aucune participation aux activités collectives pendant les 3 "
                           "dernières semaines où elles avaient lieu")
    assert r.reason_en == ("no participation in collective activities in the last 3 weeks "
                           "in which they ran")
    assert run("collective", inputs, 4, "s2").status == "clear"
    assert run("collective", inputs, 3).status == "clear"  # two collective weeks so far


def test_collective_is_not_evaluated_without_forum_activity_in_the_cohort():
    silent = RiskInputs(collective_participation=forum({"s1": [0, 0, 0, 0]}, [True] * 4))
    assert run("collective", silent, 3).status == "not_evaluated"
    assert run("collective", RiskInputs(weekly=weekly({"s1": [20]})), 0).status == (
        "not_evaluated")
