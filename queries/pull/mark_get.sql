-- The high-water mark of one pulled item (NULL row when never pulled).
-- Grain: at most one row.
-- Parameters: $source, $item.
SELECT mark FROM pull_marks WHERE source = $source AND item = $item;
