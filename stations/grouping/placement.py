"""Where everyone sits in every round, and what it costs: the state the grouping search moves
through (:mod:`stations.grouping.search`).

A :class:`Problem` is the search's view of a request: people and groups as numbers, each
attribute's part of the cost, the hard rules as indexes. A :class:`Placement` holds who sits
where and scores every change incrementally: repeat pairs through a meetings matrix, attribute
terms through per-group counts, so a swap costs O(group size + attributes) to evaluate. The cost
is a weighted sum standing in for the facilitator's priorities (hard rules ≫ isolation ≫ repeats
≫ diversity ≫ balance); weights are chosen per strategy by ``stations.grouping.engine``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Attr:
    """One attribute's part of the cost, per group and value.

    term(v, c, s) = w_pres·[c>0] + dev_w[v]·dist(c, [lo, hi]) + iso_w[v]·[c == 1 and s ≥ 2],
    with lo/hi = ⌊n_v·s/n⌋, ⌈n_v·s/n⌉. ``w_pres`` < 0 rewards diversity; > 0 rewards keeping a
    value (a school team) together. ``w_mix`` > 0 rewards one dominant value per group."""
    name: str
    codes: list[int]            # person -> value code
    totals: list[int]           # value code -> people holding it
    values: list[str] = field(default_factory=list)
    w_pres: float = 0.0
    dev_w: list[float] = field(default_factory=list)
    iso_w: list[float] = field(default_factory=list)
    w_mix: float = 0.0


@dataclass
class Problem:
    """A grouping problem in numbers: n people, g groups, rounds, the cost terms and hard rules."""
    n: int
    g: int
    rounds: int
    attrs: list[Attr]
    w_repeat: float
    w_apart: float
    apart: Sequence[Sequence[int]]      # person -> keep-apart partners
    fixed: Sequence[int | None]         # person -> pinned group (every round) or None
    blocks: Sequence[Sequence[int]]     # keep-together sets (size ≥ 2), merged
    protected: list[tuple[int, int]]    # (attr index, value code) clustered in construction
    sizes: list[int] | None = None      # explicit group sizes (the readiness room plan)
    initial: list[list[int]] | None = None     # person -> group, per round (from a design)
    cost_floor: float = 0.0             # a proven lower bound: stop when reached
    spread_first: bool = True           # construction seats the biggest teams first


class Placement:
    """Who sits in which group in every round, with the counts that score a change incrementally."""

    def __init__(self, pb: Problem):
        self.pb = pb
        n, R = pb.n, pb.rounds
        self.meet = [[0] * n for _ in range(n)]
        self.grp: list[list[int]] = [[-1] * n for _ in range(R)]
        self.mem: list[list[list[int]]] = [[[] for _ in range(pb.g)] for _ in range(R)]
        self.cnt = [[[[0] * len(a.totals) for a in pb.attrs] for _ in range(pb.g)] for _ in range(R)]
        # c1[r][q][h] / c2[r][q][h]: people in group h of round r whom q has met at least once /
        # twice (over all rounds). They make a swap's repeat change O(1) instead of O(group size).
        self.track = bool(pb.w_repeat)
        self.c1 = [[[0] * pb.g for _ in range(n)] for _ in range(R)] if self.track else []
        self.c2 = [[[0] * pb.g for _ in range(n)] for _ in range(R)] if self.track else []
        self._tables: dict = {}
        # _tables by [attr][size], for speed
        self._tabs: list[list[list[list[float]] | None]] = [[None] * (n + 2) for _ in pb.attrs]
        self._block_of = {q: i for i, b in enumerate(pb.blocks) for q in b}

    def _in_block(self, p: int) -> bool:
        return p in self._block_of

    # -- cost tables ------------------------------------------------------------------------
    def table(self, ai: int, s: int) -> list[list[float]]:
        """term(v, c) for attribute ai in a group of size s; c in 0..s+1."""
        key = (ai, s)
        t = self._tables.get(key)
        if t is None:
            a, n = self.pb.attrs[ai], self.pb.n
            t = []
            for v, nv in enumerate(a.totals):
                lo, hi = nv * s // n, -(-nv * s // n)
                dw = a.dev_w[v] if a.dev_w else 0.0
                iw = a.iso_w[v] if a.iso_w else 0.0
                t.append([a.w_pres * (c > 0) + dw * (max(0, c - hi) + max(0, lo - c))
                          + iw * (c == 1 and s >= 2) for c in range(s + 2)])
            self._tables[key] = t
            self._tabs[ai][s] = t
        return t

    def group_cost(self, r: int, g: int) -> float:
        """The attribute terms of group g in round r."""
        s = len(self.mem[r][g])
        total = 0.0
        for ai, a in enumerate(self.pb.attrs):
            t, c = self.table(ai, s), self.cnt[r][g][ai]
            total += sum(t[v][c[v]] for v in range(len(c)))
            if a.w_mix and s:
                total += a.w_mix * (s - max(c))
        return total

    def total_cost(self) -> float:
        """The whole placement's cost, counted from scratch (the deltas keep it up to date)."""
        pb = self.pb
        cost = sum(self.group_cost(r, g) for r in range(pb.rounds) for g in range(pb.g))
        rep = apart = 0
        for p in range(pb.n):
            row = self.meet[p]
            rep += sum(m - 1 for q, m in enumerate(row) if q > p and m > 1)
        for r in range(pb.rounds):
            for p in range(pb.n):
                apart += sum(1 for q in pb.apart[p] if q > p and self.grp[r][q] == self.grp[r][p])
        return cost + pb.w_repeat * rep + pb.w_apart * apart

    # -- placing and moving ---------------------------------------------------------------
    def _meet_change(self, a: int, b: int, delta: int) -> None:
        m = self.meet[a][b]
        m2 = m + delta
        self.meet[a][b] = self.meet[b][a] = m2
        if self.track:
            d1, d2 = (m2 >= 1) - (m >= 1), (m2 >= 2) - (m >= 2)
            if d1 or d2:
                for t, grp in enumerate(self.grp):
                    hb, ha = grp[b], grp[a]
                    if hb >= 0:
                        self.c1[t][a][hb] += d1
                        self.c2[t][a][hb] += d2
                    if ha >= 0:
                        self.c1[t][b][ha] += d1
                        self.c2[t][b][ha] += d2

    def _membership(self, r: int, p: int, g: int, sign: int) -> None:
        c1, c2 = self.c1[r], self.c2[r]
        for q, m in enumerate(self.meet[p]):
            if m:
                c1[q][g] += sign
                if m >= 2:
                    c2[q][g] += sign

    def add(self, r: int, p: int, g: int) -> None:
        """Seat p in group g of round r (p has no seat in that round yet)."""
        for x in self.mem[r][g]:           # p is not placed in round r yet
            self._meet_change(p, x, 1)
        self.mem[r][g].append(p)
        self.grp[r][p] = g
        if self.track:
            self._membership(r, p, g, 1)
        c = self.cnt[r][g]
        for ai, a in enumerate(self.pb.attrs):
            c[ai][a.codes[p]] += 1

    def remove(self, r: int, p: int) -> None:
        """Take p out of their group in round r."""
        g = self.grp[r][p]
        self.mem[r][g].remove(p)
        if self.track:
            self._membership(r, p, g, -1)
        self.grp[r][p] = -1
        for x in self.mem[r][g]:
            self._meet_change(p, x, -1)
        c = self.cnt[r][g]
        for ai, a in enumerate(self.pb.attrs):
            c[ai][a.codes[p]] -= 1

    def add_delta(self, r: int, p: int, g: int, final_size: int) -> float:
        """Cost change of putting p into group g (construction; sizes are the final ones)."""
        pb = self.pb
        d = pb.w_repeat * self.c1[r][p][g] if self.track else 0.0
        if pb.apart[p]:
            gr = self.grp[r]
            d += pb.w_apart * sum(1 for q in pb.apart[p] if gr[q] == g)
        c = self.cnt[r][g]
        for ai, a in enumerate(pb.attrs):
            v, cc = a.codes[p], c[ai]
            t = self.table(ai, final_size)[v]
            d += t[cc[v] + 1] - t[cc[v]]
            if a.w_mix:
                top = max(cc)
                d += a.w_mix * (1 - (cc[v] + 1 > top))
        return d

    def swap_delta(self, r: int, p: int, q: int) -> float:
        """Cost change of p and q (in different groups of round r) trading places."""
        pb = self.pb
        grp = self.grp[r]
        gp, gq = grp[p], grp[q]
        A, B = self.mem[r][gp], self.mem[r][gq]
        d = 0.0
        if self.track:
            # q joins A (meets everyone there it has met before), p leaves A (drops the pairs
            # met twice or more), and the mirror for B. A holds p and B holds q, and q's entry
            # for A counts p (and p's for B counts q): take 2·[p and q have met] back off.
            c1, c2 = self.c1[r], self.c2[r]
            rep = (c1[q][gp] - c2[p][gp] + c1[p][gq] - c2[q][gq]
                   - 2 * (self.meet[p][q] >= 1))
            d = pb.w_repeat * rep
        if pb.apart[p] or pb.apart[q]:
            ap = 0
            for x in pb.apart[p]:
                if x != q:
                    ap += (grp[x] == gq) - (grp[x] == gp)
            for y in pb.apart[q]:
                if y != p:
                    ap += (grp[y] == gp) - (grp[y] == gq)
            d += pb.w_apart * ap
        sp, sq = len(A), len(B)
        cp, cq = self.cnt[r][gp], self.cnt[r][gq]
        tabs = self._tabs
        for ai, a in enumerate(pb.attrs):
            codes = a.codes
            u, v = codes[p], codes[q]
            if u == v:
                continue
            tt = tabs[ai]
            ta = tt[sp] or self.table(ai, sp)
            tb = tt[sq] or self.table(ai, sq)
            ca, cb = cp[ai], cq[ai]
            cu, cv = ca[u], ca[v]
            tu, tv = ta[u], ta[v]
            d += tu[cu - 1] - tu[cu] + tv[cv + 1] - tv[cv]
            cu, cv = cb[u], cb[v]
            tu, tv = tb[u], tb[v]
            d += tu[cu + 1] - tu[cu] + tv[cv - 1] - tv[cv]
            if a.w_mix:
                before = max(ca) + max(cb)
                ca[u] -= 1; ca[v] += 1; cb[u] += 1; cb[v] -= 1
                after = max(ca) + max(cb)
                ca[u] += 1; ca[v] -= 1; cb[u] -= 1; cb[v] += 1
                d += a.w_mix * (before - after)
        return d

    def swap(self, r: int, p: int, q: int) -> None:
        """p and q trade places in round r."""
        gp, gq = self.grp[r][p], self.grp[r][q]
        self.remove(r, p)
        self.remove(r, q)
        self.add(r, p, gq)
        self.add(r, q, gp)
