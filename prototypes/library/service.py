"""The app's side of the district library: open one read-only, search it, copy a prototype
into the current academy (a new draft there, with the library's content and no people)."""
from __future__ import annotations

from pathlib import Path

from prototypes.library import repository as repo
from prototypes.prototype import Prototype
from workshop.errors import ValidationError
from workshop.store.health import SQLITE_FAILURES


class DistrictLibrary:
    """One library file, read-only."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.db = repo.open_read_only(self.path)
        except SQLITE_FAILURES as exc:
            raise ValidationError(f"{self.path.name} cannot be opened as a district library "
                                  f"({' '.join(str(exc).split())[:100]}).") from None

    def search(self, words: str = "", limit: int = 100) -> list[dict]:
        """Prototypes whose texts hold every typed word (as a prefix), best first."""
        try:
            return repo.search(self.db, words, limit)
        except SQLITE_FAILURES as exc:
            raise ValidationError(f"The library could not be searched ({exc}).") from None

    def copy_into(self, prototypes, academy_id: int, library_id: int) -> Prototype:
        """A new draft in ``academy_id`` with the library prototype's content."""
        content = repo.prototype_content(self.db, library_id)
        if content is None:
            raise ValidationError(f"The library has no prototype number {library_id}.")
        content.pop("academy")
        content.pop("team")
        title = content.pop("title")
        return prototypes.create(academy_id, title, **content)

    def close(self) -> None:
        self.db.close()
