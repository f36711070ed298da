"""The run chart's drawing model: what every renderer paints, checked as shapes and words."""
from __future__ import annotations

from datetime import date, timedelta

from prototypes.measures.chart import build_chart, nice_ticks
from prototypes.measures.model import DataPoint, Measure, Prediction
from prototypes.measures.series import Series
from prototypes.measures.signals import Cycle

DAYS = [date(2026, 9, 1) + timedelta(days=7 * i) for i in range(16)]
SHIFTED = [10, 12, 11, 13, 12, 10, 11, 12, 20, 22, 21, 23, 22, 24, 21, 22]


def _series(values=SHIFTED, cycles=None, predictions=(), goal=25.0):
    return Series(Measure("Reading minutes", unit="min", goal=goal),
                  [DataPoint(d, v) for d, v in zip(DAYS, values)],
                  cycles if cycles is not None else
                  [Cycle(1, DAYS[0]), Cycle(2, DAYS[4], DAYS[7]), Cycle(3, DAYS[8])],
                  list(predictions))


def test_nice_ticks():
    assert nice_ticks(10, 24) == [10, 15, 20, 25]          # 2.8 apart rounds up to 5
    assert nice_ticks(0.1, 0.93)[0] == 0.0 and nice_ticks(0.1, 0.93)[-1] >= 0.93
    assert nice_ticks(5, 5) == [5, 5.2, 5.4, 5.6, 5.8, 6.0]


def test_points_are_in_time_order_left_to_right_and_inside_the_box():
    s = _series()
    s = _series()
    c = build_chart(s, 800, 400)
    xs = [d.x for d in c.dots if d.role in ("point", "signal")]
    assert xs == sorted(xs) and len(xs) == 16
    assert all(0 <= d.x <= 800 and 0 <= d.y <= 400 for d in c.dots)


def test_higher_values_are_drawn_higher():
    c = build_chart(_series(), 800, 400)
    pts = [d for d in c.dots if d.role in ("point", "signal")]
    assert pts[13].y < pts[0].y                # 24 above 10 (y down)


def test_median_goal_cycles_and_labels():
    c = build_chart(_series(), 800, 400)
    assert len(c.role("median")) == 1 and "median 16.5" in c.strings()
    assert len(c.role("goal")) == 1 and "goal 25" in c.strings()
    assert len(c.role("cycle")) == 3
    assert [t for t in c.strings() if t.startswith("Cycle")] == ["Cycle 1", "Cycle 2", "Cycle 3"]
    cycle3 = c.role("cycle")[2].x1
    pts = [d for d in c.dots if d.role in ("point", "signal")]
    assert pts[7].x < cycle3 < pts[8].x        # the line sits before the cycle's first point


def test_a_shift_is_drawn_as_larger_squares_not_colour_alone():
    c = build_chart(_series(), 800, 400)
    flagged = [d for d in c.dots if d.role == "signal"]
    assert len(flagged) == 8 and {d.shape for d in flagged} == {"square"}
    plain = [d for d in c.dots if d.role == "point"]
    assert flagged[0].r > plain[0].r


def test_predictions_sit_across_their_cycle():
    c = build_chart(_series(predictions=[Prediction(3, 20)]), 800, 400)
    bar = c.role("prediction")[0]
    pts = [d for d in c.dots if d.role in ("point", "signal")]
    assert bar.x1 < pts[8].x and bar.x2 > pts[15].x and bar.y1 == bar.y2
    assert "predicted 20" in c.strings()
    assert [d.shape for d in c.dots if d.role == "prediction"] == ["diamond"]


def test_a_rebased_chart_has_one_median_per_part():
    cycles = [Cycle(1, DAYS[0]), Cycle(2, DAYS[8], decision="adopt")]
    c = build_chart(_series(cycles=cycles), 800, 400)
    assert [t for t in c.strings() if t.startswith("median")] == ["median 11.5", "median 22"]
    assert "Cycle 2 adopted" in c.strings()


def test_an_empty_measure_says_so():
    c = build_chart(_series(values=[]), 400, 200)
    assert "No data yet: add the first point." in c.strings()
    assert not c.dots


def test_words_name_signals_and_predictions():
    words = _series(predictions=[Prediction(3, 20), Prediction(2, 15)]).words()
    assert words[0].startswith("8 points in a row above the median since cycle 3")
    assert "Cycle 2 predicted 15 min; its 4 points had a median of 11.5 min (not met)." in words
    assert "Cycle 3 predicted 20 min; its 8 points had a median of 22 min (met)." in words
