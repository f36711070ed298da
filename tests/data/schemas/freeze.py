"""Freeze one released schema: build the demo academy with THAT release's code, compact the file
and write beside it what it holds (a manifest read with plain SQL, so today's tests can compare
what today's code reads back). Run it with the release on the path, never today's tree:

    git archive <commit> | tar -x -C /tmp/release
    PYTHONPATH=/tmp/release python tests/data/schemas/freeze.py <name>

See README.md beside this file.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def manifest(path: Path) -> dict:
    """What the file holds, in terms every later release must still read back."""
    db = sqlite3.connect(path)
    one = lambda sql, *args: [r[0] for r in db.execute(sql, args)]  # noqa: E731
    academy_id, title = db.execute("SELECT id, title FROM academies").fetchone()
    groups: dict[str, list[str]] = {}
    for name, person in db.execute(
            "SELECT g.name, p.name FROM grouping_groups g JOIN grouping_members m"
            " ON m.academy_id = g.academy_id AND m.round = g.round AND m.position = g.position"
            " JOIN participants p ON p.id = m.participant_id WHERE g.round = 1 ORDER BY g.name, p.name"):
        groups.setdefault(name, []).append(person)
    data = {
        "migrations": sorted([f, v] for f, v in db.execute("SELECT feature, version FROM _migrations")),
        "academy": title,
        "participants": one("SELECT name FROM participants WHERE academy_id = ? ORDER BY name", academy_id),
        "stations": one("SELECT name FROM stations WHERE academy_id = ? ORDER BY position", academy_id),
        "groups": groups,
        "rotation_events": one("SELECT kind FROM rotation_events ORDER BY id"),
        "checkins": db.execute("SELECT COUNT(*) FROM join_checkins").fetchone()[0],
        "reflections": sorted(one("SELECT text FROM join_reflections")),
        "prototypes": {t: n for t, n in db.execute(
            "SELECT p.title, COUNT(i.id) FROM prototypes p LEFT JOIN prototype_iterations i"
            " ON i.prototype_id = p.id GROUP BY p.id ORDER BY p.title")},
        "maps": {s: [n, l] for s, n, l in db.execute(
            "SELECT m.school, (SELECT COUNT(*) FROM map_nodes WHERE map_id = m.id),"
            " (SELECT COUNT(*) FROM map_links WHERE map_id = m.id) FROM initiative_maps m ORDER BY m.school")},
    }
    tables = set(one("SELECT name FROM sqlite_master WHERE type = 'table'"))
    # Tables of later releases: written only where the release has them, so the manifest of an
    # older release says nothing it cannot back (the test checks a key only where it is present).
    if "prototype_measures" in tables:
        data["measures"] = {f"{t} / {m}": n for t, m, n in db.execute(
            "SELECT p.title, pm.name, (SELECT COUNT(*) FROM measure_points WHERE measure_id = pm.id)"
            " FROM prototype_measures pm JOIN prototypes p ON p.id = pm.prototype_id ORDER BY p.title, pm.name")}
    if "rollout_plans" in tables:
        data["rollout_schools"] = one("SELECT school FROM rollout_plans ORDER BY school")
    if "join_personal" in tables:
        data["personal_links"] = db.execute("SELECT COUNT(*) FROM join_personal").fetchone()[0]
    if "join_network" in tables:
        data["wifi"] = one("SELECT wifi_ssid FROM join_network")
    if "rotation_settings" in tables:
        data["rotation_settings"] = db.execute("SELECT COUNT(*) FROM rotation_settings").fetchone()[0]
    db.close()
    return data


def fill_the_rest(path: Path) -> None:
    """What the demo leaves empty but a facilitator's file holds, written through the release's
    own services where it has them: personal links (group cards printed), the room's Wi-Fi, the
    rotation's settings. A release without one of these services skips it."""
    from workshop.app import build_context
    from workshop.config import AppConfig

    ctx = build_context(AppConfig(db_path=path, host="127.0.0.1", port=0))
    try:
        (academy,) = ctx.academies.list()
        if hasattr(ctx.join, "personal_links"):
            ctx.join.personal_links(academy.id)
        if hasattr(ctx.join, "network"):
            from stations.network.wifi import WifiNetwork
            ctx.join.network.set_wifi(academy.id, WifiNetwork("Room 12 Wi-Fi", "WPA", "stations-rotate"))
        if hasattr(ctx.rotation, "update_settings"):
            ctx.rotation.update_settings(academy.id, warning_minutes=3.0)
    finally:
        ctx.close()


def freeze(name: str) -> Path:
    from workshop.app import demo_context   # the release's own code builds the file

    with tempfile.TemporaryDirectory() as scratch:
        with demo_context(scratch):
            pass
        built = Path(scratch) / "demo-academy.sqlite"
        fill_the_rest(built)
        db = sqlite3.connect(built, isolation_level=None)
        # Small pages and no WAL: the same tables and rows in a file a third the size.
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("PRAGMA page_size = 1024")
        db.execute("VACUUM")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
        target = HERE / f"{name}.sqlite"
        shutil.copyfile(built, target)
    (HERE / f"{name}.json").write_text(json.dumps(manifest(target), indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return target


if __name__ == "__main__":
    print(freeze(sys.argv[1]))
