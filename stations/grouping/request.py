"""A grouping request, checked and indexed once: the options a caller gives, and what they mean
for these people (who is grouped, into how many groups, the rules as person indexes).

:func:`prepare` is the one preparation: the engine groups from it, and the CLI's contract
(:mod:`stations.grouping.contract`) feeds it. :func:`prepare_placed` reads the same options
against groups placed by hand, leniently (a facilitator's edits are measured, never refused).
Impossible requests raise :class:`workshop.errors.ValidationError` naming the people
involved. Pure Python.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from stations.setup.model import Group
from workshop.academy.roles import CATEGORY_LABELS
from workshop.errors import ValidationError
from workshop.text import plural

STRATEGIES = ("random", "balanced", "readiness", "teams")
STRATEGY_LABELS = {"random": "Random", "balanced": "Balanced mix",
                   "readiness": "By readiness", "teams": "School teams together"}
MAX_ROUNDS = 20


@dataclass
class GroupingOptions:
    """What a caller asks of the engine: a strategy, group count or size, rounds and hard rules."""
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


class Names:
    """How people are named in messages: their name when known, else their id."""

    def __init__(self, names: Mapping[str, str] | None, ids: bool = True):
        """``ids``: name everyone with their id too (the JSON contract, whose ids are the
        caller's own); False: only people who share a name (the app's ids mean nothing to a
        facilitator: "Sam Rivera (7)")."""
        self.names = names or {}
        self.ids = ids
        self._counts: Counter | None = None

    def __call__(self, pid: str) -> str:
        name = self.names.get(pid)
        if not name or name == pid:
            return pid
        return f"{name} ({pid})" if self.ids or self._shared(name) else name

    def _shared(self, name: str) -> bool:
        if self._counts is None:
            self._counts = Counter(self.names.values())
        return self._counts[name] > 1

    @staticmethod
    def value(attribute: str, value: str) -> str:
        """An attribute's value in words: a role category by its label (“District leader”,
        not ``district_leader``), anything else as given."""
        return CATEGORY_LABELS.get(value, value) if attribute == "role" else value

    def many(self, ids: Iterable[str], limit: int = 8) -> str:
        """Several people in one phrase, the tail counted rather than listed."""
        ids = list(ids)
        text = ", ".join(self(i) for i in ids[:limit])
        return text + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


@dataclass(frozen=True)
class Request:
    """A request made ready for the engine: people by index, the rules as index structures."""
    options: GroupingOptions
    ids: tuple[str, ...]                      # the people grouped, by index
    attrs: Mapping[str, Mapping[str, str]]    # id -> {attribute: value}, values as text
    g: int                                    # number of groups
    blocks: tuple[tuple[int, ...], ...]       # keep-together sets (size ≥ 2), merged
    fixed: tuple[int | None, ...]             # person -> pinned group (every round) or None
    apart: tuple[tuple[int, ...], ...]        # person -> keep-apart partners
    balance: tuple[str, ...]                  # the balanced attributes someone here has
    protect: Mapping[str, list[str]]          # attribute -> values nobody should hold alone
    spread_allowed: int                       # how far group sizes may differ
    label: Names
    notes: tuple[str, ...] = ()               # what preparing found worth saying

    @property
    def n(self) -> int:
        """How many people are grouped."""
        return len(self.ids)


def group_count(n: int, options: GroupingOptions) -> int:
    """How many groups ``options`` asks for when ``n`` people are here."""
    if options.groups is not None and options.group_size is not None:
        raise ValidationError("Give either a number of groups or a group size, not both.")
    if options.groups is not None:
        g = options.groups
        if not isinstance(g, int) or isinstance(g, bool) or g < 1:
            raise ValidationError(f"The number of groups must be a whole number of at least 1 (got {g!r}).")
        if g > n:
            raise ValidationError(f"{plural(g, 'group')} need at least {plural(g, 'person', 'people')}; "
                                  f"{n} {'is' if n == 1 else 'are'} here.")
        return g
    size = options.group_size if options.group_size is not None else 5
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValidationError(f"The group size must be a whole number of at least 1 (got {size!r}).")
    return max(1, min(n, int(n / size + 0.5)))


def gname(i: int) -> str:
    """A group's name in messages (Group A, Group B…)."""
    return Group.default_name(i)


def prepare(people: Sequence[Mapping], options: GroupingOptions | None = None, *,
            names: Mapping[str, str] | None = None) -> Request:
    """Check ``options`` against ``people`` (mappings with ``id`` and attributes) and index them."""
    o = options or GroupingOptions()
    label = names if isinstance(names, Names) else Names(names)
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
    attrs = {str(p["id"]): _text_values(p) for p in present}
    notes: list[str] = []

    # -- keep-together sets, merged where they share someone -----------------------------
    for group in o.keep_together:
        check_known(group, "“keep_together”")
        left_out = [i for i in group if i not in index]
        if left_out:
            notes.append(f"Kept together without {label.many(left_out)}, who {'is' if len(left_out) == 1 else 'are'} absent.")
    sets = _merged(n, ([index[i] for i in group if i in index] for group in o.keep_together))
    blocks = [b for b in sets if len(b) > 1]
    cap = -(-n // g)
    for b in blocks:
        if len(b) > cap and o.strategy != "teams":
            raise ValidationError(
                f"{plural(len(b), 'person', 'people')} must stay together ({label.many(ids[x] for x in b)}), but a group "
                f"holds at most {cap} when {plural(n, 'person', 'people')} make {plural(g, 'group')}. Use fewer groups or split the set.")
    if len(sets) < g and o.strategy != "teams":
        together = "; ".join(label.many(ids[x] for x in b) for b in blocks)
        raise ValidationError(f"{plural(g, 'group')} cannot all have people: the keep-together sets ({together}) "
                              f"leave only {plural(len(sets), 'separate unit')} for {plural(n, 'person', 'people')}. Use fewer groups.")

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
            shared = pins.pop()
            for x in b:
                fixed[x] = shared
    load = Counter(pin for pin in fixed if pin is not None)
    for gi, k in load.items():
        if k > cap:
            who = [ids[x] for x in range(n) if fixed[x] == gi]
            raise ValidationError(f"{plural(k, 'person', 'people')} are pinned to {gname(gi)} (a group holds at most {cap}): "
                                  f"{label.many(who)}.")

    # -- keep apart -----------------------------------------------------------------------
    apart: list[list[int]] = [[] for _ in range(n)]
    root = {x: k for k, b in enumerate(blocks) for x in b}
    for pair in o.keep_apart:
        if len(pair) != 2 or pair[0] == pair[1]:
            raise ValidationError(f"Keep-apart takes pairs of two different people (got {list(pair)}).")
        check_known(pair, "“keep_apart”")
        if pair[0] not in index or pair[1] not in index:
            continue
        x, y = index[pair[0]], index[pair[1]]
        if x in root and root.get(y) == root[x]:
            raise ValidationError(f"{label(pair[0])} and {label(pair[1])} must be kept apart and also kept "
                                  "together; drop one of the two rules.")
        pin = fixed[x]
        if pin is not None and pin == fixed[y]:
            raise ValidationError(f"{label(pair[0])} and {label(pair[1])} must be kept apart but are both "
                                  f"pinned to {gname(pin)}.")
        if g < 2:
            raise ValidationError(f"{label(pair[0])} and {label(pair[1])} cannot be kept apart in a single group.")
        apart[x].append(y)
        apart[y].append(x)

    # -- attributes -----------------------------------------------------------------------
    for a in o.protect:
        if not any(attrs[i].get(a) for i in ids):
            raise ValidationError(f"Nobody has a “{a}”, so there is nothing to protect.")
    return Request(options=o, ids=tuple(ids), attrs=attrs, g=g, blocks=_tuples(blocks),
                   fixed=tuple(fixed), apart=_tuples(apart), balance=_balanced(o, ids, attrs),
                   protect=o.protect, spread_allowed=_spread_allowed(o), label=label,
                   notes=tuple(notes))


def prepare_placed(people: Sequence[Mapping], rounds: list[list[list[str]]],
                   options: GroupingOptions | None = None, *,
                   names: Mapping[str, str] | None = None) -> Request:
    """The request read against groups as placed (round 1 says who is here): never refuses."""
    o = options or GroupingOptions()
    ids = [pid for grp in (rounds[0] if rounds else []) for pid in grp]
    index = {pid: k for k, pid in enumerate(ids)}
    by_id = {str(p["id"]): p for p in people}
    attrs = {pid: _text_values(by_id.get(pid, {})) for pid in ids}
    sets = _merged(len(ids), ([index[i] for i in group if i in index] for group in o.keep_together))
    apart: list[list[int]] = [[] for _ in ids]
    for pair in o.keep_apart:
        if len(pair) == 2 and pair[0] in index and pair[1] in index and pair[0] != pair[1]:
            apart[index[pair[0]]].append(index[pair[1]])
            apart[index[pair[1]]].append(index[pair[0]])
    protect = {a: v for a, v in o.protect.items() if any(attrs[i].get(a) for i in ids)}
    return Request(options=o, ids=tuple(ids), attrs=attrs, g=len(rounds[0]) if rounds else 0,
                   blocks=_tuples(b for b in sets if len(b) > 1), fixed=(None,) * len(ids),
                   apart=_tuples(apart), balance=_balanced(o, ids, attrs), protect=protect,
                   spread_allowed=_spread_allowed(o),
                   label=names if isinstance(names, Names) else Names(names))


def _text_values(person: Mapping) -> dict[str, str]:
    return {k: ("" if v is None else str(v)) for k, v in person.items() if k != "id"}


def _merged(n: int, sets: Iterable[list[int]]) -> list[list[int]]:
    """Every person's set once sets sharing someone are merged (singletons included), in order
    of each set's first member."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for here in sets:
        for x in here[1:]:
            parent[find(x)] = find(here[0])
    out: dict[int, list[int]] = {}
    for x in range(n):
        out.setdefault(find(x), []).append(x)
    return list(out.values())


def _tuples(rows: Iterable[Iterable[int]]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(r) for r in rows)


def _balanced(o: GroupingOptions, ids: list[str], attrs: Mapping) -> tuple[str, ...]:
    return tuple(a for a in (o.balance if o.strategy == "balanced" else ())
                 if any(attrs[i].get(a) for i in ids))


def _spread_allowed(o: GroupingOptions) -> int:
    if o.max_size_spread is not None:
        return o.max_size_spread
    return 2 if o.strategy == "readiness" else 1
