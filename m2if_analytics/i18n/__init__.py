"""Every word a manager reads, in French and English, and numbers written the local way.

    t("section_cumulative", "en")        # 'Cumulative hours'
    t("fig_week_hours_title", week=week_label("2027-W05"))
    hours(1234.5)                         # '1 234,5 h' (narrow no-break space, no-break space)

French is the default language. Messages are ``str.format`` templates: both languages of a
key name the same ``{placeholders}``.

Owns: ``t()``, numbers, hours and dates written the French or English way, and the message
catalogues (one module per area, merged here; a key defined twice is refused).

May import: the ground floor.
"""

from __future__ import annotations

import datetime as dt
import math

LANGS = ("fr", "en")

NNBSP = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\u00a0"  # no-break space: before a unit, and before ':' in French

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
    # risk: levels, rule names (in "not evaluated: ..."), table headings
    "risk_level_green": {"fr": "vert", "en": "green"},
    "risk_level_amber": {"fr": "orange", "en": "amber"},
    "risk_level_red": {"fr": "rouge", "en": "red"},
    "risk_rule_below_target": {"fr": "heures", "en": "hours"},
    "risk_rule_inactivity": {"fr": "inactivité", "en": "inactivity"},
    "risk_rule_deadlines": {"fr": "échéances", "en": "deadlines"},
    "risk_rule_ue_below_pass": {"fr": "notes", "en": "grades"},
    "risk_rule_internship": {"fr": "stage", "en": "internship"},
    "risk_rule_collective": {"fr": "travail collectif", "en": "collective work"},
    "section_risk": {"fr": "Étudiants à risque", "en": "Students at risk"},
    "risk_level": {"fr": "Niveau", "en": "Level"},
    "risk_reasons": {"fr": "Motifs", "en": "Reasons"},
    "risk_score": {"fr": "Score du modèle", "en": "Model score"},
    "risk_top_features": {"fr": "Principaux facteurs du modèle",
                          "en": "Model's main factors"},
    "risk_nothing_to_report": {"fr": "rien à signaler", "en": "nothing to report"},
    "risk_not_evaluated": {"fr": "non évalué" + NBSP + ": {rules}",
                           "en": "not evaluated: {rules}"},
    "risk_rules_note": {
        "fr": "Règles du programme, semaines complètes uniquement ; un motif cite ses chiffres",
        "en": "Programme rules, complete weeks only; each reason names its figures"},
    # risk: reasons (each names its figures; *_one is the singular form)
    "risk_reason_below_target": {
        "fr": "{mean}/semaine en moyenne sur les {weeks} dernières semaines d'enseignement, "
              "objectif {target}",
        "en": "{mean}/week on average over the last {weeks} teaching weeks, target {target}"},
    "risk_reason_below_target_one": {
        "fr": "{mean} la dernière semaine d'enseignement, objectif {target}",
        "en": "{mean} in the last teaching week, target {target}"},
    "risk_reason_inactivity": {
        "fr": "aucune activité depuis {days} jours (dernière le {date})",
        "en": "no activity for {days} days (last on {date})"},
    "risk_reason_inactivity_holidays": {
        "fr": "aucune activité depuis {days} jours hors vacances (dernière le {date})",
        "en": "no activity for {days} days outside holidays (last on {date})"},
    "risk_reason_never_active": {
        "fr": "aucune activité depuis le début ({days} jours)",
        "en": "no activity since the start ({days} days)"},
    "risk_reason_never_active_holidays": {
        "fr": "aucune activité depuis le début ({days} jours hors vacances)",
        "en": "no activity since the start ({days} days outside holidays)"},
    "risk_reason_missing": {
        "fr": "{missing} travaux non rendus après l'échéance",
        "en": "{missing} assignments not submitted after the deadline"},
    "risk_reason_missing_one": {
        "fr": "{missing} travail non rendu après l'échéance",
        "en": "{missing} assignment not submitted after the deadline"},
    "risk_reason_late": {
        "fr": "{late} travaux rendus en retard (seuil {threshold})",
        "en": "{late} assignments submitted late (threshold {threshold})"},
    "risk_reason_late_one": {
        "fr": "{late} travail rendu en retard (seuil {threshold})",
        "en": "{late} assignment submitted late (threshold {threshold})"},
    "risk_ue_mean": {"fr": "{ue}" + NBSP + ": {mean}/20", "en": "{ue}: {mean}/20"},
    "risk_reason_ue_below_pass": {
        "fr": "{ues}, seuil {pass_mark} — pas de compensation entre UE",
        "en": "{ues}, pass mark {pass_mark} — no compensation between UEs"},
    "risk_reason_internship_behind": {
        "fr": "stage" + NBSP + ": {done} jours effectués pour {expected} attendus à cette date "
              "(seuil {ratio})",
        "en": "internship: {done} days done of {expected} expected by now (threshold {ratio})"},
    "risk_reason_mission_letter": {
        "fr": "lettre de mission non validée à la date limite",
        "en": "mission letter not validated by the deadline"},
    "risk_reason_collective": {
        "fr": "aucune participation aux activités collectives pendant les {weeks} dernières "
              "semaines où elles avaient lieu",
        "en": "no participation in collective activities in the last {weeks} weeks "
              "in which they ran"},
    # collaboration report (plots_collab)
    "collab_title": {"fr": "Travail collaboratif — promotion {cohort}, {period}",
                     "en": "Collaborative work — cohort {cohort}, {period}"},
    "collab_period": {"fr": "du {start} au {end}", "en": "{start} to {end}"},
    "collab_intro": {"fr": "Forums de la promotion : qui répond à qui, dans les groupes et entre "
                    "eux. Pseudonymes uniquement (données pseudonymisées, non anonymes : "
                    "pour un partage hors de l'équipe, utiliser m2if export research).",
              "en": "The cohort's forums: who answers whom, within and across groups. "
                    "Pseudonyms only (pseudonymised, not anonymous data: to share outside "
                    "the team, use m2if export research)."},
    "collab_no_forum": {"fr": "Aucun message de forum pour cette période : rien à représenter.",
                        "en": "No forum posts in this period: nothing to show."},
    "collab_posts": {"fr": "Messages", "en": "Posts"},
    "collab_authors": {"fr": "Auteurs", "en": "Authors"},
    "collab_students": {"fr": "Étudiants", "en": "Students"},
    "collab_isolated_students": {"fr": "Étudiants isolés", "en": "Isolated students"},
    "collab_active_authors": {"fr": "Auteurs actifs", "en": "Active authors"},
    "collab_members": {"fr": "Étudiants", "en": "Students"},
    "collab_density": {"fr": "Densité", "en": "Density"},
    "collab_reciprocity": {"fr": "Réciprocité", "en": "Reciprocity"},
    "collab_gini": {"fr": "Inégalité des contributions (Gini)",
                    "en": "Unequal contributions (Gini)"},
    "collab_teacher_centredness": {"fr": "Part des échanges avec un enseignant",
                                   "en": "Share of ties through a teacher"},
    "collab_cross_group_share": {"fr": "Part des liens inter-groupes", "en": "Cross-group share"},
    "collab_median_response_hours": {"fr": "Délai médian de réponse (h)",
                                     "en": "Median response time (h)"},
    "collab_group": {"fr": "Groupe", "en": "Group"},
    "collab_group_name": {"fr": "Groupe {group}", "en": "Group {group}"},
    "collab_no_group": {"fr": "Sans groupe", "en": "No group"},
    "collab_whole_cohort": {"fr": "Promotion entière", "en": "Whole cohort"},
    "collab_teacher": {"fr": "Enseignant", "en": "Teacher"},
    "collab_teachers": {"fr": "Enseignants", "en": "Teachers"},
    "collab_isolated": {"fr": "Isolé (aucune réponse reçue)", "en": "Isolated (no reply received)"},
    "collab_replies_received": {"fr": "Réponses reçues", "en": "Replies received"},
    "collab_replies_sent": {"fr": "Réponses envoyées", "en": "Replies sent"},
    "collab_partners": {"fr": "Partenaires", "en": "Partners"},
    "collab_week": {"fr": "Semaine", "en": "Week"},
    "collab_value": {"fr": "Valeur (0 à 1)", "en": "Value (0 to 1)"},
    "collab_section_network": {"fr": "Réseau des réponses", "en": "Reply network"},
    "collab_network_note": {
        "fr": "Un point par personne (taille : messages ; couleur : groupe ; losange : "
              "enseignant ; contour rouge : isolé) ; un trait relie deux personnes dont l'une "
              "a répondu à l'autre, plus épais quand elles ont échangé davantage. Disposition "
              "par ressorts (graine fixe) : les distances ne mesurent rien.",
        "en": "One dot per person (size: posts; colour: group; diamond: teacher; red "
              "outline: isolated); a line joins two people when one replied to the other, "
              "thicker for more replies. Spring layout (fixed seed): distances measure "
              "nothing."},
    "collab_section_groups": {"fr": "Comparaison des groupes", "en": "Group comparison"},
    "collab_groups_note": {
        "fr": "Densité et réciprocité : réponses entre étudiants du groupe. Gini : 0 quand "
              "chacun publie autant, proche de 1 quand un seul publie. Enseignants : part des "
              "réponses touchant le groupe qui viennent d'un enseignant ou lui sont adressées.",
        "en": "Density and reciprocity: replies between the group's students. Gini: 0 when "
              "everyone posts as much, near 1 when one person does. Teachers: share of the "
              "replies involving the group sent by or to a teacher."},
    "collab_fig_groups_title": {"fr": "Fonctionnement des groupes", "en": "How the groups work"},
    "collab_section_weekly": {"fr": "Évolution hebdomadaire", "en": "Weekly evolution"},
    "collab_fig_weekly_title": {"fr": "Messages et auteurs actifs par semaine",
                                "en": "Posts and active authors per week"},
    "collab_section_isolated": {"fr": "Étudiants isolés au fil des semaines",
                                "en": "Isolated students over time"},
    "collab_isolated_note": {
        "fr": "Isolé dans la semaine : a publié sans recevoir de réponse d'une autre personne.",
        "en": "Isolated in a week: posted without a reply from anyone else."},
    "collab_fig_isolated_title": {"fr": "Étudiants isolés par semaine",
                                  "en": "Isolated students per week"},
}


def _merge_catalogues() -> None:
    from m2if_analytics.i18n import comparison, overview, student

    for catalogue in (overview.MESSAGES, student.MESSAGES, comparison.MESSAGES):
        clash = set(catalogue) & set(MESSAGES)
        if clash:
            raise RuntimeError(f"message keys defined twice: {sorted(clash)}")
        MESSAGES.update(catalogue)


_merge_catalogues()


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")


def t(key: str, lang: str = "fr", **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    _check_lang(lang)
    if key not in MESSAGES:
        raise KeyError(f"no message {key!r} in m2if_analytics.i18n.MESSAGES")
    text = MESSAGES[key][lang]
    try:
        return text.format(**values)
    except KeyError as missing:
        raise KeyError(f"message {key!r} needs a value for {missing}") from None


def number(x: float | None, lang: str = "fr", digits: int = 1, *, sign: bool = False) -> str:
    """``x`` rounded to ``digits``: ``1 234,5`` in French, ``1,234.5`` in English; None → ``–``.

    ``sign=True`` writes ``+`` before positive numbers (for changes).
    """
    _check_lang(lang)
    if x is None or math.isnan(x):
        return "–"
    x = round(float(x), digits) or 0.0  # no "-0.0"
    text = f"{x:{'+' if sign else ''},.{digits}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def hours(x: float | None, lang: str = "fr", digits: int = 1) -> str:
    """Hours with their unit: ``12,5 h`` / ``12.5 h`` (no-break space); None → ``–``."""
    text = number(x, lang, digits)
    return text if text == "–" else f"{text}{NBSP}h"


def date_format(lang: str = "fr", with_time: bool = False) -> str:
    """The strftime (and plotly tickformat) pattern of a date: ``05/10/2026`` in French,
    ``2026-10-05`` in English; ``with_time`` adds ``HH:MM``. The one home of these formats."""
    _check_lang(lang)
    pattern = "%d/%m/%Y" if lang == "fr" else "%Y-%m-%d"
    return pattern + " %H:%M" if with_time else pattern


def day(value: dt.date | dt.datetime | None, lang: str = "fr") -> str:
    """A date (the date of a datetime) written the ``lang`` way; ``–`` for None."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.strftime(date_format(lang))


def moment(value: dt.date | dt.datetime | None, lang: str = "fr") -> str:
    """A local date and time (``17/01/2027 14:59`` / ``2027-01-17 14:59``); a plain date is
    written as :func:`day`; ``–`` for None."""
    if not isinstance(value, dt.datetime):
        return day(value, lang)
    return value.strftime(date_format(lang, with_time=True))


def week_label(iso_week: str, lang: str = "fr") -> str:
    """``semaine 2027-W05`` / ``week 2027-W05``."""
    return t("week", lang, iso_week=iso_week)
