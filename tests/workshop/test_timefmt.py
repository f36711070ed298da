"""Dates and times as the pages show them (workshop.timefmt): one wording everywhere."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from workshop import timefmt

STAMP = "2026-11-25T09:05:42+01:00"


@pytest.mark.parametrize("shown, expected", [
    (timefmt.day(date(2026, 11, 5)), "05 Nov 2026"),
    (timefmt.day_span(date(2026, 11, 5), date(2026, 11, 19)), "05 Nov 2026 – 19 Nov 2026"),
    (timefmt.day_span(date(2026, 11, 5), None), "05 Nov 2026 – …"),
    (timefmt.clock_time(datetime(2026, 11, 25, 9, 5, 42, tzinfo=timezone.utc)), "09:05"),
    (timefmt.stamp_day(STAMP), "2026-11-25"),
    (timefmt.stamp_time(STAMP), "09:05"),
    (timefmt.stamp_minute(STAMP), "2026-11-25 09:05"),
])
def test_each_wording(shown, expected):
    assert shown == expected


def test_a_stamp_keeps_the_time_zone_it_was_written_in():
    """09:05 at +01:00 is shown as 09:05, not converted to this machine's zone."""
    assert timefmt.stamp_time("2026-11-25T09:05:00-08:00") == "09:05"


def test_parse_day_reads_what_day_shows_and_nothing_else():
    from datetime import date

    from workshop.timefmt import day, parse_day
    assert parse_day(day(date(2027, 1, 11))) == date(2027, 1, 11)
    assert parse_day("  3  dec 2026 ") == date(2026, 12, 3)
    for other in ("2027-01-11", "next week", "", "31 Feb 2027", "11 Jan"):
        assert parse_day(other) is None
