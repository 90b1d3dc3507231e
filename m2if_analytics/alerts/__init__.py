"""Alert digests: what each tutor needs to know this week, as HTML and plain text, and their
delivery by e-mail.

    paths = alerts.write_digests(ws, None, None, Path("digests"))   # last complete week
    lines = alerts.send_digests(ws.cfg, Path("digests"), dry_run=True)

Owns: who receives what (:mod:`.digest`: one digest per tutor of the roster's ``tutor``
column, else per group, else one for the cohort; new and worse flags, flags nobody has
followed up, students back to green), their words and layout (:mod:`.render`), the files
(:mod:`.files`) and SMTP delivery (:mod:`.send`).

May import: ``risk``, ``privacy`` (names only through the re-identification mapping),
``engagement``, ``warehouse``, ``i18n`` and the ground floor.
"""

from m2if_analytics.alerts.digest import Digest, build_digests
from m2if_analytics.alerts.files import write_digests
from m2if_analytics.alerts.send import send_digests

__all__ = ["Digest", "build_digests", "send_digests", "write_digests"]
