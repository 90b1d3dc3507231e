-- Every high-water mark, for `m2if pull status`.
-- Grain: one row per (source, item).
-- Parameters: none.
SELECT source, item, mark, rows_read, pulled_at FROM pull_marks ORDER BY source, item;
