-- The internship's own rhythm, from the mission letter: the day it starts and the agreed
-- days per week (both optional; the pace then starts at the first declared day and follows
-- the minimum days spread to the year's end).
-- Grain: mission_letters stays one row per letter row read.
-- Parameters: none.
ALTER TABLE mission_letters ADD COLUMN internship_start DATE;
ALTER TABLE mission_letters ADD COLUMN days_per_week DOUBLE;
