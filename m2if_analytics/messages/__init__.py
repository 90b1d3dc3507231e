"""Message catalogues by area, merged into :data:`m2if_analytics.i18n.MESSAGES`.

Each module holds a ``MESSAGES`` dict of ``key -> {"fr": ..., "en": ...}``; keys are unique
across modules (the merge refuses a duplicate), prefixed by their area (``overview_``,
``student_``, ``comparison_``).
"""

from __future__ import annotations

from m2if_analytics.messages import comparison, overview, student

CATALOGUES = (overview.MESSAGES, student.MESSAGES, comparison.MESSAGES)
