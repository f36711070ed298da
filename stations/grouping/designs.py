"""Known constructions for repeat-free rounds (finite geometry, cyclic development), used as the
search's start.

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


# -- cyclic (1-rotational) designs: a base round developed over Z_m ---------------------------
# The classic way resolvable designs are built by hand (a "starter" or base parallel class
# developed over a cyclic group; Colbourn & Dinitz, Handbook of Combinatorial Designs, 2nd ed.,
# on 1-rotational and cyclically resolvable designs; Miller, Valkov & Abel, Symmetry 18(2):269,
# 2026, build the social-golfer table up to 150 people from such starters). People are F fixed
# points plus Z_m × L levels; round r shifts every non-fixed person's Z_m coordinate by r, so m
# rounds come from one base round. Two people meet at most once over the m rounds exactly when
# the base round's pairs lie in distinct full orbits of Z_m (a pair whose orbit is shorter than
# m would meet again within the m rounds). The base round is found by a small exact search.

def _orbit(a: int, b: int, m: int, levels: int, fixed: int):
    """The Z_m-orbit of the pair {a, b}, or None for an orbit shorter than m."""
    if a < fixed and b < fixed:
        return None
    if a < fixed or b < fixed:
        f, p = (a, b) if a < fixed else (b, a)
        return ("F", f, (p - fixed) % levels)
    e1, i = divmod(a - fixed, levels)
    e2, j = divmod(b - fixed, levels)
    d = (e2 - e1) % m
    if i == j and (2 * d) % m == 0:
        return None
    return min((d, i, j), ((-d) % m, j, i))


def _developed(blocks: list[list[int]], n: int, m: int, levels: int, fixed: int) -> list[list[int]]:
    out = []
    for r in range(m):
        group_of = [-1] * n
        for k, block in enumerate(blocks):
            for p in block:
                q = p if p < fixed else fixed + (((p - fixed) // levels + r) % m) * levels + (p - fixed) % levels
                group_of[q] = k
        out.append(group_of)
    return out


def _level_starter(g: int) -> list[list[int]] | None:
    """g groups of g−1 over g rounds (4-3-4, 5-4-5, 6-5-6, 7-6-7): the base round is one group
    {(0, every level)} and the g−1 level shifts of B = {(k, c_k) : k = 1…g−1}; only the c_k are
    searched (s^(g−2) choices), so this is instant where the general search is slow."""
    s = g - 1
    if not 4 <= g <= 7:
        return None
    for cs in product(range(s), repeat=g - 2):
        c = (0,) + cs
        keys: set = set()
        ok = True
        for k in range(s):
            for j in range(k + 1, s):
                d, dc = (j - k) % g, (c[j] - c[k]) % s
                key = None if dc == 0 and (2 * d) % g == 0 else min((d, dc), ((-d) % g, (-dc) % s))
                if key is None or key in keys:
                    ok = False
                    break
                keys.add(key)
            if not ok:
                break
        if ok:
            return [[i for i in range(s)]] + [[k * s + (c[k - 1] + t) % s for k in range(1, g)]
                                                for t in range(s)]
    return None


def _search_starter(n: int, g: int, m: int, rng: random.Random, node_limit: int) -> list[list[int]] | None:
    """A base round whose pairs lie in distinct full Z_m-orbits, by depth-first search;
    ``node_limit`` bounds the people placed and taken back."""
    s = n // g
    levels, fixed = divmod(n, m)
    placed = [False] * n
    used: set = set()
    blocks: list[list[int]] = []
    nodes = 0

    def fill() -> bool:
        nonlocal nodes
        nodes += 1
        first = next((p for p in range(n) if not placed[p]), None)
        if first is None:
            return True
        if nodes > node_limit:
            return False
        placed[first] = True
        block = [first]
        cands = [p for p in range(n) if not placed[p]]
        rng.shuffle(cands)

        def grow(start: int) -> bool:
            nonlocal nodes
            if len(block) == s:
                blocks.append(list(block))
                if fill():
                    return True
                blocks.pop()
                return False
            for k in range(start, len(cands)):
                p = cands[k]
                if placed[p]:
                    continue
                keys = [_orbit(q, p, m, levels, fixed) for q in block]
                if None in keys or len(set(keys)) < len(keys) or any(x in used for x in keys):
                    continue
                nodes += 1
                used.update(keys)
                placed[p] = True
                block.append(p)
                if grow(k + 1):
                    return True
                block.pop()
                placed[p] = False
                used.difference_update(keys)
                if nodes > node_limit:
                    return False
            return False

        if grow(0):
            return True
        placed[first] = False
        return False

    return blocks if fill() else None


def cyclic_rounds(n: int, g: int, rounds: int, seed: int = 0, restarts: int = 8,
                  node_limit: int = 3000) -> list[list[int]] | None:
    """``rounds`` repeat-free rounds (person → group) developed from a base round over Z_rounds,
    or None when none is found within the search's bounds (node counts, not time, so the same
    input always gives the same answer). For the small social-golfer cases where the affine
    designs do not reach (6-4-7, 6-5-6…); larger rosters are left to the local search."""
    if rounds < 4 or g < 2 or n % g or n > 64 or n // g < 2:
        return None   # up to 3 rounds the local search needs no start; past 64 people it gives up
    levels, fixed = divmod(n, rounds)
    if fixed > g or levels < 1:
        return None
    if fixed == 0 and n // g == g - 1 and rounds == g:
        blocks = _level_starter(g)
        if blocks is not None:
            return _developed(blocks, n, rounds, levels, fixed)
    rng = random.Random(seed)
    for _ in range(restarts):   # restarts: these searches are heavy-tailed
        blocks = _search_starter(n, g, rounds, rng, node_limit)
        if blocks is not None:
            return _developed(blocks, n, rounds, levels, fixed)
    return None
