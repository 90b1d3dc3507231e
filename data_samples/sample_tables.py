"""Fixed tables every sample cohort shares: activities, event labels, descriptions, headers.

Imported by the generators; what differs from one cohort to the next (calendar, people, ids,
seed, profile mix) is in cohorts.py. All names are invented.
"""

from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Paris")
# seconds between two clicks of one session; >= 60 s, so a user never clicks twice in one minute
GAP_MIN, GAP_MAX, GAP_MODE = 60, 1500, 1150

# The course modules of the 2026-2027 course (id 42); other years' courses have the same
# activities under other ids (see cohorts.py).
# course module id -> (module name, instance id, activity name); context id = cmid + 1000
MODULES = {
    311: ("page", 51, "Séminaire 1 : politiques de formation"),
    312: ("page", 52, "Séminaire 2 : ingénierie pédagogique et dispositifs hybrides"),
    313: ("page", 53, "Séminaire 3 : évaluation des dispositifs de formation"),
    315: ("resource", 61, "Guide du mémoire professionnel"),
    316: ("resource", 62, "Bibliographie commentée ; lectures conseillées"),
    317: ("resource", 63, 'Grille d\'évaluation "Lettre de mission"'),
    320: ("forum", 12, "Forum des actualités"),
    321: ("forum", 13, "Travail collectif – groupe A"),
    322: ("forum", 14, "Travail collectif – groupe B"),
    323: ("forum", 15, "Travail collectif – groupe C"),
    324: ("forum", 16, "Travail collectif – groupe D"),
    325: ("forum", 17, "Entraide et questions"),
    330: ("assign", 21, "Lettre de mission"),
    331: ("assign", 22, "Note de synthèse : analyse des besoins"),
    332: ("assign", 23, "Mémoire professionnel – version intermédiaire"),
    340: ("quiz", 31, "Test : cadre juridique de la formation professionnelle"),
    341: ("quiz", 32, "Test : méthodes d'évaluation"),
}
# Every UE has a course of its own; these modules are in their UE's course, the others (forums
# of the collective work, news, help) in the programme's course. Other years: cmid - 100.
MODULE_UE = {311: "UE1", 312: "UE3", 313: "UE3", 315: "UE5", 316: "UE5", 317: "UE6",
             330: "UE6", 331: "UE3", 332: "UE8", 340: "UE1", 341: "UE4"}
# documents provided that no student ever opens (in the resources list, never in the logs):
# cmid -> (module name, instance id, activity name, UE)
UNOPENED = {318: ("resource", 64, "Recueil de textes réglementaires", "UE1")}


# kind: (component, event class, objecttable, crud, edulevel, English name, French name);
# the event class is "<target>_<action>"; names are the Logs report's labels
EVENTS = {
    "course_viewed": ("core", "course_viewed", "", "r", 2, "Course viewed", "Cours consulté"),
    "page_viewed": ("mod_page", "course_module_viewed", "page", "r", 2,
                    "Course module viewed", "Module de cours consulté"),
    "resource_viewed": ("mod_resource", "course_module_viewed", "resource", "r", 2,
                        "Course module viewed", "Module de cours consulté"),
    "discussion_viewed": ("mod_forum", "discussion_viewed", "forum_discussions", "r", 2,
                          "Discussion viewed", "Discussion consultée"),
    "post_created": ("mod_forum", "post_created", "forum_posts", "c", 2,
                     "Post created", "Message créé"),
    "discussion_created": ("mod_forum", "discussion_created", "forum_discussions", "c", 2,
                           "Discussion created", "Discussion créée"),
    "status_viewed": ("mod_assign", "submission_status_viewed", "assign", "r", 0,
                      "Submission status page viewed.",
                      "Page d'état du travail remis consultée."),
    "submitted": ("mod_assign", "assessable_submitted", "assign_submission", "u", 2,
                  "A submission has been submitted.", "Un travail a été remis."),
    "attempt_submitted": ("mod_quiz", "attempt_submitted", "quiz_attempts", "u", 2,
                          "Quiz attempt submitted", "Tentative de test remise"),
    "profile_viewed": ("core", "user_profile_viewed", "user", "r", 0,
                       "User profile viewed", "Profil utilisateur consulté"),
    "grading_viewed": ("mod_assign", "grading_table_viewed", "assign", "r", 1,
                       "Grading table viewed.", "Tableau d'évaluation consulté."),
    "login_failed": ("core", "user_login_failed", "", "r", 0,
                     "User login failed", "Échec de connexion de l'utilisateur"),
}
# Moodle's (never translated) get_description() texts
CM = "with course module id '{cm}'."
DESCRIPTIONS = {
    "course_viewed": "{who} viewed the course with id '{course}'.",
    "page_viewed": "{who} viewed the '{mod}' activity " + CM,
    "resource_viewed": "{who} viewed the '{mod}' activity " + CM,
    "discussion_viewed": "{who} has viewed the discussion with id '{oid}' in the forum " + CM,
    "post_created": "{who} has created the post with id '{oid}' in the discussion with id "
                    "'{disc}' in the forum " + CM,
    "discussion_created": "{who} has created the discussion with id '{oid}' in the forum " + CM,
    "status_viewed": "{who} has viewed the submission status page in the assignment " + CM,
    "submitted": "{who} has submitted the submission with id '{oid}' for the assignment " + CM,
    "attempt_submitted": "The user with id '{rel}' has submitted the attempt with id '{oid}' "
                         "for the quiz " + CM,
    "profile_viewed": "{who} viewed the profile for the user with id '{rel}' in the course "
                      "with id '{course}'.",
    "grading_viewed": "{who} viewed the grading table for the assignment " + CM,
    "login_failed": "Login failed for the username '{username}' for the reason with id "
                    "'{reason}'.",
}
# English / French labels of components ("core" = System) and of module types
LABELS = {"core": ("System", "Système"), "page": ("Page", "Page"),
          "resource": ("File", "Fichier"), "forum": ("Forum", "Forum"),
          "assign": ("Assignment", "Devoir"), "quiz": ("Quiz", "Test")}
STUDENT_MIX = {"course_viewed": 8, "page_viewed": 22, "resource_viewed": 14,
               "discussion_viewed": 34, "post_created": 7, "discussion_created": 1,
               "status_viewed": 4}
TEACHER_MIX = {"course_viewed": 8, "page_viewed": 4, "discussion_viewed": 30, "post_created": 10,
               "discussion_created": 3, "profile_viewed": 25, "grading_viewed": 12}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
LOGSTORE_HEADER = ["id", "eventname", "component", "action", "target", "objecttable", "objectid",
                   "crud", "edulevel", "contextid", "contextlevel", "contextinstanceid", "userid",
                   "courseid", "relateduserid", "anonymous", "other", "timecreated", "origin",
                   "ip", "realuserid"]
EN_HEADER = ["Time", "User full name", "Affected user", "Event context", "Component",
             "Event name", "Description", "Origin", "IP address"]
FR_HEADER = ["Cours", "Heure", "Nom complet de l'utilisateur", "Utilisateur concerné",
             "Contexte de l'événement", "Composant", "Nom de l'événement", "Description",
             "Origine", "Adresse IP"]
