-- Final grades of activity and manual grade items changed since the high-water mark
-- (course and category totals are left out: m2if computes the UE means itself).
-- Grain: one row per (grade item, user) with a final grade.
-- Parameters: $since (last grade_grades.timemodified read; rows of that second are read
--   again and count as duplicates). Tables: {grade_items}, {grade_grades};
--   {item_filter} limits to the items and courses mapped to UEs.
SELECT gi.id, gi.courseid, gi.idnumber, gi.itemname, gi.grademax, gi.aggregationcoef,
       gi.aggregationcoef2, gg.userid, gg.finalgrade, COALESCE(gg.timemodified, 0)
FROM {grade_grades} AS gg
JOIN {grade_items} AS gi ON gi.id = gg.itemid
WHERE gi.itemtype IN ('mod', 'manual') AND gg.finalgrade IS NOT NULL
  AND COALESCE(gg.timemodified, 0) >= $since {item_filter}
ORDER BY gg.id;
