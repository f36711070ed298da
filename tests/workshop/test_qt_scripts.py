"""The window draws the scripts table: with the bundled faces registered, Qt's own shaping and
font fallback give every character a real glyph, and right-to-left names lay out right to left."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tests.scripts import EVERYTHING, MIXED
from workshop.ui.theme import apply_theme


def _layout(text: str, font) -> QTextLayout:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(2000)
    layout.endLayout()
    return layout


@pytest.fixture
def themed(qapp):
    apply_theme(qapp)
    return qapp


@pytest.mark.parametrize("sample", EVERYTHING, ids=lambda s: s.key)
def test_every_character_gets_a_real_glyph(themed, sample):
    layout = _layout(sample.text, themed.font())
    glyphs = [g for run in layout.glyphRuns() for g in run.glyphIndexes()]
    assert glyphs and 0 not in glyphs, [run.rawFont().familyName() for run in layout.glyphRuns()]


@pytest.mark.parametrize("sample", [s for s in EVERYTHING if s.rtl and s is not MIXED],
                         ids=lambda s: s.key)
def test_right_to_left_text_starts_at_the_right(themed, sample):
    layout = _layout(sample.text, themed.font())
    line = layout.lineAt(0)
    second = sample.text.index(sample.words[1])
    assert line.cursorToX(0)[0] > line.cursorToX(second)[0]


def test_conjuncts_are_shaped_into_fewer_glyphs_than_letters(themed):
    layout = _layout("अनन्या", themed.font())   # न्य is one conjunct glyph
    assert len([g for run in layout.glyphRuns() for g in run.glyphIndexes()]) < len("अनन्या")


def test_labels_of_the_table_screenshot(qtbot, themed, tmp_path):
    panel = QWidget()
    box = QVBoxLayout(panel)
    for sample in EVERYTHING:
        label = QLabel(sample.text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(label)
    qtbot.addWidget(panel)
    panel.resize(420, 40 * len(EVERYTHING))
    panel.show()
    qtbot.waitExposed(panel)
    path = tmp_path / "scripts.png"
    assert panel.grab().save(str(path))
    assert path.stat().st_size > 1000
