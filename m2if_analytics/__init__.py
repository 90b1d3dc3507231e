"""m2if-analytics: platform logs → weekly engagement and early warnings for a training programme."""

__version__ = "0.1.0"
