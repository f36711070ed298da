"""Measures in SQLite: saved at once, undoable, searchable, gone with their prototype."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from workshop.errors import ValidationError


@pytest.fixture
def proto(ctx, academy):
    return ctx.prototypes.create(academy.id, "Reading stations", team="Lincoln Elementary")


@pytest.fixture
def measures(ctx):
    return ctx.prototypes.measures


def test_a_measure_with_points_and_a_prediction(ctx, measures, proto, clock):
    m = measures.add_measure(proto.id, "Minutes reading", unit="min", goal=25)
    assert m.uid and measures.measures(proto.id) == [m]
    start = date(2026, 9, 1)
    for i, v in enumerate([10, 12, 11, 13, 12, 10, 11, 12, 20, 22, 21, 23]):
        measures.add_point(m.id, v, on=start + timedelta(days=7 * i))
    it = ctx.prototypes.start_iteration(proto.id)
    assert measures.set_prediction(m.id, it.number, "20") is None
    assert measures.set_prediction(m.id, it.number, "22") == 20.0
    s = measures.series(m.id)
    assert [p.value for p in s.points][:3] == [10, 12, 11]
    assert [c.number for c in s.cycles] == [1]
    assert s.predictions[0].value == 22.0
    with pytest.raises(ValidationError, match="no cycle 9"):
        measures.set_prediction(m.id, 9, 3)
    with pytest.raises(ValidationError, match="must be a number"):
        measures.add_point(m.id, "lots")
    assert len(measures.points(m.id)) == 12                 # nothing stored on refusal


def test_editing_a_measure_stamps_its_prototype(ctx, measures, proto, clock):
    m = measures.add_measure(proto.id, "Exit tickets")
    before = ctx.prototypes.get(proto.id).updated_at
    clock.advance(60)
    measures.update_measure(m.id, direction="down", goal="3")
    assert measures.measure(m.id).direction == "down"
    assert ctx.prototypes.get(proto.id).updated_at > before


def test_delete_and_restore_keep_points_and_predictions(ctx, measures, proto):
    m = measures.add_measure(proto.id, "Exit tickets")
    p = measures.add_point(m.id, 3, on="2026-09-01", note="first")
    ctx.prototypes.start_iteration(proto.id)
    measures.set_prediction(m.id, 1, 4)
    gone = measures.delete_measure(m.id)
    assert measures.measures(proto.id) == []
    back = measures.restore_measure(gone)
    assert back == m
    assert measures.points(m.id) == [p]
    assert measures.predictions(m.id)[0].value == 4
    removed = measures.delete_point(p.id)
    assert measures.points(m.id) == []
    assert measures.restore_point(removed) == p


def test_measures_come_back_with_an_undone_prototype_delete(ctx, measures, proto):
    m = measures.add_measure(proto.id, "Exit tickets")
    measures.add_point(m.id, 3, on="2026-09-01")
    deleted = ctx.prototypes.delete(proto.id)
    assert ctx.db.execute("SELECT count(*) FROM measure_points").fetchone()[0] == 0
    ctx.prototypes.restore(deleted)
    assert [x.name for x in measures.measures(proto.id)] == ["Exit tickets"]
    assert len(measures.points(m.id)) == 1


def test_the_library_finds_a_prototype_by_its_measure(ctx, measures, proto, academy):
    assert ctx.prototypes.search(academy.id, "chromebook") == []
    m = measures.add_measure(proto.id, "Chromebook log-ins", how="from the admin console")
    assert [r.id for r in ctx.prototypes.search(academy.id, "chromebook")] == [proto.id]
    assert [r.id for r in ctx.prototypes.search(academy.id, "console")] == [proto.id]
    measures.update_measure(m.id, name="Tablet log-ins", how="")
    assert ctx.prototypes.search(academy.id, "chromebook") == []
    assert [r.id for r in ctx.prototypes.search(academy.id, "tablet")] == [proto.id]
    measures.delete_measure(m.id)
    assert ctx.prototypes.search(academy.id, "tablet") == []


def test_the_demo_has_charts_worth_reading(ctx, academy):
    from prototypes.demo import add_demo_prototypes
    ids = add_demo_prototypes(ctx.prototypes, academy.id, ["Lincoln Elementary", "Kepler Middle",
                                                           "Roosevelt High", "Delta STEM"])
    measures = ctx.prototypes.measures
    series = [s for pid in ids for s in measures.all_series(pid)]
    assert all(12 <= len(s.points) <= 20 for s in series)
    math = measures.all_series(ids[0])[0]
    words = math.words()
    assert words[0].startswith("8 points in a row above the median since cycle 2")
    assert "Cycle 2 predicted 80 %; its 8 points had a median of 80.5 % (met)." in words
    algebra = measures.all_series(ids[3])[0]
    assert [p.median for p in algebra.analysis.parts] == [57, 78]       # re-based at cycle 2
    # Running the demo again adds nothing.
    add_demo_prototypes(ctx.prototypes, academy.id, ["Lincoln Elementary"])
    assert sum(len(measures.all_series(pid)) for pid in ids) == len(series)
