"""The research export: a data package a researcher can cite and cannot trace back.

    summary = export_research(ws, Path("export-2027-06"), k=5, coarsen=True)
    print(summary.line())

Owns nothing beyond its parent ``privacy``: the tables (:mod:`.tables`), their protection
(:mod:`.protect`: re-keyed ids, staff collapsed, small cells suppressed), coarsening
(:mod:`.coarsen`), the codebook (:mod:`.codebook`, the one description of every column),
provenance (:mod:`.provenance`) and the documents and files (:mod:`.documents`,
:mod:`.package`). docs/research.md explains it for the recipient.
"""

from m2if_analytics.privacy.research.package import export_research
from m2if_analytics.privacy.research.protect import (
    DEFAULT_K,
    STAFF,
    export_ids,
    protect,
    suppressed_groups,
)
from m2if_analytics.privacy.research.summary import ExportedTable, ExportSummary
from m2if_analytics.privacy.research.tables import TABLES, research_tables

__all__ = ["DEFAULT_K", "STAFF", "TABLES", "ExportSummary", "ExportedTable", "export_ids",
           "export_research", "protect", "research_tables", "suppressed_groups"]
