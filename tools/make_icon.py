"""Write the app's icon into assets/icons/ (committed; rerun to change it).

Three station circles around a countdown arc, in the nav's blue: what the app is about (a
rotation of three stations against a clock), legible at 16 px in a task bar. Drawn with Qt (the
app's own dependency) so no image library is needed; the SVG is the source, the PNGs are what
Linux desktops and Qt's window icon read, and the .ico is what PyInstaller embeds on Windows.
"""
from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assets" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)
BLUE, TEAL, AMBER, ROSE, WHITE = "#1f4e79", "#2a9d8f", "#e9c46a", "#e76f51", "#ffffff"

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" height="256">
  <rect x="8" y="8" width="240" height="240" rx="52" fill="{BLUE}"/>
  <circle cx="128" cy="128" r="78" fill="none" stroke="{WHITE}" stroke-opacity="0.25" stroke-width="14"/>
  <path d="M128 50 A78 78 0 1 1 60.45 167" fill="none" stroke="{WHITE}" stroke-width="14" stroke-linecap="round"/>
  <circle cx="128" cy="92" r="22" fill="{TEAL}"/>
  <circle cx="96" cy="148" r="22" fill="{AMBER}"/>
  <circle cx="160" cy="148" r="22" fill="{ROSE}"/>
</svg>
"""


def main() -> int:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (painting needs one)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "app.svg").write_text(SVG, encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(SVG.encode()))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if size < 256:
            image.save(str(OUT / f"app-{size}.png"))
        else:
            image.save(str(OUT / "app.png"))
            image.save(str(OUT / "app.ico"))  # Qt's ico plugin: one 256 px image, which Windows scales
    print(f"icons written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
