"""The SQLite store: opening the file, backups, migrations, the academy/roster repository."""
from workshop.store.database import (DatabaseError, SchemaTooNewError, open_database,
                                     backup_database)
from workshop.store.migrate import Migration, migrate

__all__ = ["DatabaseError", "SchemaTooNewError", "open_database", "backup_database",
           "Migration", "migrate"]
