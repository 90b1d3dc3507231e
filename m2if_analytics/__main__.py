"""Allow ``python -m m2if_analytics``."""

from m2if_analytics.cli import main

main()
