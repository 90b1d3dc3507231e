"""Ingestion: one module per source format; every file is one transaction with an account.

Owns: reading platform exports (Moodle log downloads and logstore dumps, xAPI statements,
the roster, programme tables, forum posts, OULAD) into the raw tables, pseudonymised on the
way in, with rows read = loaded + duplicates + quarantined for every file.

May import: ``warehouse`` and the ground floor.
"""
