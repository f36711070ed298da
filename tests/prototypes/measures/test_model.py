"""Measures, data points and predictions validate what a team types (and what a file holds)."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, strategies as st

from prototypes.measures.model import (DataPoint, Measure, Prediction, as_value, format_value,
                                       in_time_order)
from tests.fuzzing import fuzz_settings
from workshop.errors import ValidationError


@pytest.mark.parametrize("typed, value", [("12", 12.0), (" 12.5 ", 12.5), ("12,5", 12.5),
                                          (7, 7.0), (0.25, 0.25), ("-3", -3.0), ("1 200", 1200.0)])
def test_values_people_type(typed, value):
    assert as_value(typed, "A value") == value


@pytest.mark.parametrize("typed", ["", "twelve", "nan", "inf", "-inf", "1e13", True, None,
                                   "1,2,3", float("nan")])
def test_values_refused_in_a_sentence(typed):
    with pytest.raises(ValidationError) as err:
        as_value(typed, "A value")
    assert str(err.value).startswith("A value must be a number")


def test_format_value_reads_as_typed():
    assert [format_value(v) for v in (12.0, 12.5, 1 / 3, 1500000.0, None)] == \
        ["12", "12.5", "0.333333", "1500000", ""]


def test_a_measure_needs_a_name_and_a_known_direction():
    with pytest.raises(ValidationError, match="needs a name"):
        Measure("  ")
    with pytest.raises(ValidationError, match="Better when"):
        Measure("Minutes", direction="sideways")
    m = Measure("Minutes reading", unit="min", direction="Down", goal="20")
    assert (m.direction, m.goal, m.label) == ("down", 20.0, "Minutes reading (min)")
    assert Measure.from_dict(m.to_dict()) == m
    assert m.edit(goal="") .goal is None
    with pytest.raises(ValidationError, match="not measure fields"):
        m.edit(colour="red")


def test_points_and_predictions():
    p = DataPoint("2026-09-01", "14", note="first week")
    assert (p.on, p.value) == (date(2026, 9, 1), 14.0)
    assert DataPoint.from_dict(p.to_dict()) == p
    with pytest.raises(ValidationError, match="date"):
        DataPoint("", 3)
    with pytest.raises(ValidationError, match="cycle number"):
        Prediction(0, 3)
    assert Prediction.from_dict({"cycle": 2, "value": "80"}) == Prediction(2, 80.0)


def test_points_in_time_order_keep_entry_order_within_a_day():
    a = DataPoint("2026-09-02", 1, id=3)
    b = DataPoint("2026-09-01", 2, id=5)
    c = DataPoint("2026-09-02", 3, id=4)
    assert in_time_order([a, b, c]) == [b, a, c]


@pytest.mark.fuzz
@fuzz_settings(200)
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                 st.lists(st.integers()), st.dictionaries(st.text(), st.text())))
def test_any_value_is_a_number_or_a_sentence(value):
    try:
        number = as_value(value, "A value")
    except ValidationError as err:
        assert "\n" not in str(err)
    else:
        assert abs(number) <= 1e12


@pytest.mark.fuzz
@fuzz_settings(200)
@given(st.dictionaries(st.sampled_from(["name", "unit", "direction", "goal", "how", "how_often",
                                        "uid", "x"]),
                       st.one_of(st.none(), st.integers(), st.text(), st.floats())))
def test_any_measure_object_is_a_measure_or_a_sentence(data):
    try:
        Measure.from_dict(data)
    except ValidationError:
        pass
    except TypeError as err:   # a missing name is a TypeError from the dataclass: refuse it
        pytest.fail(f"not a sentence: {err}")
