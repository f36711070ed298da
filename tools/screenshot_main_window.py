"""Save docs/img/main-window.png (the main window on the demo academy's roster page),
docs/img/roster-import.png (the import dialog on a Google Forms export) and
docs/img/stations-page.png.

Runs offscreen (no display needed) on a throw-away database:
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshot_main_window.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from workshop.app import build_context, build_window  # noqa: E402
from workshop.config import AppConfig  # noqa: E402
from workshop.academy.demo import ensure_demo_academy  # noqa: E402
from workshop.ui.theme import apply_theme  # noqa: E402


def main(out: Path = ROOT / "docs" / "img" / "main-window.png") -> Path:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = build_context(AppConfig(db_path=Path(tmp) / "academy.sqlite"))
        try:
            window = build_window(ctx)
            window.open_academy(ensure_demo_academy(ctx))
            window.show_page("roster")
            window.resize(1280, 800)
            window.show()
            page = window.page("roster")
            # Descending by name puts the Greek, Cyrillic and Chinese names in view.
            page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
            page.table.selectRow(6)
            app.processEvents()
            out.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(out))
            dialog = page.import_file(ROOT / "tests" / "workshop" / "academy" / "data" / "google_forms.csv")
            dialog.resize(1100, 720)
            app.processEvents()
            dialog.grab().save(str(out.with_name("roster-import.png")))
            dialog.reject()
            window.show_page("stations")
            app.processEvents()
            window.grab().save(str(out.with_name("stations-page.png")))
            window.close()
        finally:
            ctx.close()
    return out


if __name__ == "__main__":
    print(main())
