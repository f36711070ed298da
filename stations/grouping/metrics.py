"""How good a grouping is, in the words a facilitator uses — and the bounds that say how good it
could be.

The metric names and definitions follow the shared grouping benchmark's reference scorer
(``grouping-bench/score.py``) so that the app, its benchmark and the scorer report the same
figures: ``repeat_pairs`` (Σ over pairs of meetings−1), ``repeat_free_prefix``,
``size_spread``, ``school_diversity_gap`` (Σ_v min(n_v, g) − Σ_groups distinct schools, per
round), ``balance_deviation`` (GroupEng "Distribute": distance of each group's count of a value
from [⌊e⌋, ⌈e⌉], e = n_v·|G|/n, protected values excluded), ``<attr>_mixing`` (people outside
their group's most common value), ``isolated_minority`` (group holding exactly one person with a
protected value) and ``split_teams``. Pure Python, no Qt, no SQL.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import combinations

READINESS_ORDER = ("exploring", "planning", "implementing")


def c2(k: int) -> int:
    """Pairs among k people."""
    return k * (k - 1) // 2


def balanced_sizes(n: int, g: int) -> list[int]:
    """Group sizes when n people are split into g groups as evenly as possible."""
    q, r = divmod(n, g)
    return [q + 1] * r + [q] * (g - r)


def even_split_pairs(a: int, g: int) -> int:
    """Fewest pairs that stay together when a people are spread over g groups."""
    q, r = divmod(a, g)
    return r * c2(q + 1) + (g - r) * c2(q)


def repeat_lower_bound(n: int, g: int, rounds: int) -> int:
    """Proven lower bound on repeat_pairs for balanced sizes: the larger of the counting bound
    (R·pairs per round − C(n,2)) and the pigeonhole bound ((R−1)·Σ even_split_pairs)."""
    if g < 1 or n < 1:
        return 0
    sizes = balanced_sizes(n, g)
    per_round = sum(c2(s) for s in sizes)
    b1 = max(0, rounds * per_round - c2(n))
    b2 = (rounds - 1) * sum(even_split_pairs(a, g) for a in sizes)
    return max(b1, b2)


def diversity_ideal(counts: Counter, g: int) -> int:
    """Most distinct values a round of g groups can show: each value at most min(n_v, g) times."""
    return sum(min(c, g) for c in counts.values())


def balance_lb_given_clustering(counts: dict, protected_count: int, sizes: list[int], n: int) -> int:
    """Lower bound on one round's balance deviation of an attribute when its protected members
    (excluded from balance) must sit at least two to a group. Same argument as the reference
    scorer: a group with d protected members has s−d seats for values whose targets are fixed."""
    def f(d: int, s: int) -> int:
        lo = sum(c * s // n for c in counts.values())
        hi = sum(-(-c * s // n) for c in counts.values())
        free = s - d
        return max(0, lo - free, free - hi)

    size_set = sorted(set(sizes))
    g = len(sizes)
    base = min(f(0, s) for s in size_set)
    if protected_count < 2:
        return g * base
    best = None

    def parts(rem: int, maxpart: int, acc: list[int]) -> None:
        nonlocal best
        if rem == 0:
            if len(acc) <= g:
                val = sum(min(f(d, s) for s in size_set) for d in acc) + (g - len(acc)) * base
                best = val if best is None else min(best, val)
            return
        for p in range(min(rem, maxpart), 1, -1):
            if rem - p != 1:
                parts(rem - p, p, acc + [p])

    parts(protected_count, protected_count, [])
    return best if best is not None else g * base


def sgp_max_rounds_bound(g: int, s: int) -> int | None:
    """Counting bound on repeat-free rounds for g groups of s (1 when g < s: pigeonhole)."""
    if s <= 1:
        return None
    if g < s:
        return 1
    return (g * s - 1) // (s - 1)


@dataclass
class Metrics:
    """The figures of one grouping; a figure is None where the grouping has nothing to measure
    (no school recorded, no protected value…), and is then left out of :meth:`to_dict`."""
    participants: int
    rounds: int
    groups_per_round: list[int]
    size_spread: int | None = None
    group_sizes: list[int] | None = None
    repeat_pairs: int | None = None
    pairs_repeated: int | None = None
    max_pair_meetings: int | None = None
    repeat_free_prefix: int | None = None
    distinct_contacts_mean: float | None = None
    repeat_lower_bound: int | None = None
    school_diversity_gap: int | None = None
    distinct_schools_min: int | None = None
    distinct_schools_mean: float | None = None
    same_school_pairs: int | None = None
    role_diversity_gap: int | None = None
    distinct_roles_min: int | None = None
    distinct_roles_mean: float | None = None
    same_role_pairs: int | None = None
    balance_deviation: dict[str, int] | None = None
    mixing: dict[str, int] = field(default_factory=dict)          # attribute -> <attr>_mixing
    purity_mean: dict[str, float] = field(default_factory=dict)   # attribute -> <attr>_purity_mean
    readiness_spread: int | None = None
    isolated_minority: int | None = None
    isolated_by_value: dict[str, int] | None = None
    split_teams: int | None = None
    split_extra_groups: int | None = None
    strategy: str | None = None

    @property
    def readiness_mixing(self) -> int | None:
        """People outside their group's main readiness stage (None: not measured)."""
        return self.mixing.get("readiness")

    def to_dict(self) -> dict:
        """The figures under the reference scorer's names, in the contract's order."""
        out: dict = {}
        for f in fields(self):
            if f.name == "mixing":
                for a, mix in self.mixing.items():
                    out[f"{a}_mixing"] = mix
                    out[f"{a}_purity_mean"] = self.purity_mean[a]
            elif f.name != "purity_mean":
                value = getattr(self, f.name)
                if value is not None:
                    out[f.name] = value
        return out


def _ready_index(value: str) -> int | None:
    return READINESS_ORDER.index(value) if value in READINESS_ORDER else None


def measure(rounds: list[list[list[str]]], attrs: Mapping[str, Mapping[str, str]], *,
            num_groups: int | None = None, balance: Sequence[str] = (),
            protect: Mapping[str, list[str]] | None = None,
            homogeneous: str | None = None, team_attribute: str | None = "school") -> Metrics:
    """Every metric of a multi-round grouping. ``attrs`` maps id → {attribute: value}."""
    protect = protect or {}
    ids = sorted({p for rnd in rounds for grp in rnd for p in grp})
    n = len(ids)
    m = Metrics(participants=n, rounds=len(rounds), groups_per_round=[len(r) for r in rounds])
    if not rounds or not n:
        return m
    spreads = [max(len(g) for g in rnd) - min(len(g) for g in rnd) for rnd in rounds]
    m.size_spread = max(spreads)
    m.group_sizes = sorted({len(g) for rnd in rounds for g in rnd})

    meet: Counter = Counter()
    for rnd in rounds:
        for grp in rnd:
            meet.update(combinations(sorted(grp), 2))
    m.repeat_pairs = sum(k - 1 for k in meet.values() if k > 1)
    m.pairs_repeated = sum(1 for k in meet.values() if k > 1)
    m.max_pair_meetings = max(meet.values(), default=0)
    seen: set = set()
    prefix = 0
    for rnd in rounds:
        new = {pr for grp in rnd for pr in combinations(sorted(grp), 2)}
        if new & seen:
            break
        seen |= new
        prefix += 1
    m.repeat_free_prefix = prefix
    m.distinct_contacts_mean = round(2 * len(meet) / n, 3)
    m.repeat_lower_bound = repeat_lower_bound(n, num_groups or len(rounds[0]), len(rounds))

    def has(a: str) -> bool:
        return all(attrs.get(i, {}).get(a) not in (None, "") for i in ids)

    for a, label in (("school", "schools"), ("role", "roles")):
        if not has(a):
            continue
        counts = Counter(attrs[i][a] for i in ids)
        gap, distinct, same = 0, [], 0
        for rnd in rounds:
            got = 0
            for grp in rnd:
                c = Counter(attrs[i][a] for i in grp)
                got += len(c)
                distinct.append(len(c))
                same += sum(c2(k) for k in c.values())
            gap += diversity_ideal(counts, len(rnd)) - got
        key = "school" if a == "school" else "role"
        setattr(m, f"{key}_diversity_gap", gap)
        setattr(m, f"distinct_{label}_min", min(distinct))
        setattr(m, f"distinct_{label}_mean", round(sum(distinct) / len(distinct), 3))
        setattr(m, f"same_{key}_pairs", same)

    bd = {}
    for a in balance:
        if not has(a):
            continue
        skip = set(protect.get(a, []))
        counts = Counter(attrs[i][a] for i in ids)
        dev = 0
        for rnd in rounds:
            for grp in rnd:
                c = Counter(attrs[i][a] for i in grp)
                for v, nv in counts.items():
                    if v in skip:
                        continue
                    lo, hi = nv * len(grp) // n, -(-nv * len(grp) // n)
                    x = c.get(v, 0)
                    dev += max(0, x - hi) + max(0, lo - x)
        bd[a] = dev
    if bd:
        m.balance_deviation = bd

    for a in ([homogeneous] if homogeneous else []) + (
            ["readiness"] if homogeneous != "readiness" and has("readiness") else []):
        if not has(a):
            continue
        mix, purity = 0, []
        for rnd in rounds:
            for grp in rnd:
                if not grp:
                    continue
                c = Counter(attrs[i][a] for i in grp)
                top = max(c.values())
                mix += len(grp) - top
                purity.append(top / len(grp))
        m.mixing[a] = mix
        m.purity_mean[a] = round(sum(purity) / len(purity), 3)
    if has("readiness"):
        # Stages apart within a group (0 = one stage, 2 = exploring beside implementing).
        spread = 0
        for rnd in rounds:
            for grp in rnd:
                stages = [_ready_index(attrs[i]["readiness"]) for i in grp]
                idx = [x for x in stages if x is not None]
                if idx:
                    spread = max(spread, max(idx) - min(idx))
        m.readiness_spread = spread

    if protect:
        by_value, total = {}, 0
        for a, vals in protect.items():
            for v in vals:
                k = sum(1 for rnd in rounds for grp in rnd
                        if len(grp) >= 2 and sum(1 for i in grp if attrs[i].get(a) == v) == 1)
                by_value[f"{a}={v}"] = k
                total += k
        m.isolated_minority = total
        m.isolated_by_value = by_value

    if team_attribute and has(team_attribute):
        split = extra = 0
        for rnd in rounds:
            where = defaultdict(set)
            for gi, grp in enumerate(rnd):
                for i in grp:
                    where[attrs[i][team_attribute]].add(gi)
            for gs in where.values():
                if len(gs) > 1:
                    split += 1
                    extra += len(gs) - 1
        m.split_teams = split
        m.split_extra_groups = extra
    return m


def group_summary(members: list[str], attrs: dict[str, dict]) -> dict:
    """What a group card shows at a glance: counts of schools, roles and readiness stages."""
    out = {}
    for a in ("school", "role", "readiness"):
        c = Counter(attrs[i].get(a) or "—" for i in members)
        out[a] = dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
    return out
