"""Strategies that are planned rather than searched: readiness rooms and whole school teams.

``readiness_rooms`` gives each readiness stage a number of rooms and seats so that as many
people as possible sit with their own stage (exact over the few stages; same argument as the
benchmark's ``max_homogeneity``). ``pack_teams`` packs whole school teams into groups as evenly
as possible (largest first, then moves and swaps between the fullest and emptiest group), with
fewest repeat meetings across rounds as the tie-breaker. Pure Python.
"""
from __future__ import annotations

import random
from collections import Counter

from stations.grouping import metrics as gm
from workshop.text import plural

MAX_STAGES = 6   # the exact plan enumerates compositions of g over the stages


def size_window(n: int, g: int, spread: int) -> tuple[int, int]:
    """Sizes [lo, lo+spread] that can hold n people in g groups, centred on n/g."""
    best = None
    for lo in range(1, n // g + 1):
        hi = lo + spread
        if g * lo <= n <= g * hi:
            key = abs(lo + spread / 2 - n / g)
            if best is None or key < best[0]:
                best = (key, lo, hi)
    if best is None:
        q = n // g
        return q, -(-n // g)
    return best[1], best[2]


def _compositions(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


def readiness_rooms(attr, n: int, g: int, spread: int):
    """(sizes, stage code per room, fewest people outside their room's stage), or None."""
    values = [v for v in range(len(attr.totals)) if attr.totals[v]]
    if len(values) > MAX_STAGES:
        return None
    lo, hi = size_window(n, g, spread)
    counts = {v: attr.totals[v] for v in values}
    best = None
    for ks in _compositions(g, len(values)):
        ranges = [(k * lo, k * hi) for k in ks]
        if sum(r[0] for r in ranges) > n or sum(r[1] for r in ranges) < n:
            continue
        # maximise Σ min(count_v, S_v) with S_v in its range and Σ S_v = n: start from the
        # lower ends, then hand out the remaining seats where they still seat a matching person.
        seats = [r[0] for r in ranges]
        left = n - sum(seats)
        for i, v in sorted(enumerate(values), key=lambda iv: -(counts[iv[1]] - seats[iv[0]])):
            add = min(left, max(0, counts[v] - seats[i]), ranges[i][1] - seats[i])
            seats[i] += add
            left -= add
        for i in range(len(values)):
            add = min(left, ranges[i][1] - seats[i])
            seats[i] += add
            left -= add
        if left:
            continue
        kept = sum(min(counts[v], s) for v, s in zip(values, seats))
        if best is None or kept > best[0]:
            best = (kept, ks, seats)
    if best is None:
        return None
    _, ks, seats = best
    sizes, rooms = [], []
    for v, k, s in zip(values, ks, seats):
        for size in gm.balanced_sizes(s, k) if k else []:
            sizes.append(size)
            rooms.append(v)
    return sizes, rooms, n - best[0]


def pack_teams(req) -> tuple[list[list[list[str]]], list[str]]:
    """Rounds of whole teams packed into the request's groups (``[[ids per group] per round]``)
    and the notes that say which teams had to be split, and why."""
    o, ids, attrs, g, blocks, fixed = req.options, req.ids, req.attrs, req.g, req.blocks, req.fixed
    notes: list[str] = []
    n = len(ids)
    rng = random.Random(o.seed)
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, int] = {}
    for x, pid in enumerate(ids):
        school = attrs[pid].get("school", "")
        if school:
            if school in first:
                parent[find(x)] = find(first[school])
            else:
                first[school] = x
    for b in blocks:
        for x in b[1:]:
            parent[find(x)] = find(b[0])
    units: dict[int, list[int]] = {}
    for x in range(n):
        units.setdefault(find(x), []).append(x)
    cap = -(-n // g)
    parts: list[tuple[list[int], int | None]] = []   # (members, pinned group)
    for members in units.values():
        pins = sorted({fixed[x] for x in members if fixed[x] is not None})
        name = _unit_name(members, ids, attrs)
        if len(pins) > 1:
            by_pin = {p: [x for x in members if fixed[x] == p] for p in pins}
            by_pin[pins[0]] += [x for x in members if fixed[x] is None]
            notes.append(f"{name} is split because its people are pinned to different groups.")
            parts += [(m, p) for p, m in by_pin.items()]
            continue
        pin = pins[0] if pins else None
        if len(members) > cap and pin is None:
            k = -(-len(members) // cap)
            sizes = gm.balanced_sizes(len(members), k)
            notes.append(f"{name} ({plural(len(members), 'person', 'people')}) is larger than a group of at most {cap}, "
                         f"so it is split into {k} parts of {' + '.join(map(str, sizes))}.")
            ordered = sorted(members, key=lambda x: (attrs[ids[x]].get("readiness", ""), x))
            start = 0
            for s in sizes:
                parts.append((ordered[start:start + s], None))
                start += s
        else:
            parts.append((members, pin))
    def short() -> bool:   # groups that no pinned part fills need a free part each
        pinned_groups = {pin for _, pin in parts if pin is not None}
        return sum(1 for _, pin in parts if pin is None) < g - len(pinned_groups)

    while short():  # too few parts to fill every group: split one so that no group is empty
        def room(part):
            members, pin = part
            return len(members) if pin is None else sum(1 for x in members if fixed[x] is None)

        splittable = [k for k, part in enumerate(parts) if room(part) >= (2 if part[1] is None else 1)]
        if not splittable:
            break
        k = max(splittable, key=lambda k: room(parts[k]))
        members, pin = parts[k]
        pieces: list[tuple[list[int], int | None]]
        if pin is None:
            half = len(members) // 2
            pieces = [(members[:half], None), (members[half:], None)]
        else:
            pieces = [([x for x in members if fixed[x] is not None], pin),
                      ([x for x in members if fixed[x] is None], None)]
        notes.append(f"{_unit_name(members, ids, attrs)} is split so that every group has people.")
        parts[k:k + 1] = pieces
    meet: Counter = Counter()
    rounds = []
    for _ in range(o.rounds):
        best = None
        for attempt in range(12):
            loads = _pack_once(parts, g, rng, meet, attrs, ids, attempt)
            groups = [sorted(x for k in grp for x in parts[k][0]) for grp in loads]
            sizes = [len(x) for x in groups]
            rep = sum(meet[(a, b)] for grp in groups for i, a in enumerate(grp) for b in grp[i + 1:])
            mix = sum(len(grp) - max(Counter(attrs[ids[x]].get("readiness", "") for x in grp).values())
                      for grp in groups if grp)
            key = (max(sizes) - min(sizes), rep, mix, attempt)
            if best is None or key < best[0]:
                best = (key, groups)
        assert best is not None   # twelve attempts, each a candidate
        groups = best[1]
        for grp in groups:
            for i, a in enumerate(grp):
                for b in grp[i + 1:]:
                    meet[(a, b)] += 1
        rounds.append([[ids[x] for x in grp] for grp in groups])
    return rounds, notes


def _unit_name(members, ids, attrs) -> str:
    schools = sorted({attrs[ids[x]].get("school", "") for x in members} - {""})
    if len(schools) == 1:
        return f"Team {schools[0]}"
    return "The set " + ", ".join(schools or [ids[members[0]]])


def _pack_once(parts, g, rng, meet, attrs, ids, attempt):
    """Largest part first into the lightest group, then improve the spread by moves and swaps."""
    order = list(range(len(parts)))
    rng.shuffle(order)
    order.sort(key=lambda k: (parts[k][1] is None, -len(parts[k][0])))
    groups: list[list[int]] = [[] for _ in range(g)]
    load = [0] * g
    pinned = {k for k in order if parts[k][1] is not None}
    for k in order:
        members, pin = parts[k]
        if pin is None:
            low = min(load)
            cands = [j for j in range(g) if load[j] == low] if attempt == 0 else \
                [j for j in range(g) if load[j] <= low + 1]
            pin = min(cands, key=lambda j: (load[j], sum(meet[(min(a, b), max(a, b))] for a in members
                                                          for q in groups[j] for b in parts[q][0]),
                                            rng.random()))
        groups[pin].append(k)
        load[pin] += len(members)
    improved = True
    while improved:
        improved = False
        hi = max(range(g), key=lambda j: load[j])
        lo = min(range(g), key=lambda j: load[j])
        gap = load[hi] - load[lo]
        for k in list(groups[hi]):
            if k in pinned:
                continue
            s = len(parts[k][0])
            if 0 < s < gap and max(load[hi] - s, load[lo] + s) - min(load[hi] - s, load[lo] + s) < gap:
                groups[hi].remove(k); groups[lo].append(k)
                load[hi] -= s; load[lo] += s
                improved = True
                break
            for k2 in groups[lo]:
                if k2 in pinned:
                    continue
                d = s - len(parts[k2][0])
                if 0 < d < gap:
                    groups[hi].remove(k); groups[lo].remove(k2)
                    groups[hi].append(k2); groups[lo].append(k)
                    load[hi] -= d; load[lo] += d
                    improved = True
                    break
            if improved:
                break
    return groups
