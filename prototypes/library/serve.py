"""``workshop library serve``: the library published read-only with Datasette.

Datasette (the engine built for publishing SQLite) gives the browsable tables, the JSON API,
full-text search and canned queries; we give it titles, descriptions and the queries district
staff ask for. Datasette and uvicorn are imported inside ``serve`` only.
"""
from __future__ import annotations

from pathlib import Path

from prototypes.library.repository import QUERIES


def metadata(name: str) -> dict:
    """Datasette's metadata: titles, descriptions, the search on prototypes, the queries."""
    return {
        "title": "District design academy library",
        "description": "What schools tried at their design academies: safe-to-try prototypes "
                       "with their PDSA cycles, initiative maps, academy facts. Read-only.",
        "databases": {name: {
            "tables": {
                "prototypes": {"title": "Prototypes", "fts_table": "prototypes_fts",
                               "fts_pk": "id", "searchmode": "raw",
                               "description": "Each team's safe-to-try classroom model."},
                "iterations": {"title": "Iterations (PDSA cycles)",
                               "description": "Plan, do, study, act of each prototype."},
                "initiatives": {"title": "Initiatives",
                                "description": "Spokes of the initiative maps; aligned = 0 "
                                               "when nothing links it to the vision."},
                "academies": {"title": "Academies",
                              "description": "One row per academy bundle (the newest)."},
            },
            "queries": QUERIES,
        }},
    }


def app(path: Path | str):
    """The Datasette instance serving the library read-only (immutable: no writes, no locks)."""
    from datasette.app import Datasette

    path = Path(path)
    return Datasette(immutables=[str(path)], metadata=metadata(path.stem),
                     settings={"default_page_size": 50, "sql_time_limit_ms": 2000})


def serve(path: Path | str, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve until interrupted."""
    import uvicorn

    uvicorn.run(app(path).app(), host=host, port=port, log_level="warning")
