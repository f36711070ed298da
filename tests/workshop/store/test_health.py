"""The look at a file before it is opened: what it finds, and that it stays bounded in time."""
from __future__ import annotations

import time

from tests.workshop.store.helpers import copy_case
from workshop.store import health


def test_damage_is_found_without_writing_and_a_sound_file_is_writable(tmp_path):
    sound = copy_case("valid.sqlite", tmp_path)
    assert health.check_file(sound, 1.0) == health.FileHealth()
    damaged = copy_case("page-corrupted.sqlite", tmp_path)
    before = damaged.read_bytes()
    found = health.check_file(damaged, 1.0)
    assert found.access == health.DAMAGED and "malformed" in found.reason
    assert damaged.read_bytes() == before


def test_quick_check_gives_up_after_its_budget_and_trusts_the_file(tmp_path, monkeypatch):
    """A big file is checked for QUICK_CHECK_SECONDS, not for as long as it takes; damage
    past that is still caught when a read meets it (explain)."""
    damaged = copy_case("page-corrupted.sqlite", tmp_path)
    monkeypatch.setattr(health, "QUICK_CHECK_SECONDS", -1.0)   # already out of time
    monkeypatch.setattr(health, "CHECK_EVERY", 1)              # and looking at once
    started = time.monotonic()
    assert health.check_file(damaged, 1.0).access == health.WRITE
    assert time.monotonic() - started < 1.0


def test_errors_that_are_bugs_are_not_explained_away():
    import sqlite3
    bug = sqlite3.OperationalError("no such column: titel")
    assert health.explain(bug, "academy.sqlite") is None
    assert health.explain(ValueError("x"), "academy.sqlite") is None
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL
    assert "is full" in str(health.explain(full, "academy.sqlite"))
