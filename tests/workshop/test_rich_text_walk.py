"""Everything a participant typed is plain text everywhere (issue 12, item 8): the window is
built with a hostile roster and every page is walked — each label's text as its format
renders it, each tooltip (widgets, items, scene items), each item view's display data and each
text box — failing on any place where a name was interpreted as rich text."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QGraphicsView, QHeaderView, QLabel,
                               QPlainTextEdit, QTextEdit, QTreeView, QWidget)

from workshop.academy.model import Participant

# Each name renders differently as HTML than as typed, so a leak shows as its HTML rendering.
HOSTILE = {
    "name": ["<b>Bold</b> Ana", "Cy <img src=x onerror=alert(1)>Park",
             "<a href='http://evil.example'>Link</a> Lee", "Dee &lt;Shaw&gt;", "<i>Eve</i> Ito",
             "<h1>Fay</h1> Gu"],
    "school": ["<u>Maple</u> School", "<font color=red>Red</font> High"],
    "role": ["<s>teacher</s>", "coach<br>and more"],
    # Typed by the facilitator, shown beside participants' text on the same pages.
    "station": ["<b>Make</b> it"],
    "group": ["<i>Team</i> One"],
}


def rendered_as_html(text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


LEAKS = {typed: rendered_as_html(typed) for texts in HOSTILE.values() for typed in texts}
assert all(typed != shown for typed, shown in LEAKS.items())


@dataclass
class Shown:
    """One piece of text on screen, as the person sees it, and where it is."""
    where: str
    text: str


def _as_shown(text: str, rich: bool) -> str:
    return rendered_as_html(text) if rich else text


def _tooltip(where: str, tip: str) -> Shown:
    # QToolTip shows a tip as rich text whenever Qt.mightBeRichText says it may be.
    return Shown(f"{where} tooltip", _as_shown(tip, bool(tip) and QtGui.Qt.mightBeRichText(tip)))


def _label(label: QLabel) -> Shown:
    fmt = label.textFormat()
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(label.text()))
    return Shown(f"label {label.objectName() or label.text()[:30]!r}", _as_shown(label.text(), rich))


def _model(where: str, view: QAbstractItemView) -> list[Shown]:
    model, found = view.model(), []
    if model is None:
        return found
    if isinstance(view, QHeaderView):  # a header shows the model's header data, not its cells
        count = (model.columnCount() if view.orientation() == Qt.Orientation.Horizontal
                 else model.rowCount())
        for section in range(count):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.headerData(section, view.orientation(), role)
                if isinstance(value, str):
                    found.append(Shown(f"{where} section {section}", value)
                                 if role == Qt.ItemDataRole.DisplayRole
                                 else _tooltip(f"{where} section {section}", value))
        return found

    def walk(parent: QModelIndex) -> None:
        try:
            columns = model.columnCount(parent)
        except TypeError:  # a list model's columnCount is private in PySide: one column
            columns = 1
        for row in range(model.rowCount(parent)):
            for col in range(columns):
                index = model.index(row, col, parent)
                display = model.data(index, Qt.ItemDataRole.DisplayRole)
                if isinstance(display, str):
                    # The standard delegates paint display data as plain text; a delegate of
                    # our own would have to say so here.
                    found.append(Shown(f"{where} cell {row},{col}", display))
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str):
                    found.append(_tooltip(f"{where} cell {row},{col}", tip))
                if col == 0 and isinstance(view, QTreeView) and model.rowCount(index):
                    walk(index)
    walk(QModelIndex())
    return found


def shown_in(root: QWidget) -> list[Shown]:
    """Every text a person can see in ``root`` and its children, as it is rendered."""
    found: list[Shown] = []
    for widget in [root, *root.findChildren(QWidget)]:
        where = type(widget).__name__
        if widget.toolTip():
            found.append(_tooltip(where, widget.toolTip()))
        if isinstance(widget, QLabel):
            found.append(_label(widget))
        if isinstance(widget, QAbstractItemView):
            found += _model(where, widget)
        if isinstance(widget, (QTextEdit, QPlainTextEdit)):
            found.append(Shown(where, widget.toPlainText()))
        if isinstance(widget, QGraphicsView) and widget.scene() is not None:
            for item in widget.scene().items():
                if hasattr(item, "toPlainText"):
                    found.append(Shown(f"{where} scene item", item.toPlainText()))
                elif hasattr(item, "text"):
                    found.append(Shown(f"{where} scene item", item.text()))
                if item.toolTip():
                    found.append(_tooltip(f"{where} scene item", item.toolTip()))
    return found


def leaks(found: list[Shown]) -> list[str]:
    """Where a participant's text shows as its HTML rendering rather than as typed."""
    bad = []
    for shown in found:
        text = shown.text
        for typed in LEAKS:
            text = text.replace(typed, "")
        bad += [f"{shown.where}: {LEAKS[typed]!r} (typed {typed!r})"
                for typed in LEAKS if LEAKS[typed].strip() and LEAKS[typed] in text]
    return bad


@pytest.fixture
def hostile_academy(ctx, academy):
    names, schools, roles = HOSTILE["name"], HOSTILE["school"], HOSTILE["role"]
    for i, name in enumerate(names):
        ctx.academies.add_participant(academy.id, Participant(
            name, school=schools[i % len(schools)], role=roles[i % len(roles)],
            email=f"p{i}@x.example", readiness=("exploring", "planning", "implementing")[i % 3]))
    first, *rest = ctx.stations.stations(academy.id)
    ctx.stations.save(academy.id, [replace(first, name=HOSTILE["station"][0]), *rest])
    return academy


def test_the_walk_finds_a_rich_text_tooltip(qtbot):
    """The walk itself: a tooltip or label that renders a name as HTML is reported."""
    label = QLabel(HOSTILE["name"][0])
    label.setToolTip(HOSTILE["name"][2])
    qtbot.addWidget(label)
    assert len(leaks(shown_in(label))) == 2


def test_no_page_interprets_participant_text_as_rich_text(qtbot, make_window, ctx, hostile_academy):
    window = make_window()
    window.open_academy(hostile_academy.id)
    people = ctx.academies.participants(hostile_academy.id)
    for p in people[:3]:
        ctx.join.record_checkin(hostile_academy.id, p.id, 1)
    ctx.join.record_reflection(hostile_academy.id, people[0].id, 1, f"I felt {people[1].name}")
    window.show_page("grouping")
    grouping = window.page("grouping")
    grouping.regroup()
    name_edit = grouping.cards[0].name_edit
    name_edit.clear()
    qtbot.keyClicks(name_edit, HOSTILE["group"][0])
    qtbot.keyClick(name_edit, Qt.Key.Key_Return)
    grouping.save()
    window.show_page("attendance")
    reflections = window.page("attendance").reflections
    qtbot.waitUntil(lambda: reflections.table.rowCount() == 1, timeout=2000)
    seen: list[Shown] = []
    problems: list[str] = []
    for key in ("academies", "roster", "stations", "grouping", "rotation", "attendance",
                "prototypes", "maps", "handouts"):
        window.show_page(key)
        page_seen = shown_in(window)
        problems += [f"{key}: {p}" for p in leaks(page_seen)]
        seen += page_seen
    # The windows of their own: the reflection wall and the projector.
    reflections.show_wall()
    window.page("rotation").projector.show()
    for top in QApplication.topLevelWidgets():
        if top is not window and top.isVisible():
            top_seen = shown_in(top)
            problems += [f"{type(top).__name__}: {p}" for p in leaks(top_seen)]
            seen += top_seen
    reflections.close_wall()
    window.page("rotation").projector.hide()
    # The import preview: the hostile roster exported and read back in.
    roster = window.page("roster")
    window.show_page("roster")
    dialog = roster.import_text(ctx.academies.export_roster_csv(hostile_academy.id))
    qtbot.addWidget(dialog)
    dialog_seen = shown_in(dialog)
    problems += [f"import preview: {p}" for p in leaks(dialog_seen)]
    seen += dialog_seen
    assert sorted(set(problems)) == []
    everything = "\n".join(s.text for s in seen)
    assert all(typed in everything for typed in LEAKS), "the walk missed some hostile text"
    group_cards = [s for s in shown_in(grouping) if "tooltip" in s.where]
    assert any(HOSTILE["name"][0] in s.text for s in group_cards)
