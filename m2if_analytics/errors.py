"""Errors a user can act on: each message says what went wrong, where, and what to do."""


class M2IFError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero."""


class ConfigError(M2IFError):
    """The configuration file or an environment override is invalid."""


class IngestError(M2IFError):
    """A file cannot be ingested as a whole (nothing of it was loaded)."""


class WarehouseBusyError(M2IFError):
    """Another process holds the warehouse's write lock."""


class KeyMismatchError(M2IFError):
    """The pseudonymisation key differs from the one the warehouse was built with."""


class WeekError(M2IFError, ValueError):
    """A week given on the command line or in a parameter is not one."""
