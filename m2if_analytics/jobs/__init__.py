"""Jobs: whole runs that chain ingestion, the pipeline, analyses and reports.

Owns: the demo on the sample cohorts (:mod:`.demo`) and the weekly run of ``m2if run
weekly`` (:mod:`.weekly`: inbox, refresh, risk, reports, archive, digests).

May import: ``pull``, ``alerts``, ``reports``, ``privacy``, ``risk``, ``programme``,
``collaboration``, ``engagement``, ``ingest``, ``warehouse``, ``i18n`` and the ground floor.
"""
