"""Wording of the comparison report and notebook, in French and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "comparison_title": {"fr": "Comparaison des promotions {cohorts}",
                         "en": "Cohort comparison {cohorts}"},
    "comparison_intro": {
        "fr": "Les promotions sont alignées sur la semaine de formation : la semaine 1 est la "
              "première semaine de chaque promotion, quelle que soit la date. Les vacances "
              "tombent à des semaines différentes d'une année à l'autre (points creux sur les "
              "courbes). Semaines complètes uniquement ; chiffres agrégés par promotion.",
        "en": "Cohorts are aligned on the programme week: week 1 is each cohort's first week, "
              "whatever the date. Holidays fall in different weeks from one year to the next "
              "(open dots on the curves). Complete weeks only; figures aggregated by cohort."},
    "comparison_one_cohort": {
        "fr": "Une seule promotion a des étudiants : rien à comparer pour l'instant (chargez "
              "le registre et les traces d'une promotion antérieure).",
        "en": "Only one cohort has students: nothing to compare yet (load an earlier "
              "cohort's roster and logs)."},
    # sections and notes
    "comparison_section_summary": {"fr": "Les promotions en bref", "en": "The cohorts at a glance"},
    "comparison_note_summary": {
        "fr": "Heures et semaines sous l'objectif : semaines d'enseignement complètes jusqu'à "
              "la semaine de formation {week}, atteinte par toutes les promotions ; niveaux à "
              "cette semaine ; validation sur les dernières données.",
        "en": "Hours and weeks below target: complete teaching weeks up to programme week "
              "{week}, which every cohort has reached; levels at that week; validation on the "
              "latest data."},
    "comparison_section_engagement": {"fr": "Engagement", "en": "Engagement"},
    "comparison_section_risk": {"fr": "Étudiants à risque", "en": "Students at risk"},
    "comparison_section_validation": {"fr": "Validation de l'année",
                                      "en": "The year's validation"},
    "comparison_note_validation": {
        "fr": "Chaque UE doit atteindre le seuil, sans compensation. À la semaine de formation "
              "{week} pour comparer au même moment de l'année, puis avec toutes les notes "
              "connues (définitif pour une promotion terminée).",
        "en": "Every UE needs the pass mark, with no compensation. At programme week {week} to "
              "compare the same point of the year, then with every grade known so far (final "
              "for a finished cohort)."},
    # figures
    "comparison_axis_programme_week": {"fr": "Semaine de formation", "en": "Programme week"},
    "comparison_programme_week": {"fr": "semaine de formation {week} ({iso_week})",
                                  "en": "programme week {week} ({iso_week})"},
    "comparison_fig_engagement_title": {"fr": "Engagement par semaine de formation",
                                        "en": "Engagement by programme week"},
    "comparison_metric_median_hours": {"fr": "Heures en ligne médianes",
                                       "en": "Median online hours"},
    "comparison_metric_mean_hours": {"fr": "Heures en ligne moyennes",
                                     "en": "Mean online hours"},
    "comparison_metric_below_target_share": {"fr": "Part sous l'objectif",
                                             "en": "Share below target"},
    "comparison_metric_median_cumulative_hours": {"fr": "Heures cumulées médianes",
                                                  "en": "Median cumulative hours"},
    "comparison_quartiles": {"fr": "Du 1er au 3e quartile", "en": "First to third quartile"},
    "comparison_of_students": {"fr": "({n} étudiants sur {students})",
                               "en": "({n} of {students} students)"},
    "comparison_fig_risk_title": {"fr": "Part des étudiants à risque par semaine de formation",
                                  "en": "Share of students at risk by programme week"},
    "comparison_metric_at_risk_share": {"fr": "Orange ou rouge", "en": "Amber or red"},
    "comparison_metric_red_share": {"fr": "Rouge", "en": "Red"},
    "comparison_fig_validation_title": {"fr": "Validation de l'année : prévision",
                                        "en": "The year's validation: forecast"},
    "comparison_at_week": {"fr": "semaine {week}", "en": "week {week}"},
    "comparison_latest": {"fr": "dernières données ({day})", "en": "latest data ({day})"},
    "comparison_final": {"fr": "fin d'année", "en": "end of year"},
    "comparison_share_of_students": {"fr": "Part des étudiants", "en": "Share of students"},
    # summary table columns
    "comparison_col_cohort": {"fr": "Promotion", "en": "Cohort"},
    "comparison_col_start": {"fr": "Début", "en": "Start"},
    "comparison_col_students": {"fr": "Étudiants", "en": "Students"},
    "comparison_col_median_weekly_hours": {"fr": "Heures hebdomadaires médianes",
                                           "en": "Median weekly hours"},
    "comparison_col_below_target_share": {"fr": "Semaines sous l'objectif",
                                          "en": "Weeks below target"},
    "comparison_col_red": {"fr": "Rouges (semaine {week})", "en": "Red (week {week})"},
    "comparison_col_at_risk": {"fr": "Orange ou rouge (semaine {week})",
                               "en": "Amber or red (week {week})"},
    "comparison_col_validated": {"fr": "Année validée", "en": "Year validated"},
    "comparison_col_blocked": {"fr": "Bloquée par une UE", "en": "Blocked by a UE"},
}
