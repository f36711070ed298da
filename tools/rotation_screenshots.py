"""Screenshots for docs/rotation.md: the projector (a real full-screen window, so run it under
Xvfb) and the rotation page, on the demo academy in the middle of round 2.

    Xvfb :57 -screen 0 1920x1080x24 &  DISPLAY=:57 .venv/bin/python tools/rotation_screenshots.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.fakes import FakeClock  # noqa: E402
from workshop.app import build_context, build_window  # noqa: E402
from workshop.config import AppConfig  # noqa: E402
from workshop.academy.demo import ensure_demo_academy  # noqa: E402
from workshop.ui.theme import apply_theme  # noqa: E402

IMG = ROOT / "docs" / "img"


def main() -> None:
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    tmp = tempfile.TemporaryDirectory()
    clock = FakeClock()
    ctx = build_context(AppConfig(db_path=Path(tmp.name) / "shots.sqlite", host="127.0.0.1", port=0),
                        clock=clock)
    academy_id = ensure_demo_academy(ctx)
    from stations.grouping.service import ensure_demo_grouping
    ensure_demo_grouping(ctx, academy_id, lambda *args: None)
    window = build_window(ctx)
    window.open_academy(academy_id)
    window.show_page("rotation")
    page = window.page("rotation")
    page.start()
    clock.advance(15 * 60 + 60 + 6 * 60 + 23)    # round 2, 8:37 left
    window.resize(1440, 900)
    window.show()
    page.toggle_full_screen()

    def shoot():
        window.ticker.tick()
        app.processEvents()
        window.grab().save(str(IMG / "rotation-page.png"))
        # The projector as the X server shows it (a real full-screen window).
        subprocess.run(["import", "-window", "root", str(IMG / "projector.png")], check=True)
        app.quit()

    QTimer.singleShot(1500, shoot)
    app.exec()
    window.close()
    ctx.close()


if __name__ == "__main__":
    main()
