"""The search's incremental bookkeeping: every swap's predicted cost change equals the change of
the cost recomputed from scratch, and the meeting tables stay exact."""
from __future__ import annotations

import random

import pytest

from stations.grouping.placement import Attr, Problem
from stations.grouping.search import Search


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
