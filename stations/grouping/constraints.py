"""The facilitator's constraints, each reported as met or not, with the people it leaves unmet
named: keep together, keep apart, absent, and “nobody is the only one of their kind”.

The engine's own notes speak of the whole grouping; this speaks rule by rule, in the words of
the Groups page's rule list, for the groups as they stand (after Regroup or hand moves).
Pure Python (no Qt, no SQL).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from stations.grouping.draft import LONE_ATTRIBUTES, GroupingRules
from workshop.academy.roles import CATEGORY_LABELS
from workshop.text import plural


@dataclass(frozen=True)
class RuleStatus:
    """One rule as the page lists it: what it asks, whether the groups meet it, who is unmet."""
    kind: str                  # keep_together | keep_apart | absent | no_lone | leaders
    text: str                  # what the rule asks, in words
    met: bool
    detail: str = ""           # why not (people named), or what met means
    people: tuple[int, ...] = ()
    index: int = -1            # the rule's place among its kind (to remove it)

    @property
    def line(self) -> str:
        """The rule and its state in one line."""
        return f"{'✓' if self.met else '✗'} {self.text}" + (f" — {self.detail}" if self.detail else "")


def report(rules: GroupingRules, rounds: Sequence[Sequence[Sequence[int]]], names: Sequence[str],
           people: Mapping[int, Mapping[str, str]], who: Mapping[int, str]) -> list[RuleStatus]:
    """Each of ``rules``' constraints against ``rounds`` (participant ids per group per round).
    ``names``: the groups' names; ``people``: id → attributes (role as its category);
    ``who``: id → the person's name."""
    out: list[RuleStatus] = []

    def label(pid: int) -> str:
        return who.get(pid, f"#{pid}")

    where = [{pid: k for k, grp in enumerate(rnd) for pid in grp} for rnd in rounds]
    many = len(rounds) > 1

    def at(r: int) -> str:
        return f" in round {r + 1}" if many else ""

    for i, members in enumerate(rules.keep_together):
        here = [p for p in members if p not in rules.absent]
        text = "Keep together: " + ", ".join(label(p) for p in members)
        split = [(r, sorted({w[p] for p in here if p in w})) for r, w in enumerate(where)]
        split = [(r, gs) for r, gs in split if len(gs) > 1]
        detail = ""
        if split:
            r, gs = split[0]
            detail = "split" + at(r) + ": " + "; ".join(
                f"{', '.join(label(p) for p in here if where[r].get(p) == k)} in {names[k]}" for k in gs)
        elif len(here) < len(members):
            detail = "without " + ", ".join(label(p) for p in members if p in rules.absent) + " (absent)"
        out.append(RuleStatus("keep_together", text, not split, detail, tuple(members), i))
    for i, (a, b) in enumerate(rules.keep_apart):
        text = f"Keep apart: {label(a)} and {label(b)}"
        shared = [r for r, w in enumerate(where) if a in w and w.get(a) == w.get(b)]
        detail = f"both in {names[where[shared[0]][a]]}{at(shared[0])}" if shared else ""
        out.append(RuleStatus("keep_apart", text, not shared, detail, (a, b), i))
    if rules.absent:
        still = [p for p in sorted(rules.absent, key=label) if where and p in where[0]]
        text = "Absent: " + ", ".join(label(p) for p in sorted(rules.absent, key=label))
        detail = ("still in a group: " + ", ".join(f"{label(p)} ({names[where[0][p]]})" for p in still)
                  + "; Regroup to leave them out") if still else "left out of every group"
        out.append(RuleStatus("absent", text, not still, detail, tuple(sorted(rules.absent))))
    if rules.protect_leaders:
        out.append(_lone(rounds, names, people, label, "role", {"district_leader"}, rules.absent,
                         "leaders", "Never leave a district leader alone", at))
    if rules.no_lone is not None and rules.no_lone in LONE_ATTRIBUTES:
        what = LONE_ATTRIBUTES[rules.no_lone]
        out.append(_lone(rounds, names, people, label, rules.no_lone, None, rules.absent,
                         "no_lone", f"Nobody is the only one of their {what}", at))
    return out


def _value_text(attribute: str, value: str) -> str:
    return CATEGORY_LABELS.get(value, value).lower() if attribute == "role" else value


def _lone(rounds, names, people, label, attribute: str, only: set[str] | None, absent,
          kind: str, text: str, at) -> RuleStatus:
    """Who sits as the only holder of their value of ``attribute`` in a group (``only``: just
    these values), and who cannot help it (the only one with that value on the day)."""
    present = [p for rnd in rounds[:1] for grp in rnd for p in grp if p not in absent]
    totals: dict[str, int] = {}
    for p in present:
        v = str(people.get(p, {}).get(attribute) or "")
        if v and (only is None or v in only):
            totals[v] = totals.get(v, 0) + 1
    alone: list[tuple[int, int, str, int]] = []     # (round, person, value, group)
    for r, rnd in enumerate(rounds):
        for k, grp in enumerate(rnd):
            count: dict[str, list[int]] = {}
            for p in grp:
                v = str(people.get(p, {}).get(attribute) or "")
                if v in totals:
                    count.setdefault(v, []).append(p)
            alone += [(r, ps[0], v, k) for v, ps in count.items() if len(ps) == 1 and totals[v] > 1]
    unique = sorted((v for v, t in totals.items() if t == 1), key=str.casefold)
    if not totals:
        return RuleStatus(kind, text, True, "nobody here to protect")
    bits = []
    if alone:
        shown = alone[:6]
        bits.append("alone: " + "; ".join(f"{label(p)} ({_value_text(attribute, v)}, {names[k]}{at(r)})"
                                          for r, p, v, k in shown)
                    + (f" and {len(alone) - 6} more" if len(alone) > 6 else ""))
    if unique:
        lone = [p for p in present if str(people.get(p, {}).get(attribute) or "") in unique]
        bits.append("cannot be met for " + ", ".join(
            f"{label(p)} (the only {_value_text(attribute, str(people[p].get(attribute)))})" for p in lone[:6]))
    people_unmet = tuple(dict.fromkeys([p for _r, p, _v, _k in alone]))
    return RuleStatus(kind, text, not alone, "; ".join(bits), people_unmet)


# -- why someone sits where they do, and each group against each goal (issue 15, item 4) ------

GOALS = (("size_spread", "size spread"), ("repeat_pairs", "repeat pairs"),
         ("isolated_minority", "people alone of their kind"), ("school_diversity_gap", "school gap"),
         ("role_diversity_gap", "role gap"), ("readiness_spread", "readiness spread"))


def placement_reasons(pid: int, rules: GroupingRules, rounds: Sequence[Sequence[Sequence[int]]], r: int,
                      names: Sequence[str], people: Mapping[int, Mapping[str, str]], who: Mapping[int, str],
                      locked: frozenset[int] | set[int]) -> list[str]:
    """In words, what keeps ``pid`` in their group of round ``r``: a lock or a rule, and how the
    group looks from their side on each goal (their school, role category, readiness; whom
    they met before)."""
    k = next((i for i, grp in enumerate(rounds[r]) if pid in grp), None)
    name = who.get(pid, f"#{pid}")
    if k is None:
        return [f"{name} is in no group" + (" (absent)." if pid in rules.absent else ": Regroup to place them.")]
    group, mine = rounds[r][k], people.get(pid, {})
    others = [p for p in group if p != pid]
    out = [f"{name} is in {names[k]}" + (f" in round {r + 1}" if len(rounds) > 1 else "") + "."]
    if pid in locked:
        out.append("Locked there by hand (ticked), so Regroup keeps them in this group.")
    for members in rules.keep_together:
        if pid in members:
            out.append("Kept together with " + ", ".join(who.get(p, "?") for p in members if p != pid) + ".")
    for a, b in rules.keep_apart:
        if pid in (a, b):
            out.append(f"Kept apart from {who.get(b if a == pid else a, '?')}.")
    for attr, what in (("school", "school"), ("role", "role category"), ("readiness", "readiness stage")):
        value = str(mine.get(attr) or "")
        if not value:
            continue
        same = [who.get(p, "?") for p in others if str(people.get(p, {}).get(attr) or "") == value]
        shown = _value_text(attr, value)
        if same:
            out.append(f"Same {what} ({shown}) as " + ", ".join(same[:4]) + (" …" if len(same) > 4 else "") + ".")
        else:
            out.append(f"The only one of their {what} ({shown}) here: the group gains a {what}.")
    before = {p for rr in range(r) for grp in rounds[rr] if pid in grp for p in grp} - {pid}
    again = [who.get(p, "?") for p in others if p in before]
    if r:
        out.append("Meets " + ", ".join(again) + " again." if again else "Meets only new people here.")
    return out


def group_quality(rounds: Sequence[Sequence[Sequence[int]]], r: int, names: Sequence[str],
                  people: Mapping[int, Mapping[str, str]]) -> list[str]:
    """One line per group of round ``r``: each goal as this group meets it."""
    out = []
    groups = rounds[r]
    all_people = [p for grp in groups for p in grp]
    schools_here = len({people.get(p, {}).get("school") for p in all_people} - {None, ""})
    earlier = [{p: k for k, grp in enumerate(rounds[rr]) for p in grp} for rr in range(r)]
    for k, grp in enumerate(groups):
        values = {a: [str(people.get(p, {}).get(a) or "") for p in grp] for a in ("school", "role", "readiness")}
        schools = len(set(values["school"]) - {""})
        repeats = sum(1 for i, a in enumerate(grp) for b in grp[i + 1:]
                      if any(w.get(a) is not None and w.get(a) == w.get(b) for w in earlier))
        stages = sorted({("exploring", "planning", "implementing").index(v) for v in values["readiness"]
                         if v in ("exploring", "planning", "implementing")})
        roles = len(set(values["role"]) - {""})
        out.append(f"{names[k]}: {plural(len(grp), 'person', 'people')} · {schools} of "
                   f"{plural(min(len(grp), schools_here), 'possible school')} · "
                   f"{plural(roles, 'role category', 'role categories')} · readiness spread "
                   f"{stages[-1] - stages[0] if stages else 0}"
                   + (f" · {plural(repeats, 'pair')} met before" if r else ""))
    return out
