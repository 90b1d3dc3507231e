"""Pulling straight from the platform: Moodle's database and an xAPI LRS.

Owns: ``m2if pull moodle`` and ``m2if pull lrs``, read-only and incremental (high-water
marks in ``pull_marks``), through the same validation, quarantine and pseudonymisation as the
file ingestion (each table or page batch is handed to its file ingester).

May import: ``ingest``, ``warehouse`` and the ground floor.
"""
