"""Every released schema, frozen as a file (tests/data/schemas/), opens with today's code: the
migrations bring it up to date and everything it held reads back as the release wrote it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.paths import ROOT
from workshop.app import build_context, feature_migrations
from workshop.config import AppConfig

SCHEMAS = ROOT / "tests" / "data" / "schemas"
FROZEN = sorted(SCHEMAS.glob("*.sqlite"))


def test_every_frozen_file_has_its_manifest():
    assert FROZEN, "no frozen schema in tests/data/schemas"
    assert all(path.with_suffix(".json").exists() for path in FROZEN)


@pytest.fixture(params=FROZEN, ids=[p.stem for p in FROZEN])
def upgraded(request, tmp_path, clock):
    """(context on a copy of the frozen file, its manifest, the frozen bytes)."""
    frozen: Path = request.param
    before = frozen.read_bytes()
    path = tmp_path / "academy.sqlite"
    shutil.copyfile(frozen, path)
    ctx = build_context(AppConfig(db_path=path, host="127.0.0.1", port=0), clock=clock)
    yield ctx, json.loads(frozen.with_suffix(".json").read_text(encoding="utf-8")), before
    ctx.close()
    assert frozen.read_bytes() == before, "the test changed the frozen file itself"


def test_migrations_bring_it_to_todays_schema(upgraded):
    ctx, manifest, _ = upgraded
    applied = {tuple(r) for r in ctx.db.execute("SELECT feature, version FROM _migrations")}
    today = {(feature, i + 1) for feature, steps in feature_migrations().items() for i in range(len(steps))}
    assert applied == today
    assert {tuple(m) for m in manifest["migrations"]} <= applied
    assert ctx.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert ctx.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_roster_and_stations_read_back(upgraded):
    ctx, manifest, _ = upgraded
    (academy,) = ctx.academies.list()
    assert academy.title == manifest["academy"]
    assert sorted(p.name for p in ctx.academies.participants(academy.id)) == manifest["participants"]
    assert [s.name for s in ctx.stations.stations(academy.id)] == manifest["stations"]


def test_grouping_reads_back(upgraded):
    ctx, manifest, _ = upgraded
    (academy,) = ctx.academies.list()
    names = {p.id: p.name for p in ctx.academies.participants(academy.id)}
    saved = ctx.grouping.saved(academy.id)
    assert saved is not None
    assert {g.name: sorted(names[i] for i in g.member_ids) for g in saved.rounds[0]} == manifest["groups"]


def test_rotation_check_ins_and_reflections_read_back(upgraded):
    ctx, manifest, _ = upgraded
    (academy,) = ctx.academies.list()
    assert [e.kind for e in ctx.rotation.events(academy.id)] == manifest["rotation_events"]
    assert ctx.rotation.snapshot(academy.id).phase   # the log folds into a state
    assert len(ctx.join.checkins(academy.id)) == manifest["checkins"]
    texts = sorted(r.text for r in ctx.join.reflections(academy.id, include_hidden=True))
    assert texts == manifest["reflections"]


def test_prototypes_and_maps_read_back(upgraded):
    ctx, manifest, _ = upgraded
    (academy,) = ctx.academies.list()
    rows = ctx.prototypes.search(academy.id)
    assert {r.title: len(ctx.prototypes.iterations(r.id)) for r in rows} == manifest["prototypes"]
    first_word = sorted(manifest["prototypes"])[0].split()[0]
    assert any(r.title.split()[0] == first_word for r in ctx.prototypes.search(academy.id, first_word))
    maps = {c.school: ctx.maps.get(c.map_id) for c in ctx.maps.choices(academy.id) if c.map_id}
    assert {school: [len(m.nodes), len(m.links)] for school, m in maps.items()} == manifest["maps"]


def test_it_prints_and_takes_new_writes(upgraded):
    ctx, _, _ = upgraded
    (academy,) = ctx.academies.list()
    assert ctx.handouts.make("debrief", academy.id).startswith(b"%PDF")
    from workshop.academy.model import Participant
    added = ctx.academies.add_participant(academy.id, Participant("Walk-in Wanda", school="Gym"))
    assert added.id in {p.id for p in ctx.academies.participants(academy.id)}


def test_what_later_releases_keep_reads_back(upgraded):
    """Measures, rollout plans, personal links, the room's Wi-Fi and the rotation's settings:
    checked where the frozen release had them (its manifest says so)."""
    ctx, manifest, _ = upgraded
    (academy,) = ctx.academies.list()
    if "measures" in manifest:
        read = {f"{r.title} / {m.name}": len(ctx.prototypes.measures.points(m.id))
                for r in ctx.prototypes.search(academy.id)
                for m in ctx.prototypes.measures.measures(r.id)}
        assert read == manifest["measures"]
    if "rollout_schools" in manifest:
        for school in manifest["rollout_schools"]:
            assert ctx.rollout.plan(academy.id, school).updated_at
    if "personal_links" in manifest:
        tokens = ctx.db.execute("SELECT participant_id, token FROM join_personal").fetchall()
        assert len(tokens) == manifest["personal_links"]
        # The printed cards keep working: today's code hands out the same tokens, makes none.
        links = ctx.join.personal_links(academy.id)
        assert {pid: url.rsplit("/p/", 1)[1] for pid, url in links.items()} == dict(tokens)
    if "wifi" in manifest:
        network = ctx.join.network.wifi(academy.id)
        assert ([network.ssid] if network else []) == manifest["wifi"]
    if manifest.get("rotation_settings"):
        assert ctx.rotation.settings(academy.id).warning_minutes == 3.0
