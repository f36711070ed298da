"""Test doubles. FakeClock: time moves only when a test says so."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone


class FakeClock:
    """A clock for tests: time moves only when ``advance`` is called."""

    def __init__(self, start: datetime | None = None, monotonic: float = 1000.0):
        self._wall = start or datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
        self._mono = monotonic

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)


class FakeDialogs:
    """The dialog seam without boxes: answers given by the test, every question recorded.

    ``FakeDialogs(confirm=True)`` answers every confirm with True; ``queue("confirm", False)``
    answers the next one only (queued answers come first). A question with no answer fails the
    test, so a dialog nobody expected cannot pass unnoticed. Errors need no answer: they are
    recorded in ``errors`` as (title, message)."""

    def __init__(self, **standing):
        self.standing = dict(standing)
        self.queued: dict[str, list] = {}
        self.asked: list[tuple[str, str, str]] = []   # (kind, title, text) of every question
        self.errors: list[tuple[str, str]] = []

    def install(self, monkeypatch) -> "FakeDialogs":
        """Answer every dialog of the app for the rest of the test."""
        monkeypatch.setattr("workshop.ui.dialogs._active", self)
        return self

    def queue(self, kind: str, *answers) -> "FakeDialogs":
        self.queued.setdefault(kind, []).extend(answers)
        return self

    def questions(self, kind: str) -> list[str]:
        """The texts of the questions of one kind, in the order asked."""
        return [text for k, _, text in self.asked if k == kind]

    def _answer(self, kind: str, title: str, text: str):
        self.asked.append((kind, title, text))
        if self.queued.get(kind):
            return self.queued[kind].pop(0)
        if kind in self.standing:
            return self.standing[kind]
        raise AssertionError(f"unexpected {kind} dialog: {title}: {text}")

    def confirm(self, parent, title, question, action):
        return self._answer("confirm", title, question)

    def error(self, parent, title, message):
        self.asked.append(("error", title, message))
        self.errors.append((title, message))

    def ask_text(self, parent, title, label, text=""):
        return self._answer("ask_text", title, label)

    def choose(self, parent, title, message, choices, default, destructive=None):
        answer = self._answer("choose", title, message)
        assert answer is None or answer in choices, f"{answer!r} is not one of {list(choices)}"
        return answer

    def open_file(self, parent, title, filters, directory=""):
        return self._answer("open_file", title, filters)

    def save_file(self, parent, title, suggested, filters):
        return self._answer("save_file", title, suggested)

    def pick_folder(self, parent, title, directory=""):
        return self._answer("pick_folder", title, directory)
