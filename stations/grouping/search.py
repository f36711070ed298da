"""The grouping search: a greedy randomised construction, then tabu search over swaps.

Hand-written rather than taken from a library because no maintained Python package solves this
mix (multi-round social-golfer re-mixing + attribute balance + keep-together/apart + isolation
rules) and the app must run offline on a facilitator's laptop with no solver installed.

The method follows the social golfer literature (Dotú & Van Hentenryck 2005, "Scheduling social
golfers locally"): a move swaps two people in different groups of one round, preferring people who
are in conflict; the best non-tabu swap is taken even when it is worse (aspiration when it beats
the best so far), and a stalled search is perturbed. Every swap is scored incrementally by the
:class:`~stations.grouping.placement.Placement` it moves through.

Time never comes from the wall clock directly: callers pass ``clock`` (a function returning
seconds) and a deadline; tests bound the search by iterations instead, so they are deterministic.
"""
from __future__ import annotations

import heapq
import random
from collections.abc import Callable

from stations.grouping.placement import Placement, Problem


class Search(Placement):
    """A seeded search for a good placement: greedy construction, then tabu search over swaps."""

    def __init__(self, pb: Problem, seed: int):
        super().__init__(pb)
        self.rng = random.Random(seed)
        self.movable = [p for p in range(pb.n) if pb.fixed[p] is None and not self._in_block(p)]
        self._movable_set = set(self.movable)
        self.iterations = 0

    # -- construction ---------------------------------------------------------------------
    def _sizes(self, r: int) -> list[int]:
        """Final sizes for round r: forced loads (pins, blocks) first, then the rest levelled."""
        pb = self.pb
        load = [len(m) for m in self.mem[r]]
        if pb.sizes is not None and all(x <= s for x, s in zip(load, pb.sizes)):
            return list(pb.sizes)
        left = pb.n - sum(load)
        heap = [(load[g], self.rng.random(), g) for g in range(pb.g)]
        heapq.heapify(heap)
        for _ in range(left):
            s, _, g = heapq.heappop(heap)
            load[g] += 1
            heapq.heappush(heap, (s + 1, self.rng.random(), g))
        return load

    def construct_round(self, r: int) -> None:
        """Seat everyone in round r: pins and kept-together sets, protected people, then the rest."""
        pb, rng = self.pb, self.rng
        if pb.initial is not None and r < len(pb.initial):
            for p, g in enumerate(pb.initial[r]):
                self.add(r, p, g)
            return
        for p in range(pb.n):
            pin = pb.fixed[p]
            if pin is not None and not self._in_block(p):
                self.add(r, p, pin)
        even = list(self.pb.sizes) if self.pb.sizes is not None else self._even_targets()
        # Pinned sets first: they have no choice, and a free set placed before them could take
        # the room their pin needs (a set of three filled group 0, then the pinned pair joined it
        # and group 1 stayed empty). Then the largest free sets, hardest to fit.
        def pinned(b) -> bool:
            return any(pb.fixed[p] is not None for p in b)
        blocks = sorted(pb.blocks, key=lambda b: (not pinned(b), -len(b), rng.random()))
        for b in blocks:
            pin = next((pb.fixed[p] for p in b if pb.fixed[p] is not None), None)
            if pin is None:
                room = [even[g] - len(self.mem[r][g]) for g in range(pb.g)]
                best = max(room)
                if best < len(b):  # no group has room for the whole set: take the emptiest
                    cands = [g for g in range(pb.g) if room[g] == best]
                else:
                    cands = [g for g in range(pb.g) if room[g] >= len(b)]
                pin = min(cands, key=lambda g: (sum(self.add_delta(r, p, g, even[g]) for p in b),
                                                rng.random()))
            for p in b:
                self.add(r, p, pin)
        sizes = self._sizes(r)
        placed = {p for p in range(pb.n) if self.grp[r][p] >= 0}
        self._place_protected(r, sizes, placed)
        rest = [p for p in range(pb.n) if p not in placed]
        rng.shuffle(rest)
        if pb.attrs and pb.spread_first:  # largest value group of the first attribute first: hardest to spread
            a0 = pb.attrs[0]
            rest.sort(key=lambda p: -a0.totals[a0.codes[p]])
        for p in rest:
            best, best_key = -1, None
            for g in range(pb.g):
                if len(self.mem[r][g]) >= sizes[g]:
                    continue
                k = (self.add_delta(r, p, g, sizes[g]), rng.random())
                if best_key is None or k < best_key:
                    best, best_key = g, k
            self.add(r, p, best)
        self.sizes_of = sizes

    def _even_targets(self) -> list[int]:
        q, rem = divmod(self.pb.n, self.pb.g)
        return [q + 1 if g < rem else q for g in range(self.pb.g)]

    def _place_protected(self, r: int, sizes: list[int], placed: set) -> None:
        """Protected people sit at least two to a group: pair them up before anyone else."""
        pb, rng = self.pb, self.rng
        for ai, v in pb.protected:
            codes = pb.attrs[ai].codes
            pool = [p for p in range(pb.n) if codes[p] == v and p not in placed]
            rng.shuffle(pool)
            while pool:
                holders = [sum(1 for x in self.mem[r][g] if codes[x] == v) for g in range(pb.g)]
                room = [sizes[g] - len(self.mem[r][g]) for g in range(pb.g)]
                lonely = [g for g in range(pb.g) if holders[g] == 1 and room[g] > 0]
                if lonely:
                    take, cands = 1, lonely
                elif len(pool) >= 2:
                    take = 3 if len(pool) == 3 else 2
                    cands = [g for g in range(pb.g) if holders[g] == 0 and room[g] >= take]
                    cands = cands or [g for g in range(pb.g) if room[g] >= take]
                else:
                    take = 1
                    cands = [g for g in range(pb.g) if holders[g] >= 2 and room[g] > 0]
                if not cands:
                    cands = [g for g in range(pb.g) if room[g] > 0]
                    take = min(take, max(room[g] for g in cands))
                first = pool.pop(0)
                group = [first]
                pool.sort(key=lambda y: (self.meet[first][y], rng.random()))
                group += pool[:take - 1]
                del pool[:take - 1]
                g = min(cands, key=lambda g: (sum(self.add_delta(r, p, g, sizes[g]) for p in group),
                                              rng.random()))
                for p in group:
                    self.add(r, p, g)
                    placed.add(p)

    # -- local search ---------------------------------------------------------------------
    def conflicted(self, r: int) -> list[int]:
        """The movable people of round r whose group costs more than it must."""
        pb = self.pb
        bad_groups = set()
        present = [[sum(1 for g in range(pb.g) if self.cnt[r][g][ai][v] > 0) for v in range(len(a.totals))]
                   if a.w_pres else [] for ai, a in enumerate(pb.attrs)]
        split = [(a.codes, present[ai]) for ai, a in enumerate(pb.attrs) if a.w_pres > 0]
        for g in range(pb.g):
            s = len(self.mem[r][g])
            c = self.cnt[r][g]
            for ai, a in enumerate(pb.attrs):
                t = self.table(ai, s)
                cc = c[ai]
                if a.w_mix and s - max(cc) > 0:
                    bad_groups.add(g)
                    break
                if any(t[v][cc[v]] - a.w_pres * (cc[v] > 0) > 0 for v in range(len(cc))):
                    bad_groups.add(g)
                    break
                # A value doubled up here is missing from another group; a protected value
                # (nobody alone of it) must come in twos, so only a third is one too many.
                if a.w_pres < 0 and any(x >= 2 + pair and present[ai][v] < min(a.totals[v] // (1 + pair), pb.g)
                                        for v, x in enumerate(cc)
                                        for pair in [int(bool(a.iso_w and a.iso_w[v]))]):
                    bad_groups.add(g)
                    break
        grp = self.grp[r]
        out = []
        for p in self.movable:
            g = grp[p]
            if g in bad_groups or any(pres[codes[p]] > 1 for codes, pres in split):
                out.append(p)
                continue
            if (self.track and self.c2[r][p][g]) or any(grp[q] == g for q in self.pb.apart[p]):
                out.append(p)
        return out

    def run(self, *, clock: Callable[[], float], deadline: float, max_iterations: int,
            patience: int, sample: int = 6) -> tuple[list[list[int]], float]:
        """Construct the unplaced rounds, then search until the floor, the patience, the deadline
        or ``max_iterations``; returns the best placement (person -> group, per round) and its cost."""
        pb, rng = self.pb, self.rng
        for r in range(pb.rounds):
            if pb.n and min(self.grp[r]) < 0:
                self.construct_round(r)
        cost = self.total_cost()
        best_cost, best = cost, [list(x) for x in self.grp]
        if len(self.movable) < 2 or pb.g < 2 or cost <= pb.cost_floor + 1e-9:
            return best, best_cost
        # Tabu: after p leaves group g in round r it may not return there for a few iterations.
        tabu: dict[tuple[int, int, int], int] = {}
        since_best = 0
        stall = max(100, 4 * pb.n)
        # Small schedules scan the whole neighbourhood (every conflicted person, every round).
        scan_all = pb.n * pb.n * pb.rounds <= 12_000
        movable_set = self._movable_set
        it = 0
        while it < max_iterations:
            it += 1
            if it % 32 == 0 and clock() >= deadline:
                break
            if scan_all:
                todo = [(r, self.conflicted(r)) for r in range(pb.rounds)]
                todo = [(r, c) for r, c in todo if c]
                if not todo:
                    break
            else:
                r = rng.randrange(pb.rounds)
                cands = self.conflicted(r)
                if not cands:
                    # This round is clean; if all are, only weighted trade-offs remain.
                    if all(not self.conflicted(x) for x in range(pb.rounds)):
                        break
                    continue
                if len(cands) > sample:
                    cands = rng.sample(cands, sample)
                todo = [(r, cands)]
            best_move, best_d = None, None
            # Large schedules take the first improving swap (from a random starting group);
            # small ones look at every swap and take the best, as the tabu search prescribes.
            first = not scan_all
            for r, cands in todo:
                grp = self.grp[r]
                groups = self.mem[r]
                start = rng.randrange(pb.g)
                for p in cands:
                    gp = grp[p]
                    for step in range(pb.g):
                        gq = (start + step) % pb.g
                        if gq == gp:
                            continue
                        p_tabu = tabu.get((r, p, gq), 0) > it
                        for q in groups[gq]:
                            if q not in movable_set:
                                continue
                            d = self.swap_delta(r, p, q)
                            if (p_tabu or tabu.get((r, q, gp), 0) > it) and cost + d >= best_cost - 1e-9:
                                continue
                            if best_d is None or d < best_d - 1e-9 or (d <= best_d + 1e-9 and rng.random() < 0.3):
                                best_move, best_d = (r, p, q), d
                        if first and best_d is not None and best_d < -1e-9:
                            break
                    if first and best_d is not None and best_d < -1e-9:
                        break
            if best_move is None or best_d is None:
                continue
            r, p, q = best_move
            gp, gq = self.grp[r][p], self.grp[r][q]
            self.swap(r, p, q)
            cost += best_d
            tabu[(r, p, gp)] = it + rng.randint(4, 14)
            tabu[(r, q, gq)] = it + rng.randint(4, 14)
            if cost < best_cost - 1e-9:
                best_cost, best = cost, [list(x) for x in self.grp]
                since_best = 0
                if best_cost <= pb.cost_floor + 1e-9:
                    break
            else:
                since_best += 1
                if since_best >= patience:
                    break
                if since_best % stall == 0:
                    self._restore(best)
                    self._perturb()
                    cost = self.total_cost()
                    tabu.clear()
        self.iterations = it
        return best, best_cost

    def _restore(self, assignment: list[list[int]]) -> None:
        for r, row in enumerate(assignment):
            for p in range(self.pb.n):
                if self.grp[r][p] != row[p]:
                    self.remove(r, p)
            for p in range(self.pb.n):
                if self.grp[r][p] < 0:
                    self.add(r, p, row[p])

    def _perturb(self) -> None:
        """Random swaps in one round: leaves a basin the tabu list alone cannot escape."""
        pb, rng = self.pb, self.rng
        r = rng.randrange(pb.rounds)
        for _ in range(rng.randint(1, 3)):
            p, q = rng.sample(self.movable, 2)
            if self.grp[r][p] != self.grp[r][q]:
                self.swap(r, p, q)
