"""The cohort comparison (``notebooks/cohort_comparison.ipynb``): cohorts aligned on the
programme week."""
