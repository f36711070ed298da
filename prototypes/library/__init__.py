"""The district library: many academy bundles merged into one read-only SQLite file, served with Datasette."""
