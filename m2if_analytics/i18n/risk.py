"""Wording of the at-risk rules: levels, rule names, table headings and every reason (each
names its figures; ``*_one`` is the singular form), in French and English."""

from __future__ import annotations

from m2if_analytics.i18n.chars import NBSP

MESSAGES: dict[str, dict[str, str]] = {
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
}
