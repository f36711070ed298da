"""An .xlsx roster through the Roster page's import dialog (issue 16 item 4)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.workshop.academy.roster.test_xlsx_and_languages import workbook

pytestmark = pytest.mark.pages("academies", "roster")


def test_an_xlsx_in_french_imports_through_the_dialog(qtbot, window, ctx, academy, tmp_path):
    path = tmp_path / "inscriptions.xlsx"
    path.write_bytes(workbook(["Prénom", "Nom de famille", "Courriel", "École", "Statut"],
                              ["Zoë", "Núñez", "zoe@example.org", "Lincoln", "Attending"],
                              ["Bo", "Lee", "bo@example.org", "Lincoln", "Not Attending"]))
    window.open_academy(academy.id)
    window.show_page("roster")
    dialog = window.page("roster").import_file(path)
    qtbot.addWidget(dialog)
    assert dialog.combos["school"].currentText() == "École"
    assert dialog.combos["email"].currentText() == "Courriel"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "1 imported, 0 merged, 1 skipped" in dialog.summary.text()
    assert [p.name for p in ctx.academies.participants(academy.id)] == ["Zoë Núñez"]
