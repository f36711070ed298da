"""The Measures tab and a cycle's measures, driven as a facilitator would: buttons, typing,
Enter, undo; the chart and its signals in words."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt

from prototypes.ui.page import PrototypesPage
from tests.fakes import FakeDialogs

SHIFTED = [10, 12, 11, 13, 12, 10, 11, 12, 20, 22, 21, 23, 22, 24, 21, 22]


@pytest.fixture
def page(qtbot, ctx, academy):
    widget = PrototypesPage(ctx.prototypes, ctx.academies)
    qtbot.addWidget(widget)
    widget.set_academy(academy.id)
    widget.resize(1300, 850)
    widget.show()
    return widget


@pytest.fixture
def proto(ctx, academy):
    return ctx.prototypes.create(academy.id, "Reading stations", team="Lincoln Elementary")


def _open_measures(qtbot, page, proto):
    page.open_prototype(proto.id)
    editor = page.editor
    editor.tabs.setCurrentWidget(editor.measures)
    return editor.measures


def test_add_a_measure_and_points_then_undo(qtbot, page, ctx, proto, monkeypatch):
    dialogs = FakeDialogs().queue("ask_text", "Minutes reading").install(monkeypatch)
    view = _open_measures(qtbot, page, proto)
    assert view.empty.isVisible()
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert dialogs.questions("ask_text") == ["What will you count or time?"]
    [m] = ctx.prototypes.measures.measures(proto.id)
    assert m.name == "Minutes reading" and not view.empty.isVisible()
    qtbot.keyClicks(view.binder.widgets["unit"], "min")
    qtbot.keyClicks(view.binder.widgets["goal"], "25")
    assert ctx.prototypes.measures.measure(m.id).goal == 25.0
    page.undo_stack.undo()                                  # typing a field is one step
    assert ctx.prototypes.measures.measure(m.id).goal is None
    assert view.binder.widgets["goal"].text() == ""
    page.undo_stack.redo()
    assert ctx.prototypes.measures.measure(m.id).goal == 25.0
    assert view.chooser.currentText() == "Minutes reading (min)"

    view.point_date.setDate(QDate(2026, 9, 1))
    qtbot.keyClicks(view.point_value, "14")
    qtbot.keyClick(view.point_value, Qt.Key.Key_Return)
    view.point_date.setDate(QDate(2026, 9, 8))
    qtbot.keyClicks(view.point_value, "16")
    qtbot.keyClicks(view.point_note, "after the book talk")
    qtbot.mouseClick(view.add_point_button, Qt.MouseButton.LeftButton)
    assert [p.value for p in ctx.prototypes.measures.points(m.id)] == [14, 16]
    assert view.points.rowCount() == 2 and view.points.item(1, 2).text() == "after the book talk"
    assert "signals are read from 10 points" in view.words.text()

    page.undo_stack.undo()                                  # the second point
    assert [p.value for p in ctx.prototypes.measures.points(m.id)] == [14]
    assert view.points.rowCount() == 1
    page.undo_stack.redo()
    assert view.points.rowCount() == 2


def test_a_refused_value_says_why_and_stores_nothing(qtbot, page, ctx, proto):
    m = ctx.prototypes.measures.add_measure(proto.id, "Exit tickets")
    view = _open_measures(qtbot, page, proto)
    qtbot.keyClicks(view.point_value, "lots")
    qtbot.keyClick(view.point_value, Qt.Key.Key_Return)
    assert view.error_label.isVisible()
    assert "must be a number" in view.error_label.text()
    assert ctx.prototypes.measures.points(m.id) == []


def test_the_chart_names_a_shift_since_a_cycle(qtbot, page, ctx, proto):
    measures = ctx.prototypes.measures
    m = measures.add_measure(proto.id, "Minutes reading", unit="min")
    start = date(2026, 9, 1)
    for i, v in enumerate(SHIFTED):
        measures.add_point(m.id, v, on=start + timedelta(days=7 * i))
    for on in (start, start + timedelta(days=28), start + timedelta(days=56)):
        it = ctx.prototypes.start_iteration(proto.id)
        ctx.prototypes.update_iteration(it.id, started_on=on)
    view = _open_measures(qtbot, page, proto)
    assert view.words.text().startswith("8 points in a row above the median since cycle 3")
    chart = view.chart.chart
    assert [t for t in chart.strings() if t.startswith("Cycle")] == ["Cycle 1", "Cycle 2", "Cycle 3"]
    assert len([d for d in chart.dots if d.role == "signal"]) == 8
    assert "8 points in a row" in view.chart.accessibleDescription()


def test_predict_and_add_a_point_from_the_cycle(qtbot, page, ctx, proto, clock):
    m = ctx.prototypes.measures.add_measure(proto.id, "Exit tickets", unit="%")
    page.open_prototype(proto.id)
    editor = page.editor
    editor.tabs.setCurrentWidget(editor.timeline)
    editor.timeline.new_cycle()
    rows = editor.timeline.cycle_measures
    assert rows.isVisible()
    qtbot.keyClicks(rows.predicted[m.id], "80")
    qtbot.keyClick(rows.predicted[m.id], Qt.Key.Key_Return)      # editing finished
    assert ctx.prototypes.measures.predictions(m.id)[0].value == 80
    qtbot.keyClicks(rows.values[m.id], "74")
    qtbot.keyClick(rows.values[m.id], Qt.Key.Key_Return)
    [p] = ctx.prototypes.measures.points(m.id)
    assert (p.value, p.on) == (74, clock.now().date())
    assert "Cycle 1 predicted 80 %; its 1 point had a median of 74 % (not met)." in \
        editor.measures.words.text()
    page.undo_stack.undo()                                       # the point
    assert ctx.prototypes.measures.points(m.id) == []
    page.undo_stack.undo()                                       # the prediction
    assert ctx.prototypes.measures.predictions(m.id) == []


def test_delete_a_measure_asks_and_undo_brings_it_back(qtbot, page, ctx, proto, monkeypatch):
    m = ctx.prototypes.measures.add_measure(proto.id, "Exit tickets")
    ctx.prototypes.measures.add_point(m.id, 3, on="2026-09-01")
    dialogs = FakeDialogs(confirm=True).install(monkeypatch)
    view = _open_measures(qtbot, page, proto)
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert "and its 1 data point" in dialogs.questions("confirm")[0]
    assert ctx.prototypes.measures.measures(proto.id) == []
    assert view.empty.isVisible()
    page.undo_stack.undo()
    assert [x.name for x in ctx.prototypes.measures.measures(proto.id)] == ["Exit tickets"]
    assert view.points.rowCount() == 1


def test_a_measure_name_is_plain_text(qtbot, page, ctx, proto):
    ctx.prototypes.measures.add_measure(proto.id, "<b>bold</b> minutes")
    view = _open_measures(qtbot, page, proto)
    assert view.chooser.currentText() == "<b>bold</b> minutes"
    assert view.words.textFormat() == Qt.TextFormat.PlainText


def test_save_the_chart_as_png(qtbot, page, ctx, proto, monkeypatch, tmp_path):
    from PySide6.QtGui import QImage
    m = ctx.prototypes.measures.add_measure(proto.id, "Minutes / day")
    for i, v in enumerate(SHIFTED):
        ctx.prototypes.measures.add_point(m.id, v, on=date(2026, 9, 1) + timedelta(days=i))
    dialogs = FakeDialogs().queue("save_file", str(tmp_path / "chart")).install(monkeypatch)
    view = _open_measures(qtbot, page, proto)
    with qtbot.waitSignal(view.notified) as said:
        qtbot.mouseClick(view.png_button, Qt.MouseButton.LeftButton)
    assert dialogs.asked[0][2] == "run-chart-Minutes day.png"         # no path separator
    image = QImage(str(tmp_path / "chart.png"))
    assert (image.width(), image.height()) == (1600, 700)
    assert said.args[0].endswith("chart.png")
    # Not a blank image: the data line and the points are painted.
    colours = {image.pixel(x, y) for x in range(0, 1600, 16) for y in range(0, 700, 16)}
    assert len(colours) > 3


def test_delete_key_removes_the_selected_point_and_undo_puts_it_back(qtbot, page, ctx, proto):
    m = ctx.prototypes.measures.add_measure(proto.id, "Exit tickets")
    for i, v in enumerate((3, 4, 5)):
        ctx.prototypes.measures.add_point(m.id, v, on=date(2026, 9, 1 + i))
    view = _open_measures(qtbot, page, proto)
    view.points.setFocus()
    view.points.selectRow(1)
    qtbot.keyClick(view.points, Qt.Key.Key_Delete)
    assert [p.value for p in ctx.prototypes.measures.points(m.id)] == [3, 5]
    page.undo_stack.undo()
    assert [p.value for p in ctx.prototypes.measures.points(m.id)] == [3, 4, 5]
    assert view.points.item(1, 1).text() == "4"


def test_a_refused_prediction_says_why_and_stores_nothing(qtbot, page, ctx, proto):
    m = ctx.prototypes.measures.add_measure(proto.id, "Exit tickets")
    page.open_prototype(proto.id)
    editor = page.editor
    editor.tabs.setCurrentWidget(editor.timeline)
    editor.timeline.new_cycle()
    rows = editor.timeline.cycle_measures
    qtbot.keyClicks(rows.predicted[m.id], "most")
    qtbot.keyClick(rows.predicted[m.id], Qt.Key.Key_Return)
    assert rows.error.isVisible() and "must be a number" in rows.error.text()
    assert ctx.prototypes.measures.predictions(m.id) == []
