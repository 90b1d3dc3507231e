"""The risk rules on the sample cohort: planted profiles get the levels they should."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest

from m2if_analytics.programme.indicators import CONCERNS
from tests.conftest import SAMPLES
from tests.risk.test_rules import grades

NBSP, NNBSP = "\u00a0", "\u202f"
START = dt.date(2026, 10, 5)  # a Monday: programme week 0
WEEK = dt.timedelta(days=7)


def test_planted_students_of_the_sample_cohort_are_flagged_and_steady_ones_are_green(
        sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    from m2if_analytics.api import open_warehouse
    from m2if_analytics.api import weekly as api_weekly
    from m2if_analytics.risk import assess, levels_over_time
    from m2if_analytics.risk.data import last_events
    from m2if_analytics.warehouse.pseudonyms import pseudonym

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    samples = SAMPLES
    with open_warehouse(sample_warehouse) as ws:
        profiles = pl.read_csv(samples / "profiles.csv").filter(pl.col("profile") != "teacher")
        who = {pseudonym(ws.pseudo.id_ident(str(u))): (u, p)
               for u, p in profiles.select("user_id", "profile").iter_rows()}
        by_profile: dict[str, list[str]] = {}
        for student, (_, profile) in who.items():
            by_profile.setdefault(profile, []).append(student)
        teaching = (api_weekly(ws).filter(~pl.col("holiday") & ~pl.col("in_progress"))
                    ["week_start"].unique().sort().to_list())
        tables = {w: dict(assess(ws, week=w).select("student", "level").rows())
                  for w in ("2026-W42", "2026-W50", "2027-W10")}
        for student in by_profile["low"]:
            assert tables["2026-W42"][student] in ("amber", "red"), who[student]
            assert tables["2027-W10"][student] in ("amber", "red"), who[student]
        for student in by_profile["steady"]:
            assert tables["2026-W50"][student] == "green", who[student]
            assert tables["2027-W10"][student] == "green", who[student]
        last = dict(last_events(ws, None, dt.date(2027, 3, 14)).rows())
        for student in by_profile["dropping_out"]:
            after = [w for w in teaching if w > last[student].date()]
            visible = after[1]  # the second complete teaching week after the last activity
            table = assess(ws, week=visible, lang="en")
            row = table.filter(pl.col("student") == student).row(0, named=True)
            print(who[student], "last event", last[student], "→", visible, row["level"],
                  "|", row["reasons"])
            assert row["level"] in ("amber", "red"), who[student]
            assert "no activity for" in row["reasons"] or "/week on average" in row["reasons"]
        counts = {w: {lv: list(t.values()).count(lv) for lv in ("green", "amber", "red")}
                  for w, t in tables.items()}
        print("levels per week:", counts)
        over = levels_over_time(ws)
        assert over.height == len(api_weekly(ws).filter(~pl.col("in_progress"))["week_start"]
                                  .unique())
        assert (over["green"] + over["amber"] + over["red"] == len(who)).all()
        w10 = over.filter(pl.col("iso_week") == "2027-W10").row(0, named=True)
        assert {lv: w10[lv] for lv in ("green", "amber", "red")} == counts["2027-W10"]


def test_assess_reads_the_indicators_that_are_available_and_no_others(
        sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    from m2if_analytics.api import open_warehouse, students
    from m2if_analytics.risk import assess

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    calls: list[object] = []

    def ue_results(ws: object, cohort: str | None = None, as_of: dt.date | None = None):
        calls.append(as_of)
        return grades((first, "UE3", 9.5), (first, "UE1", 15.0))

    def refused(*args: object, **kwargs: object):
        raise AssertionError("an indicator whose data is not available was called")

    fake = SimpleNamespace(availability=lambda ws, cohort=None: {
                               concern: concern == "grades" for concern in CONCERNS},
                           ue_results=ue_results, submission_summary=refused,
                           internship_pace=refused, collective_participation=refused)
    monkeypatch.setattr("m2if_analytics.risk.data.indicators", fake)
    with open_warehouse(sample_warehouse) as ws:
        first = students(ws)["student"][0]
        table = assess(ws, week="2026-W50")
    assert calls == [dt.date(2026, 12, 13)]  # the report week's Sunday, judged whole
    row = table.filter(pl.col("student") == first).row(0, named=True)
    assert row["level"] == "red"
    assert f"UE3{NBSP}: 9,5/20, seuil 10" in row["reasons"]
    assert "notes" not in row["reasons"].split("non évalué")[-1]


@pytest.mark.parametrize("week", ["2026-W50", "2027-W03", "2027-W10", "2027-W20"])
def test_with_every_table_loaded_planted_profiles_get_their_levels(
        full_sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch, week: str):
    import csv

    from m2if_analytics import api
    from m2if_analytics.risk import assess
    from m2if_analytics.warehouse.pseudonyms import pseudonym

    monkeypatch.setenv("M2IF_PSEUDONYM_KEY", "sample-key")
    with api.open_warehouse(full_sample_warehouse) as ws:
        table = assess(ws, week=week, lang="en")
        label = {r["user_id"]: (pseudonym(ws.pseudo.id_ident(r["user_id"])), r["profile"])
                 for r in csv.DictReader((SAMPLES / "profiles.csv").open(encoding="utf-8"))}
    level = dict(zip(table["student"], table["level"], strict=True))
    reasons = dict(zip(table["student"], table["reasons"], strict=True))
    for _, (student, profile) in label.items():
        if profile == "steady":
            assert level[student] == "green", (week, student, reasons[student])
        if profile == "low":
            assert level[student] in ("amber", "red"), (week, student, reasons[student])
    # a drop-out is amber or red once two complete teaching weeks have passed without them
    dropped = {"105": "2026-W51", "112": "2027-W03", "118": "2027-W05"}
    for uid, visible in dropped.items():
        if week >= visible:
            student = label[uid][0]
            assert level[student] in ("amber", "red"), (week, uid, reasons[student])
    assert "not evaluated" not in " ".join(table["reasons"])  # every rule had its data
