"""The fictitious sample cohorts, one description each (calendar, people, ids, seed, mix).

generate.py, generate_programme.py and generate_forum.py take everything that differs from one
cohort to the next from a :class:`CohortSpec`; what every cohort shares (activity names, event
labels, headers) is in sample_tables.py. Standard library only; all names are invented.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sample_tables import MODULE_UE, MODULES, UNOPENED

HERE = Path(__file__).resolve().parent

Student = tuple[int, str, str, str, str]  # user id, first name, last name, group, profile
Teacher = tuple[int, str, str, str]  # user id, first name, last name, groups followed
Deadline = tuple[str, str, date, int | None]  # ue, assignment, due day, cmid (None: off Moodle)
# ue, assessment, scale, weight, graded on, index in deadlines of the work graded (or None)
Assessment = tuple[str, str, int, int, date, int | None]


@dataclass(frozen=True)
class CohortSpec:
    """Everything the generators need to know about one cohort."""

    id: str
    folder: str  # under data_samples/ ("" = data_samples/ itself)
    seed: int
    # calendar (local dates, inclusive)
    start: date
    end: date
    holidays: tuple[tuple[date, date], ...]
    letter_deadline: date  # mission letters validated after it are late
    # the Moodle course
    course_id: int
    course_ctx: int
    course_full: str
    course_short: str
    modules: dict[int, tuple[str, int, str]]  # cmid -> (module, instance, name); ctx cmid + 1000
    news_forum: int
    help_forum: int
    group_forums: tuple[int, ...]  # cmids of the forums of groups A, B, C, D
    assign_due: dict[int, date]
    quiz_open: dict[int, tuple[date, date]]
    # one course per UE: UE -> course id; the modules of module_ue are in their UE's course
    ue_courses: dict[str, int]
    module_ue: dict[int, str]
    unopened: dict[int, tuple[str, int, str, str]]  # documents nobody opens (resources list)
    avoids: dict[int, str]  # student -> UE whose documents they never open
    # people and the profile mix
    students: tuple[Student, ...]
    teachers: tuple[Teacher, ...]
    drop: dict[int, tuple[int, tuple[float, ...]]]  # first decline week, factors of normal
    late: dict[int, int]  # late starters: programme week of the first activity
    ip_offset: int  # a student's address is 192.0.2.(uid - offset) [198.51.100.(uid - offset + 10)]
    failed_logins: int
    unknown_logins: tuple[str, ...]
    report_downloads: bool  # also write moodle_logs_en.csv / moodle_logs_fr.csv
    # ids in the Moodle tables: every range is disjoint from the other cohorts' ranges
    first_log_id: int
    first_discussion: int  # two opening discussions per forum, then the logs' discussions
    first_post_offset: int  # the first post of discussion d has id offset + d
    first_reply: int  # replies (post_created events)
    first_submission: int
    first_attempt: int
    # programme tables (generate_programme.py)
    deadlines: tuple[Deadline, ...]
    assessments: tuple[Assessment, ...]
    late_minutes: dict[tuple[int, int], int]  # (user, deadline index) -> minutes after due
    on_the_minute: frozenset[tuple[int, int]]  # (user, deadline index) handed in at 23:59
    fixed_grades: dict[tuple[int, str], float]  # (user, assessment) -> grade out of 20
    late_letter: dict[int, date]  # late starters' mission letters (internship starts then)
    letter_windows: dict[str, tuple[date, int]]  # profile -> first day, days drawn after it
    # forum (generate_forum.py)
    teacher_centred: tuple[str, ...]  # groups whose students answer the teacher's posts
    isolated: tuple[int, ...]  # students who post all year and are never answered
    erased_user: int | None  # a former student erased under the GDPR (posts blanked)
    erased_posts: tuple[tuple[int, int, str], ...]  # post id, discussion id, local time

    def out(self, base: Path) -> Path:
        """This cohort's folder under ``base`` (a folder laid out like data_samples/)."""
        return base / self.folder if self.folder else base

    def is_holiday(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self.holidays)

    def course_of(self, cm: int | None) -> int:
        """The course holding course module ``cm`` (None: the programme's course)."""
        return self.ue_courses[self.module_ue[cm]] if cm in self.module_ue else self.course_id

    def of_type(self, module: str) -> list[int]:
        """Course module ids of one module type, in cmid order."""
        return [cm for cm, m in self.modules.items() if m[0] == module]


def _year_before(day: date) -> date:
    """The same weekday 52 weeks earlier: the 2025-2026 calendar is 2026-2027's, shifted."""
    return day - timedelta(weeks=52)


TEACHERS: tuple[Teacher, ...] = ((201, "Hélène", "Verdier-Sauvage", "AB"),
                                 (202, "François", "Quéméner", "CD"))

COHORT_2026 = CohortSpec(
    id="2026-2027", folder="", seed=20261005,
    start=date(2026, 10, 5), end=date(2027, 7, 2),
    holidays=((date(2026, 12, 19), date(2027, 1, 3)), (date(2027, 4, 17), date(2027, 5, 2))),
    letter_deadline=date(2026, 12, 18),
    course_id=42, course_ctx=1204,
    course_full="M2 Ingénierie de formation 2026-2027", course_short="M2IF-2627",
    modules=MODULES, news_forum=320, help_forum=325, group_forums=(321, 322, 323, 324),
    assign_due={330: date(2026, 11, 22), 331: date(2027, 2, 14), 332: date(2027, 6, 6)},
    quiz_open={340: (date(2026, 10, 19), date(2026, 11, 29)),
               341: (date(2027, 3, 1), date(2027, 4, 11))},
    ue_courses={f"UE{n}": 42 + n for n in range(1, 9)}, module_ue=MODULE_UE,
    unopened=UNOPENED, avoids={113: "UE3"},
    students=(
        (101, "Léa", "Fournier-Dubreuil", "A", "steady"), (102, "Thomas", "Garnier", "A", "steady"),
        (103, "Chloé", "Bénard", "A", "low"), (104, "Julien", "Marchetti", "A", "steady"),
        (105, "Camille", "Rousselot", "A", "dropping_out"),
        (106, "Nicolas", "Caradec", "B", "steady"), (107, "Sophie", "Delaunay", "B", "steady"),
        (108, "Mathieu", "Ferrand", "B", "late_start"),
        (109, "Élodie", "Chassagne", "B", "steady"), (110, "Antoine", "Vasseur", "B", "low"),
        (111, "Manon", "Lecomte", "C", "steady"), (112, "Hugo", "Tessier", "C", "dropping_out"),
        (113, "Inès", "Bouaziz", "C", "steady"), (114, "Romain", "Guillot", "C", "late_start"),
        (115, "Pauline", "Marchand", "C", "steady"), (116, "Karim", "Haddadi", "D", "low"),
        (117, "Aurélie", "Kerhervé", "D", "steady"),
        (118, "Baptiste", "Morvan", "D", "dropping_out"),
        (119, "Émilie", "Castagné", "D", "steady"), (120, "Yannick", "Dufresnoy", "D", "irregular"),
    ),
    teachers=TEACHERS,
    drop={105: (10, (0.6, 0.25)), 112: (14, (0.65, 0.3)), 118: (15, (0.7, 0.4, 0.15))},
    late={108: 5, 114: 7},
    ip_offset=90, failed_logins=15,
    unknown_logins=("admin", "test", "etudiant", "m2if", "lea.fournier", "t.garnier",
                    "chloe.benard@example.org", "julien.marchet", "sophie.delaunay1", "guest2"),
    report_downloads=True,
    first_log_id=500000, first_discussion=400, first_post_offset=7600, first_reply=9000,
    first_submission=700, first_attempt=1500,
    deadlines=(
        ("UE6", MODULES[330][2], date(2026, 11, 22), 330),
        ("UE1", "Dossier : politiques et niveaux de décision", date(2026, 12, 13), None),
        ("UE2", "Note de cadrage du projet en partenariat", date(2027, 1, 24), None),
        ("UE3", MODULES[331][2], date(2027, 2, 14), 331),
        ("UE4", "Séquence d'enseignement-apprentissage", date(2027, 3, 21), None),
        ("UE5", "Projet de mémoire", date(2027, 4, 4), None),
        ("UE8", MODULES[332][2], date(2027, 6, 6), 332),
        ("UE7", "Rapport de stage", date(2027, 6, 20), None),
    ),
    assessments=(
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
    ),
    late_minutes={(103, 1): 26 * 60, (103, 4): 3 * 24 * 60 + 600, (110, 2): 2 * 24 * 60,
                  (110, 5): 18 * 60, (116, 1): 5 * 24 * 60, (116, 2): 40 * 60,
                  (116, 7): 3 * 24 * 60, (120, 4): 1},
    on_the_minute=frozenset({(119, 5)}),
    fixed_grades={
        (103, "Note de cadrage"): 8.5, (103, "Soutenance du projet"): 9.0,
        (110, "Test : méthodes d'évaluation"): 10.0, (110, "Séquence"): 9.25,
        (116, "Test : cadre juridique de la formation professionnelle"): 8.0,
        (116, "Dossier"): 9.0, (116, "Note de synthèse"): 7.5,
        (120, "Note de synthèse"): 10.0,
    },
    late_letter={108: date(2027, 1, 11), 114: date(2027, 1, 25)},
    letter_windows={"steady": (date(2026, 11, 9), 18), "low": (date(2026, 12, 1), 10),
                    "irregular": (date(2026, 12, 14), 0)},
    teacher_centred=("A", "C"), isolated=(110, 116),
    erased_user=121,
    erased_posts=((8900, 410, "2026-10-06 10:12:31"), (8901, 411, "2026-10-08 18:40:05"),
                  (8902, 410, "2026-10-13 21:05:47")),
)

# The year before: the same programme and teachers, a course restored from the same backup (the
# same activities under new ids), other students and a more engaged mix (15 steady, 2 low,
# 1 drop-out, 1 late starter, 1 irregular).
COHORT_2025 = CohortSpec(
    id="2025-2026", folder="2025-2026", seed=20251006,
    start=date(2025, 10, 6), end=date(2026, 7, 3),
    holidays=((date(2025, 12, 20), date(2026, 1, 4)), (date(2026, 4, 18), date(2026, 5, 3))),
    letter_deadline=date(2025, 12, 19),
    course_id=41, course_ctx=1104,
    course_full="M2 Ingénierie de formation 2025-2026", course_short="M2IF-2526",
    modules={cm - 100: (kind, instance - 10, name)
             for cm, (kind, instance, name) in MODULES.items()},
    news_forum=220, help_forum=225, group_forums=(221, 222, 223, 224),
    assign_due={cm - 100: _year_before(day) for cm, day in COHORT_2026.assign_due.items()},
    quiz_open={cm - 100: (_year_before(a), _year_before(b))
               for cm, (a, b) in COHORT_2026.quiz_open.items()},
    ue_courses={f"UE{n}": 30 + n for n in range(1, 9)},
    module_ue={cm - 100: ue for cm, ue in MODULE_UE.items()},
    unopened={cm - 100: (kind, instance - 10, name, ue)
              for cm, (kind, instance, name, ue) in UNOPENED.items()},
    avoids={},
    students=(
        (301, "Anaïs", "Lemarchand", "A", "steady"), (302, "Mehdi", "Cherkaoui", "A", "steady"),
        (303, "Clémence", "Vautrin", "A", "steady"), (304, "Loïc", "Le Bihan", "A", "low"),
        (305, "Fatoumata", "Diallo", "A", "steady"), (306, "Guillaume", "Arnoux", "B", "steady"),
        (307, "Linh", "Vo-Delorme", "B", "irregular"),
        (308, "Valentin", "Moreau-Lasserre", "B", "steady"),
        (309, "Océane", "Barbier", "B", "dropping_out"), (310, "Rachid", "Ouali", "B", "steady"),
        (311, "Justine", "Kowalczyk", "C", "steady"), (312, "Bastien", "Roussel", "C", "steady"),
        (313, "Nadia", "Mansouri", "C", "late_start"),
        (314, "Thibault", "Carrère", "C", "steady"), (315, "Amandine", "Le Goff", "C", "steady"),
        (316, "Sébastien", "Ortega", "D", "steady"), (317, "Maëlle", "Giraud", "D", "low"),
        (318, "Youssef", "Haddou", "D", "steady"),
        (319, "Laetitia", "Fontaine-Ribeiro", "D", "steady"),
        (320, "Gaël", "Antonetti", "D", "steady"),
    ),
    teachers=TEACHERS,
    drop={309: (18, (0.6, 0.3))},
    late={313: 4},
    ip_offset=250, failed_logins=9,
    unknown_logins=("admin", "root", "test", "m2if", "etudiant2025", "anais.lemarchand",
                    "m.cherkaoui", "secretariat", "guest"),
    report_downloads=False,
    first_log_id=300000, first_discussion=1000, first_post_offset=2000, first_reply=4000,
    first_submission=600, first_attempt=1400,
    deadlines=tuple((ue, name, _year_before(day), None if cm is None else cm - 100)
                    for ue, name, day, cm in COHORT_2026.deadlines),
    assessments=tuple((ue, name, scale, weight, _year_before(day), graded)
                      for ue, name, scale, weight, day, graded in COHORT_2026.assessments),
    late_minutes={(304, 2): 2 * 24 * 60, (304, 5): 20 * 60, (317, 4): 6 * 60, (307, 1): 3 * 60},
    on_the_minute=frozenset({(312, 2)}),
    fixed_grades={(304, "Projet de mémoire"): 8.0, (317, "Note de synthèse"): 10.0},
    late_letter={313: date(2026, 1, 12)},
    letter_windows={profile: (_year_before(first), days)
                    for profile, (first, days) in COHORT_2026.letter_windows.items()},
    teacher_centred=("B",), isolated=(317,),
    erased_user=None, erased_posts=(),
)

COHORTS = {spec.id: spec for spec in (COHORT_2026, COHORT_2025)}


def add_cohort_option(parser: argparse.ArgumentParser) -> None:
    """The generators' options: --cohort (repeatable) and --out."""
    parser.add_argument("--cohort", choices=sorted(COHORTS), action="append",
                        help="generate this cohort only (repeatable; default: every cohort)")
    parser.add_argument("--out", type=Path, default=HERE,
                        help="a folder laid out like data_samples/: 2026-2027 in it, "
                             "2025-2026 in its 2025-2026/ sub-folder (default: data_samples/)")


def chosen(args: argparse.Namespace) -> list[CohortSpec]:
    """The cohorts named by --cohort, else all of them."""
    return [COHORTS[c] for c in args.cohort] if args.cohort else list(COHORTS.values())


def run_generator(doc: str, generate: Callable[[CohortSpec, Path], object]) -> None:
    """The command line of a generator: parse --cohort/--out, then ``generate`` each chosen
    cohort into its folder."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    add_cohort_option(parser)
    args = parser.parse_args()
    for spec in chosen(args):
        generate(spec, spec.out(args.out))
