-- People with platform activity whom no roster lists, and the roster people whose names
-- share the most words with theirs (keyed hashes of folded words: no name is read).
-- Grain: one row per unmatched person × candidate (up to 3 candidates by similarity, then a
--   row with a NULL candidate for someone whose name shares no word with the roster).
-- Parameters: $tz (programme timezone, for first and last seen).
-- similarity = shared words / words of either (Jaccard), over all the person's spellings.
WITH rostered AS (
    SELECT DISTINCT person FROM roster
),
active AS (
    SELECT p.person, count(*) AS events,
           min(e.ts) AT TIME ZONE $tz AS first_seen, max(e.ts) AT TIME ZONE $tz AS last_seen
    FROM raw_events AS e
    JOIN persons AS p ON p.ident_id = e.ident_id
    WHERE p.person NOT IN (SELECT person FROM rostered)
    GROUP BY p.person
),
loose_words AS (
    SELECT DISTINCT p.person, t.token
    FROM persons AS p
    JOIN identities AS i ON i.ident_id = p.ident_id
    JOIN name_tokens AS t ON t.ident = i.ident
    WHERE p.person IN (SELECT person FROM active)
),
roster_words AS (
    SELECT DISTINCT l.person, t.token
    FROM identity_links AS l
    JOIN name_tokens AS t ON t.ident = l.ident
    WHERE l.person IN (SELECT person FROM rostered)
),
sizes AS (
    SELECT person, count(*) AS words FROM loose_words GROUP BY person
    UNION ALL
    SELECT person, count(*) AS words FROM roster_words GROUP BY person
),
shared AS (
    SELECT a.person, b.person AS candidate, count(*) AS words
    FROM loose_words AS a JOIN roster_words AS b USING (token)
    GROUP BY a.person, b.person
),
ranked AS (
    SELECT s.person, s.candidate,
           s.words / (sa.words + sb.words - s.words) AS similarity,
           row_number() OVER (PARTITION BY s.person
                              ORDER BY s.words / (sa.words + sb.words - s.words) DESC,
                                       s.candidate) AS n
    FROM shared AS s
    JOIN sizes AS sa ON sa.person = s.person
    JOIN sizes AS sb ON sb.person = s.candidate
)
SELECT a.person, a.events, a.first_seen, a.last_seen, r.candidate, r.similarity
FROM active AS a
LEFT JOIN ranked AS r ON r.person = a.person AND r.n <= 3
ORDER BY a.events DESC, a.person, r.n;
