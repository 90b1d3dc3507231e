"""Wording of the collaboration report (``collab_*``), in French and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
