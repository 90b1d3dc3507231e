"""Risk levels from the rules' results, the risk table, thresholds and reasons, on hand-made
cohorts (the rules themselves: test_rules.py)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m2if_analytics.risk import (
    RiskInputs,
    RiskThresholds,
    RuleResult,
    StudentRisk,
    evaluate,
    level_of,
    risk_table,
)
from m2if_analytics.risk.inputs import (
    Lookups,
    prepare,
    shared_lookups,
    split_teaching,
    split_weekly,
)
from tests.risk.test_rules import NBSP, grades, last_event, run, week, weekly


def result(status: str, severity: str = "amber") -> RuleResult:
    return RuleResult("r", status, severity)  # type: ignore[arg-type]


@pytest.mark.parametrize(("results", "level"), [
    ([], "green"),
    ([result("clear"), result("not_evaluated"), result("not_evaluated", "red")], "green"),
    ([result("fired"), result("clear")], "amber"),
    ([result("fired"), result("fired")], "red"),
    ([result("fired", "red"), result("not_evaluated")], "red"),
])
def test_levels_combine_the_fired_rules_only(results: list[RuleResult], level: str):
    assert level_of(results) == level


def cohort() -> RiskInputs:
    """a: green; b: one amber (2 weeks at 12.5 h); c: two ambers → red; d: red (UE)."""
    return RiskInputs(
        weekly=weekly({"a": [16, 16, 16], "b": [16, 12, 13], "c": [16, 12, 13], "d": [16] * 3}),
        last_event=last_event(a=dt.datetime(2026, 10, 25, 9), b=dt.datetime(2026, 10, 25, 9),
                              c=dt.datetime(2026, 10, 14, 9), d=dt.datetime(2026, 10, 25, 9)),
        ue_results=grades(("a", "UE1", 12.0), ("d", "UE1", 9.5)))


def test_evaluate_gives_one_result_per_rule_and_a_level_per_student():
    risks = {r.student: r for r in evaluate(cohort(), None, week(2) + dt.timedelta(days=3),
                                            15, 10)}
    assert {s: r.level for s, r in risks.items()} == {"a": "green", "b": "amber", "c": "red",
                                                      "d": "red"}
    assert all(r.week_start == week(2) for r in risks.values())
    assert [x.rule for x in risks["a"].results] == [
        "below_target", "chronic_under_work", "inactivity", "deadlines", "ue_below_pass",
        "internship", "collective"]
    assert risks["a"].not_evaluated == ["deadlines", "internship", "collective"]
    assert risks["b"].not_evaluated == ["deadlines", "ue_below_pass", "internship", "collective"]


def test_risk_table_lists_red_then_amber_then_green_with_reasons_and_what_was_not_evaluated():
    table = risk_table(evaluate(cohort(), None, week(2), 15, 10))
    assert table.columns == ["student", "week_start", "level", "reasons"]
    assert table.select("student", "level").rows() == [("c", "red"), ("d", "red"),
                                                       ("b", "amber"), ("a", "green")]
    reasons = dict(table.select("student", "reasons").rows())
    assert reasons["a"] == (f"rien à signaler ; non évalué{NBSP}: échéances, stage, "
                            "travail collectif")
    assert reasons["c"].startswith(f"12,5{NBSP}h/semaine en moyenne sur les 2 dernières ")
    assert "aucune activité depuis 11 jours (dernière le 14/10/2026) ; non évalué" in reasons["c"]
    assert reasons["d"].startswith(f"UE1{NBSP}: 9,5/20, seuil 10")
    english = dict(risk_table(evaluate(cohort(), None, week(2), 15, 10), "en")
                   .select("student", "reasons").rows())
    assert english["a"] == ("nothing to report; not evaluated: deadlines, internship, "
                            "collective work")
    assert english["c"].startswith(f"12.5{NBSP}h/week on average over the last 2 teaching weeks")


def test_risk_table_adds_a_score_only_when_a_model_scored_the_students():
    results = evaluate(cohort(), None, week(2), 15, 10)
    scores = pl.DataFrame({"student": ["a", "c"], "score": [0.1, 0.8],
                           "top_features": [["hours trend"], ["days inactive", "hours"]]})
    table = risk_table(results, "en", scores)
    assert table.columns == ["student", "week_start", "level", "reasons", "score",
                             "top_features"]
    assert dict(table.select("student", "score").rows()) == {"a": 0.1, "b": None, "c": 0.8,
                                                              "d": None}
    assert table.filter(pl.col("student") == "c")["top_features"][0] == "days inactive, hours"
    assert risk_table(results, "en", scores.select("student", "score")).columns[-1] == "score"


def test_risk_table_of_nobody_keeps_its_columns_and_rejects_an_unknown_language():
    assert risk_table([]).columns == ["student", "week_start", "level", "reasons"]
    with pytest.raises(ValueError, match="fr, en"):
        risk_table([], "de")


def test_thresholds_are_the_config_risk_section_with_one_set_of_defaults():
    from m2if_analytics.config import config_from_dict

    assert RiskThresholds is config_from_dict({}, source="t").risk.__class__
    cfg = config_from_dict({"risk": {"inactivity_days": 7, "below_target_weeks": 3}}, source="t")
    assert cfg.risk == RiskThresholds(inactivity_days=7, below_target_weeks=3)
    assert RiskThresholds().inactivity_days == 10 and RiskThresholds().below_target_weeks == 2
    r = run("inactivity", RiskInputs(last_event=last_event(s1=dt.datetime(2026, 10, 18, 9))), 2,
            inactivity_days=7)
    assert r.fired


def test_student_risk_reasons_put_red_reasons_first():
    risk = StudentRisk("s", week(0), "red", (
        RuleResult("below_target", "fired", "amber", reason_fr="ambre"),
        RuleResult("ue_below_pass", "fired", "red", reason_fr="rouge")))
    assert risk.reasons() == "rouge ; ambre"


@settings(max_examples=150, deadline=None, derandomize=True)
@given(hours=st.lists(st.sampled_from([0.0, 4.0, 9.5, 15.0, 20.0]), min_size=1, max_size=14),
       holidays=st.sets(st.integers(0, 13), max_size=4), in_progress=st.booleans(),
       report=st.integers(-1, 15))
def test_teaching_weeks_of_a_report_week_are_the_complete_non_holiday_weeks_up_to_it(
        hours: list[float], holidays: set[int], in_progress: bool, report: int):
    """The weeks the weekly rules read at a report week, found by bisection in a split made
    once for every week, are the student's rows of complete (judged) non-holiday weeks up to
    that week, in order: the same as filtering the whole year again; and the levels do not
    depend on whether the split was shared."""
    frame = weekly({"s1": hours, "s2": hours[::-1]}, tuple(holidays), in_progress)
    split = split_weekly(frame)
    pending = set(frame.filter(pl.col("in_progress"))["week_start"].to_list())
    shared = split_teaching(split, pending)
    ctx, lookups, _ = prepare(RiskInputs(weekly=frame), week(report), RiskThresholds(),
                              15.0, 10.0)
    for student, rows in split.items():
        expected = [r for r in rows if r["week_start"] in ctx.judged_weeks and not r["holiday"]]
        assert lookups.teaching_weeks(student, ctx.report_week) == expected
        assert Lookups(**{**vars(lookups), "teaching": shared}).teaching_weeks(
            student, ctx.report_week) == expected
    alone = evaluate(RiskInputs(weekly=frame), None, week(report), 15.0, 10.0)
    together = evaluate(RiskInputs(weekly=frame, shared=shared_lookups(frame)),
                        None, week(report), 15.0, 10.0)
    assert [(r.student, r.level, r.results) for r in alone] == [
        (r.student, r.level, r.results) for r in together]
