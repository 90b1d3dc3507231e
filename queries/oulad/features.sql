-- Risk-model features of every student present at a cutoff day, from data strictly before it.
-- Grain: one row per presentation and student in the population at $cutoff: registered
--   before $cutoff (or no registration day) and not unregistered before it (no
--   unregistration day, or one on or after $cutoff).
-- Parameters: $cutoff (day relative to the presentation's start; only activity and
--   submissions with day < $cutoff are read: no feature sees the cutoff day or later).
-- Inputs: _f_students, _f_activity, _f_assessments, _f_submissions (inputs.sql, or frames
--   from the programme's platform). Feature definitions: docs/model.md.
WITH pop AS (
    SELECT presentation, student, label
    FROM _f_students
    WHERE coalesce(registered_day < $cutoff, TRUE)
      AND coalesce(unregistered_day >= $cutoff, TRUE)
),
act AS (
    SELECT presentation, student, day, sum(clicks) AS clicks
    FROM _f_activity
    WHERE day < $cutoff AND clicks > 0
    GROUP BY ALL
),
clicks AS (
    SELECT
        presentation,
        student,
        sum(clicks) AS clicks_total,
        count(*) AS active_days,
        coalesce(sum(clicks) FILTER (WHERE day >= $cutoff - 7), 0) AS clicks_w1,
        coalesce(sum(clicks) FILTER (WHERE day >= $cutoff - 14 AND day < $cutoff - 7), 0)
            AS clicks_w2,
        coalesce(sum(clicks) FILTER (WHERE day >= $cutoff - 21 AND day < $cutoff - 14), 0)
            AS clicks_w3,
        coalesce(sum(clicks) FILTER (WHERE day >= $cutoff - 28 AND day < $cutoff - 21), 0)
            AS clicks_w4,
        count(*) FILTER (WHERE day >= $cutoff - 14) AS active_days_2w,
        coalesce(sum(clicks) FILTER (WHERE day >= 0 AND day < $cutoff - 14), 0) AS clicks_before,
        max(day) AS last_day
    FROM act
    GROUP BY ALL
),
subs AS (
    SELECT s.presentation, s.student, s.assessment, s.submitted_day, s.score, a.due_day
    FROM _f_submissions AS s
    LEFT JOIN _f_assessments AS a USING (presentation, assessment)
    WHERE s.submitted_day < $cutoff
),
sub_stats AS (
    SELECT
        presentation,
        student,
        count(*) AS n_submitted,
        avg(score) AS mean_score,
        count(*) FILTER (WHERE submitted_day > due_day) AS n_late
    FROM subs
    GROUP BY ALL
),
due AS (
    SELECT p.presentation, p.student, count(*) AS n_due,
           count(*) FILTER (WHERE s.assessment IS NULL) AS n_missed
    FROM pop AS p
    JOIN _f_assessments AS a ON a.presentation = p.presentation AND a.due_day < $cutoff
    LEFT JOIN subs AS s
        ON s.presentation = p.presentation AND s.student = p.student
        AND s.assessment = a.assessment
    GROUP BY ALL
),
joined AS (
    SELECT
        p.presentation,
        p.student,
        CAST($cutoff AS INTEGER) AS day,
        CAST(coalesce(c.clicks_total, 0) AS DOUBLE) AS clicks_total,
        CAST(coalesce(c.active_days, 0) AS DOUBLE) AS active_days,
        CAST(coalesce(c.clicks_w1, 0) AS DOUBLE) AS clicks_w1,
        CAST(coalesce(c.clicks_w2, 0) AS DOUBLE) AS clicks_w2,
        CAST(coalesce(c.clicks_w3, 0) AS DOUBLE) AS clicks_w3,
        CAST(coalesce(c.clicks_w4, 0) AS DOUBLE) AS clicks_w4,
        CAST(coalesce(c.active_days_2w, 0) AS DOUBLE) AS active_days_2w,
        ln(1 + coalesce(c.clicks_w1 + c.clicks_w2, 0) / 14.0)
            - ln(1 + coalesce(c.clicks_before, 0) / greatest($cutoff - 14, 1)) AS trend,
        CAST($cutoff - coalesce(c.last_day, -31) AS DOUBLE) AS days_since_last,
        CAST(coalesce(s.n_submitted, 0) AS DOUBLE) AS n_submitted,
        s.mean_score,
        CAST(coalesce(s.n_late, 0) AS DOUBLE) AS n_late,
        CAST(coalesce(d.n_due, 0) AS DOUBLE) AS n_due,
        CAST(coalesce(d.n_missed, 0) AS DOUBLE) AS n_missed,
        p.label
    FROM pop AS p
    LEFT JOIN clicks AS c USING (presentation, student)
    LEFT JOIN sub_stats AS s USING (presentation, student)
    LEFT JOIN due AS d USING (presentation, student)
)
SELECT
    presentation,
    student,
    day,
    clicks_total,
    active_days,
    clicks_w1,
    clicks_w2,
    clicks_w3,
    clicks_w4,
    active_days_2w,
    trend,
    days_since_last,
    percent_rank() OVER (PARTITION BY presentation ORDER BY clicks_total) AS clicks_total_rank,
    percent_rank() OVER (PARTITION BY presentation ORDER BY clicks_w1 + clicks_w2)
        AS clicks_2w_rank,
    n_submitted,
    mean_score,
    n_late,
    n_missed,
    CASE WHEN n_due > 0 THEN n_missed / n_due ELSE 0 END AS share_missed,
    label
FROM joined
ORDER BY presentation, student;
