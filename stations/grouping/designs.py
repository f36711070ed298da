"""Known constructions for repeat-free rounds (finite geometry), used as the search's start.

When n = p^m people (p prime) sit in groups of p^k, label people as vectors of F_p^m. The cosets
of a k-dimensional subspace W split everyone into groups of p^k; two people share a group exactly
when their difference lies in W. Rounds built from subspaces that pairwise meet only in 0 (a
*partial spread*) therefore never seat a pair together twice. This gives the affine planes
AG(2,p) (p² people, p+1 rounds), 16 people in 4×4 for 5 rounds, and 32 people in 8×4 for 9
rounds — the maximum partial line spread of PG(4,2) — where plain local search in Python
stalls (see the grouping benchmark's literature notes).
"""
from __future__ import annotations

import random
from itertools import product

MAX_POINTS = 256


def _prime_power(n: int) -> tuple[int, int] | None:
    for p in range(2, n + 1):
        if n % p == 0:
            m, x = 0, n
            while x % p == 0:
                x //= p
                m += 1
            return (p, m) if x == 1 else None
    return None


def affine_rounds(n: int, g: int, rounds: int, seed: int = 0, tries: int = 400) -> list[list[int]] | None:
    """Up to ``rounds`` repeat-free rounds (person → group) for n people in g equal groups, or
    None when no such design applies (or it would give fewer than two rounds)."""
    if rounds < 2 or g < 2 or n % g or n > MAX_POINTS:
        return None
    pm = _prime_power(n)
    s = n // g
    if pm is None or s < 2:
        return None
    p, m = pm
    k, x = 0, s
    while x % p == 0:
        x //= p
        k += 1
    if x != 1 or k >= m:
        return None
    points = list(product(range(p), repeat=m))
    index = {v: i for i, v in enumerate(points)}
    rng = random.Random(seed)

    def span(basis):
        out = set()
        for coeffs in product(range(p), repeat=len(basis)):
            out.add(tuple(sum(c * b[d] for c, b in zip(coeffs, basis)) % p for d in range(m)))
        return out

    nonzero = [v for v in points if any(v)]
    best: list[set] = []
    for _ in range(tries):
        used: set = set()
        chosen: list[set] = []
        pool = nonzero[:]
        rng.shuffle(pool)
        for v in pool:
            if v in used or len(chosen) >= rounds:
                continue
            # grow a k-dimensional subspace from v using only unused directions
            basis, space = [v], span([v])
            for w in pool:
                if len(basis) == k:
                    break
                if w in used or w in space:
                    continue
                cand = span(basis + [w])
                if all(u not in used for u in cand if any(u)):
                    basis, space = basis + [w], cand
            if len(basis) == k and not any(u in used for u in space if any(u)):
                chosen.append(space)
                used |= {u for u in space if any(u)}
        if len(chosen) > len(best):
            best = chosen
        if len(best) >= rounds or len(used) == len(nonzero):
            break
    if len(best) < 2:
        return None
    out = []
    for space in best:
        group_of = [-1] * n
        nxt = 0
        for v in points:
            if group_of[index[v]] >= 0:
                continue
            for w in space:
                group_of[index[tuple((a + b) % p for a, b in zip(v, w))]] = nxt
            nxt += 1
        out.append(group_of)
    return out
