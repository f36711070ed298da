"""Prototypes ▸ Open district library…: read-only, searched as you type, a prototype copied
into the current academy as a new draft (issue 16 item 5)."""
from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import Qt

from prototypes.ui.district_library import DistrictLibraryDialog
from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("prototypes")


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from prototypes.library.build import build
    from tests.workshop.bundle.conftest import full_context
    folder = tmp_path_factory.mktemp("district")
    ctx, academy_id = full_context(folder / "room.sqlite")
    try:
        ctx.bundles.export(academy_id, folder / "demo.bundle")
        build(ctx.bundles, folder / "library.sqlite", [folder / "demo.bundle"],
              say=lambda text: None)
    finally:
        ctx.close()
    return folder / "library.sqlite"


def test_search_and_copy_a_prototype_in(qtbot, window, ctx, academy, library, monkeypatch):
    before = hashlib.sha256(library.read_bytes()).hexdigest()
    window.open_academy(academy.id)
    window.show_page("prototypes")
    FakeDialogs().queue("open_file", str(library)).install(monkeypatch)
    page = window.page("prototypes")
    page.district_action.trigger()
    dialog = page.findChild(DistrictLibraryDialog)
    qtbot.addWidget(dialog)
    assert dialog.results.count() == 4
    qtbot.keyClicks(dialog.search, "stat")
    titles = [dialog.results.item(i).text() for i in range(dialog.results.count())]
    assert titles and all("tation" in t or "stat" in t.lower() for t in titles[:1])
    dialog.results.setCurrentRow(0)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = ctx.prototypes.search(academy.id)
    assert len(copied) == 1 and copied[0].title in titles[0]
    p = ctx.prototypes.get(copied[0].id)
    assert p.status == "draft" and p.owner == "" and p.why
    assert "Copied" in dialog.count.text()
    dialog.close()
    assert hashlib.sha256(library.read_bytes()).hexdigest() == before   # read-only


def test_a_file_that_is_no_library_is_one_error(qtbot, window, ctx, academy, monkeypatch,
                                                tmp_path):
    (tmp_path / "notes.sqlite").write_text("not sqlite")
    window.open_academy(academy.id)
    dialogs = FakeDialogs().queue("open_file", str(tmp_path / "notes.sqlite"))
    dialogs.install(monkeypatch)
    window.page("prototypes").district_action.trigger()
    assert len(dialogs.errors) == 1 and "district library" in dialogs.errors[0][1]
