"""The app's look: a readable default font and the bundled style sheet."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication

from assets import ROOT as ASSETS


def apply_theme(app: QApplication) -> None:
    font = app.font()
    if font.pointSize() < 11:
        font.setPointSize(11)
        app.setFont(font)
    qss = ASSETS / "qss" / "app.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
