"""A data file made once and copied for each use: the demo's scratch file (issue 20).

`--demo` starts every launch on a fresh demo academy. Making it means running every migration
and adding the demo's people: ~12 ms of CPU before the first frame, and ~10 ms more waiting for
the migrations' commits to reach the disk. The same file is made once instead, kept as a template in the user's
cache folder with what it was made from (``key``: the app's and the migrations' versions) and
a digest of its bytes, and each launch gets its own copy of it. A template made from other
versions, damaged or cut short is made again; a folder that cannot be written means the file
is made in place, as before.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from workshop.store.errors import DatabaseError


def remove_database(path: Path) -> None:
    """Delete a scratch database and its WAL companions (the demo's, never the user's)."""
    for stale in (path, *(path.with_name(path.name + x) for x in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)


def fresh_copy(target: Path, folder: Path, name: str, key: str,
               build: Callable[[Path], None]) -> bool:
    """Put at ``target`` (replacing any file there) a copy of the template ``name`` in
    ``folder``, made by ``build(path)`` (a complete database, closed, at ``path``) when it is
    missing, was made for another ``key``, or its bytes no longer match their digest. True when
    the copy is of a template made before; False when it was made now (when ``folder`` cannot
    be written, at ``target`` itself)."""
    remove_database(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    template, about = folder / f"{name}.sqlite", folder / f"{name}.json"
    try:
        kept = json.loads(about.read_text(encoding="utf-8"))
        data = template.read_bytes()
        if kept == {"key": key, "sha256": hashlib.sha256(data).hexdigest()}:
            target.write_bytes(data)   # the bytes checked are the bytes copied
            return True
    except (OSError, ValueError):
        pass   # none yet, or unreadable: made again
    building = folder / f".{name}.{os.getpid()}.sqlite"   # two launches never share one
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_database(building)
        build(building)
        if building.with_name(building.name + "-wal").exists():
            raise OSError("the template was not closed")   # its last writes are not in it
        data = building.read_bytes()
        os.replace(building, template)
        _replace_text(about, json.dumps({"key": key, "sha256": hashlib.sha256(data).hexdigest()}))
        target.write_bytes(data)
    except (OSError, DatabaseError):
        remove_database(target)   # a folder or disk that refuses: made in place, as before
        build(target)
    finally:
        try:
            remove_database(building)
        except OSError:
            pass
    return False


def _replace_text(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def key_of(*parts: object) -> str:
    """A short digest of what a template is made from (each part's ``repr``)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]
