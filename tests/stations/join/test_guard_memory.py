"""The guard's memory is bounded whatever cookies a crawler invents (the attacker's tryout of 1
December): before, each invented device cookie from one address made a budget and a binding of
its own — 20,000 requests, 20,000 entries, growing all day at the rate limit."""
from __future__ import annotations

import secrets

from hypothesis import given
from hypothesis import strategies as st

from stations.join.identity.guard import MAX_DEVICES_PER_ADDRESS, Client, Guard, JoinLimits
from tests.fakes import FakeClock
from tests.fuzzing import fuzz_settings


def entries(guard: Guard) -> int:
    return len(guard._revealed) + len(guard._bound) + len(guard._walk_ins)


def test_invented_cookies_from_one_address_make_a_bounded_number_of_entries():
    guard = Guard(JoinLimits(), FakeClock().monotonic)
    for _ in range(5_000):
        phone = Client.of(secrets.token_urlsafe(18), "10.0.0.5")
        assert guard.reveal(1, phone, [7])        # someone the address has seen: free
        guard.bind(1, phone, 7)
    assert entries(guard) <= 2 * (MAX_DEVICES_PER_ADDRESS + 1)


def test_phones_sharing_an_address_still_are_phones_of_their_own():
    guard = Guard(JoinLimits(), FakeClock().monotonic)
    ada, alan = Client.of("a" * 24, "10.0.0.5"), Client.of("b" * 24, "10.0.0.5")
    guard.bind(1, ada, 1)
    guard.bind(1, alan, 2)
    assert (guard.bound(1, ada), guard.bound(1, alan)) == (1, 2)


@fuzz_settings(100)
@given(requests=st.lists(st.tuples(st.sampled_from(["10.0.0.5", "10.0.0.6"]),
                                   st.integers(0, 2_000), st.integers(1, 6)), max_size=400))
def test_the_address_budget_holds_whatever_the_cookies(requests):
    guard = Guard(JoinLimits(), FakeClock().monotonic)
    shown: dict[str, set[int]] = {}
    for address, cookie, person in requests:
        phone = Client.of(f"cookie-{cookie:012d}", address)
        if guard.reveal(1, phone, [person]):
            shown.setdefault(address, set()).add(person)
    assert all(len(people) <= JoinLimits().names_per_phone for people in shown.values())
    assert entries(guard) <= 2 * 2 * (MAX_DEVICES_PER_ADDRESS + 1)
