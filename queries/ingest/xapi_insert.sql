-- Load one batch of parsed xAPI statements into raw_events, as Moodle-equivalent events.
-- Grain: one row per statement of the batch whose event_key is neither already in raw_events
--   (an earlier file, or an earlier batch of this file) nor held by an earlier statement of
--   the batch (seq order): duplicates are loaded once.
-- Parameters: $file_id (ingest_files id of the file being loaded).
-- Input: _xapi_batch, registered by m2if_analytics.ingest.xapi (seq, line, key_material, k,
--   related_k, ts, verb, object_kind, object_id, activity_type, context_ids); _idmap (k →
--   ident_id) from identities.sql. k and related_k are already keyed hashes; object ids, URLs
--   and the verb never reach a stored column except as the event name and component below.
-- event_key = md5 of 'xapi' + the statement id (or, without an id, + actor, verb, object and
--   instant). module = Moodle module from the object's URL (/mod/<module>/...), else from its
--   activity type, else from a parent/grouping activity's /mod/<module>/view.php URL; cmid and
--   course_id come from /mod/<module>/view.php?id=N and /course/view.php?id=N in the object,
--   else in its parent/grouping activities. event_name: see the CASE below and docs/xapi.md.
INSERT INTO raw_events
WITH types(activity_type, kind, module) AS (
    VALUES
        ('http://id.tincanapi.com/activitytype/lms', 'site', NULL),
        ('http://vocab.xapi.fr/activities/system', 'site', NULL),
        ('http://id.tincanapi.com/activitytype/lms/course', 'course', NULL),
        ('http://adlnet.gov/expapi/activities/course', 'course', NULL),
        ('http://id.tincanapi.com/activitytype/discussion', 'discussion', 'forum'),
        ('http://id.tincanapi.com/activitytype/forum-reply', 'discussion', 'forum'),
        ('http://id.tincanapi.com/activitytype/forum-topic', 'module', 'forum'),
        ('http://adlnet.gov/expapi/activities/file', 'module', 'resource'),
        ('http://adlnet.gov/expapi/activities/link', 'module', 'url')
),
parsed AS (
    SELECT
        b.*,
        md5_number(b.key_material) AS event_key,
        nullif(regexp_extract(b.object_id, '/mod/([a-z0-9_]+)/', 1), '') AS url_module,
        nullif(regexp_extract(b.context_ids, '/mod/([a-z0-9_]+)/view\.php', 1), '')
            AS context_module,
        coalesce(
            nullif(regexp_extract(b.object_id,
                                  '/mod/[a-z0-9_]+/view\.php\?(?:[^ #]*&)?id=(\d+)', 1), ''),
            nullif(regexp_extract(b.context_ids,
                                  '/mod/[a-z0-9_]+/view\.php\?(?:[^ #]*&)?id=(\d+)', 1), ''))
            AS cmid_text,
        coalesce(
            nullif(regexp_extract(b.object_id,
                                  '/course/view\.php\?(?:[^ #]*&)?id=(\d+)', 1), ''),
            nullif(regexp_extract(b.context_ids,
                                  '/course/view\.php\?(?:[^ #]*&)?id=(\d+)', 1), ''))
            AS course_text,
        CASE
            WHEN b.object_kind IN ('agent', 'statement') THEN b.object_kind
            WHEN regexp_matches(b.object_id, '/course/view\.php\?') THEN 'course'
            WHEN regexp_matches(b.object_id, '/mod/forum/discuss\.php\?') THEN 'discussion'
            ELSE t.kind
        END AS url_kind,
        t.module AS type_module,
        coalesce(c.category, 'other') AS category
    FROM _xapi_batch AS b
    LEFT JOIN types AS t ON t.activity_type = b.activity_type
    LEFT JOIN event_categories AS c ON c.event_name = b.verb AND c.source = 'xapi_verb'
),
classified AS (
    SELECT
        *,
        CASE WHEN url_kind IN ('agent', 'statement', 'course', 'site') THEN NULL
             ELSE coalesce(url_module, type_module, context_module) END AS module,
        coalesce(url_kind, CASE WHEN coalesce(url_module, type_module, context_module)
                                     IS NOT NULL THEN 'module' END, 'activity') AS kind
    FROM parsed
),
mapped AS (
    SELECT
        *,
        CASE
            WHEN category = 'logged_in' THEN '\core\event\user_loggedin'
            WHEN category = 'viewed' AND kind = 'course' THEN '\core\event\course_viewed'
            WHEN category = 'viewed' AND kind = 'discussion'
                THEN '\mod_forum\event\discussion_viewed'
            WHEN category = 'viewed' AND kind = 'agent' THEN '\core\event\user_profile_viewed'
            WHEN category = 'viewed' AND kind = 'module'
                THEN '\mod_' || module || '\event\course_module_viewed'
            WHEN category = 'viewed' AND kind = 'activity' THEN '\core\event\course_module_viewed'
            WHEN category = 'submitted' AND module = 'quiz' THEN '\mod_quiz\event\attempt_submitted'
            WHEN category = 'submitted' AND kind IN ('module', 'activity')
                AND coalesce(module, 'assign') = 'assign'
                THEN '\mod_assign\event\assessable_submitted'
            WHEN category = 'posted' AND kind = 'discussion'
                AND verb = 'http://activitystrea.ms/schema/1.0/create'
                THEN '\mod_forum\event\discussion_created'
            WHEN category = 'posted' AND module = 'forum' THEN '\mod_forum\event\post_created'
            WHEN category = 'attempted' AND module = 'quiz' THEN '\mod_quiz\event\attempt_started'
            WHEN category = 'completed' AND kind = 'course' THEN '\core\event\course_completed'
            WHEN category = 'completed' AND kind = 'module'
                THEN '\core\event\course_module_completion_updated'
            ELSE verb
        END AS event_name,
        CASE
            WHEN kind IN ('course', 'site', 'agent') OR category = 'logged_in' THEN 'core'
            WHEN module IS NOT NULL THEN 'mod_' || module
            WHEN category = 'submitted' AND kind = 'activity' THEN 'mod_assign'
            ELSE activity_type
        END AS component
    FROM classified
)
SELECT
    m.event_key,
    $file_id,
    u.ident_id,
    r.ident_id,
    m.ts,
    m.event_name,
    m.component,
    CAST(NULL AS VARCHAR),
    TRY_CAST(m.course_text AS BIGINT),
    CASE WHEN m.kind IN ('module', 'discussion', 'activity')
         THEN TRY_CAST(m.cmid_text AS BIGINT) END,
    'xapi'
FROM mapped AS m
JOIN _idmap AS u ON u.k = m.k
LEFT JOIN _idmap AS r ON r.k = m.related_k
WHERE NOT EXISTS (SELECT 1 FROM raw_events AS x WHERE x.event_key = m.event_key)
QUALIFY row_number() OVER (PARTITION BY m.event_key ORDER BY m.seq) = 1;
