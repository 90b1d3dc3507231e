"""The cohort overview (``notebooks/cohort_overview.ipynb``): one cohort's year as of a report
week, with controls choosing a group, a student or weeks."""
