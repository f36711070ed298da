"""`--demo` copies its scratch file from a template kept in the user's cache folder
(workshop/store/template.py, issue 20): every launch still starts on a fresh demo academy,
the same as one made afresh, in a file of its own; a stale or damaged template is made again;
a cache folder that cannot be written makes the file in place, as before."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import replace

import pytest

from workshop.academy.demo import DEMO_REVISION, DEMO_TITLE, TEMPLATE, template_key
from workshop.app import feature_migrations, start_window
from workshop.config import AppConfig


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


@pytest.fixture
def launch(tmp_path, clock, cache, qtbot):
    """``launch(folder="a")``: one `--demo` start beside ``tmp_path/folder/academy.sqlite``,
    keeping its template in ``cache`` (``cache=None``: none kept); closed at the end."""
    started = []

    def start(folder: str = "a", cache_dir=cache):
        config = AppConfig(db_path=tmp_path / folder / "academy.sqlite", port=0,
                           cache_dir=cache_dir)
        ctx, window = start_window(config, demo=True, clock=clock, demo_when_idle=True)
        qtbot.addWidget(window)
        started.append(ctx)
        return ctx, window
    yield start
    for ctx in started:
        ctx.close()


def template(cache):
    return cache / f"{TEMPLATE}.sqlite", cache / f"{TEMPLATE}.json"


def contents(ctx) -> list[str]:
    """The file's schema and rows as SQL, each person's random uid left out, and the
    migrations' record without its stamps (a copy's schema was made with its template)."""
    conn = sqlite3.connect(ctx.config.db_path)
    try:
        uids = {uid for (uid,) in conn.execute("SELECT uid FROM participants")}
        lines = []
        for line in conn.iterdump():
            for uid in uids:
                line = line.replace(f"'{uid}'", "'<uid>'")
            if line.startswith('INSERT INTO "_migrations"'):
                line = line.rsplit(",", 1)[0]
            lines.append(line)
        return lines
    finally:
        conn.close()


def _uids_in(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [uid for (uid,) in conn.execute("SELECT uid FROM participants")]
    finally:
        conn.close()


def test_a_copy_of_the_template_holds_what_a_demo_made_afresh_holds(launch, clock, cache):
    fresh, _ = launch("fresh", cache_dir=None)   # made in place, as before the template
    assert not cache.exists()
    first, _ = launch("first")                   # the template is made, then copied
    assert template(cache)[0].exists()
    clock.advance(3600)                          # a later launch: its academy made then
    again, window = launch("again")
    assert window.current_page_key() == "roster"
    assert len(again.academies.participants(window.academy_id)) == 36
    assert contents(first) == contents(fresh)
    made, later = "2026-11-25T09:00:00+00:00", "2026-11-25T10:00:00+00:00"
    assert any(later in line for line in contents(again))
    assert contents(again) == [line.replace(made, later) for line in contents(fresh)]


def test_each_launch_has_its_own_copy_and_people_of_its_own(launch, cache):
    one, _ = launch("one")
    two, _ = launch("two")   # both open at once, beside two data files
    made = template(cache)[0].read_bytes()
    one.academies.create("Scribbles in one")
    assert [a.title for a in two.academies.list()] == [DEMO_TITLE]
    assert template(cache)[0].read_bytes() == made
    assert one.config.db_path != two.config.db_path
    assert set(_uids_in(one.config.db_path)).isdisjoint(_uids_in(two.config.db_path))
    one.close()
    three, _ = launch("one")   # the same data file again: fresh
    assert [a.title for a in three.academies.list()] == [DEMO_TITLE]
    assert set(_uids_in(three.config.db_path)).isdisjoint(_uids_in(two.config.db_path))


def test_a_template_made_from_other_versions_is_made_again(launch, cache):
    launch("first")[0].close()
    path, about = template(cache)
    conn = sqlite3.connect(path)   # what an older version's demo held, its digest kept right
    conn.execute("UPDATE academies SET title = 'An older demo'")
    conn.commit()
    conn.close()
    data = path.read_bytes()
    about.write_text(json.dumps({"key": "an older version",
                                 "sha256": hashlib.sha256(data).hexdigest()}), encoding="utf-8")
    ctx, _ = launch("second")
    assert [a.title for a in ctx.academies.list()] == [DEMO_TITLE]
    assert json.loads(about.read_text(encoding="utf-8"))["key"] == template_key(feature_migrations())
    assert path.read_bytes() != data


def _flip(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGE = {
    "a flipped byte": lambda path, about: _flip(path),
    "cut short": lambda path, about: path.write_bytes(path.read_bytes()[:4096]),
    "missing": lambda path, about: path.unlink(),
    "its record unreadable": lambda path, about: about.write_text("{not json", encoding="utf-8"),
    "its record missing": lambda path, about: about.unlink(),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_template_is_made_again(launch, cache, damage):
    launch("first")[0].close()
    path, about = template(cache)
    DAMAGE[damage](path, about)
    ctx, window = launch("second")
    assert [a.title for a in ctx.academies.list()] == [DEMO_TITLE]
    assert len(ctx.academies.participants(window.academy_id)) == 36
    kept = json.loads(about.read_text(encoding="utf-8"))
    assert kept["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_cache_folder_that_cannot_be_written_makes_the_demo_in_place(launch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    ctx, window = launch("a", cache_dir=blocked / "cache")
    assert len(ctx.academies.participants(window.academy_id)) == 36
    assert not list(tmp_path.glob("**/.demo-template*"))


def test_the_template_folder_is_the_users_cache_unless_named(tmp_path, monkeypatch):
    env = {"WORKSHOP_SESSION": str(tmp_path / "s.json")}
    named = AppConfig.from_env(db=str(tmp_path / "a.sqlite"),
                               environ=dict(env, WORKSHOP_CACHE=str(tmp_path / "c")))
    assert named.template_dir == tmp_path / "c"
    import platformdirs
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda name, appauthor: f"/cache/{name}")
    user = AppConfig.from_env(db=str(tmp_path / "a.sqlite"), environ=env)
    assert str(user.template_dir) == "/cache/Design Academy Studio"
    assert AppConfig(db_path=tmp_path / "a.sqlite").template_dir is None   # tests: none
    assert replace(user, cache_dir=tmp_path).template_dir == tmp_path


# The demo academy's rows (ids, stamps and uids left out): when this changes, what the demo
# makes changed without a migration, and templates kept from before would show the old demo:
# raise DEMO_REVISION (workshop/academy/demo.py) and write the new digest here.
DEMO_DIGEST = (1, "0235c79fa9c2e090")


def test_a_change_to_the_demo_academy_raises_its_revision(launch):
    ctx, _ = launch("fresh", cache_dir=None)
    conn = sqlite3.connect(ctx.config.db_path)
    try:
        rows = [conn.execute("SELECT title, start_date, end_date, place, facilitator, settings "
                             "FROM academies").fetchall(),
                conn.execute("SELECT name, email, school, role, readiness FROM participants "
                             "ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM stations ORDER BY id").fetchall()]
    finally:
        conn.close()
    digest = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()[:16]
    assert (DEMO_REVISION, digest) == DEMO_DIGEST, "raise DEMO_REVISION and update DEMO_DIGEST"
