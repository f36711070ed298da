"""Merge one academy's rows from a bundle into a file, table by table, parents first.

A row new here is added under its own id when that id is free (a bundle imported on a fresh
file comes back identical), under a new one otherwise, and every reference to it follows. A row
already here (same id in the same academy, or the same unique key) is compared: the same is
"unchanged"; a difference is a conflict decided as prototype imports decide them: "ask" (refuse,
nothing written), "replace" (the bundle's), "keep_local" (the copy here). Tables with a stable
uid (prototypes) use the exchange's rule: only a copy here edited since it was last shared, or
newer than the bundle's, is a conflict; otherwise the bundle's version replaces it.

Ids are local: two laptops that each add a person after sharing hand out the same next id. So a
row is matched by its id only when it is the same row: one whose creation stamp (``created_at``)
differs is another row that happens to share the id, and so is one that belongs to another row
than the row here does (the other laptop's new person's check-in, under the id of a check-in of
the person here).
Both arrive as new rows, under new ids. People carry a uid of their own (``Policies.identity``)
and are matched by it.
"""
from __future__ import annotations

import secrets
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass, field

from workshop.bundle import repository as repo
from workshop.bundle.schema import ROOT, Ownership, Policies, Table, parents
from workshop.errors import ValidationError
from workshop.text import fold, plural

ON_CONFLICT = ("ask", "replace", "keep_local")


class BundleConflict(ValidationError):
    """Rows differ between the bundle and the file, and the person has not said which wins."""

    def __init__(self, message: str, conflicts: list[str]):
        super().__init__(message)
        self.conflicts = conflicts


@dataclass
class MergeReport:
    """What an import did, per table."""
    title: str
    academy_id: int = 0
    created: bool = True
    added: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept_local: Counter = field(default_factory=Counter)
    renumbered: Counter = field(default_factory=Counter)
    left_out: dict[str, str] = field(default_factory=dict)

    def format(self) -> str:
        """The report as the CLI prints it: one line per outcome."""
        def rows(counts: Counter) -> str:
            return ", ".join(f"{t} {n}" for t, n in sorted(counts.items()) if n) or "none"
        lines = [f"{'Imported new' if self.created else 'Merged into'} academy "
                 f"{self.academy_id}: {self.title}",
                 f"  added: {plural(sum(self.added.values()), 'row')} ({rows(self.added)})"]
        for label, counts in (("updated", self.updated), ("unchanged", self.unchanged),
                              ("kept as here", self.kept_local), ("new ids", self.renumbered)):
            if sum(counts.values()):
                lines.append(f"  {label}: {plural(sum(counts.values()), 'row')} ({rows(counts)})")
        lines += [f"  left out: {t} ({why})" for t, why in sorted(self.left_out.items())]
        return "\n".join(lines)


def _fresh(value: object) -> str:
    """A new value for a unique random column (a uid, a token) that is taken here."""
    try:
        uuid.UUID(str(value))
        return str(uuid.uuid4())
    except ValueError:
        return secrets.token_urlsafe(max(16, len(str(value)) * 3 // 4))


class _Merge:
    def __init__(self, source: Any, target: Any,
                 tables: dict[str, Table], owner: Ownership, policies: Policies,
                 on_conflict: str, report: MergeReport):
        self.source, self.target, self.tables, self.owner = source, target, tables, owner
        self.policies, self.on_conflict, self.report = policies, on_conflict, report
        self.owned = set(owner.order)
        self.maps: dict[tuple[str, str], dict] = {}
        self.decisions: dict[tuple[str, object], str] = {}
        self.cleared: set[tuple[str, str, object]] = set()
        self.conflicts: list[str] = []
        referenced = {(f.parent, f.parent_column) for t in tables.values()
                      for f in parents(t, self.owned)}
        self.referenced = referenced

    def _remember(self, table: Table, old: dict, new: dict) -> None:
        for parent, column in self.referenced:
            if parent == table.name and old.get(column) is not None:
                self.maps.setdefault((parent, column), {})[old[column]] = new[column]

    def _conflict(self, table: Table, local: dict, incoming: dict, key: dict) -> str:
        label = local.get("title") or local.get("name") or ", ".join(map(str, key.values()))
        if self.on_conflict == "ask":
            self.conflicts.append(f"{table.name} “{label}”")
            return "kept_local"
        if self.on_conflict == "keep_local":
            self.report.kept_local[table.name] += 1
            return "kept_local"
        repo.update(self.target, table, key, {c: v for c, v in incoming.items() if c not in key})
        self.report.updated[table.name] += 1
        return "replaced"

    def _matched(self, table: Table, local_row: tuple, values: dict) -> tuple[dict, str]:
        local = dict(zip(table.columns, local_row))
        key = {c: local[c] for c in table.pk} if table.pk else {}
        incoming = {**values, **key}
        if incoming == local:
            self.report.unchanged[table.name] += 1
            return incoming, "unchanged"
        stable = self.policies.stable.get(table.name)
        if stable is not None:
            edited_here = local[stable.synced] != local[stable.stamp]
            older_file = str(incoming[stable.stamp]) < str(local[stable.stamp])
            if not (edited_here or older_file):   # unchanged here since shared: the bundle's wins
                repo.update(self.target, table, key,
                            {c: v for c, v in incoming.items() if c not in key})
                self.report.updated[table.name] += 1
                return incoming, "replaced"
        return incoming, self._conflict(table, local, incoming, key)

    def _new(self, table: Table, values: dict) -> dict:
        for cols in table.unique:
            if any(table.fk(c) or c == "academy_id" for c in cols):
                continue   # a unique key with a reference in it was matched before
            if len(cols) == 1 and repo.find(self.target, table, cols, [values[cols[0]]]):
                values[cols[0]] = _fresh(values[cols[0]])
        key = table.rowid_key
        if key is not None and repo.find(self.target, table, [key], [values[key]]):
            old = values.pop(key)
            values[key] = repo.insert(self.target, table.name, values)
            self.report.renumbered[table.name] += old != values[key]
        else:
            rowid = repo.insert(self.target, table.name, values)
            if key is not None:
                values[key] = rowid
        self.report.added[table.name] += 1
        return values

    def row(self, table: Table, local_keys: set[tuple], row: tuple) -> None:
        old = dict(zip(table.columns, row))
        values = dict(old)
        moved: list[str] = []   # references whose row sits here under another id
        for f in parents(table, self.owned):
            if values[f.column] is None:
                continue
            mapped = self.maps.get((f.parent, f.parent_column), {})
            if values[f.column] not in mapped:
                return self._leave_out(table, "what they belong to was not imported")
            if mapped[values[f.column]] != values[f.column]:
                moved.append(f.column)
            values[f.column] = mapped[values[f.column]]
            decision = self.decisions.get((f.parent, values[f.column]))
            if decision == "kept_local":
                self.report.kept_local[table.name] += 1
                return None
            if decision == "replaced" and (table.name, f.column, values[f.column]) not in self.cleared:
                repo.delete_children(self.target, table.name, f.column, values[f.column])
                self.cleared.add((table.name, f.column, values[f.column]))
        if table.name == ROOT:
            values["title"] = self.report.title
        local_row = self._find_here(table, local_keys, values, moved)
        if local_row is not None:
            values, decision = self._matched(table, local_row, values)
            if table.name in self.policies.stable and table.rowid_key:
                self.decisions[(table.name, values[table.rowid_key])] = decision
        else:
            stable = self.policies.stable.get(table.name)
            if stable and repo.find(self.target, table, [stable.key], [values[stable.key]]):
                values[stable.key] = _fresh(values[stable.key])   # a copy: its own uid here
            values = self._new(table, values)
        self._remember(table, old, values)
        return None

    def _find_here(self, table: Table, local_keys: set[tuple], values: dict,
                   moved: list[str] = ()) -> tuple | None:
        if table.name == ROOT:
            return (repo.find(self.target, table, ["id"], [self.report.academy_id])
                    if not self.report.created else None)
        stable = self.policies.stable.get(table.name)
        uid = stable.key if stable is not None else self.policies.identity.get(table.name)
        if uid is not None and values.get(uid) is not None:
            here = repo.find(self.target, table, [uid], [values[uid]])
            if here is not None and tuple(here[table.columns.index(c)] for c in table.pk) \
                    in local_keys:
                return here
            if stable is None:   # no row here has its uid: a row of its own, whatever its id
                return None
        elif tuple(values[c] for c in table.pk) in local_keys:
            here = repo.find(self.target, table, table.pk, [values[c] for c in table.pk])
            if here is None or self._same_row(table, here, values, moved):
                return here
        for cols in table.unique:   # the same slot (station position, check-in of a round)
            if any(table.fk(c) or c == "academy_id" for c in cols) and \
                    None not in (values[c] for c in cols):
                here = repo.find(self.target, table, cols, [values[c] for c in cols])
                if here is not None:
                    return here
        return None

    @staticmethod
    def _same_row(table: Table, here: tuple, values: dict, moved: list[str]) -> bool:
        """Whether the row here with the bundle's row's id is that row, not another that only
        shares the id: it belongs to the same rows where those sit here under other ids (the
        other laptop's new person's check-in is not a check-in of the person here with that
        id), and it has the same creation stamp (two laptops' new rotations)."""
        if any(here[table.columns.index(c)] != values[c] for c in moved):
            return False
        key = table.rowid_key
        if key is None or table.fk(key) is not None or "created_at" not in table.columns:
            return True
        return here[table.columns.index("created_at")] == values["created_at"]

    def _leave_out(self, table: Table, why: str) -> None:
        self.report.left_out.setdefault(table.name, why)


def merge(source: Any, source_academy: int, target: Any,
          tables: dict[str, Table], owner: Ownership, policies: Policies, *, title: str,
          on_conflict: str = "ask",
          progress: Callable[[int, int], object] | None = None) -> MergeReport:
    """Merge the bundle's academy into ``target`` (call inside ``write(target)``: all or none)."""
    if on_conflict not in ON_CONFLICT:
        raise ValueError(f"on_conflict must be one of {ON_CONFLICT}")
    report = MergeReport(title=title)
    _, _, created_at = next(a for a in repo.academies_in(source) if a[0] == source_academy)
    for aid, here_title, here_created in repo.academies_in(target):
        if fold(here_title) == fold(title):
            if here_created != created_at:
                raise ValidationError(
                    f"An academy called “{here_title}” is already here, and it is another "
                    "academy (created at another time); import the bundle under another title "
                    "(--as TITLE).")
            report.academy_id, report.created = aid, False
    work = _Merge(source, target, tables, owner, policies, on_conflict, report)
    # Tables holding ids in their text go last: whether their ids still hold is known then.
    order = [t for t in owner.order if t not in policies.ids_inside] + \
            [t for t in owner.order if t in policies.ids_inside]
    counts = {t: repo.count_rows(source, owner, t, source_academy) for t in order}
    total, done = sum(counts.values()), 0
    for name in order:
        table = tables[name]
        inside = policies.ids_inside.get(name)
        if inside and report.renumbered[inside] and counts[name]:
            report.left_out[name] = f"its {inside} ids were renumbered here"
            done += counts[name]
            continue
        local = set() if report.created else repo.academy_keys(target, owner, table,
                                                                 report.academy_id)
        for row in repo.academy_rows(source, owner, table, source_academy):
            work.row(table, local, row)
            if name == ROOT:
                report.academy_id = work.maps.get((ROOT, "id"), {}).get(row[0], report.academy_id)
            done += 1
            if progress and (done % 200 == 0 or done == total):
                progress(done, total)
    if work.conflicts:
        shown = ", ".join(work.conflicts[:5]) + (" …" if len(work.conflicts) > 5 else "")
        raise BundleConflict(
            f"{plural(len(work.conflicts), 'row')} {'differs' if len(work.conflicts) == 1 else 'differ'}"
            " between the bundle and the copy here "
            f"({shown}); nothing was imported. Import again choosing the bundle's versions "
            "(--replace) or the copies here (--keep-local).", work.conflicts)
    return report
