#!/usr/bin/env python3
"""Deterministic generator of the sample cohort's programme tables (fictitious).

Reads roster.csv and profiles.csv from this folder and writes grades.csv, deadlines.csv,
submissions.csv, internship.csv and mission_letters.csv, consistent with the planted
profiles of the activity logs (see README.md, "Programme tables"). Standard library only;
re-running reproduces every file byte for byte.
Usage: python3 data_samples/generate_programme.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sample_tables import ASSIGN_DUE, END, HOLIDAYS, MODULES, SEED, START

HERE = Path(__file__).resolve().parent
DUE_TIME = time(23, 59)
COHORT = "2026-2027"

# Last local day with activity of the drop-outs (README, "Drop-outs"): nothing after it.
LAST_ACTIVE = {105: date(2026, 12, 14), 112: date(2027, 1, 17), 118: date(2027, 1, 29)}
# Mission letters validated late (after the 2026-12-18 deadline); the internship starts the
# Monday of validation, at 4 days a week.
LATE_LETTER = {108: date(2027, 1, 11), 114: date(2027, 1, 25)}

# (ue, assignment, due date, cmid or None): the Moodle assignments of the logs plus
# deliverables handed in outside Moodle (their submissions are in submissions.csv).
DEADLINES = [
    ("UE6", MODULES[330][2], ASSIGN_DUE[330], 330),
    ("UE1", "Dossier : politiques et niveaux de décision", date(2026, 12, 13), None),
    ("UE2", "Note de cadrage du projet en partenariat", date(2027, 1, 24), None),
    ("UE3", MODULES[331][2], ASSIGN_DUE[331], 331),
    ("UE4", "Séquence d'enseignement-apprentissage", date(2027, 3, 21), None),
    ("UE5", "Projet de mémoire", date(2027, 4, 4), None),
    ("UE8", MODULES[332][2], ASSIGN_DUE[332], 332),
    ("UE7", "Rapport de stage", date(2027, 6, 20), None),
]
# Late submissions planted for low and irregular students: (user, assignment index) →
# minutes after the due time.
LATE_MINUTES = {(103, 1): 26 * 60, (103, 4): 3 * 24 * 60 + 600, (110, 2): 2 * 24 * 60,
                (110, 5): 18 * 60, (116, 1): 5 * 24 * 60, (116, 2): 40 * 60,
                (116, 7): 3 * 24 * 60, (120, 4): 1}
ON_THE_MINUTE = {(119, 5)}  # submitted exactly at the due minute: on time

# (ue, assessment, scale, weight, graded on, due index of the work graded or None)
ASSESSMENTS = [
    ("UE1", "Test : cadre juridique de la formation professionnelle", 100, 1,
     date(2026, 12, 4), None),
    ("UE1", "Dossier", 20, 2, date(2027, 1, 15), 1),
    ("UE2", "Note de cadrage", 20, 1, date(2027, 2, 5), 2),
    ("UE2", "Soutenance du projet", 20, 1, date(2027, 2, 12), None),
    ("UE3", "Note de synthèse", 20, 1, date(2027, 3, 5), 3),
    ("UE4", "Test : méthodes d'évaluation", 100, 1, date(2027, 4, 16), None),
    ("UE4", "Séquence", 20, 2, date(2027, 4, 16), 4),
    ("UE5", "Projet de mémoire", 20, 1, date(2027, 4, 23), 5),
    ("UE6", "Lettre de mission", 20, 1, date(2027, 1, 22), 0),
    ("UE6", "Pré-mémoire", 20, 2, date(2027, 5, 21), None),
    ("UE7", "Rapport de stage", 20, 1, date(2027, 6, 25), 7),
    ("UE7", "Appréciation du tuteur", 20, 1, date(2027, 6, 25), None),
    ("UE8", "Mémoire professionnel", 20, 2, date(2027, 6, 30), 6),
    ("UE8", "Soutenance", 20, 1, date(2027, 6, 30), None),
]
# Planted grades (out of 20 before conversion) that decide the UE results of low students.
FIXED_GRADES = {
    (103, "Note de cadrage"): 8.5, (103, "Soutenance du projet"): 9.0,
    (110, "Test : méthodes d'évaluation"): 10.0, (110, "Séquence"): 9.25,
    (116, "Test : cadre juridique de la formation professionnelle"): 8.0,
    (116, "Dossier"): 9.0, (116, "Note de synthèse"): 7.5,
    (120, "Note de synthèse"): 10.0,
}
GRADE_RANGE = {"steady": (11.0, 17.0), "late_start": (12.0, 15.0), "low": (12.0, 14.0),
               "dropping_out": (10.0, 13.0), "irregular": (10.5, 13.0)}


def read_people() -> list[tuple[int, str, str]]:
    """(user id, full name, profile) of every student, in user-id order."""
    with (HERE / "profiles.csv").open(encoding="utf-8") as fh:
        profiles = {int(r["user_id"]): r["profile"] for r in csv.DictReader(fh)}
    with (HERE / "roster.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["role"] == "student"]
    return sorted((int(r["user_id"]), r["full_name"], profiles[int(r["user_id"])])
                  for r in rows)


def holiday(day: date) -> bool:
    return any(first <= day <= last for first, last in HOLIDAYS)


def weeks() -> list[date]:
    """Mondays of the cohort's teaching weeks (no weekday in a holiday range)."""
    monday = START - timedelta(days=START.weekday())
    out = []
    while monday <= END:
        if not all(holiday(monday + timedelta(days=i)) for i in range(5)):
            out.append(monday)
        monday += timedelta(days=7)
    return out


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def submissions(people: list[tuple[int, str, str]], rng: random.Random) -> list[list[str]]:
    """Submissions of the deliverables handed in outside Moodle (no cmid)."""
    rows = []
    for uid, _, profile in people:
        for index, (_, assignment, due_day, cmid) in enumerate(DEADLINES):
            if cmid is not None:
                continue  # the logs hold these submissions
            due = datetime.combine(due_day, DUE_TIME)
            if uid in LAST_ACTIVE and due_day > LAST_ACTIVE[uid]:
                continue  # dropped out: missing
            if (uid, index) in ON_THE_MINUTE:
                moment = due
            elif (uid, index) in LATE_MINUTES:
                moment = due + timedelta(minutes=LATE_MINUTES[(uid, index)])
            else:
                before = rng.randint(1, 6 if profile != "dropping_out" else 2)
                moment = datetime.combine(due_day - timedelta(days=before),
                                          time(rng.randint(8, 21), rng.randrange(0, 60, 5)))
            rows.append([str(uid), assignment, stamp(moment)])
    return rows


def grades(people: list[tuple[int, str, str]], rng: random.Random) -> list[list[str]]:
    """One grade per assessment; drop-outs only for work handed in before they left."""
    rows = []
    for uid, _, profile in people:
        low, high = GRADE_RANGE[profile]
        for ue, assessment, scale, weight, graded_on, due_index in ASSESSMENTS:
            if uid in LAST_ACTIVE:
                handed_in = due_index is not None and DEADLINES[due_index][2] <= LAST_ACTIVE[uid]
                if not handed_in and not (due_index is None and graded_on <= LAST_ACTIVE[uid]):
                    continue
            on_20 = FIXED_GRADES.get((uid, assessment))
            if on_20 is None:
                on_20 = round(rng.uniform(low, high) * 2) / 2
            value = on_20 * scale / 20
            text = f"{value:g}".replace(".", ",")
            rows.append([str(uid), ue, assessment, text, str(scale), str(weight),
                         graded_on.strftime("%d/%m/%Y")])
    return rows


def internship(people: list[tuple[int, str, str]], rng: random.Random) -> list[list[str]]:
    """Internship days (one row per date): 3 a week (sometimes 2.5), from the first week."""
    rows = []
    for uid, name, profile in people:
        for n, monday in enumerate(weeks()):
            first = LATE_LETTER.get(uid)
            if first is not None and monday < first - timedelta(days=first.weekday()):
                continue
            count = 4 if first is not None else 3
            if profile == "irregular":
                count = 4 if n % 2 == 0 else 2
            weekdays = sorted(rng.sample(range(5), count))
            half = rng.random() < 0.2 and profile != "irregular"
            for i, weekday in enumerate(weekdays):
                day = monday + timedelta(days=weekday)
                if day < START or day > END or holiday(day):
                    continue
                if uid in LAST_ACTIVE and day > LAST_ACTIVE[uid]:
                    continue
                days = "0.5" if half and i == len(weekdays) - 1 else "1"
                rows.append([name, day.isoformat(), days])
    return rows


def mission_letters(people: list[tuple[int, str, str]], rng: random.Random) -> list[list[str]]:
    rows = []
    for uid, _, profile in people:
        if profile == "dropping_out":
            on = ""  # listed, never validated
        elif uid in LATE_LETTER:
            on = LATE_LETTER[uid].isoformat()
        elif profile == "irregular":
            on = date(2026, 12, 14).isoformat()
        elif profile == "low":
            on = (date(2026, 12, 1) + timedelta(days=rng.randint(0, 10))).isoformat()
        else:
            on = (date(2026, 11, 9) + timedelta(days=rng.randint(0, 18))).isoformat()
        rows.append([str(uid), on])
    return rows


def write(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",",
          encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED + 4)
    people = read_people()
    deadline_rows = [[COHORT, ue, name, stamp(datetime.combine(day, DUE_TIME)),
                      "" if cmid is None else str(cmid)] for ue, name, day, cmid in DEADLINES]
    write(out / "deadlines.csv", ["cohort", "ue", "assignment", "due", "cmid"], deadline_rows)
    write(out / "submissions.csv", ["user_id", "assignment", "submitted_at"],
          submissions(people, rng))
    write(out / "grades.csv", ["user_id", "ue", "assessment", "grade", "scale", "weight",
                               "date"], grades(people, rng), delimiter=";",
          encoding="utf-8-sig")
    write(out / "internship.csv", ["full_name", "date", "days"], internship(people, rng))
    write(out / "mission_letters.csv", ["user_id", "validated_on"],
          mission_letters(people, rng))


if __name__ == "__main__":
    main()
