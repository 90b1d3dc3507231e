-- Type and validate the records of a logstore dump read by logstore_read.sql.
-- Grain: _ls_typed one row per well-formed record; _ls_bad one row per invalid record
--   (no user, user 0 or negative, time not Unix seconds, no event name) with its reason.
-- Parameters: none. Input: temp table _ls.
CREATE OR REPLACE TEMP TABLE _ls_typed AS
SELECT rec,
       TRY_CAST(trim(userid) AS BIGINT) AS uid,
       TRY_CAST(trim(timecreated) AS BIGINT) AS t,
       trim(userid) AS userid_text,
       trim(timecreated) AS time_text,
       nullif(trim(eventname), '') AS eventname,
       id, component, contextid, contextlevel, contextinstanceid, courseid, relateduserid,
       origin
FROM _ls;

CREATE OR REPLACE TEMP TABLE _ls_bad AS
SELECT rec,
       CASE
           WHEN userid_text IS NULL OR userid_text = '' THEN 'empty userid'
           WHEN uid IS NULL THEN 'userid ' || userid_text || ' is not a number'
           WHEN uid <= 0 THEN 'no user: userid ' || uid || ' (not logged in, guest or system)'
           WHEN t IS NULL THEN 'timecreated ' || coalesce(time_text, 'is empty')
                || ' is not Unix seconds'
           WHEN t < 0 OR t > 32503680000 THEN 'timecreated ' || t || ' is out of range'
           WHEN eventname IS NULL THEN 'empty eventname'
       END AS reason
FROM _ls_typed
WHERE uid IS NULL OR uid <= 0 OR t IS NULL OR t < 0 OR t > 32503680000 OR eventname IS NULL;

