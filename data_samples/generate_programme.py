#!/usr/bin/env python3
"""Deterministic generator of the sample cohorts' programme tables (fictitious).

Per cohort (cohorts.py), reads its roster.csv, profiles.csv and logstore_standard_log.csv from
this folder (2025-2026: the 2025-2026/ sub-folder) and writes grades.csv, deadlines.csv,
submissions.csv, internship.csv and mission_letters.csv, consistent with the planted profiles
of the activity logs (see README.md, "Programme tables"). Standard library only; re-running
reproduces every file byte for byte.
Usage: python3 data_samples/generate_programme.py [--cohort 2026-2027|2025-2026] [--out DIR]
"""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from cohorts import HERE, CohortSpec, run_generator
from sample_tables import TZ

DUE_TIME = time(23, 59)
GRADE_RANGE = {"steady": (11.0, 17.0), "late_start": (12.0, 15.0), "low": (12.0, 14.0),
               "dropping_out": (10.0, 13.0), "irregular": (10.5, 13.0)}
People = list[tuple[int, str, str]]


def read_people(spec: CohortSpec) -> People:
    """(user id, full name, profile) of every student, in user-id order."""
    folder = spec.out(HERE)
    with (folder / "profiles.csv").open(encoding="utf-8") as fh:
        profiles = {int(r["user_id"]): r["profile"] for r in csv.DictReader(fh)}
    with (folder / "roster.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["role"] == "student"]
    return sorted((int(r["user_id"]), r["full_name"], profiles[int(r["user_id"])])
                  for r in rows)


def last_active(spec: CohortSpec) -> dict[int, date]:
    """Last local day with a log event of each drop-out: they hand in nothing after it."""
    last: dict[int, date] = {}
    with (spec.out(HERE) / "logstore_standard_log.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            uid = int(r["userid"])
            if uid in spec.drop:
                day = datetime.fromtimestamp(int(r["timecreated"]), TZ).date()
                last[uid] = max(day, last.get(uid, day))
    return last


def weeks(spec: CohortSpec) -> list[date]:
    """Mondays of the cohort's teaching weeks (no weekday in a holiday range)."""
    monday = spec.start - timedelta(days=spec.start.weekday())
    out = []
    while monday <= spec.end:
        if not all(spec.is_holiday(monday + timedelta(days=i)) for i in range(5)):
            out.append(monday)
        monday += timedelta(days=7)
    return out


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def submissions(spec: CohortSpec, people: People, left: dict[int, date],
                rng: random.Random) -> list[list[str]]:
    """Submissions of the deliverables handed in outside Moodle (no cmid)."""
    rows = []
    for uid, _, profile in people:
        for index, (_, assignment, due_day, cmid) in enumerate(spec.deadlines):
            if cmid is not None:
                continue  # the logs hold these submissions
            due = datetime.combine(due_day, DUE_TIME)
            if uid in left and due_day > left[uid]:
                continue  # dropped out: missing
            if (uid, index) in spec.on_the_minute:
                moment = due
            elif (uid, index) in spec.late_minutes:
                moment = due + timedelta(minutes=spec.late_minutes[(uid, index)])
            else:
                before = rng.randint(1, 6 if profile != "dropping_out" else 2)
                moment = datetime.combine(due_day - timedelta(days=before),
                                          time(rng.randint(8, 21), rng.randrange(0, 60, 5)))
            rows.append([str(uid), assignment, stamp(moment)])
    return rows


def grades(spec: CohortSpec, people: People, left: dict[int, date],
           rng: random.Random) -> list[list[str]]:
    """One grade per assessment; drop-outs only for work handed in before they left."""
    rows = []
    for uid, _, profile in people:
        low, high = GRADE_RANGE[profile]
        for ue, assessment, scale, weight, graded_on, due_index in spec.assessments:
            if uid in left:
                handed_in = due_index is not None and spec.deadlines[due_index][2] <= left[uid]
                if not handed_in and not (due_index is None and graded_on <= left[uid]):
                    continue
            on_20 = spec.fixed_grades.get((uid, assessment))
            if on_20 is None:
                on_20 = round(rng.uniform(low, high) * 2) / 2
            value = on_20 * scale / 20
            text = f"{value:g}".replace(".", ",")
            rows.append([str(uid), ue, assessment, text, str(scale), str(weight),
                         graded_on.strftime("%d/%m/%Y")])
    return rows


def internship(spec: CohortSpec, people: People, left: dict[int, date],
               rng: random.Random) -> list[list[str]]:
    """Internship days (one row per date): 3 a week (sometimes 2.5), from the first week."""
    rows = []
    for uid, name, profile in people:
        for n, monday in enumerate(weeks(spec)):
            first = spec.late_letter.get(uid)
            if first is not None and monday < first - timedelta(days=first.weekday()):
                continue
            count = 4 if first is not None else 3
            if profile == "irregular":
                count = 4 if n % 2 == 0 else 2
            weekdays = sorted(rng.sample(range(5), count))
            half = rng.random() < 0.2 and profile != "irregular"
            for i, weekday in enumerate(weekdays):
                day = monday + timedelta(days=weekday)
                if day < spec.start or day > spec.end or spec.is_holiday(day):
                    continue
                if uid in left and day > left[uid]:
                    continue
                days = "0.5" if half and i == len(weekdays) - 1 else "1"
                rows.append([name, day.isoformat(), days])
    return rows


def mission_letters(spec: CohortSpec, people: People, rng: random.Random) -> list[list[str]]:
    """Validation days: drop-outs never, late starters late, the others in their window.
    A late starter's letter also gives the internship's own start (the Monday of the
    letter's week, when its days begin) and rhythm (4 days a week)."""
    rows = []
    for uid, _, profile in people:
        start = rhythm = ""
        if profile == "dropping_out":
            on = ""  # listed, never validated
        elif uid in spec.late_letter:
            letter = spec.late_letter[uid]
            on = letter.isoformat()
            start, rhythm = (letter - timedelta(days=letter.weekday())).isoformat(), "4"
        else:
            first, days = spec.letter_windows.get(profile, spec.letter_windows["steady"])
            on = (first + timedelta(days=rng.randint(0, days)) if days else first).isoformat()
        rows.append([str(uid), on, start, rhythm])
    return rows


def write(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",",
          encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(spec: CohortSpec, out: Path) -> None:
    """Write one cohort's five programme tables into ``out``."""
    assert all(day > spec.letter_deadline for day in spec.late_letter.values()), spec.id
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed + 4)
    people, left = read_people(spec), last_active(spec)
    deadline_rows = [[spec.id, ue, name, stamp(datetime.combine(day, DUE_TIME)),
                      "" if cmid is None else str(cmid)] for ue, name, day, cmid in spec.deadlines]
    write(out / "deadlines.csv", ["cohort", "ue", "assignment", "due", "cmid"], deadline_rows)
    write(out / "submissions.csv", ["user_id", "assignment", "submitted_at"],
          submissions(spec, people, left, rng))
    write(out / "grades.csv", ["user_id", "ue", "assessment", "grade", "scale", "weight",
                               "date"], grades(spec, people, left, rng), delimiter=";",
          encoding="utf-8-sig")
    write(out / "internship.csv", ["full_name", "date", "days"],
          internship(spec, people, left, rng))
    write(out / "mission_letters.csv", ["user_id", "validated_on", "internship_start",
                                        "days_per_week"], mission_letters(spec, people, rng))


def main() -> None:
    run_generator(__doc__, generate)


if __name__ == "__main__":
    main()
