"""The prototype pages as a facilitator uses them: type, lose the window, find the text again;
undo; validation and the safe-to-try rule explained; search as you type; cycles."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from prototypes.ui.page import PrototypesPage
from tests.fakes import FakeDialogs


@pytest.fixture
def page(qtbot, ctx, academy):
    widget = PrototypesPage(ctx.prototypes, ctx.academies)
    qtbot.addWidget(widget)
    widget.set_academy(academy.id)
    widget.resize(1200, 800)
    return widget


@pytest.fixture
def proto(ctx, academy):
    return ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")


def test_typed_text_survives_losing_the_window(qtbot, ctx, config, clock, academy, proto):
    from workshop.app import build_context, build_window
    first = build_window(ctx)
    first.open_academy(academy.id)
    first.show_page("prototypes")
    page = first.page("prototypes")
    page.open_prototype(proto.id)
    qtbot.keyClicks(page.editor.fields["why"], "Half the class waits for help.")
    qtbot.keyClicks(page.editor.fields["owner"], "Zo")
    page.editor.fields["owner"].insert("ë Núñez")  # QTest types ASCII only; insert() types the rest
    # No save, no close event: the window is simply destroyed (as in a crash or power cut),
    # and the next window opens the same file through a new connection.
    first.deleteLater()
    del first, page
    qtbot.wait(1)

    second_ctx = build_context(config, clock=clock)
    try:
        second = build_window(second_ctx)
        qtbot.addWidget(second)
        second.open_academy(academy.id)
        second.show_page("prototypes")
        page = second.page("prototypes")
        qtbot.keyClicks(page.library.search, "waits")
        assert page.library.model.rowCount() == 1
        page.library.table.setFocus()
        page.library.table.selectRow(0)
        qtbot.keyClick(page.library.table, Qt.Key.Key_Return)
        assert page.editor.fields["why"].toPlainText() == "Half the class waits for help."
        assert page.editor.fields["owner"].text() == "Zoë Núñez"
    finally:
        second_ctx.close()


def test_undo_and_redo_restore_text_in_widget_and_database(qtbot, page, ctx, proto):
    page.open_prototype(proto.id)
    title = page.editor.fields["title"]
    title.selectAll()
    qtbot.keyClicks(title, "Math stations, grade 5")
    qtbot.keyClicks(page.editor.fields["why"], "Lost students")
    assert ctx.prototypes.get(proto.id).title == "Math stations, grade 5"
    assert page.undo_stack.count() == 2                # typing bursts merge, one step per field

    page.undo_stack.undo()
    assert ctx.prototypes.get(proto.id).why == ""
    assert page.editor.fields["why"].toPlainText() == ""
    page.undo_stack.undo()
    assert ctx.prototypes.get(proto.id).title == "Math stations"
    assert title.text() == "Math stations"
    assert page.editor.heading.text() == "Math stations"
    page.undo_stack.redo()
    assert ctx.prototypes.get(proto.id).title == "Math stations, grade 5"
    assert title.text() == "Math stations, grade 5"


def test_an_empty_title_is_explained_and_the_last_good_one_kept(qtbot, page, ctx, proto):
    page.open_prototype(proto.id)
    title = page.editor.fields["title"]
    title.clear()
    assert "needs a title" in page.editor.error_label.text()
    assert page.editor.error_label.isVisibleTo(page)
    assert title.property("invalid") is True
    assert ctx.prototypes.get(proto.id).title == "Math stations"
    qtbot.keyClicks(title, "Flex math")
    assert page.editor.error_label.text() == ""
    assert ctx.prototypes.get(proto.id).title == "Flex math"


def test_core_four_and_model_choices_save_at_once(qtbot, page, ctx, proto):
    page.open_prototype(proto.id)
    page.editor.fields["core.data_driven"].setChecked(True)
    model = page.editor.fields["model"]
    model.setCurrentIndex(model.findData("other"))
    assert page.editor.fields["model_other"].isEnabled()
    qtbot.keyClicks(page.editor.fields["model_other"], "Choice boards")
    p = ctx.prototypes.get(proto.id)
    assert p.core_four == ("data_driven",) and p.model_label == "Choice boards"
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert ctx.prototypes.get(proto.id).model == "station_rotation"


def test_status_rule_is_explained_in_the_editor_and_undo_reverts_a_move(qtbot, page, ctx, proto):
    page.open_prototype(proto.id)
    check = page.editor.check_view
    level, mitigation = check.risk_widgets["devices"]
    level.setCurrentIndex(level.findData("high"))
    assert "Devices and tools" in check.summary.text()
    assert not page.editor.move_to("trying")
    message = page.editor.status_message.text()
    assert "Cannot move" in message and "rated high and has no mitigation" in message
    assert ctx.prototypes.get(proto.id).status == "draft"

    qtbot.keyClicks(mitigation, "Borrow the library cart")
    assert page.editor.move_to("trying")
    assert ctx.prototypes.get(proto.id).status == "trying"
    assert "Trying" in page.editor.status_label.text()
    page.undo_stack.undo()
    assert ctx.prototypes.get(proto.id).status == "draft"


def test_open_objection_blocks_until_resolved(qtbot, page, ctx, proto):
    page.open_prototype(proto.id)
    check = page.editor.check_view
    check.add_objection()
    qtbot.keyClicks(check.binder.widgets["objection.0.text"], "Parents not told")
    assert not page.editor.move_to("trying")
    assert "Objection 1" in page.editor.status_message.text()
    qtbot.keyClicks(check.binder.widgets["objection.0.resolution"], "Letter home Monday")
    assert page.editor.move_to("trying")


def test_search_answers_as_you_type_and_filters_combine(qtbot, page, ctx, academy, proto):
    other = ctx.prototypes.create(academy.id, "Reading playlists", team="Hill Middle")
    ctx.prototypes.update(other.id, core_four=["reflection_ownership"], model="individual_playlist")
    page.set_academy(academy.id)
    assert page.library.model.rowCount() == 2
    qtbot.keyClicks(page.library.search, "pla")
    assert [r.title for r in page.library.model.rows] == ["Reading playlists"]
    page.library.search.clear()
    page.library.core.setCurrentIndex(page.library.core.findData("reflection_ownership"))
    assert [r.title for r in page.library.model.rows] == ["Reading playlists"]
    page.library.core.setCurrentIndex(0)
    page.library.team.setCurrentIndex(page.library.team.findData("Lincoln Elementary"))
    assert [r.title for r in page.library.model.rows] == ["Math stations"]
    assert page.library.count.text() == "1 prototype match"


def test_enter_in_the_library_opens_the_editor(qtbot, page, proto):
    page.library.refresh()
    page.library.table.setFocus()
    page.library.table.selectRow(0)
    qtbot.keyClick(page.library.table, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.editor
    assert page.editor.prototype_id == proto.id


def test_new_cycle_is_planned_from_the_last_next_change(qtbot, page, ctx, proto):
    page.open_prototype(proto.id)
    timeline = page.editor.timeline
    timeline.new_cycle()
    qtbot.keyClicks(timeline.binder.widgets["prediction"], "Fewer than 5 off task")
    qtbot.keyClicks(timeline.binder.widgets["results"], "3 off task")
    qtbot.keyClicks(timeline.binder.widgets["next_change"], "Add a data wall")
    assert timeline.table.item(2, 0).text() == "Fewer than 5 off task"   # prediction row
    assert timeline.table.item(3, 0).text() == "3 off task"              # result row
    timeline.new_cycle()
    assert timeline.table.columnCount() == 2
    assert timeline.binder.widgets["change"].toPlainText() == "Add a data wall"
    assert [it.number for it in ctx.prototypes.iterations(proto.id)] == [1, 2]
    page.undo_stack.undo()                                               # undo the new cycle
    assert [it.number for it in ctx.prototypes.iterations(proto.id)] == [1]
    assert timeline.table.columnCount() == 1


def test_version_diff_shows_what_changed_since_a_cycle(qtbot, page, ctx, proto):
    from prototypes.ui.diff_view import VersionDiffView
    ctx.prototypes.start_iteration(proto.id)
    ctx.prototypes.update(proto.id, resources="12 Chromebooks")
    view = VersionDiffView(ctx.prototypes, proto.id)
    qtbot.addWidget(view)
    assert view.table.rowCount() == 1
    assert [view.table.item(0, c).text() for c in range(3)] == [
        "Resources and devices", "—", "12 Chromebooks"]


def test_import_conflict_asks_and_keeps_the_copy_here(qtbot, page, ctx, proto, clock,
                                                      monkeypatch, tmp_path):
    page.library.refresh()
    page.library.table.selectRow(0)
    path = page.export_file(str(tmp_path / "p.json"))
    assert path
    clock.advance(60)
    ctx.prototypes.update(proto.id, why="Edited after export")
    dialogs = FakeDialogs(choose="keep_local").install(monkeypatch)
    assert page.import_file(path)
    asked = dialogs.questions("choose")
    assert asked and "changed here" in asked[0]
    assert ctx.prototypes.get(proto.id).why == "Edited after export"


def test_a_malformed_file_is_refused_with_its_reason(qtbot, page, monkeypatch, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else", "version": 1}')
    dialogs = FakeDialogs().install(monkeypatch)
    assert not page.import_file(str(bad))
    shown = [message for _, message in dialogs.errors]
    assert "not a Design Academy Studio prototype file" in shown[0]
    assert "Nothing was imported" in shown[0]


def test_page_joins_the_main_window(window, ctx, academy, proto):
    window.open_academy(academy.id)
    window.show_page("prototypes")
    page = window.page("prototypes")
    assert page.library.model.rowCount() == 1
    assert page.undo_stack in window.undo_group.stacks()


def test_long_lists_load_as_they_scroll(qtbot, page, ctx, academy, monkeypatch):
    import prototypes.service as module
    monkeypatch.setattr(module, "LIBRARY_ROWS", 2)
    for title in ("Echo", "delta", "Charlie", "bravo", "Alpha"):
        ctx.prototypes.create(academy.id, f"{title} stations")
    page.library.refresh()
    model = page.library.model
    assert model.rowCount() == 2 and page.library.count.text() == "5 prototypes"
    assert model.canFetchMore()
    model.fetch_all()
    assert [r.title.split()[0] for r in model.rows] == ["Alpha", "bravo", "Charlie", "delta",
                                                        "Echo"]
    echo = model.rows[-1].id
    page.library.refresh()                       # back to one page; reselect fetches the rest
    page.library.select(echo)
    assert page.library.selected_id() == echo


def test_typed_markup_stays_plain_text(qtbot, page, ctx, proto):
    page.open_prototype(proto.id)
    check = page.editor.check_view
    check.add_objection()
    check.binder.widgets["objection.0.text"].setText("<b>bold</b> & <i>gone</i>")
    trying = next(page.editor.status_buttons.itemAt(i).widget()
                  for i in range(page.editor.status_buttons.count())
                  if "Trying" in page.editor.status_buttons.itemAt(i).widget().text())
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in trying.toolTip()
    assert page.editor.status_message.textFormat() == Qt.TextFormat.PlainText
    assert "<b>bold</b>" in page.editor.status_message.text()


def test_a_folder_imports_whole_or_not_at_all_and_asks_once(qtbot, page, ctx, academy, clock,
                                                            monkeypatch):
    from prototypes.exchange.format import FormatError
    second = ctx.prototypes.create(academy.id, "Reading playlists")
    first = ctx.prototypes.create(academy.id, "Math stations")
    docs = [ctx.prototypes.export_document(p.id) for p in (first, second)]
    for p in (first, second):
        ctx.prototypes.delete(p.id)
    broken = {**docs[1], "version": 9}
    with pytest.raises(FormatError):
        page.import_documents([docs[0], broken])
    assert ctx.prototypes.search(None) == []                 # the first was rolled back too

    assert page.import_documents(docs)
    clock.advance(60)
    for r in ctx.prototypes.search(None):
        ctx.prototypes.update(r.id, why="changed here")
    dialogs = FakeDialogs(choose="replace").install(monkeypatch)
    assert page.import_documents(docs)
    assert len(dialogs.questions("choose")) == 1
    assert {ctx.prototypes.get(r.id).why for r in ctx.prototypes.search(None)} == {""}


def test_switching_model_away_and_back_keeps_the_other_name(qtbot, page, ctx, proto):
    page.open_prototype(proto.id)
    model = page.editor.fields["model"]
    model.setCurrentIndex(model.findData("other"))
    qtbot.keyClicks(page.editor.fields["model_other"], "Choice boards")
    model.setCurrentIndex(model.findData("flex"))
    assert not page.editor.fields["model_other"].isEnabled()
    assert ctx.prototypes.get(proto.id).model_label == "Flex"
    page.undo_stack.undo()
    assert ctx.prototypes.get(proto.id).model_label == "Choice boards"


def test_keyboard_moves_through_the_form(qtbot, page, proto):
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.open_prototype(proto.id)
    fields = page.editor.fields
    qtbot.waitUntil(lambda: fields["title"].hasFocus())
    qtbot.keyClick(page.editor, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # “&why”
    assert fields["why"].hasFocus()
    qtbot.keyClicks(fields["why"], "Lost")
    qtbot.keyClick(fields["why"], Qt.Key.Key_Tab)          # Tab leaves a long text box
    assert fields["students"].hasFocus()
    assert fields["why"].toPlainText() == "Lost"
    qtbot.keyClick(fields["students"], Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.stack.currentWidget() is page.library


def test_finishing_a_cycle_dates_it_today_and_undo_clears_it(qtbot, page, ctx, proto, clock):
    page.open_prototype(proto.id)
    timeline = page.editor.timeline
    timeline.new_cycle()
    finished = timeline.binder.widgets["finished_on"]
    assert finished.value() is None and not finished.edit.isEnabled()
    finished.check.setChecked(True)
    today = clock.now().date()
    assert ctx.prototypes.iterations(proto.id)[0].finished_on == today
    assert timeline.table.item(0, 0).text().endswith(f"{today:%d %b %Y}")
    page.undo_stack.undo()
    assert ctx.prototypes.iterations(proto.id)[0].finished_on is None
    assert not finished.check.isChecked()


def test_consent_date_is_optional_and_saved(qtbot, page, ctx, proto, clock):
    page.open_prototype(proto.id)
    held = page.editor.check_view.consent_date
    held.check.setChecked(True)
    assert ctx.prototypes.get(proto.id).check.consent_on == clock.now().date()
    held.check.setChecked(False)
    assert ctx.prototypes.get(proto.id).check.consent_on is None


def test_edit_menu_undo_names_the_edit_and_undoes_it(qtbot, window, ctx, academy, proto):
    window.open_academy(academy.id)
    window.show_page("prototypes")
    page = window.page("prototypes")
    page.open_prototype(proto.id)
    qtbot.keyClicks(page.editor.fields["why"], "Lost")
    undo = next(a for a in window.edit_menu.actions() if a.text().startswith("&Undo"))
    assert undo.isEnabled() and "problem and why it matters" in undo.text()
    undo.trigger()
    assert ctx.prototypes.get(proto.id).why == ""
