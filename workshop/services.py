"""Academy-level actions (one call per user action), shared by the GUI and the CLI."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from workshop.academy import Academy, Participant, fold
from workshop.store.repository import AcademyRepository


class AcademyService:
    def __init__(self, repo: AcademyRepository):
        self.repo = repo
        # Features copy their own per-academy data on duplicate: f(old_id, new_id).
        self.duplicators: list[Callable[[int, int], None]] = []

    def list(self) -> list[Academy]:
        return self.repo.list_academies()

    def get(self, academy_id: int) -> Academy:
        return self.repo.get(academy_id)

    def find(self, title: str) -> Academy:
        return self.repo.find_by_title(title)

    def create(self, title: str, **fields) -> Academy:
        return self.repo.add(Academy(title=title, **fields))

    def rename(self, academy_id: int, title: str) -> Academy:
        academy = self.repo.get(academy_id)
        return self.repo.update(replace(academy, title=title))

    def update(self, academy: Academy) -> Academy:
        return self.repo.update(academy)

    def duplicate(self, academy_id: int, title: str | None = None) -> Academy:
        source = self.repo.get(academy_id)
        taken = {fold(a.title) for a in self.repo.list_academies()}
        if title is None:
            n, title = 1, f"{source.title} (copy)"
            while fold(title) in taken:
                n += 1
                title = f"{source.title} (copy {n})"
        with self.repo.db.atomic():
            copy = self.repo.add(replace(source, id=None, title=title))
            for p in self.repo.participants(academy_id):
                self.repo.add_participant(copy.id, replace(p, id=None))
            for duplicate in self.duplicators:
                duplicate(academy_id, copy.id)
        return copy

    def delete(self, academy_id: int) -> None:
        self.repo.delete(academy_id)

    # -- roster ----------------------------------------------------------------------------
    def participants(self, academy_id: int) -> list[Participant]:
        return self.repo.participants(academy_id)

    def add_participant(self, academy_id: int, participant: Participant,
                        walk_in: bool = False) -> Participant:
        return self.repo.add_participant(academy_id, participant, walk_in=walk_in)

    def update_participant(self, participant: Participant) -> Participant:
        return self.repo.update_participant(participant)

    def edit_participant(self, participant_id: int, **changes) -> Participant:
        """Change some fields; validation runs on the result and nothing is saved if it fails."""
        current = self.repo.participant(participant_id)
        return self.repo.update_participant(replace(current, **changes))

    def remove_participants(self, ids: list[int]) -> None:
        self.repo.delete_participants(ids)
