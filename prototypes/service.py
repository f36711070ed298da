"""Prototype actions, one call per user action, shared by the window and the CLI.

Every call that changes something writes it to SQLite before it returns (nothing lives only in
memory) and stamps the prototype's ``updated_at`` from the injected clock; editing an iteration
counts as editing its prototype, because both travel together in an export.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from prototypes.check import SafeToTryCheck
from prototypes.exchange import format as exchange
from prototypes.exchange import measures as exchange_measures
from prototypes.exchange.format import ConflictError
from prototypes.pdsa import Iteration, diff, next_iteration
from prototypes.rollout import exchange as rollout_exchange
from prototypes.prototype import Prototype, PrototypeSummary
from prototypes.measures.service import MeasureService
from prototypes.repository import PrototypeRepository
from prototypes.repository.measures import MeasureRepository
from workshop.academy.model import teams_of
from workshop.text import fold
from workshop.clock import Clock
from workshop.store.transactions import write

ON_CONFLICT = ("ask", "replace", "keep_local")
# Rows the library loads per keystroke (more arrive as the list scrolls): a screenful and a
# half, so that typing costs the same with 50 prototypes or 5,000.
LIBRARY_ROWS = 60


@dataclass(frozen=True)
class DeletedPrototype:
    """A deleted prototype's stored rows, kept so that undo can put it back as it was."""
    row: dict
    cycles: tuple = ()
    measures: tuple = ()     # MeasureRepository.stored_rows of each measure

    @property
    def title(self) -> str:
        return str(self.row.get("title", ""))


@dataclass(frozen=True)
class ImportResult:
    """What importing one prototype document did, and the line the status bar shows."""
    prototype: Prototype
    action: str          # "created", "updated", "unchanged" or "kept_local"
    academy_title: str

    @property
    def message(self) -> str:
        """The outcome in a sentence ("Imported “…” (Spring Academy).")."""
        what = {"created": "Imported", "updated": "Updated", "unchanged": "Already up to date:",
                "kept_local": "Kept the copy here of"}[self.action]
        return f"{what} “{self.prototype.title}” ({self.academy_title})."


class PrototypeService:
    """The prototype actions of the window and the CLI, each saved before it returns."""
    def __init__(self, repo: PrototypeRepository, academies, clock: Clock):
        self.repo = repo
        self.academies = academies      # workshop.academy.service.AcademyService
        self.clock = clock
        # The team plans (prototypes.rollout.service.RolloutService), set by the composition
        # root: each export carries its team's vision and plan, and an import restores them.
        self.rollout = None
        self.measures = MeasureService(MeasureRepository(repo.db), self)

    def _stamp(self) -> str:
        return self.clock.now().isoformat(timespec="seconds")

    def _today(self) -> date:
        return self.clock.now().date()

    # -- library ---------------------------------------------------------------------------
    def search(self, academy_id: int | None = None, query: str = "", *,
               limit: int | None = None, offset: int = 0, **filters) -> list[PrototypeSummary]:
        """Library rows by title; ``academy_id=None`` means every academy. Filters: team,
        status, model, core (a Core Four key); ``query`` is typed words, each a prefix."""
        return self.repo.search(academy_id, query, limit=limit, offset=offset, **filters)

    def library(self, academy_id: int | None = None, query: str = "",
                **filters) -> tuple[list[PrototypeSummary], int]:
        """What the library asks on each keystroke: the first LIBRARY_ROWS matches by title,
        and how many match in all (the rest is fetched with ``search`` as the list scrolls)."""
        rows = self.repo.search(academy_id, query, limit=LIBRARY_ROWS, **filters)
        total = len(rows)
        if total == LIBRARY_ROWS:
            total = self.repo.count_matches(academy_id, query, **filters)
        return rows, total

    def teams(self, academy_id: int | None = None) -> list[str]:
        """Teams to choose from: the academy's schools plus any team already named."""
        names = set(self.repo.teams(academy_id))
        if academy_id is not None:
            names |= {t.school for t in teams_of(self.academies.participants(academy_id))
                      if t.school != "(no school)"}
        return sorted(names, key=fold)

    def get(self, prototype_id: int) -> Prototype:
        """One prototype with its content, status and check."""
        return self.repo.get(prototype_id)

    def create(self, academy_id: int, title: str, *, team: str = "", on: date | None = None,
               **fields) -> Prototype:
        """A new draft (dated today, or ``on`` for one drafted earlier)."""
        stamp = self._stamp()
        p = Prototype(title=title, team=team, **fields,
                      history=({"status": "draft", "on": on or self._today()},),
                      created_at=stamp, updated_at=stamp)
        self.academies.get(academy_id)  # a clear error for an unknown academy
        return self.repo.add(p, academy_id)

    def delete(self, prototype_id: int) -> DeletedPrototype:
        """Remove a prototype and its iterations; returns what ``restore`` needs to undo it."""
        with write(self.repo.db):
            row, cycles = self.repo.stored_rows(prototype_id)
            measures = self.measures.repo.prototype_rows(prototype_id)
            self.repo.delete(prototype_id)
        return DeletedPrototype(row, tuple(cycles), tuple(measures))

    def restore(self, deleted: DeletedPrototype) -> Prototype:
        """Put a deleted prototype back exactly as it was (the undo of ``delete``)."""
        with write(self.repo.db):
            self.repo.restore_rows(deleted.row, list(deleted.cycles))
            self.measures.repo.restore_rows(list(deleted.measures))
        return self.repo.get(deleted.row["id"])

    # -- editing ---------------------------------------------------------------------------
    def _save(self, old: Prototype, new: Prototype) -> Prototype:
        if new == old:
            return old
        return self.repo.save(replace(new, updated_at=self._stamp()))

    def update(self, prototype_id: int, **changes) -> Prototype:
        """Change content fields (title, why, core_four…); validated, saved at once."""
        p = self.repo.get(prototype_id)
        return self._save(p, p.edit(**changes))

    def set_check(self, prototype_id: int, check: SafeToTryCheck) -> Prototype:
        """Save a changed safe-to-try check (risks, consent, objections)."""
        p = self.repo.get(prototype_id)
        return self._save(p, replace(p, check=check))

    def change_status(self, prototype_id: int, status: str, on: date | None = None) -> Prototype:
        """Move along draft → trying → …, dated today unless ``on`` says otherwise;
        ValidationError says why a move is refused."""
        p = self.repo.get(prototype_id)
        return self._save(p, p.move_to(status, on or self._today()))

    def revert_status(self, prototype_id: int) -> Prototype:
        """Undo the last status change (the editor's undo; no rules apply going back)."""
        p = self.repo.get(prototype_id)
        return self._save(p, p.revert_status())

    # -- iterations ------------------------------------------------------------------------
    def iterations(self, prototype_id: int) -> list[Iteration]:
        """The prototype's PDSA cycles, by number."""
        return self.repo.iterations(prototype_id)

    def start_iteration(self, prototype_id: int) -> Iteration:
        """A new PDSA cycle testing the current version, planned from the last "next change"."""
        p = self.repo.get(prototype_id)
        it = next_iteration(p, self.repo.iterations(prototype_id), self._today())
        with write(self.repo.db):
            it = self.repo.add_iteration(prototype_id, it)
            self.repo.touch(prototype_id, self._stamp())
        return it

    def update_iteration(self, iteration_id: int, **changes) -> Iteration:
        """Change some fields of a cycle; validated, saved at once."""
        it = self.repo.iteration(iteration_id)
        new = it.edit(**changes)
        if new == it:
            return it
        with write(self.repo.db):
            self.repo.save_iteration(new)
            self.repo.touch(it.prototype_id, self._stamp())
        return new

    def delete_iteration(self, iteration_id: int) -> Iteration:
        """Remove a cycle; returns it so that undo can put it back with ``restore_iteration``."""
        it = self.repo.iteration(iteration_id)
        with write(self.repo.db):
            self.repo.delete_iteration(iteration_id)
            self.repo.touch(it.prototype_id, self._stamp())
        return it

    def restore_iteration(self, iteration: Iteration) -> Iteration:
        """Put back a deleted cycle (undo of ``delete_iteration``)."""
        with write(self.repo.db):
            it = self.repo.add_iteration(iteration.prototype_id, replace(iteration, id=None))
            self.repo.touch(iteration.prototype_id, self._stamp())
        return it

    def versions(self, prototype_id: int) -> list[tuple[str, dict]]:
        """Every version an iteration tested, oldest first, then the current one."""
        out = [(f"Cycle {it.number} ({it.started_on:%d %b %Y})", it.snapshot)
               for it in self.repo.iterations(prototype_id)]
        return out + [("Now", self.repo.get(prototype_id).snapshot())]

    @staticmethod
    def diff(before: dict, after: dict):
        """What changed between two versions (snapshots), field by field."""
        return diff(before, after)

    # -- exchange --------------------------------------------------------------------------
    def export_document(self, prototype_id: int, *, prototype: Prototype | None = None,
                        iterations: list[Iteration] | None = None,
                        series: list | None = None, academy_title: str | None = None,
                        plan=None) -> dict:
        """The exchange document; remembers this version as the last one shared.
        ``prototype``, ``iterations``, ``series``, ``academy_title``, ``plan`` (the team's
        rollout plan): what the caller has just read of it (the pack's team folder reads each
        once for the print and the attachment, the title and the plan once a team)."""
        p = prototype if prototype is not None else self.repo.get(prototype_id)
        if iterations is None:
            iterations = self.repo.iterations(prototype_id)
        if series is None:
            series = self.measures.all_series(prototype_id, iterations)
        if academy_title is None:
            academy_title = self.academies.get(p.academy_id).title
        doc = exchange.to_document(p, iterations, academy_title)
        section = (self.rollout.export_section(p.academy_id, p.team, plan) if self.rollout
                   else None)
        if section:
            doc[rollout_exchange.SECTION] = section
        doc[exchange_measures.KEY] = exchange_measures.section(series)
        self.repo.mark_synced(prototype_id, p.updated_at)
        return doc

    def export_json(self, prototype_id: int, *, compact: bool = False, **read) -> str:
        """The exchange document as canonical JSON text (see ``export_document``); ``compact``:
        on one line, as a prototype PDF carries it (the same content, written faster)."""
        dumps = exchange.dumps_compact if compact else exchange.dumps
        return dumps(self.export_document(prototype_id, **read))

    def import_document(self, data: dict, academy_id: int | None = None,
                        on_conflict: str = "ask") -> ImportResult:
        """Create or update a prototype from a parsed export, all or nothing.

        Matched by its uid. With no ``academy_id`` an update stays where it is and a new one
        goes to the academy named in the file (created if this installation has none). When the
        copy here was edited after it was last exported/imported, or the file is older than the
        copy here, ``on_conflict`` decides: "ask" raises ConflictError, "replace" takes the
        file's version, "keep_local" leaves the copy here as it is.
        """
        if on_conflict not in ON_CONFLICT:
            raise ValueError(f"on_conflict must be one of {ON_CONFLICT}")
        # Checked before anything is written: a bad plan refuses the whole file.
        plan = rollout_exchange.parse_section(
            data.get(rollout_exchange.SECTION) if isinstance(data, dict) else None)
        with write(self.repo.db):
            result = self._import_one(data, academy_id, on_conflict)
            if self.rollout is not None:   # the team's vision and plan come back with it
                p = result.prototype
                self.rollout.import_section(p.academy_id, p.team, plan)
            return result

    def _import_one(self, data: dict, academy_id: int | None, on_conflict: str) -> ImportResult:
        incoming, iterations, academy_title = exchange.parse_document(data)
        measures = exchange_measures.parse(data, {it.number for it in iterations})
        with write(self.repo.db):
            local = self.repo.by_uid(incoming.uid)
            if academy_id is None:
                academy_id = local.academy_id if local else self._academy_named(academy_title)
            academy = self.academies.get(academy_id)
            if local is None:
                p = self.repo.add(incoming, academy_id)
                self.repo.replace_iterations(p.id, iterations)
                self._import_measures(p.id, measures)
                self.repo.mark_synced(p.id, p.updated_at)
                return ImportResult(self.repo.get(p.id), "created", academy.title)
            same = (exchange.to_document(local, self.repo.iterations(local.id), "")
                    == exchange.to_document(incoming, iterations, "")) and (
                measures is None or exchange_measures.as_section(measures)
                == exchange_measures.section(self.measures.all_series(local.id)))
            if same and local.academy_id == academy_id:
                self.repo.mark_synced(local.id, local.updated_at)
                return ImportResult(local, "unchanged", academy.title)
            edited_here = self.repo.synced_at(local.id) != local.updated_at
            older_file = (datetime.fromisoformat(incoming.updated_at)
                          < datetime.fromisoformat(local.updated_at))
            if not same and (edited_here or older_file):
                if on_conflict == "keep_local":
                    return ImportResult(local, "kept_local", academy.title)
                if on_conflict == "ask":
                    raise ConflictError(self._conflict_message(local, incoming, edited_here),
                                        local=local, incoming=incoming)
            p = self.repo.save(replace(incoming, id=local.id, academy_id=academy_id))
            self.repo.replace_iterations(p.id, iterations)
            self._import_measures(p.id, measures)
            self.repo.mark_synced(p.id, p.updated_at)
            return ImportResult(self.repo.get(p.id), "updated", academy.title)

    def _import_measures(self, prototype_id: int, measures) -> None:
        # A file without the section (format version 1) leaves the measures here as they are.
        if measures is not None:
            self.measures.repo.replace_all(prototype_id, measures)
            self.repo.reindex(prototype_id)

    def import_documents(self, documents: list[dict], academy_id: int | None = None,
                         on_conflict: str = "ask") -> list[ImportResult]:
        """Import several parsed exports (a team's folder, a PDF's attachments) all or none."""
        with write(self.repo.db):
            return [self.import_document(data, academy_id, on_conflict=on_conflict)
                    for data in documents]

    def _academy_named(self, title: str) -> int:
        if not title.strip():
            raise exchange.FormatError("The file names no academy; choose one to import into.")
        for a in self.academies.list():
            if fold(a.title) == fold(title):
                return a.id
        return self.academies.create(title).id

    @staticmethod
    def _conflict_message(local: Prototype, incoming: Prototype, edited_here: bool) -> str:
        if edited_here:
            why = (f"“{local.title}” was changed here (last edit {local.updated_at}) since it was "
                   "last exported or imported")
        else:
            why = f"The copy of “{local.title}” here is newer ({local.updated_at})"
        return (f"{why}; the file's version was saved {incoming.updated_at}. Importing would "
                "overwrite the copy here. Replace it with the file's version, or keep the copy here?")


__all__ = ["PrototypeService", "ImportResult", "ConflictError", "ON_CONFLICT"]
