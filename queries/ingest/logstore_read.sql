-- Read a logstore_standard_log CSV dump as text, rejecting malformed lines.
-- Grain: one row per well-formed record (rec = 1-based record number among them).
-- Parameters: $path (the CSV file), $delim (its delimiter).
-- Malformed lines (wrong field count, bad encoding) go to temp table _ls_rejects with their
-- line number; nothing is cast here so that every value error is reported by staging.
CREATE OR REPLACE TEMP TABLE _ls AS
SELECT row_number() OVER () AS rec, *
FROM read_csv($path, header = true, all_varchar = true, delim = $delim, quote = '"',
              escape = '"', nullstr = ['\N', 'NULL'], store_rejects = true,
              rejects_table = '_ls_rejects', rejects_scan = '_ls_scans',
              normalize_names = true, null_padding = false);
