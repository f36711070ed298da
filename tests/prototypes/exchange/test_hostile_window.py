"""The window's Import (a file chosen, or dropped on the window) says why a hostile prototype
file is refused in one message and changes nothing."""
from __future__ import annotations

from prototypes.ui.page import PrototypesPage
from tests.fakes import FakeDialogs
from tests.prototypes.exchange.test_hostile_files import CASES, HOSTILE, stored


def test_every_hostile_file_gets_one_message_and_changes_nothing(qtbot, ctx, academy,
                                                                  monkeypatch):
    page = PrototypesPage(ctx.prototypes, ctx.academies)
    qtbot.addWidget(page)
    page.set_academy(academy.id)
    dialogs = FakeDialogs().install(monkeypatch)
    assert page.import_file(str(HOSTILE / "valid.json"))
    before = stored(ctx.db)
    for name, reason in CASES.items():
        dialogs.errors.clear()
        assert not page.import_file(str(HOSTILE / name)), name
        [(title, message)] = dialogs.errors
        assert title == "Cannot import" and reason in message, (name, message)
        assert message.endswith("Nothing was imported.")
        assert stored(ctx.db) == before, name
    assert len(ctx.prototypes.search()) == 1      # the valid one, in the academy its file names
