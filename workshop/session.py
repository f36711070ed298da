"""What the window remembers between launches, per data file: the academy that was open and
whether phones could join. A small JSON in the user config folder, so a relaunch after a crash
lands where the facilitator was (issue 13, item 10).

It is a convenience, never data: a missing, damaged or unwritable file means "nothing
remembered", and nothing here raises. Hand-written (json + os.replace) because the state is
two values per file; a settings library would add a dependency for no gain.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 1_000_000   # far above any real session; a bigger file is not ours to parse
MAX_FILES = 50          # data files remembered; the oldest entries go first


@dataclass(frozen=True)
class Remembered:
    """One data file's last state: the open academy's id and whether phones could join."""
    academy_id: int | None = None
    joining: bool = False


class Session:
    """The remembered state of every data file, stored at ``path`` (None: remember nothing)."""

    def __init__(self, path: Path | None, db_path: Path):
        self.path = path
        self._key = str(Path(db_path).expanduser().resolve())

    def recall(self) -> Remembered:
        """What was remembered for this data file (defaults when nothing sane is stored)."""
        entry = self._read().get(self._key)
        if not isinstance(entry, dict):
            return Remembered()
        academy_id = entry.get("academy_id")
        if type(academy_id) is not int or academy_id <= 0:  # bool is an int: refused too
            academy_id = None
        return Remembered(academy_id=academy_id, joining=entry.get("joining") is True)

    def remember(self, **changes) -> None:
        """Store ``academy_id`` and/or ``joining`` for this data file (failures are ignored:
        forgetting where the window was must never stop the facilitator's work)."""
        if self.path is None:
            return
        current = self.recall()
        entry = {"academy_id": changes.get("academy_id", current.academy_id),
                 "joining": bool(changes.get("joining", current.joining))}
        files = {k: v for k, v in self._read().items() if k != self._key}
        files[self._key] = entry   # last written is last: the oldest are trimmed first
        files = dict(list(files.items())[-MAX_FILES:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.path.with_name(self.path.name + ".tmp")
            scratch.write_text(json.dumps({"files": files}, indent=1), encoding="utf-8")
            os.replace(scratch, self.path)   # a crash mid-write leaves the old file whole
        except OSError:
            pass

    def _read(self) -> dict:
        if self.path is None:
            return {}
        try:
            if self.path.stat().st_size > MAX_BYTES:
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):   # missing, unreadable, not JSON, too deep
            return {}
        files = data.get("files") if isinstance(data, dict) else None
        return {k: v for k, v in files.items() if isinstance(k, str)} \
            if isinstance(files, dict) else {}
