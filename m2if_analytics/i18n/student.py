"""Wording of the student report and notebook, in French and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # title and privacy notes
    "student_title": {"fr": "Fiche étudiant — {student}, promotion {cohort}, {week}",
                      "en": "Student profile — {student}, cohort {cohort}, {week}"},
    "student_group": {"fr": "groupe {group}", "en": "group {group}"},
    "student_pseudonym_only": {
        "fr": "Pseudonyme uniquement\u00a0: le nom n'apparaît que si le responsable fournit la "
              "table de ré-identification, conservée à part (m2if reidentify).",
        "en": "Pseudonym only: the name appears only when the manager supplies the "
              "re-identification mapping, stored separately (m2if reidentify)."},
    "student_named": {
        "fr": "Cette page porte le nom de l'étudiant (table de ré-identification)\u00a0: ne la "
              "transmettez qu'aux personnes qui suivent l'étudiant.",
        "en": "This page carries the student's name (re-identification mapping): share it "
              "only with the people who follow the student."},
    "student_not_in_mapping": {
        "fr": "Ce pseudonyme n'est pas dans la table de ré-identification fournie.",
        "en": "This pseudonym is not in the re-identification mapping supplied."},
    # headline cards
    "student_card_level": {"fr": "Niveau de risque", "en": "Risk level"},
    "student_card_weeks_below": {"fr": "Semaines d'enseignement sous l'objectif",
                                 "en": "Teaching weeks below target"},
    "student_weeks_of": {"fr": "{count} sur {total}", "en": "{count} of {total}"},
    "student_card_mean_hours": {"fr": "Heures en ligne par semaine d'enseignement",
                                "en": "Online hours per teaching week"},
    "student_card_last_event": {"fr": "Dernière activité", "en": "Last activity"},
    "student_card_late_missing": {"fr": "Travaux en retard / non rendus",
                                  "en": "Work late / missing"},
    "student_card_ues_below": {"fr": "UE sous le seuil de validation",
                               "en": "UEs below the pass mark"},
    "student_card_internship": {"fr": "Jours de stage (attendus à cette date)",
                                "en": "Internship days (expected by now)"},
    # sections
    "student_section_reasons": {"fr": "Motifs d'alerte de la semaine",
                                "en": "This week's warnings"},
    "student_section_weeks": {"fr": "Semaines par rapport à l'objectif",
                              "en": "Weeks against the target"},
    "student_section_rhythm": {"fr": "Sessions par jour et par heure",
                               "en": "Sessions by weekday and hour"},
    "student_section_deadlines": {"fr": "Échéances", "en": "Deadlines"},
    "student_section_grades": {"fr": "Notes par UE et seuil de validation",
                               "en": "UE grades against the pass mark"},
    "student_section_internship": {"fr": "Stage", "en": "Internship"},
    "student_section_forum": {"fr": "Partenaires sur les forums", "en": "Forum partners"},
    "student_section_risk": {"fr": "Alertes au fil des semaines", "en": "Warnings over time"},
    # notes and empty states
    "student_rhythm_note": {
        "fr": "Heure locale ({tz}), de la première semaine à la semaine du rapport ; une "
              "session compte à l'heure de son premier événement.",
        "en": "Local time ({tz}), from the first week to the report week; a session counts in "
              "the hour of its first event."},
    "student_no_activity": {"fr": "Aucune activité sur la plateforme jusqu'à cette semaine.",
                            "en": "No platform activity up to this week."},
    "student_no_deadlines": {"fr": "Aucune échéance connue pour cette promotion.",
                             "en": "No known deadline for this cohort."},
    "student_no_grades": {"fr": "Aucune note chargée pour cette promotion.",
                          "en": "No grade loaded for this cohort."},
    "student_no_internship": {"fr": "Aucun jour de stage chargé pour cette promotion.",
                              "en": "No internship day loaded for this cohort."},
    "student_no_forum": {"fr": "Aucune réponse échangée sur les forums jusqu'à cette semaine.",
                         "en": "No forum reply exchanged up to this week."},
    "student_forum_note": {
        "fr": "{posts} messages publiés. Partenaires désignés par leur pseudonyme (seul "
              "l'étudiant de cette fiche peut être nommé).",
        "en": "{posts} posts written. Partners are shown by pseudonym (only the student of "
              "this profile can be named)."},
    "student_risk_note": {
        "fr": "Règles du programme à chaque semaine complète ; le tableau donne chaque "
              "changement de niveau avec ses motifs de la première semaine.",
        "en": "Programme rules at each complete week; the table lists each change of level "
              "with the reasons of its first week."},
    # figures
    "student_fig_weeks_title": {"fr": "Heures en ligne par semaine",
                                "en": "Online hours per week"},
    "student_below_target": {"fr": "Sous l'objectif", "en": "Below target"},
    "student_on_target": {"fr": "Objectif atteint", "en": "On target"},
    "student_fig_rhythm_title": {"fr": "Heures en ligne par jour et par heure",
                                 "en": "Online hours by weekday and hour"},
    "student_axis_hour": {"fr": "Heure (locale)", "en": "Hour (local)"},
    "student_weekday_1": {"fr": "lundi", "en": "Monday"},
    "student_weekday_2": {"fr": "mardi", "en": "Tuesday"},
    "student_weekday_3": {"fr": "mercredi", "en": "Wednesday"},
    "student_weekday_4": {"fr": "jeudi", "en": "Thursday"},
    "student_weekday_5": {"fr": "vendredi", "en": "Friday"},
    "student_weekday_6": {"fr": "samedi", "en": "Saturday"},
    "student_weekday_7": {"fr": "dimanche", "en": "Sunday"},
    "student_sessions_started": {"fr": "Sessions commencées", "en": "Sessions started"},
    "student_fig_grades_title": {"fr": "Moyenne par UE", "en": "Mean per UE"},
    "student_axis_grade": {"fr": "Moyenne sur 20", "en": "Mean out of 20"},
    "student_mean": {"fr": "Moyenne de l'étudiant", "en": "Student's mean"},
    "student_pass_mark": {"fr": "Seuil de validation {mark}/20", "en": "Pass mark {mark}/20"},
    "student_cohort_median": {"fr": "Médiane de la promotion", "en": "Cohort median"},
    "student_no_grade_yet": {"fr": "pas encore de note", "en": "no grade yet"},
    "student_fig_internship_title": {"fr": "Jours de stage cumulés",
                                     "en": "Cumulative internship days"},
    "student_days_done": {"fr": "Jours effectués", "en": "Days done"},
    "student_expected_days": {"fr": "Rythme vers {days} jours", "en": "Pace to {days} days"},
    "student_threshold_days": {"fr": "Seuil d'alerte ({ratio} du rythme)",
                               "en": "Warning threshold ({ratio} of the pace)"},
    "student_axis_days": {"fr": "Jours", "en": "Days"},
    "student_fig_partners_title": {"fr": "Réponses échangées sur les forums",
                                   "en": "Forum replies exchanged"},
    "student_replies_to": {"fr": "Réponses de l'étudiant à ce partenaire",
                           "en": "The student's replies to this partner"},
    "student_replies_from": {"fr": "Réponses de ce partenaire à l'étudiant",
                             "en": "This partner's replies to the student"},
    "student_axis_replies": {"fr": "Réponses", "en": "Replies"},
    "student_teacher": {"fr": "enseignant {partner}", "en": "teacher {partner}"},
    "student_fig_risk_title": {"fr": "Niveau de risque par semaine",
                               "en": "Risk level per week"},
    # tables
    "student_col_ue": {"fr": "UE", "en": "UE"},
    "student_col_assignment": {"fr": "Travail", "en": "Assignment"},
    "student_col_due": {"fr": "Échéance", "en": "Due"},
    "student_col_submitted": {"fr": "Remis le", "en": "Submitted"},
    "student_col_status": {"fr": "État", "en": "Status"},
    "student_status_on_time": {"fr": "à l'heure", "en": "on time"},
    "student_status_late": {"fr": "en retard ({hours})", "en": "late ({hours})"},
    "student_status_missing": {"fr": "non rendu", "en": "missing"},
    "student_status_pending": {"fr": "à venir", "en": "pending"},
    "student_col_partner": {"fr": "Partenaire", "en": "Partner"},
    "student_col_role": {"fr": "Rôle", "en": "Role"},
    "student_role_student": {"fr": "étudiant", "en": "student"},
    "student_role_teacher": {"fr": "enseignant", "en": "teacher"},
    "student_role_other": {"fr": "autre", "en": "other"},
    "student_col_from": {"fr": "Depuis", "en": "From"},
    "student_col_to": {"fr": "Jusqu'à", "en": "To"},
    "student_col_weeks": {"fr": "Semaines", "en": "Weeks"},
    "student_nothing": {"fr": "Rien à signaler cette semaine.",
                        "en": "Nothing to report this week."},
    "student_deadline_counts": {
        "fr": "{on_time} à l'heure, {late} en retard, {missing} non rendus, {pending} à venir",
        "en": "{on_time} on time, {late} late, {missing} missing, {pending} pending"},
}
