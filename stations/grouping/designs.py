"""Known constructions for repeat-free rounds (finite geometry, cyclic development), used as the
search's start.

When n = p^m people (p prime) sit in groups of p^k, label people as vectors of F_p^m. The cosets
of a k-dimensional subspace W split everyone into groups of p^k; two people share a group exactly
when their difference lies in W. Rounds built from subspaces that pairwise meet only in 0 (a
*partial spread*) therefore never seat a pair together twice. This gives the affine planes
AG(2,p) (p² people, p+1 rounds), 16 people in 4×4 for 5 rounds, and 32 people in 8×4 for 9
rounds — the maximum partial line spread of PG(4,2) — where plain local search in Python
stalls (see the grouping benchmark's literature notes). Its 10 rounds come from ``coset_rounds``
below, and the small social-golfer cases from the cyclic designs.
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


# -- 32 people in 8×4 over 10 rounds: rounds fixed by the translations of a subgroup ----------
# The affine rounds above stop at 9 for 32 people (no partial spread of PG(4,2) has 10 lines),
# and no 10th round completes them: the six differences of a non-flat foursome are distinct, but
# only four directions are left. So here the affine structure is relaxed: people are (k, q),
# k ∈ K = GF(2)^3 (XOR), q one of four "cosets"; every round is invariant under k ↦ k ⊕ x, so
# whether two people meet depends only on their cosets and k ⊕ k'. Three kinds of round piece:
#   T — a transversal {(k_q ⊕ x, q)}: the coset pair {q, q'} meets at difference k_q ⊕ k_q';
#   P — two cosets joined by flats {(x,q), (x⊕t,q), (x⊕v,q'), (x⊕v⊕t,q')}: differences v, v⊕t
#       across, t inside both;
#   F — one coset cut into cosets of a 2-dimensional subspace A of K.
# Counting pairs leaves one shape for 10 rounds: six T rounds, three rounds of two P pieces (one
# per perfect matching of the four cosets) and one of four F pieces; each person misses exactly
# one other (difference c inside their coset), since 10 × 3 = 30 of the 31 possible partners.
# Per coset pair the six T differences must be distinct, the two left over are {v, v⊕t}, and at
# each coset the three t's and c must be the complement of a subspace A (four vectors, XOR 0).
# Only the six T rounds are searched (a depth-first search over 512 transversals, instant); all
# the rest follows. Hand-written because no library builds resolvable packings; the method is the
# classic one of a design with a prescribed automorphism group (Colbourn & Dinitz, Handbook of
# Combinatorial Designs, 2nd ed., on resolvable group divisible designs: this is a 4-RGDD of
# type 2^16), the existence of 8-4-10 being Aguado's (2004) and Triska & Musliu's (2012).

_PAIRS = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
_MATCHINGS = [((0, 1), (2, 3)), ((0, 2), (1, 3)), ((0, 3), (1, 2))]


def _transversals() -> list[tuple[int, ...]] | None:
    """Six transversals (k_0 = 0, k_1, k_2, k_3) whose differences on each coset pair are
    distinct, with every coset's three leftover t's distinct and of non-zero XOR."""
    cands = [(0, a, b, c) for a in range(8) for b in range(8) for c in range(8)]

    def diffs(k):
        return tuple(k[i] ^ k[j] for i, j in _PAIRS)

    def fits(chosen) -> bool:
        t = [0] * 6
        for k in chosen:
            for e, d in enumerate(diffs(k)):
                t[e] ^= d
        for q in range(4):
            ts = [t[e] for e, pair in enumerate(_PAIRS) if q in pair]
            if len(set(ts)) < 3 or ts[0] ^ ts[1] ^ ts[2] == 0:
                return False
        return True

    def dfs(chosen, pool):
        if len(chosen) == 6:
            return chosen if fits(chosen) else None
        for i, k in enumerate(pool):
            dk = diffs(k)
            rest = [j for j in pool[i + 1:] if all(a != b for a, b in zip(dk, diffs(j)))]
            found = dfs(chosen + [k], rest)
            if found:
                return found
        return None

    return dfs([cands[0]], [k for k in cands[1:] if all(diffs(k))])


def coset_rounds(n: int, g: int, rounds: int, seed: int = 0) -> list[list[int]] | None:
    """Up to 10 repeat-free rounds (person → group) for 32 people in 8 groups of 4, the maximum
    (the affine designs reach 9); None for any other roster."""
    if n != 32 or g != 8 or not 2 <= rounds:
        return None
    ts = _transversals()
    if ts is None:
        return None
    blocks_by_round: list[list[list[tuple[int, int]]]] = []
    for k in ts:
        blocks_by_round.append([[(k[q] ^ x, q) for q in range(4)] for x in range(8)])
    pieces = {}
    for q, r in _PAIRS:
        left = [v for v in range(8) if all(k[q] ^ k[r] != v for k in ts)]
        v, t = left[0], left[0] ^ left[1]
        seen: set = set()
        piece = []
        for x in range(8):
            block = frozenset([(x, q), (x ^ t, q), (x ^ v, r), (x ^ v ^ t, r)])
            if block not in seen:
                seen.add(block)
                piece.append(sorted(block))
        pieces[(q, r)] = (piece, t)
    for matching in _MATCHINGS:
        blocks_by_round.append([b for pair in matching for b in pieces[pair][0]])
    flats = []
    for q in range(4):
        used = {pieces[pair][1] for pair in _PAIRS if q in pair}
        c = 0
        for t in used:
            c ^= t
        sub = [0] + [a for a in range(1, 8) if a not in used and a != c]   # the subspace A
        for x in range(8):
            block = sorted((x ^ a, q) for a in sub)
            if block not in flats:
                flats.append(block)
    blocks_by_round.append(flats)
    perm = list(range(n))
    random.Random(seed).shuffle(perm)   # the seed decides who sits with whom, not the structure
    out = []
    for blocks in blocks_by_round[:rounds]:
        group_of = [-1] * n
        for gi, block in enumerate(blocks):
            for k, q in block:
                group_of[perm[q * 8 + k]] = gi
        out.append(group_of)
    return out
