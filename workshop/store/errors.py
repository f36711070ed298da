"""Errors of the data file that a user can act on (shown as a message, never as a trace)."""


class DatabaseError(Exception):
    """A problem with the data file that a user can act on."""


class SchemaTooNewError(DatabaseError):
    """The file was written by a newer version of the app; it is left untouched."""


class StoreBusy(DatabaseError):
    """Another connection held the write lock past the busy timeout; nothing was written."""
