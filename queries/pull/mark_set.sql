-- Move one pulled item's high-water mark (inside the transaction that stores its rows).
-- Grain: one pull_marks row per (source, item).
-- Parameters: $source, $item, $mark, $rows (rows read this time), $at.
INSERT INTO pull_marks AS p VALUES ($source, $item, $mark, $rows, $at)
ON CONFLICT (source, item) DO UPDATE
SET mark = excluded.mark, rows_read = p.rows_read + excluded.rows_read,
    pulled_at = excluded.pulled_at;
