"""The SQLite store: opening the file, the one write helper, backups, the migration runner.

The names below load on first use (PEP 562): importing ``workshop.store`` (or its ``health``
and ``errors`` modules, which the CLI parser's path needs) must not import sqlite-utils, which
only a command or window that opens a database pays for.
"""
from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

from workshop.lazy import exports_on_first_use

_HOMES = {"DatabaseError": "errors", "SchemaTooNewError": "errors", "StoreBusy": "errors",
          "write": "transactions", "open_database": "database", "backup_database": "database",
          "use_wal": "database", "Migration": "migrate", "migrate": "migrate"}

__all__ = ["DatabaseError", "SchemaTooNewError", "StoreBusy", "write", "open_database",
           "backup_database", "use_wal", "Migration", "migrate"]

if TYPE_CHECKING:
    from workshop.store.database import backup_database, open_database, use_wal
    from workshop.store.errors import DatabaseError, SchemaTooNewError, StoreBusy
    from workshop.store.migrate import Migration, migrate
    from workshop.store.transactions import write


__getattr__ = exports_on_first_use(__name__, _HOMES, globals())


class _Store(types.ModuleType):
    """The package, whose ``migrate`` stays the function once the ``migrate`` module loads
    (importing a submodule sets the package attribute of its name, which the eager imports
    used to set back)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "migrate" and isinstance(value, types.ModuleType):
            value = value.migrate
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Store
