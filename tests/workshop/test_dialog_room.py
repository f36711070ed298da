"""Dialogs and labels have room for their words (issue 13, item 16): each dialog, at the size
it opens with, shows its fields' hints whole, and the reflections table's headers are not cut
on a 1024-pixel-wide window. Screenshots of these were looked at first (QWidget.grab())."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit

from prototypes.ui.page import NewPrototypeDialog
from workshop.ui.academy.academies_page import AcademyDialog

SLACK = 14  # a line edit's frame and text margins


def fits(edit: QLineEdit) -> bool:
    text = edit.text() or edit.placeholderText()
    return edit.fontMetrics().horizontalAdvance(text) + SLACK <= edit.width()


def opened(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_academy_dialog_shows_its_title_hint_whole(qtbot):
    dialog = opened(qtbot, AcademyDialog(None, None, today=date(2026, 3, 12)))
    assert fits(dialog.title), f"{dialog.title.width()} px for {dialog.title.placeholderText()!r}"


def test_the_new_prototype_dialog_shows_its_title_hint_whole(qtbot):
    dialog = opened(qtbot, NewPrototypeDialog(["Lincoln High School"]))
    assert fits(dialog.title), f"{dialog.title.width()} px for {dialog.title.placeholderText()!r}"


@pytest.mark.pages("rotation", "attendance")
def test_the_reflections_headers_are_not_cut_on_a_small_window(qtbot, window, academy, ctx):
    window.open_academy(academy.id)
    window.resize(1024, 700)
    window.show_page("attendance")
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    table = window.page("attendance").reflections.table
    header = table.horizontalHeader()
    cut = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())
           if header.fontMetrics().horizontalAdvance(table.horizontalHeaderItem(c).text()) + 6
           > header.sectionSize(c)]
    assert cut == [], [header.sectionSize(c) for c in range(table.columnCount())]
    ctx.join.stop_server()
