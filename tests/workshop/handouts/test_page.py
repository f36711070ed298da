"""The Handouts page and the Export/Print menu, driven as a facilitator would."""
from __future__ import annotations

import pytest

from tests.conftest import require_tool
from tests.fakes import FakeDialogs
from workshop.ui.handouts import page as page_module

pytestmark = pytest.mark.pages("academies", "roster", "handouts")  # the window holds only what these tests drive


@pytest.fixture
def page(qtbot, window, ctx, academy):
    ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    window.open_academy(academy.id)
    window.show()   # on screen: the preview is rendered once the page has painted
    qtbot.waitExposed(window)
    window.show_page("handouts")
    return window.page("handouts")


def test_every_handout_is_listed_and_the_export_menu_reaches_each(window, page):
    keys = [page.kinds.item(r).data(256) for r in range(page.kinds.count())]
    assert keys == ["debrief", "signs", "group-cards", "agenda", "roster", "prototype",
                    "iteration-log", "plan", "vision"]
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "E&xport/Print")
    titles = [a.text() for a in menu.actions() if a.text()]
    assert titles == ["Debrief…", "Station signs…", "Group cards…", "Agenda…", "Roster…", "Prototype…",
                      "Iteration log…", "Vision and rollout plan…", "Vision poster…",
                      "Whole pack…"]
    window.show_page("academies")
    next(a for a in menu.actions() if a.text() == "Iteration log…").trigger()
    assert window.current_page_key() == "handouts" and page.current_key() == "iteration-log"
    assert page.option.currentText() == "Math stations — Lincoln Elementary"
    assert page.pdf is not None and page.pdf.startswith(b"%PDF-")


def previewed(qtbot, page):
    """Wait for the preview the page renders once it is on screen."""
    qtbot.waitUntil(lambda: not page.rendering() and page.preview_count() >= 1, timeout=10000)
    return page.pages_layout.itemAt(0).widget().pixmap().size()


def test_preview_shows_the_first_pages_and_follows_the_paper(qtbot, page):
    require_tool("pdftoppm", "renders the preview")
    page.select("debrief")
    # The choice shows at once; the PDF and its pages follow once the page has painted.
    assert page.rendering() and page.message.text() == "Rendering preview…"
    assert page.preview_count() == 0
    previewed(qtbot, page)
    assert page.message.text().endswith("KB. The first pages:")
    page.paper.setCurrentIndex(page.paper.findData("letter"))
    letter = previewed(qtbot, page)
    page.paper.setCurrentIndex(page.paper.findData("a4"))
    a4 = previewed(qtbot, page)
    assert letter.width() > a4.width() and letter.height() < a4.height()


def test_save_writes_the_previewed_pdf(page, tmp_path, monkeypatch):
    target = tmp_path / "cards.pdf"
    FakeDialogs(save_file=str(target)).install(monkeypatch)
    page.select("group-cards")
    page.save_action.trigger()
    assert target.read_bytes() == page.pdf


def test_open_in_viewer_hands_a_file_to_the_desktop(page, monkeypatch):
    opened = []
    monkeypatch.setattr(page_module.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    page.select("debrief")
    page.open_action.trigger()
    assert opened and opened[0].endswith(".pdf")
    with open(opened[0], "rb") as f:
        assert f.read() == page.pdf


def test_print_paints_every_page(page, tmp_path):
    require_tool("pdftoppm", "rasterises pages for printing")
    from PySide6.QtPrintSupport import QPrinter
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    page.select("iteration-log")
    assert page.print_to(printer) >= 3   # the log plus its blank cycles
    assert (tmp_path / "printed.pdf").stat().st_size > 1000


def test_pack_runs_with_progress_and_lands_whole(page, qtbot, tmp_path):
    steps = []
    with qtbot.waitSignal(page.pack_written, timeout=20000) as done:
        runner = page.write_pack(str(tmp_path / "pack"))
        runner.progressed.connect(lambda d, t, title: steps.append((d, t)))
    result = done.args[0]
    names = sorted(p.relative_to(tmp_path / "pack").as_posix() for p in result.files)
    assert "Debrief.pdf" in names and "Prototypes/Lincoln Elementary.pdf" in names
    assert steps[-1][0] == steps[-1][1]
    assert not [p for p in (tmp_path / "pack").iterdir() if p.name.startswith(".pack-")]


def test_cancelled_pack_leaves_nothing(page, qtbot, tmp_path):
    runner = page.write_pack(str(tmp_path / "pack"))
    with qtbot.waitSignal(runner.failed, timeout=20000) as failed:
        runner.cancel()
    assert "cancelled" in failed.args[0]
    assert not (tmp_path / "pack").exists() or list((tmp_path / "pack").iterdir()) == []
    assert page.runner is None and "cancelled" in page.message.text()


@pytest.mark.pages()  # the drop filter belongs to the whole window
def test_a_prototype_pdf_dropped_on_the_window_is_imported(window, ctx, academy, tmp_path, qtbot):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    p = ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    ctx.prototypes.start_iteration(p.id)
    pdf = tmp_path / "math.pdf"
    pdf.write_bytes(ctx.handouts.make("prototype", academy.id, "a4", prototype=p.id))
    ctx.prototypes.delete(p.id)
    assert ctx.prototypes.search(academy.id) == []
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    # Qt delivers a Drop only during a real drag (its drag manager's target), so the test
    # hands the event to the window's drop filter as Qt would.
    with qtbot.waitSignal(window.file_drop.dropped):
        assert window.file_drop.eventFilter(window, drop)
    [row] = ctx.prototypes.search(academy.id)
    assert row.title == "Math stations" and row.iterations == 1
    assert window.current_page_key() == "prototypes"


def test_coming_back_to_the_page_shows_what_changed_elsewhere(window, ctx, academy, page):
    page.select("prototype")
    assert page.option.count() == 1
    window.show_page("roster")
    ctx.prototypes.create(academy.id, "Reading playlists", team="Riverside")
    window.show_page("handouts")
    assert page.option.count() == 2


def test_a_plan_with_no_team_ready_says_where_to_write_one(window, page, ctx, academy):
    """Every school is a team: with schools on the roster but no vision written, the page said
    "This academy has no team yet", which sent the facilitator to the roster."""
    from workshop.academy.model import Participant
    ctx.academies.add_participant(academy.id, Participant(name="Zoë Brennan", school="Lincoln High"))
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "E&xport/Print")
    next(a for a in menu.actions() if a.text() == "Vision and rollout plan…").trigger()
    assert page.current_key() == "plan" and page.pdf is None
    assert page.message.text() == ("No team has a vision or plan yet: write one on the Vision & "
                                   "plan page.")
    assert not page.save_action.isEnabled()
