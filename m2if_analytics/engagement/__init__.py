"""Engagement: time-on-task per student and programme week, against the weekly target.

Owns: the weekly engagement table and its export contract (:mod:`.table`), a cohort's
students and the week a report is about (:mod:`.cohort`), cumulative pace (:mod:`.pace`),
the report week at a glance and below-target streaks (:mod:`.headline`), and what the
numbers rest on (:mod:`.quality`). The time-on-task rule itself is SQL
(``queries/pipeline/``).

May import: ``warehouse``, ``engines`` and the ground floor.
"""

from m2if_analytics.engagement.cohort import cohorts, report_week, students, weekly
from m2if_analytics.engagement.headline import Headline, below_target_streaks, headline
from m2if_analytics.engagement.pace import cumulative
from m2if_analytics.engagement.quality import DataQuality, data_quality
from m2if_analytics.engagement.table import NoRosterWarning, weekly_engagement

__all__ = ["DataQuality", "Headline", "NoRosterWarning", "below_target_streaks", "cohorts",
           "cumulative", "data_quality", "headline", "report_week", "students", "weekly",
           "weekly_engagement"]
