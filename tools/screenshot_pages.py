"""Save the README's page screenshots from the demo academy: docs/img/grouping-page.png,
attendance.png (phones joining, the demo day's check-ins), prototype-library.png,
prototype-editor.png, prototype-measures.png (the run chart of the demo's math stations), map.png,
rollout-page.png (the demo team's vision and plan) and handouts-page.png (the debrief's preview).

Runs offscreen on a throw-away database, the phone server on loopback only:
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshot_pages.py
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from workshop.app import start_window  # noqa: E402
from workshop.config import AppConfig  # noqa: E402
from workshop.ui.theme import apply_theme  # noqa: E402

IMG = ROOT / "docs" / "img"


def main() -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        # The demo as `make run` opens it: its own file, with groups, maps and prototypes.
        ctx, window = start_window(AppConfig(db_path=Path(tmp) / "academy.sqlite",
                                             host="127.0.0.1"), demo=True)
        academy_id = window.academy_id
        try:
            window.resize(1440, 900)
            window.show()

            def shot(page: str, name: str) -> None:
                window.show_page(page)
                for _ in range(3):
                    app.processEvents()
                path = IMG / name
                window.grab().save(str(path))
                written.append(path)

            shot("grouping", "grouping-page.png")
            attendance = window.page("attendance")
            window.show_page("attendance")
            attendance.serve_button.setChecked(True)   # as a click: phones may join
            deadline = time.monotonic() + 60   # once its process listens (in the background)
            while attendance.join.starting and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.01)
            shot("attendance", "attendance.png")
            attendance.serve_button.setChecked(False)
            shot("prototypes", "prototype-library.png")
            prototypes = window.page("prototypes")
            first = ctx.prototypes.library(academy_id)[0][0]
            prototypes.open_prototype(first.id)
            shot("prototypes", "prototype-editor.png")
            math = next(r for r in ctx.prototypes.library(academy_id)[0]
                        if r.title.startswith("Math stations"))
            prototypes.open_prototype(math.id)
            prototypes.editor.tabs.setCurrentWidget(prototypes.editor.measures)
            shot("prototypes", "prototype-measures.png")
            shot("maps", "map.png")
            window.page("rollout").open_team(ctx.rollout.repo.schools(academy_id)[0])
            shot("rollout", "rollout-page.png")
            window.show_page("handouts")
            window.page("handouts").select("debrief")   # the preview of the demo's debrief
            shot("handouts", "handouts-page.png")
            window.close()
        finally:
            ctx.close()
    return written


if __name__ == "__main__":
    for path in main():
        print(path)
