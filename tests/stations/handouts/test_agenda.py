"""The agenda / run-sheet handout (issue 16 item 3): clock times of every round and
transition, the stations with prompts and materials, each group's path."""
from __future__ import annotations

import io

from pypdf import PdfReader

from stations.handouts.agenda import agenda_model, render_agenda
from stations.handouts.data import StationHandouts
from workshop.pdf.format import span


def _model(ctx, academy_id):
    return agenda_model(StationHandouts(ctx.academies, ctx.stations, ctx.rotation, ctx.join),
                        academy_id)


def test_the_run_sheet_follows_the_schedule(ctx, demo_academy):
    from stations.grouping.service import ensure_demo_grouping
    ensure_demo_grouping(ctx, demo_academy.id, lambda text: None)
    schedule = ctx.rotation.plan(demo_academy.id)
    model = _model(ctx, demo_academy.id)
    kinds = [p.phase for p in schedule.phases]
    assert kinds == ["round", "transition", "round", "transition", "round", "debrief"]
    assert [line.start for line in model.lines] == [schedule.at(p.start_s) for p in schedule.phases]
    assert model.lines[1].what == "Move to the next station (after round 1)"
    assert [s.prompt for s in model.stations] == [s.prompt for s in ctx.stations.stations(
        demo_academy.id)]
    assert len(model.paths) == len(schedule.groups) == 6
    # each group visits every station once, in its own order
    assert all(sorted(path) == sorted(s.name for s in schedule.stations)
               for _, path in model.paths)
    assert model.paths[0][1] != model.paths[1][1]


def test_the_pdf_says_it(ctx, demo_academy):
    model = _model(ctx, demo_academy.id)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_agenda(model))).pages)
    assert "Agenda and run-sheet" in text
    assert span(model.lines[0].start, model.lines[0].end) in text
    for s in model.stations:
        assert s.title in text and s.materials.split(",")[0] in text
    assert "Each group's path" in text


def test_an_academy_without_groups_still_has_an_agenda(ctx, academy):
    model = _model(ctx, academy.id)
    assert model.lines and model.stations
    assert render_agenda(model).startswith(b"%PDF-")
