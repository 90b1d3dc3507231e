"""The spaces French typography needs, for the catalogues and the number formatting."""

NNBSP = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\u00a0"  # no-break space: before a unit, and before ':' in French
