"""A whole academy to carry: the demo, grouped, its rotation run with check-ins and
reflections (one hidden), prototypes with iterations, maps, a grouping draft."""
from __future__ import annotations

from datetime import datetime, time as day_time

import pytest

from workshop.app import build_context, demo_steps
from workshop.config import AppConfig


def full_context(path):
    """A context on ``path`` whose demo academy has something in every table."""
    from stations.demo_day import run_demo_rotation
    from workshop.academy.demo import DEMO_DATES, ensure_demo_academy
    from workshop.clock import AcceleratedClock

    start = datetime.combine(DEMO_DATES[0], day_time(9, 0)).astimezone()
    clock = AcceleratedClock(1.0, start=start, base=lambda: 0.0)
    ctx = build_context(AppConfig(db_path=path, host="127.0.0.1", port=0), clock=clock)
    academy_id = ensure_demo_academy(ctx)
    for step in demo_steps():
        step(ctx, academy_id, lambda text: None)
    run_demo_rotation(ctx.rotation, ctx.join, clock.jump, academy_id, say=lambda text: None)
    return ctx, academy_id


@pytest.fixture(scope="module")
def demo_bundle(tmp_path_factory):
    """(bundle path, source database path, academy id): exported once per module."""
    folder = tmp_path_factory.mktemp("bundle")
    ctx, academy_id = full_context(folder / "source.sqlite")
    try:
        ctx.bundles.export(academy_id, folder / "demo.bundle")
    finally:
        ctx.close()
    return folder / "demo.bundle", folder / "source.sqlite", academy_id


def fresh_context(path):
    return build_context(AppConfig(db_path=path, host="127.0.0.1", port=0))


def table_contents(path, skip=("_bundle",)) -> dict[str, list[tuple]]:
    """Every row of every table of a file (read-only), sorted."""
    import sqlite3
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in names if n not in skip}
    finally:
        conn.close()
