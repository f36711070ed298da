"""The search's incremental bookkeeping: every swap's predicted cost change equals the change of
the cost recomputed from scratch, and the meeting tables stay exact."""
from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations.grouping.engine import make_groups
from stations.grouping.placement import Attr, Problem
from stations.grouping.request import GroupingOptions
from stations.grouping.search import Search
from tests.fuzzing import fuzz_settings


def problem(n=18, g=4, rounds=3, seed=0) -> Problem:
    rng = random.Random(seed)
    school = [rng.randrange(4) for _ in range(n)]
    role = [rng.randrange(3) for _ in range(n)]
    stage = [rng.randrange(3) for _ in range(n)]
    apart = [[] for _ in range(n)]
    for a, b in [(0, 1), (2, 3), (4, 9)]:
        apart[a].append(b)
        apart[b].append(a)
    attrs = [
        Attr("school", school, [school.count(v) for v in range(4)], w_pres=-10.0, dev_w=[4.0] * 4),
        Attr("role", role, [role.count(v) for v in range(3)], dev_w=[2.0, 2.0, 0.0], iso_w=[0.0, 0.0, 1000.0]),
        Attr("readiness", stage, [stage.count(v) for v in range(3)], w_mix=7.0),
        Attr("team", school, [school.count(v) for v in range(4)], w_pres=1.0),
    ]
    return Problem(n=n, g=g, rounds=rounds, attrs=attrs, w_repeat=100.0, w_apart=100_000.0, apart=apart,
                   fixed=[None] * n, blocks=[], protected=[(1, 2)])


@pytest.mark.parametrize("seed", range(4))
def test_swap_deltas_match_recomputed_costs(seed):
    pb = problem(seed=seed)
    search = Search(pb, seed=seed)
    for r in range(pb.rounds):
        search.construct_round(r)
    rng = random.Random(seed)
    cost = search.total_cost()
    checked = 0
    while checked < 150:
        r = rng.randrange(pb.rounds)
        p, q = rng.sample(range(pb.n), 2)
        if search.grp[r][p] == search.grp[r][q]:
            continue
        predicted = search.swap_delta(r, p, q)
        search.swap(r, p, q)
        after = search.total_cost()
        assert predicted == pytest.approx(after - cost)
        cost = after
        checked += 1
    for r in range(pb.rounds):
        for person in range(pb.n):
            for h, members in enumerate(search.mem[r]):
                met = [search.meet[person][x] for x in members]
                assert search.c1[r][person][h] == sum(m >= 1 for m in met)
                assert search.c2[r][person][h] == sum(m >= 2 for m in met)


# -- cyclic designs: the social-golfer optima the local search missed (issue 15, item 6) -------

def _repeats(rounds: list[list[int]]) -> int:
    from collections import Counter
    met: Counter = Counter()
    for group_of in rounds:
        groups: dict[int, list[int]] = {}
        for person, k in enumerate(group_of):
            groups.setdefault(k, []).append(person)
        for members in groups.values():
            met.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return sum(k - 1 for k in met.values())


@pytest.mark.parametrize("g, s, w", [(6, 4, 7), (6, 5, 6), (5, 4, 5), (4, 3, 4), (5, 3, 7)])
def test_cyclic_designs_reach_the_known_maxima_without_a_repeat(g, s, w):
    from stations.grouping.designs import cyclic_rounds
    rounds = cyclic_rounds(g * s, g, w)
    assert rounds is not None and len(rounds) == w
    assert all(sorted(Counter(r).values()) == [s] * g for r in rounds)
    assert _repeats(rounds) == 0


def test_cyclic_designs_stay_out_of_the_way_of_short_remixes_and_big_rosters():
    from stations.grouping.designs import cyclic_rounds
    assert cyclic_rounds(24, 6, 3) is None and cyclic_rounds(210, 21, 5) is None
    assert cyclic_rounds(25, 6, 5) is None    # uneven groups: no design


def test_the_coset_design_gives_32_golfers_all_ten_rounds_without_a_repeat():
    from stations.grouping.designs import coset_rounds
    rounds = coset_rounds(32, 8, 10, seed=3)
    assert rounds is not None and len(rounds) == 10
    assert all(sorted(Counter(r).values()) == [4] * 8 for r in rounds)
    assert _repeats(rounds) == 0
    met = Counter()   # 10 rounds × 3 partners = 30 of 31: each person misses exactly one other
    for group_of in rounds:
        for p in range(32):
            met[p] += sum(1 for q in range(32) if q != p and group_of[q] == group_of[p])
    assert set(met.values()) == {30}
    assert len(coset_rounds(32, 8, 4)) == 4 and coset_rounds(32, 8, 4) == coset_rounds(32, 8, 10)[:4]
    assert coset_rounds(32, 4, 10) is None and coset_rounds(36, 9, 10) is None


@pytest.mark.fuzz
@given(seed=st.integers(0, 2**32 - 1), rounds=st.integers(-3, 14))
@fuzz_settings(30)
def test_the_coset_design_is_repeat_free_for_every_seed_and_round_count(seed, rounds):
    from stations.grouping.designs import coset_rounds
    out = coset_rounds(32, 8, rounds, seed=seed)
    if rounds < 2:
        assert out is None
        return
    assert out is not None and len(out) == min(rounds, 10)
    assert all(sorted(Counter(r).values()) == [4] * 8 for r in out) and _repeats(out) == 0


@pytest.mark.parametrize("g, s, w", [(6, 4, 7), (6, 5, 6), (8, 4, 10)])
def test_the_engine_reaches_zero_repeats_on_6_4_7_6_5_6_and_8_4_10(g, s, w):
    people = [{"id": f"P{i:02d}"} for i in range(g * s)]
    result = make_groups(people, GroupingOptions(strategy="random", groups=g, rounds=w, seed=1),
                         max_iterations=200)
    assert result.metrics.repeat_pairs == 0 and result.metrics.repeat_free_prefix == w
