"""`workshop rotation simulate --minutes TEXT`, hostile (the attacker's tryout of 1 December):
"nan" was a ValueError traceback and "inf" an OverflowError; whatever is typed, the command
simulates or refuses in one line (exit 2)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import fuzz_settings


@pytest.mark.parametrize("minutes", ["nan", "inf", "-inf", "1e400", "NaN,12,12", "12,inf,12",
                                     "1\x852", "12,1\u20283,12"])   # NEL, LINE SEPARATOR: found by the fuzz
def test_minutes_that_are_no_number_are_one_line(run_cli, academy, minutes):
    code, out, err = run_cli("rotation", "simulate", "--academy", academy.title,
                             f"--minutes={minutes}", "--speed", "0")
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith("error: "), err


@pytest.mark.fuzz
@fuzz_settings(25)
@given(minutes=st.one_of(st.text(max_size=12),
                         st.lists(st.sampled_from(["nan", "inf", "-1", "0", "12", "1e3", "1.5",
                                                   " ", "", "0x10", "١٢"]), max_size=4)
                         .map(",".join)))
def test_any_minutes_simulate_or_are_refused_in_one_line(run_cli, academy, minutes):
    code, out, err = run_cli("rotation", "simulate", "--academy", academy.title,
                             f"--minutes={minutes}", "--speed", "0")
    assert code in (0, 2), err
    if code == 2:
        assert len(err.splitlines()) == 1 and err.startswith("error: "), err


def test_a_station_of_infinite_minutes_is_refused_as_any_other():
    from stations.setup.model import Station
    from workshop.errors import ValidationError
    for minutes in (float("inf"), float("nan"), "inf"):
        with pytest.raises(ValidationError):
            Station(1, "One", "targeted", minutes)
