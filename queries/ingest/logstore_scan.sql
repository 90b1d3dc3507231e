-- First pass over a logstore_standard_log dump: who appears, how many rows, which are bad.
-- Grain: one row per (userid, relateduserid, reason, bad record id) with its row count n;
--   good rows collapse to a few thousand groups, each bad row keeps its own group.
-- Parameters: $path (the CSV file), $delim (its delimiter), $types (column → SQL type for the
--   columns present, so that a non-numeric id, userid or time is rejected by the reader with
--   its line number into _ls_rejects).
-- Bad rows: no user (userid empty, 0 or negative: guests, failed logins, system), no time,
--   time out of range, no event name.
CREATE OR REPLACE TEMP TABLE _ls_summary AS
WITH src AS (
    SELECT
        id,
        userid,
        relateduserid,
        CASE
            WHEN userid IS NULL THEN 'no user: empty userid'
            WHEN userid <= 0 THEN 'no user: userid ' || userid
                || ' (not logged in, guest or system)'
            WHEN timecreated IS NULL THEN 'empty timecreated'
            WHEN timecreated < 0 OR timecreated > 17179869183 THEN 'timecreated '
                || timecreated || ' is out of range'
            WHEN nullif(trim(eventname), '') IS NULL THEN 'empty eventname'
        END AS reason
    FROM read_csv($path, header = true, delim = $delim, quote = '"', escape = '"',
                  nullstr = ['\N', 'NULL', ''], types = $types, normalize_names = true,
                  store_rejects = true, rejects_table = '_ls_rejects',
                  rejects_scan = '_ls_scans')
)
SELECT
    CASE WHEN reason IS NULL THEN userid END AS userid,
    CASE WHEN reason IS NULL THEN relateduserid END AS relateduserid,
    reason,
    CASE WHEN reason IS NOT NULL THEN id END AS bad_id,
    count(*) AS n
FROM src
GROUP BY ALL;
