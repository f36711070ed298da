"""Grouping: who sits with whom. Pure Python (no Qt, no SQL), deterministic for input + seed.

Strategies
- ``random``: seeded shuffle; only the hard rules (and, over rounds, new faces) are looked after.
- ``balanced``: spread schools, roles, readiness (the ``balance`` attributes) across groups.
- ``readiness``: groups as alike in readiness stage as room sizes allow (targeted instruction).
- ``teams``: every school team stays whole; groups as even in size as whole teams allow; a team
  bigger than a group is split, and the split is explained.

Constraints: ``groups`` or ``group_size`` (sizes differ by at most one unless a rule forces more),
``keep_together`` sets, ``keep_apart`` pairs, ``pinned`` (person → group index, every round),
``absent`` (left out), ``protect`` ({attribute: [values]}: nobody with such a value sits alone
with it). Over several ``rounds`` the search minimises repeat pairs (the social golfer problem).

``make_groups(people, options)`` returns a :class:`GroupingResult` with the rounds, the metrics
of :mod:`stations.grouping.metrics`, the unmet rules with reasons, and plain-language notes.
Impossible requests raise :class:`workshop.academy.model.ValidationError` naming the people involved.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from stations.grouping import designs as grouping_designs
from stations.grouping import metrics as gm
from stations.grouping.plans import pack_teams, readiness_rooms
from stations.grouping.search import Attr, Problem, Search
from stations.setup.model import Group
from workshop.academy.model import ValidationError

STRATEGIES = ("random", "balanced", "readiness", "teams")
STRATEGY_LABELS = {"random": "Random", "balanced": "Balanced mix",
                   "readiness": "By readiness", "teams": "School teams together"}
MAX_ROUNDS = 20
# Weights stand in for the facilitator's priorities (hard rules ≫ isolation ≫ repeats ≫ school
# diversity ≫ balance of the listed attributes, in list order).
W_APART, W_ISO, W_REPEAT, W_GAP = 100_000.0, 1_000.0, 100.0, 10.0
W_MIX = 1_000.0


@dataclass
class GroupingOptions:
    strategy: str = "balanced"
    groups: int | None = None
    group_size: int | None = None
    rounds: int = 1
    balance: tuple[str, ...] = ("school", "role")
    keep_together: list[list[str]] = field(default_factory=list)
    keep_apart: list[list[str]] = field(default_factory=list)
    pinned: dict[str, int] = field(default_factory=dict)
    protect: dict[str, list[str]] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    seed: int = 0
    time_limit_s: float = 10.0
    max_size_spread: int | None = None   # None: 1, or 2 for readiness rooms


@dataclass
class GroupingResult:
    rounds: list[list[list[str]]]
    metrics: dict
    unmet: list[dict]
    notes: list[str]
    iterations: int = 0

    def to_json(self) -> dict:
        return {"rounds": self.rounds, "metrics": self.metrics, "unmet": self.unmet,
                "notes": self.notes}


@dataclass
class SavedGrouping:
    """What an academy keeps: groups per round (round 1 is the one that rotates), who is locked
    in place, and the request and metrics it came from."""
    rounds: list[list[Group]]
    locked: set[int] = field(default_factory=set)
    strategy: str = ""
    options: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    saved_at: str = ""


def group_count(n: int, options: GroupingOptions) -> int:
    if options.groups is not None and options.group_size is not None:
        raise ValidationError("Give either a number of groups or a group size, not both.")
    if options.groups is not None:
        g = options.groups
        if not isinstance(g, int) or isinstance(g, bool) or g < 1:
            raise ValidationError(f"The number of groups must be a whole number of at least 1 (got {g!r}).")
        if g > n:
            raise ValidationError(f"{g} groups need at least {g} people; {n} are here.")
        return g
    size = options.group_size if options.group_size is not None else 5
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValidationError(f"The group size must be a whole number of at least 1 (got {size!r}).")
    return max(1, min(n, int(n / size + 0.5)))


class _Names:
    """How people are named in messages: their name when known, else their id."""
    def __init__(self, names: Mapping[str, str] | None):
        self.names = names or {}

    def __call__(self, pid: str) -> str:
        name = self.names.get(pid)
        return f"{name} ({pid})" if name and name != pid else pid

    def many(self, ids: Iterable[str], limit: int = 8) -> str:
        ids = list(ids)
        text = ", ".join(self(i) for i in ids[:limit])
        return text + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def make_groups(people: list[Mapping], options: GroupingOptions | None = None, *,
                names: Mapping[str, str] | None = None,
                clock: Callable[[], float] = time.monotonic,
                max_iterations: int | None = None) -> GroupingResult:
    """Group ``people`` (mappings with ``id`` and attributes such as school, role, readiness).

    ``clock`` is the time source for ``options.time_limit_s``; ``max_iterations`` bounds the
    search independently of time (tests use it so results never depend on machine speed)."""
    o = options or GroupingOptions()
    label = _Names(names)
    if o.strategy not in STRATEGIES:
        raise ValidationError(f"Unknown strategy “{o.strategy}”; choose one of {', '.join(STRATEGIES)}.")
    if not isinstance(o.rounds, int) or isinstance(o.rounds, bool) or not 1 <= o.rounds <= MAX_ROUNDS:
        raise ValidationError(f"Rounds must be a whole number from 1 to {MAX_ROUNDS} (got {o.rounds!r}).")
    all_ids = [str(p["id"]) for p in people]
    dupes = sorted(i for i, k in Counter(all_ids).items() if k > 1)
    if dupes:
        raise ValidationError(f"These ids appear more than once: {label.many(dupes)}.")
    known = set(all_ids)

    def check_known(ids: Iterable[str], what: str) -> None:
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValidationError(f"{what} names people who are not on the list: {', '.join(unknown[:8])}.")

    check_known(o.absent, "“absent”")
    absent = set(o.absent)
    present = [p for p in people if str(p["id"]) not in absent]
    ids = [str(p["id"]) for p in present]
    if not ids:
        raise ValidationError("There is nobody to group (everyone is absent or the list is empty).")
    index = {pid: k for k, pid in enumerate(ids)}
    n = len(ids)
    g = group_count(n, o)
    attrs = {str(p["id"]): {k: ("" if v is None else str(v)) for k, v in p.items() if k != "id"}
             for p in present}
    notes: list[str] = []
    unmet: list[dict] = []

    # -- keep-together sets, merged where they share someone -----------------------------
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in o.keep_together:
        check_known(group, "“keep_together”")
        here = [index[i] for i in group if i in index]
        left_out = [i for i in group if i not in index]
        if left_out:
            notes.append(f"Kept together without {label.many(left_out)}, who {'is' if len(left_out) == 1 else 'are'} absent.")
        for x in here[1:]:
            parent[find(x)] = find(here[0])
    sets: dict[int, list[int]] = {}
    for x in range(n):
        sets.setdefault(find(x), []).append(x)
    blocks = [b for b in sets.values() if len(b) > 1]
    cap = -(-n // g)
    for b in blocks:
        if len(b) > cap and o.strategy != "teams":
            raise ValidationError(
                f"{len(b)} people must stay together ({label.many(ids[x] for x in b)}), but a group "
                f"holds at most {cap} when {n} people make {g} groups. Use fewer groups or split the set.")

    units = len(sets)
    if units < g and o.strategy != "teams":
        together = "; ".join(label.many(ids[x] for x in b) for b in blocks)
        raise ValidationError(f"{g} groups cannot all have people: the keep-together sets ({together}) "
                              f"leave only {units} separate units for {n} people. Use fewer groups.")

    # -- pins -----------------------------------------------------------------------------
    fixed: list[int | None] = [None] * n
    check_known(o.pinned, "“pinned”")
    for pid, gi in o.pinned.items():
        if pid not in index:
            continue
        if not isinstance(gi, int) or isinstance(gi, bool) or not 0 <= gi < g:
            raise ValidationError(f"{label(pid)} is pinned to group {gi!r}, but groups are numbered 0 to {g - 1}.")
        fixed[index[pid]] = gi
    for b in blocks:
        pins = {fixed[x] for x in b if fixed[x] is not None}
        if len(pins) > 1:
            who = [ids[x] for x in b if fixed[x] is not None]
            raise ValidationError(f"{label.many(who)} must stay together but are pinned to different groups.")
        if pins:
            pin = pins.pop()
            for x in b:
                fixed[x] = pin
    load = Counter(fixed[x] for x in range(n) if fixed[x] is not None)
    for gi, k in load.items():
        if k > cap:
            who = [ids[x] for x in range(n) if fixed[x] == gi]
            raise ValidationError(f"{k} people are pinned to {gname(gi)} (a group holds at most {cap}): "
                                  f"{label.many(who)}.")

    # -- keep apart -----------------------------------------------------------------------
    apart: list[list[int]] = [[] for _ in range(n)]
    for pair in o.keep_apart:
        if len(pair) != 2 or pair[0] == pair[1]:
            raise ValidationError(f"Keep-apart takes pairs of two different people (got {list(pair)}).")
        check_known(pair, "“keep_apart”")
        if pair[0] not in index or pair[1] not in index:
            continue
        a, b = index[pair[0]], index[pair[1]]
        if find(a) == find(b):
            raise ValidationError(f"{label(pair[0])} and {label(pair[1])} must be kept apart and also kept "
                                  "together; drop one of the two rules.")
        if fixed[a] is not None and fixed[a] == fixed[b]:
            raise ValidationError(f"{label(pair[0])} and {label(pair[1])} must be kept apart but are both "
                                  f"pinned to {gname(fixed[a])}.")
        if g < 2:
            raise ValidationError(f"{label(pair[0])} and {label(pair[1])} cannot be kept apart in a single group.")
        apart[a].append(b)
        apart[b].append(a)

    # -- attributes -----------------------------------------------------------------------
    for a in o.protect:
        if not any(attrs[i].get(a) for i in ids):
            raise ValidationError(f"Nobody has a “{a}”, so there is nothing to protect.")
    balance = [a for a in (o.balance if o.strategy == "balanced" else ()) if any(attrs[i].get(a) for i in ids)]
    spread_allowed = o.max_size_spread if o.max_size_spread is not None else (
        2 if o.strategy == "readiness" else 1)
    result = _solve(o, ids, attrs, g, blocks, fixed, apart, balance, spread_allowed,
                    notes, label, clock, max_iterations)
    rounds, iterations = result
    homogeneous = "readiness" if o.strategy == "readiness" else None
    metrics = gm.measure(rounds, attrs, num_groups=g, balance=balance, protect=o.protect,
                         homogeneous=homogeneous)
    metrics["strategy"] = o.strategy
    _explain(o, rounds, attrs, metrics, g, n, spread_allowed, blocks, ids, apart, notes, unmet, label)
    return GroupingResult(rounds=rounds, metrics=metrics, unmet=unmet, notes=notes, iterations=iterations)


def evaluate(people: list[Mapping], rounds: list[list[list[str]]], options: GroupingOptions | None = None,
             *, names: Mapping[str, str] | None = None) -> GroupingResult:
    """Metrics, unmet rules and notes for groups as they are now (after a facilitator's edits)."""
    o = options or GroupingOptions()
    label = _Names(names)
    ids = [pid for grp in (rounds[0] if rounds else []) for pid in grp]
    index = {pid: k for k, pid in enumerate(ids)}
    by_id = {str(p["id"]): p for p in people}
    attrs = {pid: {k: ("" if v is None else str(v)) for k, v in by_id.get(pid, {}).items() if k != "id"}
             for pid in ids}
    blocks: list[list[int]] = []
    for group in o.keep_together:
        members = {index[i] for i in group if i in index}
        overlapping = [b for b in blocks if members & set(b)]
        for b in overlapping:
            members |= set(b)
            blocks.remove(b)
        if len(members) > 1:
            blocks.append(sorted(members))
    apart: list[list[int]] = [[] for _ in ids]
    for a, b in (pair for pair in o.keep_apart if len(pair) == 2):
        if a in index and b in index:
            apart[index[a]].append(index[b])
            apart[index[b]].append(index[a])
    g = len(rounds[0]) if rounds else 0
    balance = [a for a in (o.balance if o.strategy == "balanced" else ()) if any(attrs[i].get(a) for i in ids)]
    spread_allowed = o.max_size_spread if o.max_size_spread is not None else (
        2 if o.strategy == "readiness" else 1)
    protect = {a: v for a, v in o.protect.items() if any(attrs[i].get(a) for i in ids)}
    o = GroupingOptions(**{**o.__dict__, "protect": protect})
    rounds = [[list(grp) for grp in rnd if grp] for rnd in rounds]
    metrics = gm.measure(rounds, attrs, num_groups=g, balance=balance, protect=protect,
                         homogeneous="readiness" if o.strategy == "readiness" else None)
    metrics["strategy"] = o.strategy
    notes: list[str] = []
    unmet: list[dict] = []
    _explain(o, rounds, attrs, metrics, g, len(ids), spread_allowed, blocks, ids, apart, notes, unmet, label,
             by_hand=True)
    return GroupingResult(rounds=rounds, metrics=metrics, unmet=unmet, notes=notes)


def gname(i: int) -> str:
    return Group.default_name(i)


def _codes(ids: list[str], attrs: dict, a: str) -> tuple[list[int], list[str]]:
    values = sorted({attrs[i].get(a, "") for i in ids})
    code = {v: k for k, v in enumerate(values)}
    return [code[attrs[i].get(a, "")] for i in ids], values


def _solve(o, ids, attrs, g, blocks, fixed, apart, balance, spread_allowed, notes, label,
           clock, max_iterations):
    n = len(ids)
    deadline = clock() + max(0.0, float(o.time_limit_s))
    max_it = max_iterations if max_iterations is not None else 10**9
    if o.strategy == "teams":
        return pack_teams(o, ids, attrs, g, blocks, fixed, apart, notes, label), 0
    names = list(dict.fromkeys(list(balance) + list(o.protect)
                               + (["readiness", "school"] if o.strategy == "readiness" else [])))
    attr_objs: list[Attr] = []
    protected: list[tuple[int, int]] = []
    floor = 0.0
    sizes_even = gm.balanced_sizes(n, g)
    for ai, a in enumerate(names):
        codes, values = _codes(ids, attrs, a)
        totals = [codes.count(k) for k in range(len(values))]
        at = Attr(a, codes, totals, values=values, dev_w=[0.0] * len(values), iso_w=[0.0] * len(values))
        prot = set(o.protect.get(a, []))
        for k, v in enumerate(values):
            if v in prot and totals[k] >= 2:
                at.iso_w[k] = W_ISO
                protected.append((ai, k))
        if a in balance:
            w = float(2 ** max(0, len(balance) - 1 - balance.index(a)))
            at.dev_w = [0.0 if v in prot else w for v in values]
            if a == "school":
                at.w_pres = -W_GAP
                floor -= W_GAP * o.rounds * gm.diversity_ideal(Counter(codes), g)
            k_prot = sum(t for t, v in zip(totals, values) if v in prot)
            if k_prot >= 2:
                rest = {v: t for v, t in zip(values, totals) if v not in prot}
                floor += w * o.rounds * gm.balance_lb_given_clustering(rest, k_prot, sizes_even, n)
        if o.strategy == "readiness":
            if a == "readiness":
                at.w_mix = W_MIX
            elif a == "school":
                at.w_pres = 1.0   # keep a school's people in one room where stages allow
                floor += o.rounds * len(values)
        attr_objs.append(at)
    w_repeat = W_REPEAT if o.rounds > 1 else 0.0
    if o.strategy == "readiness" and o.rounds > 1:
        w_repeat = 10.0   # new faces matter less than the right level in targeted instruction
    pb = Problem(n=n, g=g, rounds=o.rounds, attrs=attr_objs, w_repeat=w_repeat, w_apart=W_APART,
                 apart=apart, fixed=fixed, blocks=blocks, protected=protected)
    pb.spread_first = o.strategy == "balanced"
    if o.strategy == "readiness":
        ri = names.index("readiness")
        plan = readiness_rooms(attr_objs[ri], n, g, spread_allowed)
        if plan is not None:
            pb.sizes, rooms, best_mix = plan
            floor += W_MIX * o.rounds * best_mix
            if not blocks and all(f is None for f in fixed):
                pb.initial = [_fill_rooms(attr_objs, names, ri, rooms, pb.sizes, n)] * o.rounds
    if o.rounds > 1 and not blocks and all(f is None for f in fixed) and o.strategy != "readiness":
        design = grouping_designs.affine_rounds(n, g, o.rounds, seed=o.seed)
        if design:
            pb.initial = design
            notes.append(f"The first {len(design)} rounds start from a finite-geometry design, in which "
                         "no two people meet twice.")
    if w_repeat and (pb.sizes is None and not blocks):
        floor += w_repeat * gm.repeat_lower_bound(n, g, o.rounds)
    pb.cost_floor = floor
    search = Search(pb, seed=o.seed)
    patience = max(400, 6 * n) if o.rounds == 1 else max(2000, 10 * n * o.rounds, 5_000 if n <= 40 else 0)
    best, _cost = search.run(clock=clock, deadline=deadline, max_iterations=max_it, patience=patience)
    rounds = [[[ids[p] for p in range(n) if best[r][p] == k] for k in range(g)] for r in range(o.rounds)]
    return rounds, search.iterations


def _fill_rooms(attr_objs, names, ri, rooms, sizes, n):
    """Initial readiness rooms: each stage fills its rooms, school by school; overflow goes to the
    room of the nearest stage (readiness is ordered)."""
    ready = attr_objs[ri]
    school = attr_objs[names.index("school")] if "school" in names else None
    order = sorted(range(n), key=lambda p: (school.codes[p] if school else 0, p))
    room_of = [-1] * n
    load = [0] * len(rooms)
    leftovers = []
    for p in order:
        v = ready.codes[p]
        open_ = [k for k, rv in enumerate(rooms) if rv == v and load[k] < sizes[k]]
        if open_:
            room_of[p] = open_[0]
            load[open_[0]] += 1
        else:
            leftovers.append(p)
    stage = [gm.READINESS_ORDER.index(v) if v in gm.READINESS_ORDER else 9 for v in ready.values]
    for p in leftovers:
        v = ready.codes[p]
        open_ = [k for k in range(len(rooms)) if load[k] < sizes[k]]
        k = min(open_, key=lambda k: (abs(stage[rooms[k]] - stage[v]), k))
        room_of[p] = k
        load[k] += 1
    return room_of


def _explain(o, rounds, attrs, m, g, n, spread_allowed, blocks, ids, apart, notes, unmet, label,
             by_hand: bool = False):
    sizes = m.get("group_sizes", [])
    if sizes:
        size_text = f"{sizes[0]}" if len(sizes) == 1 else f"{sizes[0]} to {sizes[-1]}"
        notes.insert(0, f"{n} people in {g} groups of {size_text}" +
                     (f", {len(rounds)} rounds." if len(rounds) > 1 else "."))
    if m.get("size_spread", 0) > spread_allowed:
        reason = ("people were moved by hand" if by_hand
                  else "whole school teams cannot be packed more evenly" if o.strategy == "teams"
                  else "keep-together sets and pinned people leave no even split")
        unmet.append({"rule": "sizes", "people": [],
                      "reason": f"Group sizes differ by {m['size_spread']} (asked at most {spread_allowed}): {reason}."})
    if len(rounds) > 1:
        lb = m["repeat_lower_bound"]
        s = max(sizes) if sizes else 1
        text = f"Repeat pairs: {m['repeat_pairs']} (at least {lb} are unavoidable)"
        if m["repeat_pairs"] == 0:
            text = f"No two people share a group twice in {len(rounds)} rounds"
        elif g < s and m["repeat_free_prefix"] <= 1:
            text += f"; with fewer groups ({g}) than people per group ({s}) every second round repeats some pairs"
        notes.append(text + f"; everyone meets {m['distinct_contacts_mean']} different people on average.")
    if "school_diversity_gap" in m and o.strategy in ("balanced", "random"):
        notes.append(f"Schools: {m['distinct_schools_mean']} different schools per group on average "
                     f"(fewest {m['distinct_schools_min']}); {m['school_diversity_gap']} short of the ideal.")
    if "role_diversity_gap" in m and o.strategy in ("balanced", "random"):
        notes.append(f"Roles: {m['distinct_roles_mean']} different roles per group on average; "
                     f"{m['role_diversity_gap']} short of the ideal.")
    if o.strategy == "readiness" and "readiness_mixing" in m:
        notes.append(f"Readiness: {m['readiness_mixing']} people sit in a group whose main stage differs "
                     f"from theirs; stages within a group are at most {m.get('readiness_spread', 0)} apart.")
    if o.strategy == "teams" and m.get("split_teams"):
        notes.append(f"{m['split_teams']} school team(s) are split over more than one group (see above).")
    # hard rules
    for r, rnd in enumerate(rounds):
        where = {pid: k for k, grp in enumerate(rnd) for pid in grp}
        for b in blocks:
            gs = {where[ids[x]] for x in b}
            if len(gs) > 1:
                unmet.append({"rule": "keep_together", "round": r + 1, "people": [ids[x] for x in b],
                              "reason": "the set is split (" + ", ".join(gname(k) for k in sorted(gs)) + ")."})
        for a, partners in enumerate(apart):
            for b in partners:
                if a < b and where[ids[a]] == where[ids[b]]:
                    unmet.append({"rule": "keep_apart", "round": r + 1, "people": [ids[a], ids[b]],
                                  "reason": f"{label(ids[a])} and {label(ids[b])} share {gname(where[ids[a]])}"
                                            + (": placed there by hand." if by_hand
                                               else ": their school team stays whole." if o.strategy == "teams"
                                               else ": no arrangement found that separates them.")})
    for a, vals in o.protect.items():
        for v in vals:
            holders = [i for i in ids if attrs[i].get(a) == v]
            k = m.get("isolated_by_value", {}).get(f"{a}={v}", 0)
            if not holders:
                notes.append(f"Nobody here has {a} “{v}”.")
            elif k and len(holders) == 1:
                unmet.append({"rule": "protect", "people": holders,
                              "reason": f"{label(holders[0])} is the only person with {a} “{v}”, so they "
                                        "cannot have company of their kind."})
            elif k:
                unmet.append({"rule": "protect", "people": holders,
                              "reason": f"{k} time(s) a group holds exactly one person with {a} “{v}”"
                                        + (": after moves by hand." if by_hand
                                           else ": school teams stay whole." if o.strategy == "teams"
                                           else ": pins or other rules leave no better arrangement.")})
            else:
                notes.append(f"Nobody with {a} “{v}” is alone of their kind in a group.")
