"""``workshop prototype measures`` and ``workshop prototype point``: one line of success or of
refusal, never a traceback, nothing stored on refusal."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings
from workshop.timefmt import day


@pytest.fixture
def measure(ctx, academy):
    p = ctx.prototypes.create(academy.id, "Reading stations")
    m = ctx.prototypes.measures.add_measure(p.id, "Minutes reading", unit="min")
    for i, v in enumerate([10, 12, 11, 13, 12, 10, 11, 12, 20, 22, 21, 23, 22, 24, 21, 22]):
        ctx.prototypes.measures.add_point(m.id, v, on=date(2026, 9, 1) + timedelta(days=7 * i))
    return m


def test_measures_prints_each_chart_in_words(run_cli, measure):
    code, out, err = run_cli("prototype", "measures", "--id", str(measure.prototype_id))
    assert code == 0, err
    first, *rest = out.splitlines()
    span = f"{day(date(2026, 9, 1))} – {day(date(2026, 12, 15))}"
    assert first == f"{measure.id}\tMinutes reading (min)\t16 points\t{span}"
    assert rest[0].startswith("\t8 points in a row above the median since ")   # no cycles yet


def test_point_adds_and_says_so(run_cli, ctx, measure):
    code, out, err = run_cli("prototype", "point", "--measure", str(measure.id), "25,5",
                             "--on", "2026-12-22", "--note", "after the holiday")
    assert code == 0, err
    assert out.startswith("Added 25.5 on 22 Dec 2026 to “Minutes reading (min)”")
    assert ctx.prototypes.measures.points(measure.id)[-1].note == "after the holiday"


@pytest.mark.parametrize("args, says", [
    (["lots"], "must be a number"),
    (["12", "--on", "22/12/2026"], "must be a date like 2026-11-25"),
    (["nan"], "must be a number"),
])
def test_a_bad_point_is_refused_in_one_line(run_cli, ctx, measure, args, says):
    code, out, err = run_cli("prototype", "point", "--measure", str(measure.id), *args)
    assert code == 2 and says in err and err.count("\n") == 1 and "Nothing was added" in err
    assert len(ctx.prototypes.measures.points(measure.id)) == 16


def test_unknown_numbers_are_refused(run_cli, measure):
    code, _, err = run_cli("prototype", "point", "--measure", "999", "3")
    assert code == 2 and "no measure number 999" in err
    code, _, err = run_cli("prototype", "measures", "--id", "999")
    assert code == 2 and "no prototype number 999" in err


@pytest.mark.fuzz
@fuzz_settings(60)
@given(value=st.text(max_size=40), on=st.one_of(st.none(), st.text(max_size=20)),
       note=st.text(max_size=300))
def test_any_point_arguments_add_or_refuse_in_a_sentence(run_cli, ctx, measure, value, on, note):
    if value.startswith("-") or (on or "").startswith("-") or note.startswith("-"):
        return                                  # argparse reads those as options
    before = len(ctx.prototypes.measures.points(measure.id))
    args = ["prototype", "point", "--measure", str(measure.id), value, "--note", note]
    code, out, err = run_cli(*args, *(["--on", on] if on is not None else []))
    after = len(ctx.prototypes.measures.points(measure.id))
    assert (code, after) in ((0, before + 1), (2, before))
    assert "Traceback" not in err and (code == 0 or err.startswith("error: "))
