"""What crosses the warehouse's boundary with people in it, and how.

Owns: the re-identification mapping for the programme's managers, kept apart from the
analytics (:mod:`.mapping`), and the research export with re-keyed ids and small cells
suppressed (:mod:`.research`). Pseudonyms themselves are made on the way in
(:mod:`m2if_analytics.warehouse.pseudonyms`).

May import: ``collaboration``, ``engagement``, ``ingest`` (the roster reader, so that
mapping and ingestion pseudonymise a name the same way), ``warehouse`` and the ground floor.
"""
