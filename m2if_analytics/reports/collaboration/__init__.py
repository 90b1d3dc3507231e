"""The collaboration report (``notebooks/collaboration.ipynb``): forum networks and metrics of a
cohort over a period, for researchers and managers."""
