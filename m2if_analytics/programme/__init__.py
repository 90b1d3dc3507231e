"""The programme's own rules: teaching units and their grades, deadlines and submissions,
cumulative pace, internship days and mission letters, collective participation.

Owns: the indicator frames the risk rules and the reports read (:mod:`.indicators`; the SQL
is in ``queries/pipeline/4*``).

May import: ``engagement``, ``warehouse`` and the ground floor.
"""
