"""Issue 13 item 16: stored stamps (UTC) are shown in this computer's local time and a date
never reads "1 12 2026" (a month name, in the locale's language, is never ambiguous)."""
from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import timefmt

STAMP = "2026-11-25T21:05:42+00:00"   # as utc_stamp writes it
KIRITIMATI = timezone(timedelta(hours=14))
NEW_YORK = timezone(timedelta(hours=-5))


@pytest.mark.parametrize("shown, expected", [
    (timefmt.local_day(STAMP, KIRITIMATI), "26 Nov 2026"),      # the next day there
    (timefmt.local_time(STAMP, KIRITIMATI), "11:05"),
    (timefmt.local_minute(STAMP, NEW_YORK), "25 Nov 2026 16:05"),
    (timefmt.local_time("2026-11-25T21:05:42", NEW_YORK), "16:05"),   # zone-less stamps are UTC
    (timefmt.local_day("", NEW_YORK), ""),
    (timefmt.local_minute("not a stamp", NEW_YORK), ""),
])
def test_local_wording(shown, expected):
    assert shown == expected


def test_this_computers_zone_is_the_default(local_zone):
    local_zone("America/New_York")
    assert timefmt.local_time(STAMP) == "16:05"
    local_zone("Pacific/Kiritimati")
    assert timefmt.local_day(STAMP) == "26 Nov 2026"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_hostile_stamps_never_raise(text):
    assert isinstance(timefmt.local_minute(text, NEW_YORK), str)

