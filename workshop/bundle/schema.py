"""Which tables belong to an academy, read from the schema itself (pure: no SQL here).

A table belongs to an academy when a chain of foreign keys leads from it to ``academies`` (or
it has an ``academy_id`` column: a table that forgot its REFERENCES still belongs). Nothing is
listed by hand, so a table another feature adds tomorrow is carried by every bundle the day it
exists; a table that is neither reachable nor explicitly excluded is reported by ``uncovered``
(and ``tests/workshop/bundle/test_coverage.py`` fails on it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROOT = "academies"

# Not an academy's: the migration records (the bundle has its own), SQLite's own tables.
EXCLUDED = frozenset({"_migrations", "_bundle", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})


@dataclass(frozen=True)
class ForeignKey:
    """``table.column`` references ``parent.parent_column``."""
    column: str
    parent: str
    parent_column: str


@dataclass(frozen=True)
class Table:
    """One table as the bundle needs it: columns in order, primary key, foreign keys."""
    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    notnull: tuple[bool, ...]
    pk: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    virtual: bool = False
    external_content: bool = False   # an FTS index kept by triggers on its content table
    unique: tuple[tuple[str, ...], ...] = ()   # UNIQUE constraints/indexes other than the pk

    @property
    def rowid_key(self) -> str | None:
        """The INTEGER PRIMARY KEY column (an alias of the rowid: a number that can be renumbered)."""
        if len(self.pk) == 1:
            i = self.columns.index(self.pk[0])
            if self.types[i].upper() == "INTEGER":
                return self.pk[0]
        return None

    def fk(self, column: str) -> ForeignKey | None:
        return next((f for f in self.foreign_keys if f.column == column), None)


@dataclass
class Ownership:
    """The academy's tables, parents before children, and how each reaches the academy."""
    order: list[str] = field(default_factory=list)
    # table -> the foreign key (or implied academy_id) its rows are selected through
    path: dict[str, ForeignKey] = field(default_factory=dict)
    derived: set[str] = field(default_factory=set)     # indexes rebuilt by triggers
    uncovered: list[str] = field(default_factory=list)


def _shadow_of(name: str, virtual: set[str]) -> bool:
    # FTS5/FTS4/R-tree keep their data in <name>_data, _idx, _content, _docsize, _config…
    return any(name.startswith(v + "_") for v in virtual)


def ownership(tables: dict[str, Table], excluded: frozenset[str] = EXCLUDED) -> Ownership:
    """Walk the foreign keys from ``academies`` down; what is left over is ``uncovered``."""
    out = Ownership()
    virtual = {t.name for t in tables.values() if t.virtual}
    links: dict[str, list[ForeignKey]] = {}
    for t in tables.values():
        fks = list(t.foreign_keys)
        if "academy_id" in t.columns and not t.fk("academy_id") and t.name != ROOT:
            fks.append(ForeignKey("academy_id", ROOT, "id"))
        links[t.name] = fks
    owned = {ROOT} if ROOT in tables else set()
    if owned:
        out.order.append(ROOT)
    # Breadth first: each table joins through the first owned parent found, the shortest chain.
    changed = True
    while changed:
        changed = False
        for name in sorted(tables):
            # An excluded table stays on this laptop even when it hangs off an academy (the
            # room's Wi-Fi password): it is never carried, whatever its foreign keys say.
            if name in owned or name in excluded or tables[name].virtual or _shadow_of(name, virtual):
                continue
            via = next((f for f in links[name] if f.parent in owned), None)
            if via is not None:
                out.path[name] = via
                owned.add(name)
                changed = True
    # Insertion order: every owned parent of a table before it (foreign keys stay satisfied).
    pending = sorted(owned - {ROOT})
    while pending:
        ready = [n for n in pending if all(f.parent not in owned or f.parent in out.order
                                           or f.parent == n for f in links[n])]
        if not ready:   # a cycle of foreign keys: keep the discovery order for the rest
            ready = pending[:1]
        for n in ready:
            out.order.append(n)
            pending.remove(n)
    for name in sorted(tables):
        t = tables[name]
        if name in owned or name in excluded:
            continue
        if _shadow_of(name, virtual) or (t.virtual and t.external_content):
            out.derived.add(name)
            continue
        out.uncovered.append(name)
    return out


def parents(table: Table, owned: set[str]) -> list[ForeignKey]:
    """The foreign keys of ``table`` into other academy tables (the columns to renumber)."""
    fks = list(table.foreign_keys)
    if "academy_id" in table.columns and not table.fk("academy_id") and table.name != ROOT:
        fks.append(ForeignKey("academy_id", ROOT, "id"))
    return [f for f in fks if f.parent in owned]


@dataclass(frozen=True)
class Stable:
    """Rows matched by a stable ``key`` (a uid) under the prototype exchange's conflict rules:
    the copy here wins a difference when it was edited since it was last shared (``stamp`` is
    not ``synced``) or is newer than the bundle's; otherwise the bundle's replaces it."""
    key: str
    stamp: str
    synced: str


@dataclass(frozen=True)
class Policies:
    """What features declare about their tables (gathered by the composition root).

    ``stable``: tables merged by a uid (see ``Stable``). ``ids_inside``: tables whose text
    holds ids of another table (a JSON draft of participant ids): when that table's ids had to
    be renumbered, those rows are left out and said so, rather than point at the wrong rows.
    ``excluded``: tables that are no academy's, on top of ``EXCLUDED``. ``identity``: tables
    whose rows are matched by a uid column rather than their local id (a difference is still a
    conflict the person decides), so two laptops' new rows under the same id are two rows."""
    stable: dict[str, Stable] = field(default_factory=dict)
    ids_inside: dict[str, str] = field(default_factory=dict)
    excluded: frozenset[str] = frozenset()
    identity: dict[str, str] = field(default_factory=dict)

    def merged(self, other: Policies) -> Policies:
        return Policies({**self.stable, **other.stable}, {**self.ids_inside, **other.ids_inside},
                        self.excluded | other.excluded, {**self.identity, **other.identity})


# Each feature declares its tables' policies when its migrations module loads (the composition
# root loads every migrations module before it opens a file); the shell imports no feature.
_DECLARED: dict[str, Policies] = {}


def declare(feature: str, policies: Policies) -> Policies:
    """Record a feature's bundle policies (again for the same feature: replaced)."""
    _DECLARED[feature] = policies
    return policies


def declared() -> Policies:
    """Every feature's policies together."""
    out = Policies()
    for policies in _DECLARED.values():
        out = out.merged(policies)
    return out
