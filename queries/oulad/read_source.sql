-- Read one OULAD CSV file as text, keeping each record's order, before typing and checks.
-- Grain: _oulad_src one row per well-formed data record; rn is its order among them (1 = the
--   first record after the header). Malformed lines (wrong number of fields, bad quoting)
--   go to _oulad_rejects with their line number instead.
-- Parameters: $path (the CSV file).
-- Format of the official release: every field double-quoted, CRLF, "" for missing values;
--   a file without quotes, with LF endings, or with spaces around values reads the same.
--   Blank lines are skipped (the ingestion counts them to keep line numbers right).
CREATE OR REPLACE TEMP TABLE _oulad_src AS
SELECT row_number() OVER () AS rn, *
FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '"',
              escape = '"', nullstr = '', store_rejects = true,
              rejects_table = '_oulad_rejects', rejects_scan = '_oulad_scans');
