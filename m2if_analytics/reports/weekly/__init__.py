"""The weekly report (``notebooks/weekly_report.ipynb``): the report week at a glance,
engagement against the target, cumulative pace, students at risk, data quality."""
