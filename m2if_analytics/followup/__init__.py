"""The follow-up log: every contact a tutor had with a flagged student, and what came of it.

    import m2if_analytics.followup as followup
    followup.add(ws, followup.Contact("p0123456789ab", date(2027, 2, 1), "HV", "call",
                                      "reached", next_date=date(2027, 2, 8)))
    followup.last_contacts(ws)            # student, last_contact, ... (risk table, reports)

Owns: the contact record and its words (:mod:`.values`), storing and reading the log
(:mod:`.store`), importing a CSV of contacts (:mod:`.importer`) and the notes kept outside
the warehouse, beside the re-identification mapping (:mod:`.notes`).

May import: ``ingest`` (the CSV reader and the file account), ``warehouse`` and the
ground floor.
"""

from m2if_analytics.followup.store import add, contacts, last_contacts
from m2if_analytics.followup.values import CHANNELS, OUTCOMES, Contact

__all__ = ["CHANNELS", "OUTCOMES", "Contact", "add", "contacts", "last_contacts"]
