"""The app's icon (issue 17): the window shows it, and the bundled files a desktop reads exist."""
from __future__ import annotations

from PySide6.QtGui import QImage

from assets import ROOT as ASSETS


def test_the_theme_gives_the_app_its_icon(qapp):
    from workshop.ui.theme import apply_theme
    apply_theme(qapp)
    icon = qapp.windowIcon()
    assert not icon.isNull() and icon.pixmap(32, 32).width() == 32
    assert qapp.desktopFileName() == "design-academy-studio"   # the .desktop entry's name


def test_icon_files_are_drawn_at_every_size():
    for size in (16, 32, 48, 64, 128):
        image = QImage(str(ASSETS / "icons" / f"app-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
    assert QImage(str(ASSETS / "icons" / "app.png")).width() == 256
    assert (ASSETS / "icons" / "app.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"   # an ICO header
    assert "<svg" in (ASSETS / "icons" / "app.svg").read_text(encoding="utf-8")
