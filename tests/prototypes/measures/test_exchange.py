"""Measures travel with their prototype: in the JSON export (format version 2), in the PDF's
attachment, back again byte for byte; a version 1 file still imports and leaves them be; on
paper each measure is a run chart with its signals in words."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st
from pypdf import PdfReader

from prototypes.exchange import format as exchange
from prototypes.exchange.files import documents_in_pdf
from prototypes.handouts.data import PrototypeHandouts
from prototypes.handouts.render import render_iteration_log, render_prototype
from tests.conftest import require_tool
from tests.fuzzing import fuzz_settings
from workshop.errors import ValidationError

SHIFTED = [10, 12, 11, 13, 12, 10, 11, 12, 20, 22, 21, 23, 22, 24, 21, 22]


def other_install(tmp_path, clock, name="other.sqlite"):
    from workshop.app import build_context
    from workshop.config import AppConfig
    return build_context(AppConfig(db_path=tmp_path / name, host="127.0.0.1", port=0), clock=clock)


@pytest.fixture
def proto(ctx, academy):
    service = ctx.prototypes
    p = service.create(academy.id, "Reading stations", team="Lincoln Elementary")
    start = date(2026, 9, 1)
    for k, on in enumerate((start, start + timedelta(days=28), start + timedelta(days=56)), 1):
        it = service.start_iteration(p.id)
        service.update_iteration(it.id, started_on=on, decision="adapt" if k < 3 else "")
    m = service.measures.add_measure(p.id, "Minutes reading", unit="min", goal=25,
                                     how="Reading log, Zoë's class")
    for i, v in enumerate(SHIFTED):
        service.measures.add_point(m.id, v, on=start + timedelta(days=7 * i),
                                   note="book talk" if i == 8 else "")
    service.measures.set_prediction(m.id, 3, 20)
    service.measures.add_measure(p.id, "Students waiting", unit="students", direction="down")
    return service.get(p.id)


def test_the_export_carries_measures_and_round_trips_byte_for_byte(ctx, proto, tmp_path, clock):
    text = ctx.prototypes.export_json(proto.id)
    data = json.loads(text)
    assert data["version"] == 2
    [minutes, waiting] = data["measures"]
    assert minutes["name"] == "Minutes reading" and len(minutes["points"]) == 16
    assert minutes["predictions"] == [{"cycle": 3, "value": 20.0}]
    assert waiting["points"] == [] and waiting["direction"] == "down"
    elsewhere = other_install(tmp_path, clock)
    try:
        result = elsewhere.prototypes.import_document(exchange.loads(text.encode()))
        assert result.action == "created"
        assert elsewhere.prototypes.export_json(result.prototype.id) == text
        again = elsewhere.prototypes.import_document(exchange.loads(text.encode()))
        assert again.action == "unchanged"
        series = elsewhere.prototypes.measures.all_series(result.prototype.id)
        assert series[0].words()[0].startswith("8 points in a row above the median since cycle 3")
        assert [r.id for r in elsewhere.prototypes.search(None, "reading log")] == [result.prototype.id]
    finally:
        elsewhere.close()


def test_new_points_update_the_copy_elsewhere(ctx, proto, tmp_path, clock):
    elsewhere = other_install(tmp_path, clock)
    try:
        first = elsewhere.prototypes.import_document(ctx.prototypes.export_document(proto.id))
        clock.advance(60)
        m = ctx.prototypes.measures.measures(proto.id)[1]
        ctx.prototypes.measures.add_point(m.id, 4, on="2026-12-01")
        again = elsewhere.prototypes.import_document(ctx.prototypes.export_document(proto.id))
        assert again.action == "updated"
        theirs = elsewhere.prototypes.measures.measures(first.prototype.id)[1]
        assert [p.value for p in elsewhere.prototypes.measures.points(theirs.id)] == [4]
    finally:
        elsewhere.close()


def test_a_version_1_file_still_imports_and_keeps_the_measures_here(ctx, proto):
    doc = ctx.prototypes.export_document(proto.id)
    old = {k: v for k, v in doc.items() if k != "measures"} | {"version": 1}
    old["prototype"] = old["prototype"] | {"title": "Reading stations, v1 file"}
    result = ctx.prototypes.import_document(old, on_conflict="replace")
    assert result.action == "updated"
    assert len(ctx.prototypes.measures.measures(proto.id)) == 2


def test_a_bad_measures_section_changes_nothing(ctx, proto):
    doc = ctx.prototypes.export_document(proto.id)
    doc["measures"][0]["points"][3]["value"] = "high"
    doc["prototype"]["title"] = "Changed"
    with pytest.raises(exchange.FormatError, match="data point 4 should be an object"):
        ctx.prototypes.import_document(doc, on_conflict="replace")
    assert ctx.prototypes.get(proto.id).title == "Reading stations"
    assert len(ctx.prototypes.measures.points(ctx.prototypes.measures.measures(proto.id)[0].id)) == 16


def test_the_pdf_round_trips_the_measures(ctx, proto, academy):
    data = PrototypeHandouts(ctx.academies, ctx.prototypes, ctx.maps)
    pdf = render_prototype(data.prototype_print(proto.id), paper="a4")
    [doc] = documents_in_pdf(pdf)
    assert [m["name"] for m in doc["measures"]] == ["Minutes reading", "Students waiting"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Minutes reading (min)" in text
    assert "8 points in a row above the median since cycle 3" in " ".join(text.split())
    assert "Reading log, Zoë's class" in text
    assert "No data yet: add the first point." in text


def test_the_iteration_log_shows_the_charts_so_far(ctx, proto):
    data = PrototypeHandouts(ctx.academies, ctx.prototypes, ctx.maps)
    pdf = render_iteration_log(data.iteration_log(proto.id), paper="letter")
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Measures so far" in text and "Cycle 3 predicted 20 min" in text


@pytest.mark.needs_tool("pdftoppm")
def test_the_chart_is_drawn_on_the_page(ctx, proto, tmp_path):
    import subprocess
    data = PrototypeHandouts(ctx.academies, ctx.prototypes, ctx.maps)
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(render_prototype(data.prototype_print(proto.id), paper="a4"))
    subprocess.run([require_tool("pdftoppm"), "-r", "40", "-png", str(pdf), str(tmp_path / "p")],
                   check=True)
    assert sorted(tmp_path.glob("p-*.png"))


VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                   st.lists(st.integers(), max_size=3),
                   st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


_BASE: dict[str, dict] = {}


@pytest.mark.fuzz
@fuzz_settings(120)
@given(where=st.sampled_from(["measure", "point", "prediction"]),
       key=st.sampled_from(["name", "unit", "direction", "goal", "uid", "on", "value", "note",
                            "cycle", "points", "predictions", "x"]), value=VALUES)
def test_any_measures_section_imports_or_is_refused_in_a_sentence(ctx, proto, where, key, value):
    # One export per test run: an example that imports changes what a fresh export would hold.
    if proto.uid not in _BASE:
        _BASE[proto.uid] = ctx.prototypes.export_document(proto.id)
    base = _BASE[proto.uid]
    d = json.loads(json.dumps(base))
    target = {"measure": d["measures"][0], "point": d["measures"][0]["points"][0],
              "prediction": d["measures"][0]["predictions"][0]}[where]
    target[key] = value
    try:
        ctx.prototypes.import_document(d, on_conflict="replace")
    except ValidationError as err:
        assert "\n" not in str(err)
