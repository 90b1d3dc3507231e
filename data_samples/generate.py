#!/usr/bin/env python3
"""Deterministic generator of the fictitious m2if-analytics sample cohorts' logs.

Per cohort (cohorts.py: "2026-2027" in data_samples/, "2025-2026" in data_samples/2025-2026/),
one seeded list of events is written as roster.csv, profiles.csv, logstore_standard_log.csv
(table dump) and, for 2026-2027, moodle_logs_en.csv / moodle_logs_fr.csv (Logs report
downloads), with resources.csv (the documents provided); sample_rows.py formats the rows.
Re-running reproduces every file byte for byte. All names, e-mails and IPs (RFC 5737) are
fictitious.
Usage: python3 data_samples/generate.py [--cohort 2026-2027|2025-2026] [--out DIR]
"""

from __future__ import annotations

import argparse
import math
import random
import unicodedata
from datetime import date, datetime, time, timedelta
from pathlib import Path

from cohorts import CohortSpec, add_cohort_option, chosen
from sample_rows import (
    Event,
    User,
    course_short,
    logstore_row,
    report_row,
    resources_rows,
    write_csv,
)
from sample_tables import (
    EN_HEADER,
    FR_HEADER,
    GAP_MAX,
    GAP_MIN,
    GAP_MODE,
    LOGSTORE_HEADER,
    STUDENT_MIX,
    TEACHER_MIX,
    TZ,
)


def programme_weeks(spec: CohortSpec) -> list[list[date]]:
    """Programme weeks (Monday-based, week 1 = the start's week) as lists of in-programme days."""
    weeks, monday = [], spec.start
    while monday <= spec.end:
        weeks.append([d for i in range(7) if (d := monday + timedelta(i)) <= spec.end])
        monday += timedelta(7)
    return weeks


def email_of(first: str, last: str) -> str:
    """ASCII-folded firstname.lastname@example.org."""
    folded = unicodedata.normalize("NFKD", f"{first}.{last}".lower().replace(" ", ""))
    return "".join(c for c in folded if not unicodedata.combining(c)) + "@example.org"


def make_users(spec: CohortSpec, rng: random.Random) -> list[User]:
    """Students then teachers, each with a base weekly load and one or two IP addresses."""
    users = []
    for uid, first, last, group, profile in spec.students:
        offset = spec.ip_offset
        ips = (f"192.0.2.{uid - offset}",) + (
            (f"198.51.100.{uid - offset + 10}",) if uid % 3 == 0 else ())
        base = round(rng.uniform(16.0, 19.0), 1)
        users.append(User(uid, f"{first} {last}", email_of(first, last), "student", group,
                          profile, base, ips))
    for k, (uid, first, last, groups) in enumerate(spec.teachers):
        ips = (f"198.51.100.{200 + k}", f"192.0.2.{200 + k}")
        users.append(User(uid, f"{first} {last}", email_of(first, last), "teacher", groups,
                          "teacher", 0.0, ips))
    return users


def student_hours(spec: CohortSpec, user: User, week: int, holiday: bool, teach_idx: int,
                  rng: random.Random) -> float:
    """Target platform hours of a student in programme week `week` (1-based)."""
    if user.profile == "late_start" and week < spec.late[user.uid]:
        return 0.0
    if user.profile == "dropping_out":
        first, factors = spec.drop[user.uid]
        if week >= first + len(factors):
            return 0.0
        if week >= first:
            return user.base * factors[week - first] * rng.uniform(0.9, 1.1)
    if holiday:
        return rng.uniform(0, 2 if user.profile == "low" else 4)
    if user.profile == "low":
        return rng.uniform(5.3, 9.7)
    if user.profile == "irregular":
        return rng.uniform(17.5, 18.5) if teach_idx % 2 == 0 else rng.uniform(0, 3)
    return min(20.7, max(15.3, rng.gauss(user.base, 1.0)))


def week_durations(spec: CohortSpec, user: User, week: int, days: list[date], teach_idx: int,
                   rng: random.Random) -> list[float]:
    """Session lengths (hours) of one user in one week; student loads split into <= 3 h."""
    holiday = all(spec.is_holiday(d) for d in days)
    if user.role == "teacher":
        n = rng.randint(0, 1) if holiday else rng.randint(3, 5)
        return [rng.uniform(0.3, 0.8) if holiday else rng.uniform(0.5, 1.5) for _ in range(n)]
    hours = student_hours(spec, user, week, holiday, teach_idx, rng)
    if hours < 0.25:
        return []
    weights = [rng.uniform(0.8, 1.2) for _ in range(math.ceil(hours / 2.4))]
    return [hours * w / sum(weights) for w in weights]


def local_ts(day: date, hour: float) -> int:
    """Unix seconds of a Europe/Paris wall-clock time (DST-aware)."""
    naive = datetime.combine(day, time()) + timedelta(seconds=round(hour * 3600))
    return int(naive.replace(tzinfo=TZ).timestamp())


def place_sessions(durations: list[float], days: list[date],
                   rng: random.Random) -> list[tuple[int, int]]:
    """(start ts, length s) per session: <= 2 a day, >= 2 h apart, within 07:00-23:30 local."""
    slots = sorted(rng.sample([(d, k) for d in days for k in (0, 1)],
                              min(len(durations), 2 * len(days))))
    by_day: dict[date, list[float]] = {}
    for (day, _), dur in zip(slots, durations, strict=False):  # extra sessions dropped
        by_day.setdefault(day, []).append(dur)
    placed = []
    for day, durs in by_day.items():
        if len(durs) == 1:
            starts = [rng.uniform(7, min(22, 23.5 - durs[0]))]
        else:
            first = rng.uniform(7, 11)
            starts = [first, rng.uniform(max(13, first + durs[0] + 2), 23.5 - durs[1])]
        placed += [(local_ts(day, s), round(d * 3600)) for s, d in zip(starts, durs, strict=True)]
    return sorted(placed)


def session_times(start: int, length: int, rng: random.Random) -> list[int]:
    """Click times of one session; its measured time (gaps + 60 s for the last) = length."""
    end, times = start + length - 60, [start]
    while times[-1] + (gap := round(rng.triangular(GAP_MIN, GAP_MAX, GAP_MODE))) <= end:
        times.append(times[-1] + gap)
    if end - times[-1] >= GAP_MIN:
        times.append(end)
    return times


def pick_generic(spec: CohortSpec, user: User,
                 rng: random.Random) -> tuple[str, int | None, int | None]:
    """Draw (kind, course module, related user) from the user's event mix."""
    mix = TEACHER_MIX if user.role == "teacher" else STUDENT_MIX
    kind = rng.choices(list(mix), list(mix.values()))[0]
    if kind == "profile_viewed":
        return kind, None, rng.choice([s[0] for s in spec.students if s[3] in user.group])
    groups = [spec.group_forums["ABCD".index(g)] for g in user.group]
    teacher = user.role == "teacher"
    news, help_forum = spec.news_forum, spec.help_forum
    pools: dict[str, list[int]] = {
        "page_viewed": spec.of_type("page"), "resource_viewed": spec.of_type("resource"),
        "discussion_viewed": groups * 3 + [news] * 2 + [help_forum],
        "post_created": groups * 3 + [help_forum],
        "discussion_created": [news] * 3 + groups if teacher else [*groups, help_forum],
        "status_viewed": list(spec.assign_due), "grading_viewed": list(spec.assign_due)}
    return kind, rng.choice(pools[kind]) if kind in pools else None, None


def plant_deliverables(spec: CohortSpec, user: User, events: list[Event], done: set[int],
                       rng: random.Random) -> None:
    """Around due dates, put a submission (status view + submit) or a quiz attempt in."""
    day = datetime.fromtimestamp(events[0].ts, TZ).date()
    for cm, due in spec.assign_due.items():
        i = rng.randrange(1, len(events) - 1)
        if cm not in done and due - timedelta(12) <= day <= due and rng.random() < 0.5:
            events[i].kind, events[i].cm = "status_viewed", cm
            events[i + 1].kind, events[i + 1].cm = "submitted", cm
            done.add(cm)
            return
    for cm, (opens, closes) in spec.quiz_open.items():
        i = rng.randrange(1, len(events))
        if cm not in done and opens <= day <= closes and rng.random() < 0.2:
            events[i].kind, events[i].cm, events[i].related = "attempt_submitted", cm, user.uid
            done.add(cm)


def fill_session(spec: CohortSpec, user: User, times: list[int], done: set[int],
                 rng: random.Random) -> list[Event]:
    """Events of one session: a course view first, then draws from the user's mix."""
    ip = user.ips[1] if len(user.ips) > 1 and rng.random() < 0.25 else user.ips[0]
    events = [Event(t, user.uid, ip) for t in times]
    events[0].kind = "course_viewed"
    if user.role == "student" and len(events) >= 4:
        plant_deliverables(spec, user, events, done, rng)
    for ev in events:
        if not ev.kind:
            ev.kind, ev.cm, ev.related = pick_generic(spec, user, rng)
    return events


def user_events(spec: CohortSpec, user: User, rng: random.Random) -> list[Event]:
    """All events of one user over the whole programme."""
    events: list[Event] = []
    done: set[int] = set()  # assignments submitted / quizzes attempted
    teach_idx = 0
    for week, days in enumerate(programme_weeks(spec), start=1):
        holiday_week = all(spec.is_holiday(d) for d in days)
        allowed = days if holiday_week else [d for d in days if not spec.is_holiday(d)]
        durations = week_durations(spec, user, week, days, teach_idx, rng)
        teach_idx += 0 if holiday_week else 1
        for start, length in place_sessions(durations, allowed, rng):
            events += fill_session(spec, user, session_times(start, length, rng), done, rng)
    return events


def system_events(spec: CohortSpec, rng: random.Random) -> list[Event]:
    """Failed logins with unknown usernames: userid 0, no course."""
    offsets = sorted(rng.sample(range((spec.end - spec.start).days + 1), spec.failed_logins))
    names = spec.unknown_logins
    return [Event(local_ts(spec.start + timedelta(off), rng.uniform(6, 23.5)), 0,
                  f"198.51.100.{rng.randint(150, 199)}", "login_failed",
                  other={"username": names[n % len(names)], "reason": 1})
            for n, off in enumerate(offsets)]


def resolve_objects(spec: CohortSpec, events: list[Event]) -> None:
    """Assign object ids and `other` payloads in time order (discussions exist before use)."""
    forums, first = spec.of_type("forum"), spec.first_discussion
    discussions = {cm: [first + 2 * i, first + 1 + 2 * i] for i, cm in enumerate(forums)}
    next_id = {"discussion_created": first + 2 * len(forums), "post_created": spec.first_reply,
               "submitted": spec.first_submission, "attempt_submitted": spec.first_attempt}
    pick = random.Random(spec.seed + 1)
    for ev in events:
        inst = str(spec.modules[ev.cm][1]) if ev.cm else ""
        forum = {"forumid": inst,
                 "forumtype": "news" if ev.cm == spec.news_forum else "general"}
        if ev.kind in next_id:
            ev.objectid, next_id[ev.kind] = next_id[ev.kind], next_id[ev.kind] + 1
        if ev.kind in ("page_viewed", "resource_viewed", "status_viewed", "grading_viewed"):
            ev.objectid = int(inst)
        elif ev.kind == "discussion_viewed":
            ev.objectid = pick.choice(discussions[ev.cm][-6:])
        elif ev.kind == "discussion_created":
            discussions[ev.cm].append(ev.objectid)
            ev.other = forum
        elif ev.kind == "post_created":
            ev.other = {"discussionid": str(pick.choice(discussions[ev.cm][-6:])), **forum}
        elif ev.kind == "submitted":
            ev.other = {"submission_editable": False}
        elif ev.kind == "attempt_submitted":
            ev.other = {"submitterid": str(ev.uid), "quizid": inst}
        elif ev.kind == "profile_viewed":
            ev.objectid = ev.related
            ev.other = {"courseid": str(spec.course_id), "courseshortname": spec.course_short,
                        "coursefullname": spec.course_full}


def avoid_documents(spec: CohortSpec, events: list[Event]) -> None:
    """The students of ``spec.avoids`` never open their UE's documents: each such view goes to
    the first module of the same type in another UE (times and the random draws unchanged)."""
    for ev in events:
        ue = spec.avoids.get(ev.uid)
        if ue and ev.kind in ("page_viewed", "resource_viewed") and spec.module_ue[ev.cm] == ue:
            ev.cm = next(cm for cm in spec.of_type(spec.modules[ev.cm][0])
                         if spec.module_ue.get(cm) != ue)


def profile_note(spec: CohortSpec, user: User) -> str:
    """Free-text note for profiles.csv (no names)."""
    weeks = programme_weeks(spec)
    if user.profile == "dropping_out":
        first, factors = spec.drop[user.uid]
        zero = first + len(factors)
        return (f"normal ~{user.base} h/week; declining in weeks {first}-{zero - 1}; "
                f"no activity from week {zero} ({weeks[zero - 1][0]})")
    if user.profile == "late_start":
        week = spec.late[user.uid]
        return f"no activity before week {week} ({weeks[week - 1][0]}); then ~{user.base} h/week"
    return {"steady": f"~{user.base} h/week in teaching weeks; 0-4 h in holiday weeks",
            "low": "5-10 h/week; 0-2 h in holiday weeks",
            "irregular": "alternates ~18 h and 0-3 h teaching weeks; 0-4 h in holiday weeks",
            "teacher": f"3-5 short sessions/week; groups {'+'.join(user.group)}"}[user.profile]


def generate(spec: CohortSpec, out: Path) -> int:
    """Write one cohort's files into ``out``; return the number of events."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed)
    users = make_users(spec, rng)
    events = [ev for u in users for ev in user_events(spec, u, rng)] + system_events(spec, rng)
    events.sort(key=lambda e: (e.ts, e.uid))
    avoid_documents(spec, events)
    resolve_objects(spec, events)
    names = {u.uid: u.name for u in users}
    write_csv(out / "roster.csv", ["user_id", "full_name", "email", "role", "group"],
              [[u.uid, u.name, u.email, u.role, u.group if u.role == "student" else ""]
               for u in users])
    write_csv(out / "profiles.csv", ["user_id", "profile", "notes"],
              [[u.uid, u.profile, profile_note(spec, u)] for u in users])
    write_csv(out / "resources.csv", ["cmid", "course_id", "ue", "module", "name"],
              resources_rows(spec))
    write_csv(out / "logstore_standard_log.csv", LOGSTORE_HEADER,
              [logstore_row(spec, spec.first_log_id + i, ev) for i, ev in enumerate(events)])
    if spec.report_downloads:
        newest_first = events[::-1]  # Moodle's report order
        write_csv(out / "moodle_logs_en.csv", EN_HEADER,
                  [report_row(spec, ev, names, 0) for ev in newest_first])
        write_csv(out / "moodle_logs_fr.csv", FR_HEADER,
                  [[course_short(spec, ev), *report_row(spec, ev, names, 1)]
                   for ev in newest_first], delimiter=";", newline="\r\n", encoding="utf-8-sig")
    return len(events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_cohort_option(parser)
    args = parser.parse_args()
    for spec in chosen(args):
        out = spec.out(args.out)
        print(f"{spec.id}: {generate(spec, out)} events written to {out}")


if __name__ == "__main__":
    main()
