"""The window fits the screens it is projected on: with the demo academy open and every page
built, its minimum size fits a 1280×720 projector (a page wider than that pushed its buttons
off the right edge of a 1440-pixel screen, and cannot be projected at all at 1280)."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication

PROJECTOR = (1280, 720)


def test_every_page_fits_a_1280_by_720_projector(qtbot, ctx, make_window):
    from workshop.academy.demo import ensure_demo_academy
    academy_id = ensure_demo_academy(ctx)
    window = make_window()
    window.open_academy(academy_id)
    window.show()
    too_wide = {}
    for key in window.page_keys():
        window.show_page(key)
        QApplication.processEvents()   # the page is laid out
        hint = window.minimumSizeHint()
        if hint.width() > PROJECTOR[0] or hint.height() > PROJECTOR[1]:
            too_wide[key] = (hint.width(), hint.height())
    assert too_wide == {}, f"pages that do not fit {PROJECTOR}: {too_wide}"
