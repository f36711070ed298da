"""Anhøj's run-chart rules, checked against the published limits and hand-counted series.

Sources:
* Anhøj J, Olesen AV (2014). Run charts revisited: a simulation study of run chart rules for
  detection of non-random variation in health care processes. PLoS ONE 9(11): e113825 — the
  rules (longest run > round(log2(n) + 3), crossings < qbinom(0.05, n - 1, 0.5)) and their
  table of limits by number of useful observations.
* The qicharts2 R package vignette (Anhøj), runs analysis: the same two formulas, with the
  table they produce ("Number of useful observations", "Upper limit for longest run", "Lower
  limit for number of crossings"); ``summary.qic`` reports ``longest.run``,
  ``longest.run.max``, ``n.crossings`` and ``n.crossings.min`` — the fields of ``RunsTest``.
* The qicharts vignette "Run charts with R": "data points that fall on the median do not
  count, they do neither break nor contribute to the run" (Schilling 2012).

The PUBLISHED rows were produced with those formulas; the paper's own table could not be
fetched here to be compared line by line, so the binomial is also checked independently (with
exact fractions) below. The vignettes' worked examples draw their data from R's random number
generator (``set.seed``), which cannot be reproduced here, so the series tested are hand-counted.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from prototypes.measures.signals import (MIN_POINTS, Cycle, analyse, breaks, crossings_min,
                                         longest_run_max, runs_test)

# (useful observations, longest run limit, fewest crossings), as the formulas of Anhøj & Olesen
# 2014 and the qicharts2 vignette give them.
PUBLISHED = [(10, 6, 2), (11, 6, 2), (12, 7, 3), (13, 7, 3), (14, 7, 4), (15, 7, 4),
             (16, 7, 4), (17, 7, 5), (18, 7, 5), (19, 7, 6), (20, 7, 6), (21, 7, 6),
             (22, 7, 7), (23, 8, 7), (24, 8, 8), (25, 8, 8), (26, 8, 8), (27, 8, 9),
             (28, 8, 9), (29, 8, 10), (30, 8, 10), (40, 8, 14), (45, 8, 17), (46, 9, 17),
             (50, 9, 19), (60, 9, 23)]


@pytest.mark.parametrize("n, run_max, cross_min", PUBLISHED)
def test_limits_match_the_published_table(n, run_max, cross_min):
    assert longest_run_max(n) == run_max
    assert crossings_min(n) == cross_min


def test_crossings_limit_is_the_binomial_fifth_percentile():
    # qbinom(p, size, prob) is the smallest k with P(X <= k) >= p. For n = 10: size 9,
    # P(X <= 1) = 10/512 = 0.0195 < 0.05 and P(X <= 2) = 46/512 = 0.0898 >= 0.05, so 2.
    assert crossings_min(10) == 2
    # For n = 24: size 23, P(X <= 7) = 0.0466 < 0.05 and P(X <= 8) = 0.105, so 8.
    assert crossings_min(24) == 8


def test_points_on_the_median_neither_break_nor_extend_a_run():
    # Median 5. Above: 6 7 | 8 … the 5 in between is on the median and does not break the run.
    values = [1, 2, 3, 4, 6, 7, 5, 8, 9, 5, 5]
    t = runs_test(values)
    assert t.median == 5
    assert t.useful == 8                 # three points on the median do not count
    assert t.longest_run == 4            # 6 7 (5) 8 9: a run of four (the latest of two)
    assert (t.run_first, t.run_last) == (4, 8)
    assert t.crossings == 1              # one crossing between 4 and 6


def test_hand_counted_series():
    values = [8, 9, 10, 12, 13, 7, 11, 14, 15, 16, 17, 18]
    t = runs_test(values)
    assert t.median == 12.5
    # sides vs 12.5: − − − − + − − + + + + +  → runs 4,1,2,5 → crossings 3, longest 5.
    assert (t.useful, t.longest_run, t.crossings) == (12, 5, 3)
    assert (t.longest_run_max, t.crossings_min) == (7, 3)
    assert not t.shift and not t.few_crossings


def _days(n, start=date(2026, 9, 1)):
    return [start + timedelta(days=7 * i) for i in range(n)]


def test_a_shift_is_named_in_words_from_the_cycle_it_started_in():
    # 16 points: eight low then eight high; median between them; the run of 8 > limit 7.
    values = [10, 12, 11, 13, 12, 10, 11, 12, 20, 22, 21, 23, 22, 24, 21, 22]
    dates = _days(16)
    cycles = [Cycle(1, dates[0]), Cycle(2, dates[4]), Cycle(3, dates[8])]
    a = analyse(dates, values, cycles, direction="up")
    assert [s.kind for s in a.signals] == ["shift", "crossings"]
    assert a.signals[0].text.startswith("8 points in a row above the median since cycle 3")
    assert "for the better" in a.signals[0].text
    assert "crosses the median only 1 time in 16 points" in a.signals[1].text


def test_lower_is_better_turns_the_wording():
    values = [20, 22, 21, 23, 22, 24, 21, 22, 10, 12, 11, 13, 12, 10, 11, 12]
    dates = _days(16)
    a = analyse(dates, values, [Cycle(3, dates[8])], direction="down")
    shift = a.signals[0]
    assert shift.text.startswith("8 points in a row")
    # Two runs of 8: the latest is named, below the median since cycle 3, better when down.
    assert "below the median since cycle 3" in shift.text
    assert "for the better" in shift.text


@pytest.mark.parametrize("n", range(1, MIN_POINTS))
def test_never_flagged_from_fewer_than_ten_points(n):
    values = [1.0] * (n // 2) + [9.0] * (n - n // 2)       # as shifted as a series can be
    a = analyse(_days(n), values, [])
    assert a.signals == []
    assert "signals are read from 10 points" in a.notes[0]


def test_ten_points_can_signal():
    values = [1.0] * 5 + [9.0] * 5
    a = analyse(_days(10), values, [])
    assert [s.kind for s in a.signals] == ["crossings"]   # 1 crossing < 2; run 5 <= 6


def test_the_median_is_rebased_after_an_adopted_change():
    before = [10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 10, 12]
    after = [20, 22, 21, 23, 22, 24, 21, 22, 23, 20, 24, 22]
    dates = _days(24)
    cycles = [Cycle(1, dates[0], decision="adapt"), Cycle(2, dates[12], decision="adopt")]
    a = analyse(dates, before + after, cycles)
    assert [(p.start, p.end) for p in a.parts] == [(0, 12), (12, 24)]
    assert a.parts[0].median == 11.5 and a.parts[1].median == 22
    assert a.median_at(3) == 11.5 and a.median_at(20) == 22
    assert a.signals == []                # each part is random around its own median
    # Not adopted: one median over all, and the shift shows.
    a = analyse(dates, before + after, [Cycle(1, dates[0]), Cycle(2, dates[12], decision="adapt")])
    assert len(a.parts) == 1
    assert a.signals[0].text.startswith("12 points in a row above the median since cycle 2")


def test_breaks_need_points_on_both_sides():
    dates = _days(5)
    assert breaks(dates, [Cycle(1, dates[0], decision="adopt")]) == []       # nothing before
    assert breaks(dates, [Cycle(1, dates[-1] + timedelta(days=1), decision="adopt")]) == []
    c = Cycle(2, dates[2], decision="adopt")
    assert breaks(dates, [c]) == [(2, c)]


def test_empty_and_flat_series():
    assert runs_test([]).useful == 0
    flat = runs_test([3.0] * 12)
    assert flat.useful == 0 and not flat.judged
    a = analyse(_days(12), [3.0] * 12, [])
    assert a.signals == [] and "12 points" in a.notes[0]


def test_crossings_limit_agrees_with_the_binomial_computed_with_fractions():
    from fractions import Fraction
    from math import comb

    def qbinom(p, size):
        total = Fraction(0)
        for k in range(size + 1):
            total += Fraction(comb(size, k), 2 ** size)
            if total >= p:
                return k
    for n in range(2, 400):
        assert crossings_min(n) == qbinom(Fraction(5, 100), n - 1), n
