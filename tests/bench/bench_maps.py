"""Initiative maps: lay out and render a 40-initiative map (goal: under 200 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_maps.py
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from PySide6.QtCore import QRectF  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from prototypes.maps.analysis import analyse  # noqa: E402
from prototypes.maps.drawing import build_drawing  # noqa: E402
from prototypes.maps.model import InitiativeMap, Node  # noqa: E402
from prototypes.ui.maps.items import MapScene, render_image  # noqa: E402

COUNT = 40
RUNS = 15
GOAL_MS = 200


def big_map(count: int = COUNT) -> InitiativeMap:
    nodes = [Node(f"Initiative number {i} with a longer name", owner=f"Owner {i % 7}",
                  status=("active", "planned", "winding_down")[i % 3], load=1 + i % 5)
             for i in range(count)]
    links = [("hub", n.name, i % 4) for i, n in enumerate(nodes) if i % 5]
    links += [(nodes[i].name, nodes[i + 1].name, 2) for i in range(0, count - 1, 3)]
    return InitiativeMap.build("Every student owns their learning, with the right support "
                               "at the right time", nodes, links)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    app = QApplication.instance() or QApplication([])
    m = big_map()

    def layout_and_render_scene() -> None:
        drawing = build_drawing(m, with_legend=False)          # radial layout + primitives
        scene = MapScene()
        scene.show_drawing(drawing, m.links, m.hub.id)
        rect = scene.itemsBoundingRect()
        image = QImage(int(rect.width() / 2), int(rect.height() / 2), QImage.Format.Format_ARGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        scene.render(painter, QRectF(image.rect()), rect)
        painter.end()

    def export_image() -> None:
        render_image(build_drawing(m), 1800)

    figures = {
        "layout + drawing model": lambda: build_drawing(m),
        "analysis": lambda: analyse(m),
        "layout + scene + offscreen render": layout_and_render_scene,
        "export PNG image (1800 px wide)": export_image,
    }
    layout_and_render_scene()     # warm up fonts and caches
    print(f"{COUNT} initiatives, {len(m.links)} links; median of {RUNS} runs")
    for name, fn in figures.items():
        runs = [timed(fn) for _ in range(RUNS)]
        print(f"  {name:38s} {statistics.median(runs):7.1f} ms  (max {max(runs):.1f})")
    total = statistics.median(timed(layout_and_render_scene) for _ in range(RUNS))
    verdict = "OK" if total < GOAL_MS else "SLOWER THAN GOAL"
    print(f"lay out and render {COUNT} initiatives: {total:.1f} ms (goal < {GOAL_MS} ms) {verdict}")
    app.processEvents()


if __name__ == "__main__":
    main()
