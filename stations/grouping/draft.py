"""What a facilitator makes of a grouping: the rules they set, the groups they arrange, and the
grouping an academy keeps. One home for these rules, used by the Groups page, the grouping
service and (as JSON) the repository, so the page holds no rule of its own.

- :class:`GroupingRules`: the choices on the Groups page (strategy, groups, rounds, mix
  readiness, never leave a district leader alone) ↔ JSON ↔ engine options.
- :class:`Draft`: groups per round, their names, the locked people and the rules; every edit
  (move, lock, rename, regroup) returns a new draft, so undo can keep the old one whole.
- :class:`SavedGrouping`: what an academy keeps.

Pure Python (no Qt, no SQL).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from stations.grouping.request import STRATEGIES, GroupingOptions
from stations.setup.model import Group
from workshop.errors import ValidationError
from workshop.text import clean_text

MAX_GROUP_NAME = 40
BALANCE = ("school", "role")
# The academy setting naming the re-mix round the rotation runs and the cards print (issue 15,
# item 3): a later round is a later part of the day.
ROUND_IN_USE = "grouping_round"
# What “nobody is the only one of their kind” may look at (role is the role category).
LONE_ATTRIBUTES = {"role": "role category", "school": "school", "readiness": "readiness stage"}


PEOPLE_PER_GROUP = 5.5   # small enough that everyone speaks, big enough to mix schools


def suggested_groups(people: int, stations: int) -> int:
    """How many groups to propose first: about 5–6 people each, at least one per station (so
    no station stands empty), never more groups than people."""
    if people <= 0:
        return max(1, stations)
    return max(1, min(people, max(stations, round(people / PEOPLE_PER_GROUP))))


def district_leaders(roles: Iterable[str]) -> dict[str, list[str]]:
    """The ``protect`` rule that keeps district leaders company: every role naming a district."""
    leaders = sorted({r for r in roles if r and "district" in r.casefold()})
    return {"role": leaders} if leaders else {}


def _whole(value: object, low: int) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
    return value if ok else None  # type: ignore[return-value]


@dataclass(frozen=True)
class GroupingRules:
    """The rules a facilitator sets for a grouping; saved as JSON with the draft and the grouping."""
    strategy: str = "balanced"
    groups: int | None = None
    group_size: int | None = None
    rounds: int = 1
    mix_readiness: bool = False
    protect_leaders: bool = True   # never leave a district leader alone
    seed: int = 0
    # The facilitator's constraints, by participant id (issue 15, item 1).
    keep_together: tuple[tuple[int, ...], ...] = ()
    keep_apart: tuple[tuple[int, int], ...] = ()
    absent: frozenset[int] = frozenset()
    no_lone: str | None = None    # nobody is the only one of their kind in this attribute

    @property
    def balance(self) -> tuple[str, ...]:
        """The attributes the balanced strategy spreads."""
        return BALANCE + (("readiness",) if self.mix_readiness else ())

    def options(self, roles: Iterable[str], time_limit_s: float = 10.0, *,
                people: Iterable[Mapping] = ()) -> GroupingOptions:
        """The engine options these rules mean for a roster with these roles (role categories);
        ``people`` (engine records) give the values “nobody alone of their kind” protects."""
        protect = district_leaders(roles) if self.protect_leaders else {}
        if self.no_lone is not None:
            here = [p for p in people if int(p["id"]) not in self.absent]
            values = sorted({str(p.get(self.no_lone) or "") for p in here} - {""})
            if values:
                protect = {**protect, self.no_lone: values}
        return GroupingOptions(strategy=self.strategy, groups=self.groups, group_size=self.group_size,
                               rounds=self.rounds, balance=self.balance, protect=protect,
                               keep_together=[[str(i) for i in s] for s in self.keep_together],
                               keep_apart=[[str(a), str(b)] for a, b in self.keep_apart],
                               absent=sorted(str(i) for i in self.absent),
                               seed=self.seed, time_limit_s=time_limit_s)

    def on_roster(self, roster: Iterable[int]) -> GroupingRules:
        """The rules without people who have left the roster."""
        here = set(roster)
        together = tuple(t for t in (tuple(i for i in s if i in here) for s in self.keep_together)
                         if len(t) > 1)
        return replace(self, keep_together=together,
                       keep_apart=tuple(p for p in self.keep_apart if set(p) <= here),
                       absent=self.absent & here)

    def to_json(self) -> dict:
        """The rules as saved; ``protect`` is always the facilitator's yes or no."""
        return {"strategy": self.strategy, "groups": self.groups, "group_size": self.group_size,
                "rounds": self.rounds, "balance": list(self.balance), "protect": self.protect_leaders,
                "seed": self.seed, "keep_together": [list(s) for s in self.keep_together],
                "keep_apart": [list(p) for p in self.keep_apart], "absent": sorted(self.absent),
                "no_lone": self.no_lone}

    @classmethod
    def from_json(cls, data: Mapping | None) -> GroupingRules:
        """Rules read back from JSON, older shapes too: ``protect`` was once saved as the
        resolved ``{attribute: [values]}``, which is empty on a roster without district leaders."""
        data = data or {}
        strategy = data.get("strategy")
        seed = _whole(data.get("seed"), 0)
        return cls(strategy=strategy if strategy in STRATEGIES else "balanced",
                   groups=_whole(data.get("groups"), 1), group_size=_whole(data.get("group_size"), 1),
                   rounds=_whole(data.get("rounds"), 1) or 1,
                   mix_readiness="readiness" in (data.get("balance") or []),
                   protect_leaders=bool(data.get("protect", True)),
                   seed=seed or 0, keep_together=_id_sets(data.get("keep_together"), 2),
                   keep_apart=tuple((a, b) for a, b in _id_sets(data.get("keep_apart"), 2, 2)),
                   absent=frozenset(_ids(data.get("absent"))),
                   no_lone=_lone(data.get("no_lone")))


def _lone(value: object) -> str | None:
    return value if isinstance(value, str) and value in LONE_ATTRIBUTES else None


def _ids(value: object) -> list[int]:
    """Participant ids from JSON, anything else dropped (a hand-edited file must not crash)."""
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(i for i in value if isinstance(i, int) and not isinstance(i, bool)))


def _id_sets(value: object, low: int, high: int | None = None) -> tuple[tuple[int, ...], ...]:
    rows = (tuple(_ids(row)) for row in value) if isinstance(value, list) else ()
    return tuple(r for r in rows if len(r) >= low and (high is None or len(r) <= high))


@dataclass(frozen=True)
class Draft:
    """The Groups page's work in progress: ``rounds[r][k]`` lists the participant ids in group k
    of round r (round 1 rotates), ``names`` the groups' names, ``locked`` who stays on regroup."""
    rounds: list[list[list[int]]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    locked: frozenset[int] = frozenset()
    rules: GroupingRules = GroupingRules()

    # -- JSON and the saved grouping --------------------------------------------------------
    def to_json(self) -> dict:
        """The draft as the repository keeps it."""
        return {"rounds": [[list(grp) for grp in rnd] for rnd in self.rounds], "names": list(self.names),
                "locked": sorted(self.locked), "options": self.rules.to_json()}

    @classmethod
    def from_json(cls, data: Mapping) -> Draft:
        """A draft read back from the repository; missing names default to letters."""
        rounds = [[list(grp) for grp in rnd] for rnd in data.get("rounds") or []]
        names = list(data.get("names") or [Group.default_name(k) for k in range(len(rounds[0]) if rounds else 0)])
        return cls(rounds=rounds, names=names, locked=frozenset(data.get("locked") or []),
                   rules=GroupingRules.from_json(data.get("options")))

    @classmethod
    def from_saved(cls, saved: SavedGrouping) -> Draft:
        """A saved grouping as a draft to go on working on."""
        return cls(rounds=[[list(g.member_ids) for g in rnd] for rnd in saved.rounds],
                   names=[g.name for g in saved.rounds[0]] if saved.rounds else [],
                   locked=frozenset(saved.locked), rules=GroupingRules.from_json(saved.options))

    def groups(self) -> list[list[Group]]:
        """The rounds as named groups."""
        return [[Group(k, self.names[k], list(m)) for k, m in enumerate(rnd)] for rnd in self.rounds]

    # -- edits: each returns a new draft (None when nothing would change) -------------------
    def on_roster(self, roster: Iterable[int]) -> Draft:
        """The draft without the people who are no longer on the roster."""
        here = set(roster)
        return replace(self, rounds=[[[pid for pid in grp if pid in here] for grp in rnd] for rnd in self.rounds],
                       locked=self.locked & here, rules=self.rules.on_roster(here))

    def moved(self, pid: int, to_group: int, round: int = 0) -> Draft | None:
        """Someone moved to another group of one round (the drop, the keyboard move)."""
        if not 0 <= round < len(self.rounds) or not 0 <= to_group < len(self.rounds[round]):
            return None
        current = next((k for k, m in enumerate(self.rounds[round]) if pid in m), None)
        if current == to_group:
            return None
        rounds = [[list(grp) for grp in rnd] for rnd in self.rounds]
        if current is not None:
            rounds[round][current].remove(pid)
        rounds[round][to_group].append(pid)
        return replace(self, rounds=rounds)

    def with_lock(self, pid: int, locked: bool) -> Draft | None:
        """Someone locked in place (or let go) for the next regroup."""
        if (pid in self.locked) == locked:
            return None
        return replace(self, locked=self.locked | {pid} if locked else self.locked - {pid})

    def renamed(self, index: int, text: str) -> Draft | None:
        """Group ``index`` under a new name (blank: its letter); ValidationError for a bad or
        duplicate name."""
        name = clean_text(text, limit=MAX_GROUP_NAME, what="A group name") or Group.default_name(index)
        if any(k != index and n.casefold() == name.casefold() for k, n in enumerate(self.names)):
            raise ValidationError(f"Another group is already called “{name}”.")
        if name == self.names[index]:
            return None
        names = list(self.names)
        names[index] = name
        return replace(self, names=names)

    def locked_positions(self) -> dict[int, int]:
        """Where each locked person sits in round 1 (participant id → group index)."""
        return {pid: k for k, members in enumerate(self.rounds[0] if self.rounds else [])
                for pid in members if pid in self.locked}

    def stranded_locks(self, groups: int) -> list[int]:
        """Locked people whose group would not exist with this many groups."""
        return [pid for pid, k in self.locked_positions().items() if k >= groups]

    def regrouped(self, rounds: list[list[list[int]]], groups: int) -> Draft:
        """New groups in place of the old; the first groups keep their names."""
        names = [self.names[k] if k < len(self.names) else Group.default_name(k) for k in range(groups)]
        return replace(self, rounds=[[list(grp) for grp in rnd] for rnd in rounds], names=names)


@dataclass
class SavedGrouping:
    """What an academy keeps: groups per round (round 1 is the one that rotates), who is locked
    in place, and the rules (as :meth:`GroupingRules.to_json`) and metrics it came from."""
    rounds: list[list[Group]]
    locked: set[int] = field(default_factory=set)
    strategy: str = ""
    options: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    saved_at: str = ""
