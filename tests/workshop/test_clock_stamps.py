"""Every row stamp comes from the injected clock: a FakeClock decides what is written."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from workshop.academy.model import Participant
from workshop.timefmt import utc_stamp

START = "2026-11-25T09:00:00+00:00"   # FakeClock's start


def column(ctx, sql, *args):
    return [row[0] for row in ctx.db.execute(sql, args).fetchall()]


def test_migrations_academies_and_participants_are_stamped_by_the_clock(ctx, clock):
    assert set(column(ctx, "SELECT applied_at FROM _migrations")) == {START}
    clock.advance(90)
    academy = ctx.academies.create("Clocked Academy")
    ctx.academies.add_participant(academy.id, Participant("Zoë Adams"))
    assert column(ctx, "SELECT created_at FROM academies WHERE id = ?", academy.id) == [
        "2026-11-25T09:01:30+00:00"]
    assert column(ctx, "SELECT created_at FROM participants WHERE academy_id = ?",
                  academy.id) == ["2026-11-25T09:01:30+00:00"]


def test_grouping_drafts_are_stamped_by_the_clock(ctx, clock, academy):
    clock.advance(3600)
    ctx.grouping.repo.save_draft(academy.id, {"strategy": "mixed"})
    assert column(ctx, "SELECT updated_at FROM grouping_drafts WHERE academy_id = ?",
                  academy.id) == ["2026-11-25T10:00:00+00:00"]


def test_a_stamp_is_utc_whatever_zone_the_clock_reads():
    local = datetime(2026, 11, 25, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert utc_stamp(local) == "2026-11-25T09:30:00+00:00"


def test_the_upgrade_backup_is_named_by_the_clock(tmp_path, clock):
    import workshop.academy.migrations as shell_migrations
    from workshop.app import feature_migrations
    from workshop.store import migrate, open_database

    path = tmp_path / "academy.sqlite"
    db = open_database(path)
    migrate(db, {"workshop": shell_migrations.MIGRATIONS[:1]}, clock=clock)
    clock.advance(3 * 3600 + 5)
    migrate(db, feature_migrations(), path=path, clock=clock)
    db.close()
    local = clock.now().strftime("%Y%m%d-%H%M%S")   # the clock reads local time in the app
    assert [p.name for p in tmp_path.glob("*.backup-*")] == [
        f"academy.backup-{local}-before-upgrade.sqlite"]
