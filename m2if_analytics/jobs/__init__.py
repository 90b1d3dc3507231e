"""Jobs: whole runs that chain ingestion, the pipeline, analyses and reports.

Owns: the demo on the sample cohorts (:mod:`.demo`).

May import: ``reports``, ``privacy``, ``risk``, ``programme``, ``collaboration``,
``engagement``, ``ingest``, ``warehouse``, ``i18n`` and the ground floor.
"""
