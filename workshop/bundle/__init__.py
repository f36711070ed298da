"""Academy bundles: a whole academy in one SQLite file, exported, imported, purged."""
