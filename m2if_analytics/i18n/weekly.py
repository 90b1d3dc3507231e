"""Wording shared by the reports and of the weekly report: titles, headline, sections, columns,
legends and figures, in French and English."""

from __future__ import annotations

from m2if_analytics.i18n.chars import NBSP

MESSAGES: dict[str, dict[str, str]] = {
    # report
    "report_title": {"fr": "Suivi hebdomadaire — cohorte {cohort}, {week}",
                     "en": "Weekly report — cohort {cohort}, {week}"},
    # headline
    "students": {"fr": "Étudiants", "en": "Students"},
    "students_below_target": {"fr": "Étudiants sous l'objectif",
                              "en": "Students below target"},
    "median_hours": {"fr": "Heures en ligne médianes", "en": "Median online hours"},
    "change_vs_previous_week": {"fr": "Évolution par rapport à la semaine précédente",
                                "en": "Change vs previous week"},
    # sections
    "section_engagement": {"fr": "Engagement par semaine", "en": "Engagement by week"},
    "section_cumulative": {"fr": "Heures cumulées", "en": "Cumulative hours"},
    "section_last_week": {"fr": "Heures de la dernière semaine", "en": "Last week's hours"},
    "section_sessions": {"fr": "Sessions et jours actifs", "en": "Sessions and active days"},
    "section_below_target_streak": {
        "fr": "Sous l'objectif depuis {weeks} semaines d'enseignement consécutives ou plus",
        "en": "Below target for {weeks} consecutive teaching weeks or more"},
    "section_data_quality": {"fr": "Qualité des données", "en": "Data quality"},
    "last_data": {"fr": "Dernières données", "en": "Last data"},
    "rows_quarantined": {"fr": "Lignes mises en quarantaine", "en": "Rows quarantined"},
    "students_without_activity": {"fr": "Étudiants sans activité",
                                  "en": "Students without activity"},
    "none": {"fr": "Aucun", "en": "None"},
    "students_never_active": {"fr": "Étudiants sans aucune activité depuis le début",
                              "en": "Students with no activity since the start"},
    # table columns
    "student": {"fr": "Étudiant", "en": "Student"},
    "group": {"fr": "Groupe", "en": "Group"},
    "no_group": {"fr": "Sans groupe", "en": "No group"},
    "weeks_below_target": {"fr": "Semaines sous l'objectif", "en": "Weeks below target"},
    "mean_hours": {"fr": "Heures en ligne moyennes", "en": "Mean online hours"},
    "last_week_hours": {"fr": "Heures de la dernière semaine", "en": "Last week's hours"},
    # legend words
    "holiday_week": {"fr": "Semaine de vacances", "en": "Holiday week"},
    "holiday_short": {"fr": "vacances", "en": "holiday"},
    "week_in_progress": {"fr": "Semaine en cours", "en": "Week in progress"},
    "week_in_progress_short": {"fr": "en cours", "en": "in progress"},
    "report_week": {"fr": "Semaine du rapport", "en": "Report week"},
    "target": {"fr": "Objectif {hours}", "en": "Target {hours}"},
    "target_cumulative": {"fr": "Objectif cumulé ({hours} par semaine d'enseignement)",
                          "en": "Cumulative target ({hours} per teaching week)"},
    "pace": {"fr": "Rythme vers {hours}", "en": "Pace to {hours}"},
    "median": {"fr": "Médiane {hours}", "en": "Median {hours}"},
    "platform_time_only": {"fr": "Temps sur la plateforme uniquement",
                           "en": "Platform time only"},
    "platform_time_note": {  # shown alone too: a sentence of its own
        "fr": "Temps en ligne\u00a0: lecture, rédaction et stage se font hors plateforme",
        "en": "Online time: reading, writing and internship happen off the platform"},
    # figures
    "fig_engagement_title": {"fr": "Heures en ligne par étudiant et par semaine",
                             "en": "Online hours by student and week"},
    "fig_cumulative_title": {"fr": "Heures en ligne cumulées", "en": "Cumulative online hours"},
    "fig_week_hours_title": {"fr": "Heures en ligne, {week}", "en": "Online hours, {week}"},
    "fig_sessions_title": {"fr": "Sessions et jours actifs, {week}",
                           "en": "Sessions and active days, {week}"},
    "axis_week": {"fr": "Semaine", "en": "Week"},
    "axis_student": {"fr": "Étudiant (pseudonyme)", "en": "Student (pseudonym)"},
    "axis_online_hours": {"fr": "Heures en ligne", "en": "Online hours"},
    "axis_cumulative_hours": {"fr": "Heures en ligne cumulées", "en": "Cumulative online hours"},
    "axis_student_count": {"fr": "Nombre d'étudiants", "en": "Number of students"},
    "axis_count": {"fr": "Nombre", "en": "Count"},
    "sessions": {"fr": "Sessions", "en": "Sessions"},
    "active_days": {"fr": "Jours actifs", "en": "Active days"},
    "online_hours": {"fr": "Heures en ligne", "en": "Online hours"},
    "hover_value": {"fr": "{label}" + NBSP + ": {value}", "en": "{label}: {value}"},
    "week": {"fr": "semaine {iso_week}", "en": "week {iso_week}"},
}
