-- Load the staged click rows of one file into oulad_clicks, summed per student, site, day.
-- Grain: _oulad_groups one row per (presentation, student, id_site, day) of the file's valid
--   rows, with its summed clicks, its source_rows and its status: new (inserted),
--   duplicate (already loaded by an earlier file with the same total: re-ingestion adds
--   nothing) or conflict (already loaded with another total: its rows are quarantined).
-- Parameters: $file_id (the file's ingest_files id). Input: _oulad_stage (stage_clicks.sql).
-- OULAD holds several rows for one (student, site, day), some exact duplicates: they are
--   summed, as the source gives no way to tell a repeated record from two equal records.
CREATE OR REPLACE TEMP TABLE _oulad_groups AS
WITH g AS (
    SELECT presentation, student, id_site, day, sum(clicks) AS clicks,
           CAST(count(*) AS INTEGER) AS source_rows
    FROM _oulad_stage
    WHERE reason IS NULL
    GROUP BY ALL
)
SELECT
    g.*,
    CASE
        WHEN c.clicks IS NULL THEN 'new'
        WHEN c.clicks = g.clicks THEN 'duplicate'
        ELSE 'conflict'
    END AS status,
    c.clicks AS loaded_clicks,
    c.file_id AS loaded_file_id
FROM g
LEFT JOIN oulad_clicks AS c USING (presentation, student, id_site, day);

INSERT INTO oulad_clicks
SELECT presentation, student, id_site, day, clicks, source_rows, $file_id
FROM _oulad_groups
WHERE status = 'new';
