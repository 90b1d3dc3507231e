-- Schema version 14: the activity kind of an event, from its component (README: "Where the
-- hours go"). Kinds: document (reading the documents provided), forum, assignment, quiz,
-- virtual_classroom, other.
-- Grain: activity_kinds one row per known component: a Moodle component (logstore dumps,
--   and xAPI statements mapped to Moodle modules: mod_resource...), a Logs-report component
--   label (English or French: File, Fichier...), or an xAPI activity type IRI kept as the
--   component when it has no Moodle module. Keys are lower case; [activity_kinds] in the
--   configuration adds or overrides rows (the table cfg_activity_kinds, synced with the
--   configuration like the calendar tables: queries/warehouse/config_tables.sql).
-- Parameters: none.
-- activity_kind_overrides below was never used; migration 016 drops it.
CREATE TABLE activity_kinds (
    component VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL CHECK (kind IN ('document', 'forum', 'assignment', 'quiz',
                                          'virtual_classroom', 'other'))
);

INSERT INTO activity_kinds VALUES
    ('mod_resource', 'document'), ('mod_folder', 'document'), ('mod_page', 'document'),
    ('mod_book', 'document'), ('mod_url', 'document'), ('mod_label', 'document'),
    ('mod_imscp', 'document'), ('mod_glossary', 'document'), ('mod_wiki', 'document'),
    ('mod_lesson', 'document'), ('mod_h5pactivity', 'document'), ('mod_scorm', 'document'),
    ('mod_forum', 'forum'), ('mod_hsuforum', 'forum'), ('mod_chat', 'forum'),
    ('mod_assign', 'assignment'), ('mod_workshop', 'assignment'),
    ('assignsubmission_file', 'assignment'), ('assignsubmission_onlinetext', 'assignment'),
    ('mod_quiz', 'quiz'), ('mod_feedback', 'quiz'), ('mod_questionnaire', 'quiz'),
    ('mod_choice', 'quiz'),
    ('mod_bigbluebuttonbn', 'virtual_classroom'), ('mod_zoom', 'virtual_classroom'),
    ('mod_jitsi', 'virtual_classroom'), ('mod_teams', 'virtual_classroom'),
    -- Logs-report labels, English then French
    ('file', 'document'), ('folder', 'document'), ('page', 'document'), ('book', 'document'),
    ('url', 'document'), ('glossary', 'document'), ('wiki', 'document'),
    ('lesson', 'document'), ('h5p', 'document'), ('fichier', 'document'),
    ('dossier', 'document'), ('livre', 'document'), ('glossaire', 'document'),
    ('leçon', 'document'), ('forum', 'forum'), ('chat', 'forum'),
    ('assignment', 'assignment'), ('devoir', 'assignment'), ('workshop', 'assignment'),
    ('atelier', 'assignment'), ('quiz', 'quiz'), ('test', 'quiz'), ('feedback', 'quiz'),
    ('sondage', 'quiz'), ('bigbluebutton', 'virtual_classroom'),
    ('bigbluebuttonbn', 'virtual_classroom'), ('zoom meeting', 'virtual_classroom'),
    ('classe virtuelle', 'virtual_classroom'),
    -- xAPI activity types without a Moodle module
    ('http://adlnet.gov/expapi/activities/file', 'document'),
    ('http://adlnet.gov/expapi/activities/media', 'document'),
    ('http://adlnet.gov/expapi/activities/lesson', 'document'),
    ('http://adlnet.gov/expapi/activities/module', 'document'),
    ('http://id.tincanapi.com/activitytype/document', 'document'),
    ('http://id.tincanapi.com/activitytype/resource', 'document'),
    ('http://adlnet.gov/expapi/activities/assessment', 'quiz'),
    ('http://adlnet.gov/expapi/activities/question', 'quiz'),
    ('http://adlnet.gov/expapi/activities/interaction', 'quiz'),
    ('http://adlnet.gov/expapi/activities/meeting', 'virtual_classroom'),
    ('http://id.tincanapi.com/activitytype/webinar', 'virtual_classroom'),
    ('http://id.tincanapi.com/activitytype/discussion', 'forum'),
    ('http://id.tincanapi.com/activitytype/forum-reply', 'forum');

CREATE TABLE activity_kind_overrides (
    component VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL
);
