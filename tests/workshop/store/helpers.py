"""Running the CLI on a copy of a data file, and telling whether the file changed."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from tests.paths import ROOT

HOSTILE = ROOT / "tests" / "data" / "hostile" / "databases"


def copy_case(name: str, folder: Path) -> Path:
    """The hostile file and whatever lies beside it (a -wal) copied into ``folder``."""
    for part in HOSTILE.glob(name + "*"):
        shutil.copyfile(part, folder / part.name)
    return folder / name


def content(path: Path) -> str:
    """A digest of the file's pages and of its WAL: the 100-byte header is left out, since
    opening a sound file switches it to WAL mode (two header bytes) and nothing more."""
    digest = hashlib.sha256(path.read_bytes()[100:])
    wal = Path(f"{path}-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


def run(capsys, path: Path, *args: str) -> tuple[int, str, str]:
    """``workshop --db PATH ARGS`` in-process: (exit code, stdout, stderr)."""
    from workshop.app import main
    code = main(["--db", str(path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err
