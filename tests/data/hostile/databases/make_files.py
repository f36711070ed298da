"""Write the hostile data files beside this script: a valid database made with today's code
(``valid.sqlite``: one academy, a roster, a prototype; 1 KiB pages, no WAL, to stay small),
then one broken copy per way a file gets damaged. ``tests/workshop/store/test_hostile_files.py``
holds the table of what each must do. Run it again after changing a case (the outputs are
committed):

    PYTHONPATH=. .venv/bin/python tests/data/hostile/databases/make_files.py [--keep-valid]
"""
from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = 1024
TITLE = "Spring Design Academy"


def make_valid(target: Path) -> None:
    sys.path.insert(0, str(HERE.parents[3]))
    from tests.fakes import FakeClock
    from workshop.app import build_context
    from workshop.config import AppConfig

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "valid.sqlite"
        ctx = build_context(AppConfig(db_path=path), clock=FakeClock())
        academy = ctx.academies.create(TITLE, place="Library", facilitator="Sam Rivera")
        from workshop.academy.model import Participant
        for name, school in [("Zoë Brennan", "Hill"), ("Ольга Петрова", "Lake"),
                             ("张伟", "Hill"), ("Ana Núñez", "Lake")]:
            ctx.academies.add_participant(academy.id, Participant(name, school=school))
        ctx.prototypes.create(academy.id, "Flex Fridays", team="Hill", owner="Ana")
        ctx.close()
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute(f"PRAGMA page_size = {PAGE}")
        db.execute("VACUUM")
        db.close()
        shutil.copyfile(path, target)


def page_of(path: Path, table: str) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        db.close()


def overwrite(raw: bytes, at: int, data: bytes) -> bytes:
    return raw[:at] + data + raw[at + len(data):]


def foreign_wal(target: Path) -> None:
    """valid.sqlite with the uncheckpointed WAL of another database beside it."""
    shutil.copyfile(HERE / "valid.sqlite", target)
    with tempfile.TemporaryDirectory() as scratch:
        other = Path(scratch) / "other.sqlite"
        db = sqlite3.connect(other)
        db.execute(f"PRAGMA page_size = {PAGE}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA wal_autocheckpoint = 0")
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        db.executemany("INSERT INTO notes (text) VALUES (?)", [(f"note {i}" * 20,) for i in range(200)])
        db.commit()
        shutil.copyfile(Path(str(other) + "-wal"), Path(str(target) + "-wal"))
        db.close()


def main() -> None:
    valid = HERE / "valid.sqlite"
    if "--keep-valid" not in sys.argv:     # a new valid file changes every case's bytes
        make_valid(valid)
    raw = valid.read_bytes()
    participants = page_of(valid, "participants")
    academies = page_of(valid, "academies")
    cases = {
        "truncated-half.sqlite": raw[: len(raw) // 2],
        "truncated-to-header.sqlite": raw[:100],
        "truncated-one-page.sqlite": raw[:-PAGE],
        "header-garbage.sqlite": overwrite(raw, 0, bytes(range(7, 107))),
        "header-page-size.sqlite": overwrite(raw, 16, b"\x00\x03"),
        "not-sqlite.sqlite": b"academy,title\n1,Spring\n" * 50,
        "zeros.sqlite": bytes(len(raw)),
        "page-corrupted.sqlite": overwrite(raw, (participants - 1) * PAGE, b"\x55" * PAGE),
        "page-header-corrupted.sqlite": overwrite(raw, (academies - 1) * PAGE, b"\x0d\xff\xff\xff"),
        "schema-page-corrupted.sqlite": overwrite(raw, 100, b"\xee" * 200),
        # one flipped byte inside the schema's SQL text: quick_check cannot see it
        "schema-column-renamed.sqlite": raw.replace(b"facilitator TEXT", b"facilitatqr TEXT", 1),
        "text-not-utf8.sqlite": raw.replace(TITLE.encode(), b"\xff\xfe" * (len(TITLE) // 2)
                                            + b"\xff" * (len(TITLE) % 2)),
    }
    for name, data in cases.items():
        (HERE / name).write_bytes(data)
        print(f"wrote {name}")
    foreign_wal(HERE / "foreign-wal.sqlite")
    print("wrote foreign-wal.sqlite (+ -wal)")


if __name__ == "__main__":
    main()
