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

``make_groups(people, options)`` is ``solve(prepare(people, options))``: the request is checked
and indexed once (:mod:`stations.grouping.request`), then grouped. It returns a
:class:`GroupingResult` with the rounds, the metrics of :mod:`stations.grouping.metrics`, the
unmet rules with reasons, and plain-language notes; :func:`explain` returns the last two as a
value. Impossible requests raise :class:`workshop.errors.ValidationError` naming the
people involved.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from stations.grouping import designs as grouping_designs
from stations.grouping import metrics as gm
from stations.grouping.placement import Attr, Problem
from stations.grouping.plans import pack_teams, readiness_rooms
from stations.grouping.request import GroupingOptions, Request, gname, prepare, prepare_placed
from stations.grouping.search import Search
from workshop.text import plural

# Weights stand in for the facilitator's priorities (hard rules ≫ isolation ≫ repeats ≫ school
# diversity ≫ balance of the listed attributes, in list order).
W_APART, W_ISO, W_REPEAT, W_GAP = 100_000.0, 1_000.0, 100.0, 10.0
W_MIX = 1_000.0


@dataclass
class GroupingResult:
    """What grouping returns: the rounds, their metrics, the unmet rules with reasons, notes."""
    rounds: list[list[list[str]]]
    metrics: gm.Metrics
    unmet: list[dict]
    notes: list[str]
    iterations: int = 0

    def to_json(self) -> dict:
        """The result as the ``workshop group`` contract prints it."""
        return {"rounds": self.rounds, "metrics": self.metrics.to_dict(), "unmet": self.unmet,
                "notes": self.notes}


@dataclass(frozen=True)
class Explanation:
    """Why a grouping is as it is: a one-line summary, the rules it leaves unmet, notes."""
    summary: str | None
    unmet: list[dict]
    notes: list[str]


def make_groups(people: Sequence[Mapping], options: GroupingOptions | None = None, *,
                names: Mapping[str, str] | None = None,
                clock: Callable[[], float] = time.monotonic,
                max_iterations: int | None = None) -> GroupingResult:
    """Group ``people`` (mappings with ``id`` and attributes such as school, role, readiness).

    ``clock`` is the time source for ``options.time_limit_s``; ``max_iterations`` bounds the
    search independently of time (tests use it so results never depend on machine speed)."""
    return solve(prepare(people, options, names=names), clock=clock, max_iterations=max_iterations)


def solve(req: Request, *, clock: Callable[[], float] = time.monotonic,
          max_iterations: int | None = None) -> GroupingResult:
    """Group a prepared request: search (or plan) the rounds, measure and explain them."""
    rounds, iterations, solve_notes = _solve(req, clock, max_iterations)
    metrics = _measure(req, rounds)
    why = explain(req, rounds, metrics)
    notes = [why.summary] if why.summary else []
    return GroupingResult(rounds=rounds, metrics=metrics, unmet=why.unmet,
                          notes=notes + list(req.notes) + solve_notes + why.notes,
                          iterations=iterations)


def evaluate(people: Sequence[Mapping], rounds: list[list[list[str]]], options: GroupingOptions | None = None,
             *, names: Mapping[str, str] | None = None) -> GroupingResult:
    """Metrics, unmet rules and notes for groups as they are now (after a facilitator's edits)."""
    req = prepare_placed(people, rounds, options, names=names)
    rounds = [[list(grp) for grp in rnd if grp] for rnd in rounds]
    metrics = _measure(req, rounds)
    why = explain(req, rounds, metrics, by_hand=True)
    return GroupingResult(rounds=rounds, metrics=metrics, unmet=why.unmet,
                          notes=([why.summary] if why.summary else []) + why.notes)


def _measure(req: Request, rounds: list[list[list[str]]]) -> gm.Metrics:
    strategy = req.options.strategy
    metrics = gm.measure(rounds, req.attrs, num_groups=req.g, balance=req.balance, protect=req.protect,
                         homogeneous="readiness" if strategy == "readiness" else None)
    metrics.strategy = strategy
    return metrics


def _codes(ids: Sequence[str], attrs: Mapping[str, Mapping[str, str]], a: str) -> tuple[list[int], list[str]]:
    values = sorted({attrs[i].get(a, "") for i in ids})
    code = {v: k for k, v in enumerate(values)}
    return [code[attrs[i].get(a, "")] for i in ids], values


def _solve(req: Request, clock: Callable[[], float],
           max_iterations: int | None) -> tuple[list[list[list[str]]], int, list[str]]:
    """The rounds for a request, the search's iterations, and what the plan had to note."""
    o, ids, attrs, g, balance = req.options, req.ids, req.attrs, req.g, req.balance
    blocks, fixed, apart = req.blocks, req.fixed, req.apart
    notes: list[str] = []
    n = len(ids)
    deadline = clock() + max(0.0, float(o.time_limit_s))
    max_it = max_iterations if max_iterations is not None else 10**9
    if o.strategy == "teams":
        rounds, notes = pack_teams(req)
        return rounds, 0, notes
    names = list(dict.fromkeys(list(balance) + list(req.protect)
                               + (["readiness", "school"] if o.strategy == "readiness" else [])))
    attr_objs: list[Attr] = []
    protected: list[tuple[int, int]] = []
    floor = 0.0
    sizes_even = gm.balanced_sizes(n, g)
    for ai, a in enumerate(names):
        codes, values = _codes(ids, attrs, a)
        totals = [codes.count(k) for k in range(len(values))]
        at = Attr(a, codes, totals, values=values, dev_w=[0.0] * len(values), iso_w=[0.0] * len(values))
        prot = set(req.protect.get(a, []))
        for k, v in enumerate(values):
            if v in prot and totals[k] >= 2:
                at.iso_w[k] = W_ISO
                protected.append((ai, k))
        if a in balance:
            w = float(2 ** max(0, len(balance) - 1 - balance.index(a)))
            at.dev_w = [0.0 if v in prot else w for v in values]
            if a == "school":
                at.w_pres = -W_GAP
                # A protected school with company in every group it sits in reaches at most
                # ⌊n_v/2⌋ groups; a lone holder buys one more group at W_ISO ≫ W_GAP, so this
                # stays a lower bound, and the search can stop on reaching it.
                reach = Counter({k: (t // 2 if values[k] in prot and t >= 2 else t) for k, t in enumerate(totals)})
                floor -= W_GAP * o.rounds * gm.diversity_ideal(reach, g)
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
        plan = readiness_rooms(attr_objs[ri], n, g, req.spread_allowed)
        if plan is not None:
            pb.sizes, rooms, best_mix = plan
            floor += W_MIX * o.rounds * best_mix
            if not blocks and all(f is None for f in fixed):
                pb.initial = [_fill_rooms(attr_objs, names, ri, rooms, pb.sizes, n)] * o.rounds
    if o.rounds > 1 and not blocks and all(f is None for f in fixed) and o.strategy != "readiness":
        # the coset design first: it is instant, where the affine search for 32 people spends
        # 0.4 s trying for a 10th round that no partial spread has
        design = (grouping_designs.coset_rounds(n, g, o.rounds, seed=o.seed)
                  or grouping_designs.affine_rounds(n, g, o.rounds, seed=o.seed))
        if not design or len(design) < o.rounds:
            design = grouping_designs.cyclic_rounds(n, g, o.rounds, seed=o.seed) or design
        if design:
            pb.initial = design
            notes.append(f"The first {plural(len(design), 'round')} start from a finite-geometry design, in which "
                         "no two people meet twice.")
    if w_repeat and (pb.sizes is None and not blocks):
        floor += w_repeat * gm.repeat_lower_bound(n, g, o.rounds)
    pb.cost_floor = floor
    search = Search(pb, seed=o.seed)
    patience = max(400, 6 * n) if o.rounds == 1 else max(2000, 10 * n * o.rounds, 5_000 if n <= 40 else 0)
    best, _cost = search.run(clock=clock, deadline=deadline, max_iterations=max_it, patience=patience)
    rounds = [[[ids[p] for p in range(n) if best[r][p] == k] for k in range(g)] for r in range(o.rounds)]
    return rounds, search.iterations, notes


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


def explain(req: Request, rounds: list[list[list[str]]], m: gm.Metrics, by_hand: bool = False) -> Explanation:
    """Say why ``rounds`` are as they are for ``req``: which rules they leave unmet, and why.

    ``by_hand``: people were placed by a facilitator, so that is the reason for what is unmet."""
    o, attrs, g, n, ids, label = req.options, req.attrs, req.g, req.n, req.ids, req.label
    spread_allowed, blocks, apart = req.spread_allowed, req.blocks, req.apart
    notes: list[str] = []
    unmet: list[dict] = []
    summary = None
    sizes = m.group_sizes or []
    if sizes:
        size_text = f"{sizes[0]}" if len(sizes) == 1 else f"{sizes[0]} to {sizes[-1]}"
        summary = (f"{plural(n, 'person', 'people')} in {plural(g, 'group')} of {size_text}" +
                   (f", {plural(len(rounds), 'round')}." if len(rounds) > 1 else "."))
    if (m.size_spread or 0) > spread_allowed:
        reason = ("people were moved by hand" if by_hand
                  else "whole school teams cannot be packed more evenly" if o.strategy == "teams"
                  else "keep-together sets and pinned people leave no even split")
        unmet.append({"rule": "sizes", "people": [],
                      "reason": f"Group sizes differ by {m.size_spread} (asked at most {spread_allowed}): {reason}."})
    if len(rounds) > 1:
        lb = m.repeat_lower_bound
        s = max(sizes) if sizes else 1
        text = f"Repeat pairs: {m.repeat_pairs} (at least {lb} are unavoidable)"
        if m.repeat_pairs == 0:
            text = f"No two people share a group twice in {plural(len(rounds), 'round')}"
        elif g < s and (m.repeat_free_prefix or 0) <= 1:
            text += f"; with fewer groups ({g}) than people per group ({s}) every second round repeats some pairs"
        notes.append(text + f"; everyone meets {m.distinct_contacts_mean:.1f} different people on average.")
    if m.school_diversity_gap is not None and o.strategy in ("balanced", "random"):
        # One decimal, as a person says it: the metrics keep three (5.667) for the JSON.
        notes.append(f"Schools: {m.distinct_schools_mean:.1f} different schools per group on average "
                     f"(fewest {m.distinct_schools_min}); {m.school_diversity_gap} short of the ideal.")
    if m.role_diversity_gap is not None and o.strategy in ("balanced", "random"):
        notes.append(f"Roles: {m.distinct_roles_mean:.1f} different roles per group on average; "
                     f"{m.role_diversity_gap} short of the ideal.")
    if o.strategy == "readiness" and m.readiness_mixing is not None:
        notes.append(f"Readiness: {plural(m.readiness_mixing, 'person', 'people')} sit in a group whose main stage differs "
                     f"from theirs; stages within a group are at most {m.readiness_spread or 0} apart.")
    if o.strategy == "teams" and m.split_teams:
        notes.append(f"{m.split_teams} school team(s) are split over more than one group (see above).")
    # hard rules
    for r, rnd in enumerate(rounds):
        where = {pid: k for k, grp in enumerate(rnd) for pid in grp}
        for b in blocks:
            gs = {where[ids[x]] for x in b}
            if len(gs) > 1:
                unmet.append({"rule": "keep_together", "round": r + 1, "people": [ids[x] for x in b],
                              "reason": "the set is split (" + ", ".join(gname(k) for k in sorted(gs)) + ")."})
        for x, partners in enumerate(apart):
            for y in partners:
                if x < y and where[ids[x]] == where[ids[y]]:
                    unmet.append({"rule": "keep_apart", "round": r + 1, "people": [ids[x], ids[y]],
                                  "reason": f"{label(ids[x])} and {label(ids[y])} share {gname(where[ids[x]])}"
                                            + (": placed there by hand." if by_hand
                                               else ": their school team stays whole." if o.strategy == "teams"
                                               else ": no arrangement found that separates them.")})
    for a, vals in req.protect.items():
        kept = []   # values nobody holds alone: one note per attribute, not one per value
        for v in vals:
            holders = [i for i in ids if attrs[i].get(a) == v]
            shown = label.value(a, v)
            k = (m.isolated_by_value or {}).get(f"{a}={v}", 0)
            if not holders:
                notes.append(f"Nobody here has {a} “{shown}”.")
            elif k and len(holders) == 1:
                unmet.append({"rule": "protect", "people": holders,
                              "reason": f"{label(holders[0])} is the only person with {a} “{shown}”, so they "
                                        "cannot have company of their kind."})
            elif k:
                unmet.append({"rule": "protect", "people": holders,
                              "reason": f"{k} time(s) a group holds exactly one person with {a} “{shown}”"
                                        + (": after moves by hand." if by_hand
                                           else ": school teams stay whole." if o.strategy == "teams"
                                           else ": pins or other rules leave no better arrangement.")})
            else:
                kept.append(v)
        if len(kept) == 1:
            notes.append(f"Nobody with {a} “{label.value(a, kept[0])}” is alone of their kind "
                         "in a group.")
        elif kept:
            notes.append(f"Nobody is alone of their {a} in a group ({plural(len(kept), a + ' value')} protected).")
    return Explanation(summary=summary, unmet=unmet, notes=notes)
