"""The SQLite store: opening the file, the one write helper, backups, the migration runner."""
from workshop.store.database import open_database, backup_database, use_wal
from workshop.store.errors import DatabaseError, SchemaTooNewError, StoreBusy
from workshop.store.migrate import Migration, migrate
from workshop.store.transactions import write

__all__ = ["DatabaseError", "SchemaTooNewError", "StoreBusy", "write", "open_database",
           "backup_database", "use_wal", "Migration", "migrate"]
