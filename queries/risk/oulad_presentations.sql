-- The OULAD presentations loaded, with the last day of their click stream.
-- Grain: one row per presentation of oulad_students (last_day NULL: no clicks).
-- Parameters: none.
SELECT s.presentation, max(c.day) AS last_day
FROM (SELECT DISTINCT presentation FROM oulad_students) AS s
LEFT JOIN (SELECT presentation, max(day) AS day FROM oulad_clicks GROUP BY ALL) AS c
    USING (presentation)
GROUP BY ALL;
