"""Issue 13: a facilitator's whole day, lived through the real main window only as a person
can: clicks on visible buttons, menu items found by their words, keys, and dialogs answered
through the one dialog seam; phones on loopback; a screenshot of every step."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPlainTextEdit

from tests.day.hands import Shots, choose, click, key, type_into, when_modal, words
from tests.fakes import FakeDialogs
from tests.stations.join.phone import Phone

pytestmark = [pytest.mark.slow, pytest.mark.gui]

SCHOOLS = ("Lincoln Elementary", "Hayes Middle", "Oak High")
STAGES = ("exploring", "planning", "implementing")
ROSTER = ["Name,School,Role,Readiness,Email"] + [
    f"Person {i:02d},{SCHOOLS[i % 3]},{'principal' if i % 4 == 0 else 'teacher'},"
    f"{STAGES[i % 3]},p{i}@schools.example" for i in range(12)]


def drag(qtbot, source, item, target) -> None:
    """Drag ``item`` from one group's list onto another's: press on it, then the drop the drag
    delivers (a real QDrag runs its own event loop, which offscreen Qt cannot finish)."""
    qtbot.mouseClick(source.viewport(), Qt.MouseButton.LeftButton,
                     pos=source.visualItemRect(item).center())
    mime = source.mimeData(source.selectedItems())
    at = target.viewport().rect().center()
    buttons, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, Qt.DropAction.MoveAction, mime, buttons, none)
    QApplication.sendEvent(target.viewport(), enter)
    assert enter.isAccepted(), "the group's list refused the drag"
    move = QDragMoveEvent(at, Qt.DropAction.MoveAction, mime, buttons, none)
    QApplication.sendEvent(target.viewport(), move)
    # The page rebuilds every card from its model on the drop, so what shows is the proof.
    QApplication.sendEvent(target.viewport(), QDropEvent(QPointF(at), Qt.DropAction.MoveAction,
                                                         mime, buttons, none))


def back_to(qtbot, window) -> None:
    """The window has the keys again once a dialog is gone (a person clicks it if not)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)


def tick(window) -> None:
    """A beat of the window's own ticker (it runs on a timer in the app)."""
    window.ticker.tick()
    QApplication.processEvents()


def select_on_map(qtbot, view, item, add: bool = False) -> None:
    """Click a box on the map (Ctrl adds it to the selection)."""
    at = view.mapFromScene(item.sceneBoundingRect().center())
    assert view.viewport().rect().contains(at), "the box is not on screen to be clicked"
    modifier = Qt.KeyboardModifier.ControlModifier if add else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, at)


def ok(dialog) -> None:
    """Press the dialog's OK button."""
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.fixture
def day(make_window, qtbot, tmp_path, monkeypatch):
    answers = FakeDialogs().install(monkeypatch)
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.page("rotation").chimes.play = lambda *a, **k: True   # no sound in tests
    shots = Shots(tmp_path / "shots")
    yield window, answers, shots
    shots.copy_out()
    window.page("rotation").projector.close()


def test_a_facilitators_whole_day(day, qtbot, ctx, clock, tmp_path):
    window, answers, shots = day

    # -- morning: a new academy, from the Academies page's button ----------------------------
    window.show_page("academies")
    def fill_academy(dialog):
        dialog.title.setFocus()
        qtbot.keyClicks(dialog.title, "Spring Design Academy")
        qtbot.keyClicks(dialog.place, "Gym")
        qtbot.keyClicks(dialog.facilitator, "Sam Rivera")
        ok(dialog)
    seen = when_modal(qtbot, fill_academy)
    click(qtbot, window.page("academies"), "New academy…")
    assert seen, "no academy dialog opened"
    back_to(qtbot, window)
    assert "Spring Design Academy" in window.windowTitle()
    [academy] = [a for a in ctx.academies.list() if a.title == "Spring Design Academy"]
    shots.take(window, "academy")

    # -- the roster, imported from a CSV through the import dialog ----------------------------
    csv = tmp_path / "roster.csv"
    csv.write_text("\n".join(ROSTER) + "\n", encoding="utf-8")
    window.show_page("roster")
    roster = window.page("roster")
    answers.queue("open_file", str(csv))
    click(qtbot, roster, "Import…")
    dialog = roster.import_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.counts.text().startswith("12 people read")
    shots.take(dialog, "import-preview")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.showing_report and dialog.summary.text().startswith("Done:")
    shots.take(dialog, "import-report")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    back_to(qtbot, window)
    assert len(ctx.academies.participants(academy.id)) == 12
    assert "12" in roster.summary.text()
    shots.take(window, "roster")

    # -- stations: short rounds ---------------------------------------------------------------
    window.show_page("stations")
    stations = window.page("stations")
    assert stations.list.count() >= 3
    for row in range(stations.list.count()):
        item = stations.list.item(row)
        qtbot.mouseClick(stations.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=stations.list.visualItemRect(item).center())
        assert stations.list.currentRow() == row
        type_into(qtbot, stations.minutes.lineEdit(), "2")
        key(qtbot, window, Qt.Key.Key_Tab)
    assert {s.minutes for s in ctx.stations.stations(academy.id)} == {2}
    shots.take(window, "stations")

    # -- groups: made, one person dragged to another group, kept ------------------------------
    window.show_page("grouping")
    grouping = window.page("grouping")
    type_into(qtbot, grouping.groups_spin.lineEdit(), "3")
    key(qtbot, window, Qt.Key.Key_Tab)
    click(qtbot, grouping, words(grouping.regroup_button.text()))
    assert len(grouping.cards) == 3
    assert [c.members.count() for c in grouping.cards] == [4, 4, 4]
    source, target = grouping.cards[0].members, grouping.cards[1].members
    dragged = source.item(0)
    name = dragged.text()
    drag(qtbot, source, dragged, target)
    assert [c.members.count() for c in grouping.cards] == [3, 5, 4]
    target = grouping.cards[1].members
    assert name in [target.item(r).text() for r in range(target.count())]
    assert "Size spread 2" in grouping.metrics_label.text()
    # Nothing to save: every edit keeps the groups the rotation runs (issue 13, item 9).
    shots.take(window, "groups")

    # -- the rotation: short rounds, started on the fake clock --------------------------------
    window.show_page("rotation")
    rotation = window.page("rotation")
    setup = rotation.setup
    # What shows is the Groups page's count, in the greyed-out box and the note beside it.
    assert setup.groups_note.text() == "3 groups from the Groups page."
    assert setup.groups.value() == 3 and not setup.groups.isEnabled()
    for spin in (setup.transition, setup.warning):
        type_into(qtbot, spin.lineEdit(), "0.5")
        key(qtbot, window, Qt.Key.Key_Tab)
    settings = ctx.rotation.settings(academy.id)
    assert (settings.transition_minutes, settings.warning_minutes) == (0.5, 0.5)
    shots.take(window, "rotation-set-up")

    # -- phones let in, the rotation started, the projector opened -----------------------------
    asked = len(answers.asked)
    click(qtbot, rotation, "Let phones join")
    assert ctx.join.running
    click(qtbot, rotation, "Start rotation")
    tick(window)
    assert ctx.rotation.snapshot(academy.id).phase == "round"
    click(qtbot, rotation, "Open projector")
    projector = rotation.projector
    qtbot.waitExposed(projector)
    seen_on_projector = " | ".join(projector.texts())
    assert "Round 1 of 3" in seen_on_projector and "2:00" in seen_on_projector
    shots.take(projector, "projector-round-1")
    back_to(qtbot, window)

    # Four phones, each its own address on the room's loopback, check in where their group is.
    plan = ctx.rotation.plan(academy.id)
    names = {p.id: p.name for p in ctx.academies.participants(academy.id)}
    links = {link.position: link.token for link in ctx.join.links(academy.id)}
    phones = []
    for group in plan.groups[:2]:
        station = plan.rounds[0].stations[group.index]
        for pid in group.member_ids[:2]:
            phone = Phone(ctx.join.bound.base_url, source=f"127.0.0.{11 + len(phones)}",
                          cookies=True)
            token = links[station]
            assert phone.get(f"/s/{token}").status == 200     # the scanned page opens first
            reply = phone.check_in(token, phone.key_for(token, names[pid]))
            assert reply.status == 200, reply
            assert phone.cookies, "the server gave the phone no cookie"
            phones.append((phone, token, names[pid], station))
    window.show_page("attendance")
    attendance = window.page("attendance")
    qtbot.waitUntil(lambda: (tick(window), "Round 1: 4 of 12 people expected are at their station" in
                             attendance.summary.text())[1], timeout=3000)
    assert attendance.corner.counts.text() == "4 of 12 checked in"   # the projector's corner
    shots.take(window, "attendance-round-1")

    # -- the room's keys, from the attendance page: pause, +1 min, next -----------------------
    window.nav.setFocus()
    clock.advance(30)
    tick(window)
    assert "1:30" in " | ".join(projector.texts())
    key(qtbot, window, Qt.Key.Key_Space)
    tick(window)
    assert ctx.rotation.snapshot(academy.id).paused and ctx.join.running
    assert "Paused" in " | ".join(projector.texts())
    clock.advance(20)                           # paused: time does not run
    key(qtbot, window, Qt.Key.Key_Plus)
    tick(window)
    assert "2:30" in " | ".join(projector.texts())
    shots.take(projector, "projector-paused-plus-one")
    key(qtbot, window, Qt.Key.Key_Space)
    key(qtbot, window, Qt.Key.Key_N)
    tick(window)
    assert ctx.rotation.snapshot(academy.id).phase == "transition"
    assert "Round 2 of 3 starts in" in " | ".join(projector.texts())
    shots.take(projector, "projector-moving-on")
    assert len(answers.asked) == asked          # nothing of this asked a question

    # -- reflections arrive from the phones and are moderated ---------------------------------
    (first, token, who, station), (second, token2, _, station2) = phones[0], phones[1]
    assert first.reflect(token, first.key_for(token, who), station,
                         "Loved trying the choice board.").status == 200
    assert second.reflect(token2, second.key_for(token2, phones[1][2]), station2,
                          "Something rude", anonymous=True).status == 200
    panel = attendance.reflections
    qtbot.waitUntil(lambda: (tick(window), panel.table.rowCount() == 2)[1], timeout=3000)
    tabs = attendance.tabs.tabBar()                 # the reflections have a tab: it counts them
    assert words(tabs.tabText(1)) == "Reflections (2)"
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    rude = next(r for r in range(2) if panel.table.item(r, 2).text() == "Something rude")
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.table.visualItemRect(panel.table.item(rude, 2)).center())
    click(qtbot, attendance, "Hide")
    assert panel.table.item(rude, 3).text() == "hidden"
    click(qtbot, attendance, words(panel.wall_button.text()))
    assert [t.split("\n")[0] for t in panel.wall.texts()] == ["Loved trying the choice board."]
    shots.take(panel.wall, "reflections-wall")
    click(qtbot, attendance, "Take off projector")
    back_to(qtbot, window)
    shots.take(window, "reflections-moderated")

    # -- the fake clock runs the rest of the rotation: rounds 2 and 3, the warning, the debrief --
    headlines = []
    for _ in range(200):
        clock.advance(5)
        tick(window)
        title, subtitle = projector.texts()[:2]
        if (title, subtitle) not in headlines:
            headlines.append((title, subtitle))
        if ctx.rotation.snapshot(academy.id).phase == "debrief":
            break
    assert ("Round 2 of 3", "Work at your station") in headlines
    assert ("Round 3 of 3", "Wrap up — time is nearly up") in headlines
    assert headlines[-1][0] == "Debrief"
    shots.take(projector, "projector-debrief")
    phone, token, who, _ = phones[0]
    assert phone.state(token, phone.key_for(token, who)).status == 200
    window.show_page("rotation")
    answers.queue("confirm", True)
    key(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    tick(window)
    assert answers.questions("confirm")[-1].startswith("The rotation stops now")
    assert projector.texts()[0] == "Rotation finished"
    shots.take(projector, "projector-finished")

    # -- a prototype, from the Prototype menu, with one PDSA cycle ----------------------------
    window.show_page("prototypes")
    prototypes = window.page("prototypes")
    def fill_prototype(dialog):
        qtbot.keyClicks(dialog.title, "Choice boards in grade 4")
        qtbot.keyClicks(dialog.team.lineEdit(), "Lincoln Elementary")
        ok(dialog)
    seen = when_modal(qtbot, fill_prototype)
    choose(window, "Prototype", "New prototype…")
    assert seen, "no prototype dialog opened"
    back_to(qtbot, window)
    made = prototypes.current_prototype_id()
    assert ctx.prototypes.get(made).title == "Choice boards in grade 4"
    editor = prototypes.editor
    editor.tabs.setCurrentIndex(editor.tabs.indexOf(editor.timeline))
    click(qtbot, editor.timeline, "New cycle")
    assert editor.timeline.table.columnCount() == 1 and len(ctx.prototypes.iterations(made)) == 1
    [change] = [w for w in editor.timeline.findChildren(QPlainTextEdit)
                if w.placeholderText().startswith("One change to try")]
    qtbot.mouseClick(change.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(change, "Students pick two of four tasks")
    key(qtbot, window, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: ctx.prototypes.iterations(made)[0].change
                    == "Students pick two of four tasks", timeout=3000)
    assert editor.timeline.table.item(1, 0).text() == "Students pick two of four tasks"
    shots.take(window, "prototype-cycle")

    # -- an initiative map: one initiative, linked to the vision and rated by keys ------------
    window.show_page("maps")
    maps = window.page("maps")
    answers.queue("ask_text", "Project-based learning")
    choose(window, "Map", "Add initiative…")
    m = maps.current
    pbl = m.find("Project-based learning").id
    view = maps.view
    click(qtbot, maps, "Fit to view")          # the new box may sit outside the view
    select_on_map(qtbot, view, maps.scene.nodes[m.hub.id])
    select_on_map(qtbot, view, maps.scene.nodes[pbl], add=True)
    key(qtbot, window, Qt.Key.Key_L)
    key(qtbot, window, Qt.Key.Key_3)
    assert maps.current.hub_link(pbl).rating == 3
    assert dict(maps.analysis_lines)["Alignment"].startswith("100 / 100")
    shots.take(window, "map")

    # -- the whole pack, from its button, into the folder answered --------------------------
    window.show_page("handouts")
    handouts = window.page("handouts")
    folder = tmp_path / "pack"
    answers.queue("pick_folder", str(folder))
    with qtbot.waitSignal(handouts.pack_written, timeout=10000):
        click(qtbot, handouts, "Write the whole pack…")
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf"))
    assert "Debrief.pdf" in written
    assert "Prototypes/Lincoln Elementary.pdf" in written
    assert handouts.message.text().startswith(f"Wrote {len(written)} handouts")
    assert handouts.message.text().endswith(f"to {folder}.")
    assert answers.errors == []
    shots.take(window, "pack-written")
