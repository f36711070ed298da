"""The app's look: a readable default font, the bundled style sheet, and the few colours that
carry meaning (errors, warnings, done) so every page says "something is wrong" the same way."""
from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel

from assets import ROOT as ASSETS

ERROR = "#b00020"    # a message about something that was not saved or cannot be done
WARNING = "#8a1c00"  # not wrong, not ready yet ("not yet safe to try")
GOOD = "#1b5e20"     # ready, complete
MUTED = "#555"       # secondary text: hints, reminders, history

INVALID_STYLE = ('QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], '
                 'QComboBox[invalid="true"], QDateEdit[invalid="true"] '
                 f'{{ border: 2px solid {ERROR}; }}')
"""Widgets with the ``invalid`` property set get the error border (pages set this sheet)."""


# The faces the handouts print with, for the scripts a system may lack (a Linux desktop often has
# no Devanagari, Thai or Hebrew font): Qt shapes with HarfBuzz and falls back between fonts by
# itself, but only to fonts it knows. About 20 ms at start-up, most of it Qt's font database.
SCRIPT_FONTS = ("NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf",
                "NotoSansDevanagari-Regular.ttf", "NotoSansBengali-Regular.ttf",
                "NotoSansTamil-Regular.ttf", "NotoSansThai-Regular.ttf", "NotoEmoji-Regular.ttf",
                "DroidSansFallbackFull.ttf", "NanumGothic.ttf")
_registered = False


def register_script_fonts() -> None:
    """Make the bundled script faces available to Qt's font fallback (once)."""
    global _registered
    if _registered:
        return
    from PySide6.QtGui import QFontDatabase
    for name in SCRIPT_FONTS:
        QFontDatabase.addApplicationFont(str(ASSETS / "fonts" / name))
    _registered = True


def apply_theme(app: QApplication) -> None:
    """Give the application its font size, its script fonts, style sheet and icon."""
    register_script_fonts()
    font = app.font()
    if font.pointSize() < 11:
        font.setPointSize(11)
        app.setFont(font)
    qss = ASSETS / "qss" / "app.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    app.setWindowIcon(QIcon(str(ASSETS / "icons" / "app.png")))  # task bar, Alt-Tab, title bar
    # Wayland finds the window's menu entry (and so its icon) by this name: the .desktop file's.
    app.setDesktopFileName("design-academy-studio")


def colour_text(label: QLabel, colour: str, *, bold: bool = False) -> QLabel:
    """Show the label's text in one of the colours above."""
    label.setStyleSheet(f"color: {colour};" + (" font-weight: bold;" if bold else ""))
    return label


def style_error(label: QLabel, *, bold: bool = False) -> QLabel:
    """Make the label an error line (the one error colour)."""
    return colour_text(label, ERROR, bold=bold)
