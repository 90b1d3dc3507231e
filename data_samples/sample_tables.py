"""Fixed tables of the sample cohort: people, profiles, activities, event labels, headers.

Imported by generate.py; all names are invented, IPs come from documentation ranges.
"""

from datetime import date
from zoneinfo import ZoneInfo

SEED = 20261005
TZ = ZoneInfo("Europe/Paris")
START, END = date(2026, 10, 5), date(2027, 7, 2)
HOLIDAYS = ((date(2026, 12, 19), date(2027, 1, 3)), (date(2027, 4, 17), date(2027, 5, 2)))
COURSE_ID, COURSE_CTX = 42, 1204
COURSE_FULL, COURSE_SHORT = "M2 Ingénierie de formation 2026-2027", "M2IF-2627"
FIRST_LOG_ID = 500000
# seconds between two clicks of one session; >= 60 s, so a user never clicks twice in one minute
GAP_MIN, GAP_MAX, GAP_MODE = 60, 1500, 1150

# (user id, first name, last name, group, profile) -- invented names, no real persons.
STUDENTS = [
    (101, "Léa", "Fournier-Dubreuil", "A", "steady"), (102, "Thomas", "Garnier", "A", "steady"),
    (103, "Chloé", "Bénard", "A", "low"), (104, "Julien", "Marchetti", "A", "steady"),
    (105, "Camille", "Rousselot", "A", "dropping_out"), (106, "Nicolas", "Caradec", "B", "steady"),
    (107, "Sophie", "Delaunay", "B", "steady"), (108, "Mathieu", "Ferrand", "B", "late_start"),
    (109, "Élodie", "Chassagne", "B", "steady"), (110, "Antoine", "Vasseur", "B", "low"),
    (111, "Manon", "Lecomte", "C", "steady"), (112, "Hugo", "Tessier", "C", "dropping_out"),
    (113, "Inès", "Bouaziz", "C", "steady"), (114, "Romain", "Guillot", "C", "late_start"),
    (115, "Pauline", "Marchand", "C", "steady"), (116, "Karim", "Haddadi", "D", "low"),
    (117, "Aurélie", "Kerhervé", "D", "steady"), (118, "Baptiste", "Morvan", "D", "dropping_out"),
    (119, "Émilie", "Castagné", "D", "steady"), (120, "Yannick", "Dufresnoy", "D", "irregular"),
]
TEACHERS = [(201, "Hélène", "Verdier-Sauvage", "AB"), (202, "François", "Quéméner", "CD")]
DROP = {105: (10, (0.6, 0.25)), 112: (14, (0.65, 0.3)), 118: (15, (0.7, 0.4, 0.15))}
LATE = {108: 5, 114: 7}  # programme week of the first activity

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
NEWS_FORUM, HELP_FORUM = 320, 325
ASSIGN_DUE = {330: date(2026, 11, 22), 331: date(2027, 2, 14), 332: date(2027, 6, 6)}
QUIZ_OPEN = {340: (date(2026, 10, 19), date(2026, 11, 29)),
             341: (date(2027, 3, 1), date(2027, 4, 11))}


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
UNKNOWN_LOGINS = ["admin", "test", "etudiant", "m2if", "lea.fournier", "t.garnier",
                  "chloe.benard@example.org", "julien.marchet", "sophie.delaunay1", "guest2"]
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
