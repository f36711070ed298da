"""Academy-level actions (one call per user action), shared by the GUI and the CLI."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from workshop.academy import roles
from workshop.academy.model import Academy, Participant
from workshop.errors import ValidationError
from workshop.text import fold
from workshop.academy.repository import AcademyRepository
from workshop.store.transactions import write

if TYPE_CHECKING:   # the roster's reader and writer load when a roster is imported or exported
    from workshop.academy.roster.plan import ImportPlan
    from workshop.academy.roster.report import ImportReport


class AcademyService:
    """Academies and their rosters: the actions of the shell's pages and the CLI."""
    def __init__(self, repo: AcademyRepository):
        self.repo = repo
        # Features copy their own per-academy data on duplicate: f(old_id, new_id).
        self.duplicators: list[Callable[[int, int], None]] = []

    def list(self) -> list[Academy]:
        """Every academy, by title."""
        return self.repo.list_academies()

    def get(self, academy_id: int) -> Academy:
        """One academy; ValidationError if there is no such academy."""
        return self.repo.get(academy_id)

    def find(self, title: str) -> Academy:
        """The academy with this title (ignoring case and accents); ValidationError if none."""
        return self.repo.find_by_title(title)

    def create(self, title: str, **fields) -> Academy:
        """A new, empty academy."""
        return self.repo.add(Academy(title=title, **fields))

    def rename(self, academy_id: int, title: str) -> Academy:
        """Give an academy a new title."""
        academy = self.repo.get(academy_id)
        return self.repo.update(replace(academy, title=title))

    def update(self, academy: Academy) -> Academy:
        """Save an edited academy (title, dates, place…)."""
        return self.repo.update(academy)

    def duplicate(self, academy_id: int, title: str | None = None) -> Academy:
        """A copy of an academy with its roster and every feature's data, "(copy)" by default."""
        source = self.repo.get(academy_id)
        taken = {fold(a.title) for a in self.repo.list_academies()}
        if title is None:
            n, title = 1, f"{source.title} (copy)"
            while fold(title) in taken:
                n += 1
                title = f"{source.title} (copy {n})"
        with write(self.repo.db):
            copy = self.repo.add(replace(source, id=None, title=title))
            for p in self.repo.participants(academy_id):
                self.repo.add_participant(copy.id, replace(p, id=None))
            for duplicate in self.duplicators:
                duplicate(academy_id, copy.id)
        return copy

    def renew(self, academy_id: int) -> None:
        """The academy and its people as if made now (a template's copy): new creation stamps,
        and a new uid for each person, so two copies are never taken for one academy."""
        self.repo.renew(academy_id)

    def delete(self, academy_id: int) -> None:
        """Remove an academy and everything in it."""
        self.repo.delete(academy_id)

    # -- roster ----------------------------------------------------------------------------
    def participants(self, academy_id: int) -> list[Participant]:
        """The academy's roster, by name."""
        return self.repo.participants(academy_id)

    def add_participant(self, academy_id: int, participant: Participant,
                        walk_in: bool = False) -> Participant:
        """Add one person to the roster (``walk_in``: joined on the day from a phone)."""
        return self.repo.add_participant(academy_id, participant, walk_in=walk_in)

    def walk_in_ids(self, academy_id: int) -> set[int]:
        """Participants who joined on the day from a phone, not from the imported roster."""
        return self.repo.walk_in_ids(academy_id)

    def restore_walk_in(self, academy_id: int, person: Participant) -> None:
        """Undo a walk-in's merge into the roster: the walk-in back, with the same id."""
        self.repo.restore_walk_in(academy_id, person)

    def update_participant(self, participant: Participant) -> Participant:
        """Save an edited participant."""
        return self.repo.update_participant(participant)

    def edit_participant(self, participant_id: int, **changes) -> Participant:
        """Change some fields; validation runs on the result and nothing is saved if it fails."""
        current = self.repo.participant(participant_id)
        return self.repo.update_participant(replace(current, **changes))

    def remove_participants(self, ids: list[int]) -> None:
        """Take these people off the roster (``restore_participants`` undoes it)."""
        self.repo.delete_participants(ids)

    def restore_participants(self, academy_id: int, people: list[Participant]) -> None:
        """Undo a removal: the same people, with the same ids, back on the roster."""
        self.repo.restore_participants(academy_id, people)

    def setting(self, academy_id: int, key: str, default=None):
        """One of the academy's settings (a feature's small choice), or ``default``."""
        return self.repo.settings(academy_id).get(key, default)

    def set_setting(self, academy_id: int, key: str, value) -> None:
        """Keep one of the academy's settings."""
        self.repo.get(academy_id)
        self.repo.set_setting(academy_id, key, value)

    # -- role categories and school spellings --------------------------------------------------
    def role_overrides(self, academy_id: int) -> dict[str, str]:
        """The academy's own role → category choices (keyed by ``roles.role_key``)."""
        saved = self.repo.settings(academy_id).get("role_categories")
        return {k: v for k, v in saved.items() if isinstance(k, str) and v in roles.CATEGORIES} \
            if isinstance(saved, dict) else {}

    def role_categories(self, academy_id: int) -> list[tuple[str, int, str]]:
        """Every role on the roster with its head count and category (the Roster page's table)."""
        return roles.role_table((p.role for p in self.repo.participants(academy_id)),
                                self.role_overrides(academy_id))

    def categories(self, academy_id: int) -> dict[int, str]:
        """participant id → role category: what balancing and protecting roles use."""
        overrides = self.role_overrides(academy_id)
        return {p.id: roles.category_of(p.role, overrides) for p in self.repo.participants(academy_id)}

    def set_role_category(self, academy_id: int, role: str, category: str | None) -> str | None:
        """File ``role`` (any case) under ``category`` for this academy (None: back to the
        default). Returns the choice it replaces, for undo."""
        if category is not None and category not in roles.CATEGORIES:
            raise ValidationError(f"“{category}” is not a role category; choose one of "
                                  f"{', '.join(roles.CATEGORIES)}.")
        key = roles.role_key(role)
        if not key:
            raise ValidationError("A blank role has no category.")
        overrides = self.role_overrides(academy_id)
        before = overrides.pop(key, None)
        if category is not None and category != roles.default_category(role):
            overrides[key] = category
        self.repo.set_setting(academy_id, "role_categories", overrides)
        return before

    def similar_schools(self, academy_id: int) -> list[tuple[str, str]]:
        """Pairs of school spellings on the roster that are probably one school."""
        return roles.similar_schools(p.school for p in self.repo.participants(academy_id))

    def merge_school(self, academy_id: int, spelling: str, into: str) -> list[Participant]:
        """Everyone whose school is ``spelling`` (any case) now at ``into``, in one transaction.
        Returns them as they were, for ``restore_people`` (undo)."""
        people = [p for p in self.repo.participants(academy_id) if fold(p.school) == fold(spelling)]
        if not people or not into.strip():
            raise ValidationError(f"Nobody on the roster is at “{spelling}”.")
        self.repo.import_participants(academy_id, [], [replace(p, school=into) for p in people])
        return people

    def restore_people(self, academy_id: int, people: list[Participant]) -> None:
        """Save these people as given, in one transaction (undo of a school merge)."""
        self.repo.import_participants(academy_id, [], [replace(p) for p in people])

    def export_roster_csv(self, academy_id: int) -> str:
        """The roster as CSV text; cells a spreadsheet would run as formulas are neutralised."""
        self.repo.get(academy_id)
        from workshop.academy.roster.csvfile import roster_csv
        return roster_csv(self.repo.participants(academy_id))

    def import_roster(self, academy_id: int, plan: ImportPlan,
                      progress: Callable[[int, int], None] | None = None) -> ImportReport:
        """Add a roster in one transaction, merging people already there; report every row.

        Same person = same email, or (when the emails do not disagree) same name and school,
        compared without case or accents. A merge fills in the fields the file has a value
        for and never blanks one out; the name already on the roster is kept, and so is any
        value that differs only in case or accents.
        """
        if plan.problem:
            raise ValidationError(plan.problem)
        self.repo.get(academy_id)
        from workshop.academy.roster.report import ImportReport
        report = ImportReport(plan.source)
        by_email: dict[str, Participant] = {}
        by_name: dict[str, Participant] = {}
        origin: dict[int, int] = {}  # id(new participant) -> the file row it came from
        new: list[Participant] = []
        changed: dict[int, Participant] = {}

        def remember(p: Participant) -> None:
            if p.email:
                by_email.setdefault(p.email, p)
            by_name.setdefault(_name_key(p), p)

        for p in self.repo.participants(academy_id):
            remember(p)
        for row in plan.rows:
            incoming = row.participant
            if incoming is None:
                report.add(row.row, "skipped", "", row.error)
                continue
            target, why = by_email.get(incoming.email) if incoming.email else None, "same email"
            if target is None:
                candidate = by_name.get(_name_key(incoming))
                if candidate and (not incoming.email or not candidate.email):
                    target, why = candidate, "same name and school"
            note = f"; {row.note}" if row.note else ""
            if target is None:
                new.append(incoming)
                origin[id(incoming)] = row.row
                remember(incoming)
                report.add(row.row, "imported", incoming.name, f"new{note}")
                continue
            updates = {f: getattr(incoming, f) for f in ("email", "school", "role", "readiness")
                       if f in row.provided
                       and fold(getattr(incoming, f)) != fold(getattr(target, f))}
            for f, value in updates.items():
                setattr(target, f, value)
            remember(target)
            if id(target) in origin:
                where = f"same person as row {origin[id(target)]}"
            else:
                where = f"already on the roster as {target.name}"
                if updates:
                    changed[target.id] = target
            what = f"updated {', '.join(updates)}" if updates else "nothing changed"
            report.add(row.row, "merged", incoming.name, f"{where} ({why}); {what}{note}")
        # Validate what merges produced before anything is written.
        for p in [*new, *changed.values()]:
            replace(p)
        self.repo.import_participants(academy_id, new, list(changed.values()), progress)
        return report


def _name_key(p: Participant) -> str:
    return f"{fold(p.name)}|{fold(p.school)}"
