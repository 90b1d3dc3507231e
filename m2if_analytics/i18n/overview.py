"""Wording of the overview report and notebook, in French and English."""

from __future__ import annotations

from m2if_analytics.i18n.chars import NBSP

MESSAGES: dict[str, dict[str, str]] = {
    "overview_title": {"fr": "Vue d'ensemble — promotion {cohort}, {week}",
                       "en": "Cohort overview — cohort {cohort}, {week}"},
    "overview_intro": {
        "fr": "L'année de la promotion jusqu'à la semaine du rapport : engagement, rythme vers "
              "{hours}, niveaux de risque, notes, stage et travail collectif. Notes, stage et "
              "forums sont pris en compte jusqu'au {day} inclus. Pseudonymes uniquement ; "
              "les menus au-dessus des figures choisissent un groupe, un étudiant ou des "
              "semaines.",
        "en": "The cohort's year up to the report week: engagement, pace to {hours}, risk "
              "levels, grades, internship and collective work. Grades, internship and forums "
              "count up to {day} inclusive. Pseudonyms only; the menus above the figures pick "
              "a group, a student or weeks."},
    # headline cards
    "overview_card_red": {"fr": "Niveau rouge", "en": "Red level"},
    "overview_card_amber": {"fr": "Niveau orange", "en": "Amber level"},
    "overview_card_green": {"fr": "Niveau vert", "en": "Green level"},
    "overview_card_median_cumulative": {
        "fr": "Heures en ligne cumulées (médiane) / rythme attendu",
        "en": "Cumulative online hours (median) / expected pace"},
    "overview_card_internship_behind": {"fr": "Stage en retard sur le rythme",
                                        "en": "Internship behind pace"},
    # sections and notes
    "overview_section_engagement": {"fr": "Engagement par semaine", "en": "Engagement by week"},
    "overview_section_pace": {"fr": "Rythme vers {hours}", "en": "Pace to {hours}"},
    "overview_section_risk": {"fr": "Niveaux de risque au fil des semaines",
                              "en": "Risk levels over the weeks"},
    "overview_section_grades": {"fr": "Résultats par UE et validation de l'année",
                                "en": "UE results and the year's validation"},
    "overview_section_internship": {"fr": "Stage", "en": "Internship"},
    "overview_section_collective": {"fr": "Travail collectif", "en": "Collective work"},
    "overview_note_pace": {
        "fr": "Le rythme répartit les {hours} du programme sur les semaines d'enseignement ; "
              "le temps sur la plateforme n'en est qu'une partie (lecture, rédaction et stage "
              "se font hors ligne).",
        "en": "The pace spreads the programme's {hours} over the teaching weeks; platform "
              "time is only part of it (reading, writing and internship happen offline)."},
    "overview_note_risk": {
        "fr": "Chaque semaine complète est jugée par les règles du programme comme dans le "
              "rapport hebdomadaire, avec les données connues à cette date.",
        "en": "Each complete week is judged by the programme's rules as in the weekly "
              "report, with the data known at that date."},
    "overview_note_grades": {
        "fr": "Chaque UE doit atteindre {pass_mark}/20, sans compensation : une seule UE sous "
              "le seuil bloque l'année quelles que soient les autres. Prévision au {day}.",
        "en": "Every UE needs {pass_mark}/20, with no compensation: one UE below it blocks "
              "the year whatever the others. Forecast as of {day}."},
    "overview_note_internship": {
        "fr": "Au moins {days} jours sur l'année ; le rythme attendu est ce minimum réparti "
              "sur le calendrier de la promotion.",
        "en": "At least {days} days over the year; the expected pace is that minimum spread "
              "over the cohort's calendar."},
    "overview_note_collective": {
        "fr": "Participer, c'est publier dans les forums (lire ne compte pas) ; seules les "
              "semaines où un étudiant a publié sont représentées.",
        "en": "Participating means posting in the forums (reading does not count); only "
              "weeks in which some student posted are shown."},
    "overview_no_grades": {"fr": "Aucune note chargée pour cette promotion.",
                           "en": "No grades loaded for this cohort."},
    "overview_no_internship": {"fr": "Aucune donnée de stage chargée pour cette promotion.",
                               "en": "No internship data loaded for this cohort."},
    "overview_no_collective": {"fr": "Aucun message de forum d'étudiant jusqu'à cette semaine.",
                               "en": "No student forum post up to this week."},
    "overview_blocked_students": {"fr": "Étudiants dont l'année est bloquée par une UE",
                                  "en": "Students whose year is blocked by a UE"},
    "overview_blocking_ues": {"fr": "UE sous le seuil", "en": "UEs below the pass mark"},
    # controls
    "overview_whole_cohort": {"fr": "Toute la promotion", "en": "Whole cohort"},
    "overview_all_groups": {"fr": "Tous les groupes", "en": "All groups"},
    "overview_group_name": {"fr": "Groupe {group}", "en": "Group {group}"},
    "overview_weeks_all": {"fr": "Toutes les semaines", "en": "Every week"},
    "overview_weeks_last": {"fr": "{weeks} dernières semaines", "en": "Last {weeks} weeks"},
    # figures
    "overview_fig_cumulative_title": {"fr": "Heures en ligne cumulées et rythme vers {hours}",
                                      "en": "Cumulative online hours and pace to {hours}"},
    "overview_median_of": {"fr": "Médiane — {who}", "en": "Median — {who}"},
    "overview_fig_levels_title": {"fr": "Étudiants par niveau de risque, chaque semaine",
                                  "en": "Students by risk level, each week"},
    "overview_fig_student_levels_title": {"fr": "Niveau de risque de chaque étudiant",
                                          "en": "Each student's risk level"},
    "overview_fig_ue_title": {"fr": "Moyenne par UE (seuil {pass_mark}/20)",
                              "en": "Mean by UE (pass mark {pass_mark}/20)"},
    "overview_axis_ue": {"fr": "UE", "en": "UE"},
    "overview_ue_label": {"fr": "{ue} (S{semester})" + NBSP + ": {title}",
                          "en": "{ue} (S{semester}): {title}"},
    "overview_mean": {"fr": "Moyenne /20", "en": "Mean /20"},
    "overview_not_graded": {"fr": "pas encore de note", "en": "no grade yet"},
    "overview_fig_forecast_title": {"fr": "Validation de l'année : prévision",
                                    "en": "The year's validation: forecast"},
    "overview_status_validated": {"fr": "Année validée", "en": "Year validated"},
    "overview_status_on_track": {"fr": "En bonne voie (UE en attente)",
                                 "en": "On track (UEs pending)"},
    "overview_status_blocked": {"fr": "Bloquée par une UE < seuil",
                                "en": "Blocked by a UE below the mark"},
    "overview_status_no_grades": {"fr": "Sans note", "en": "No grades"},
    "overview_fig_internship_title": {"fr": "Jours de stage effectués",
                                      "en": "Internship days done"},
    "overview_axis_days": {"fr": "Jours", "en": "Days"},
    "overview_days_done": {"fr": "Jours effectués", "en": "Days done"},
    "overview_expected_days": {"fr": "Attendus à cette date", "en": "Expected by now"},
    "overview_min_days": {"fr": "Minimum {days} jours", "en": "Minimum {days} days"},
    "overview_internship_on_pace": {"fr": "Au rythme", "en": "On pace"},
    "overview_internship_behind": {"fr": "En retard", "en": "Behind"},
    "overview_letter_on": {"fr": "Lettre de mission validée le {day}",
                           "en": "Mission letter validated on {day}"},
    "overview_letter_late": {"fr": "Lettre de mission non validée (date limite passée)",
                             "en": "Mission letter not validated (deadline passed)"},
    "overview_letter_none": {"fr": "Lettre de mission pas encore validée",
                             "en": "Mission letter not validated yet"},
    "overview_fig_collective_title": {"fr": "Part des étudiants ayant publié dans les forums",
                                      "en": "Share of students who posted in the forums"},
    "overview_axis_share_posting": {"fr": "Part des étudiants", "en": "Share of students"},
    "overview_posting": {"fr": "{posting} étudiants sur {students} ont publié",
                         "en": "{posting} of {students} students posted"},
}
