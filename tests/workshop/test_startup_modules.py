"""What `workshop --help`, a reading command and the first window import: each heavy library
loads where it is used, never on the way to the help text or the first frame (issue 20).

A fresh interpreter runs each path and prints its ``sys.modules``; no timing is measured, so
the test holds on any machine. The one list of what each path may not import is below.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

# Loaded only by what needs them: printing or reading a PDF (reportlab, pypdf, the shaping
# libraries), a map analysed or laid out (networkx, and numpy under its layout), phones let
# in (aiohttp), spreadsheets and the library browser (openpyxl, calamine, datasette).
HEAVY = frozenset({"reportlab", "pypdf", "networkx", "aiohttp", "datasette", "openpyxl",
                   "python_calamine", "uharfbuzz", "bidi", "numpy", "qrcode", "PIL"})
FORBIDDEN = {
    "first window": HEAVY,                                # a database opens: sqlite-utils may load
    # The CLI never loads Qt; an up-to-date file is listed with the standard library's sqlite3;
    # --db and $WORKSHOP_SESSION name the files, so no default folder is looked up.
    "academies": HEAVY | {"PySide6", "sqlite_utils", "platformdirs"},
    "--help": HEAVY | {"sqlite_utils", "PySide6"},        # no database is opened
    # A page opened before idle time built it pays for its imports in that click: the
    # Prototypes page reads PDFs only when one is imported, the Rotation page (and the
    # Attendance page built with it) starts the join server and draws QR codes only on demand.
    "prototypes page": HEAVY - {"networkx", "numpy"},     # its map may be laid out
    "rotation page": HEAVY,
    # The Attendance page builds the join service; its event loop (asyncio) and aiohttp load
    # when phones are let in.
    "attendance page": HEAVY | {"asyncio"},
    # The Handouts page lists its handouts from light modules and is on screen before its
    # first preview renders (reportlab, pypdf for the attachments, qrcode for the signs).
    "handouts page": HEAVY,
    "maps page": HEAVY,   # the map drawn at once, its analysis (networkx) after that frame
}

LOADED = "import json, sys; print('MODULES ' + json.dumps(sorted(sys.modules)))"

# The real start-up path (run_gui's steps), stopped when the window has painted its first frame
# and begins its idle work: what is imported by then is what the first frame cost.
FIRST_WINDOW = f"""
import sys
from PySide6.QtWidgets import QApplication
from workshop.app import start_window
from workshop.config import AppConfig
from workshop.ui.main_window import MainWindow
from workshop.ui.theme import apply_theme

def first_idle_step(self):
    {LOADED}
    sys.stdout.flush()
    import os; os._exit(0)

MainWindow._idle_step = first_idle_step
app = QApplication(sys.argv[:1])
apply_theme(app)
demo = sys.argv[2:] == ["--demo"]   # run_gui's way: the demo's data in idle time
ctx, window = start_window(AppConfig.from_env(db=sys.argv[1]), demo=demo, demo_when_idle=demo)
window.work_when_idle()
window.show()
window.ticker.start()
app.exec()
"""

# The facilitator's file opened, idle building off, then one page opened as a person would.
OPEN_PAGE = f"""
import sys
from PySide6.QtWidgets import QApplication
from workshop.app import start_window
from workshop.config import AppConfig
from workshop.ui.theme import apply_theme
app = QApplication(sys.argv[:1])
apply_theme(app)
ctx, window = start_window(AppConfig.from_env(db=sys.argv[1]))
window.show()
app.processEvents()
assert not window.is_built(sys.argv[2])
window.show_page(sys.argv[2])
app.processEvents()
assert window.is_built(sys.argv[2])
{LOADED}
sys.stdout.flush()
import os; os._exit(0)
"""

# A page opened and painted (idle building off), then what it does after that frame (the
# Handouts page's preview, the Maps page's analysis): argv is the file, the page, and the
# expression that is true while that work is still to come.
OPEN_THEN_SETTLE = f"""
import sys, time
from PySide6.QtWidgets import QApplication
from workshop.app import start_window
from workshop.config import AppConfig
from workshop.ui.theme import apply_theme
app = QApplication(sys.argv[:1])
apply_theme(app)
ctx, window = start_window(AppConfig.from_env(db=sys.argv[1]))
window.show()
app.processEvents()
window.show_page(sys.argv[2])
window.repaint()   # the frame that shows it
page = window.page(sys.argv[2])
busy = lambda: eval(sys.argv[3])
assert busy()
{LOADED}
deadline = time.monotonic() + 60
while busy() and time.monotonic() < deadline:
    app.processEvents()
assert not busy()
print('SETTLED ' + json.dumps(sorted(sys.modules)))
sys.stdout.flush()
import os; os._exit(0)
"""

HELP = f"""
import contextlib, io, sys
from workshop.app import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(["--help"])
    except SystemExit:
        pass
{LOADED}
"""

ACADEMIES = f"""
import contextlib, io, sys
from workshop.app import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["--db", sys.argv[1], "academies"])
assert code == 0, code
{LOADED}
"""


def modules_of(script: str, *args: str, tmp_path: Path, tag: str = "MODULES") -> set[str]:
    """The modules ``script`` had imported when it printed its ``tag`` line."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
               WORKSHOP_SESSION=str(tmp_path / "session.json"))
    result = subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    lines = [line for line in result.stdout.splitlines() if line.startswith(f"{tag} ")]
    assert lines, f"exit {result.returncode}: {result.stderr[-2000:]}"
    return set(json.loads(lines[0].split(" ", 1)[1]))


def heavy_in(modules: set[str], forbidden: frozenset[str] | set[str]) -> list[str]:
    """The forbidden top-level packages among ``modules``."""
    return sorted({name.split(".")[0] for name in modules} & set(forbidden))


@pytest.fixture
def facilitators_file(ctx, demo_academy):
    """A data file as a facilitator has it: the demo academy with groups, maps, prototypes."""
    from workshop.app import demo_steps
    for step in demo_steps():
        step(ctx, demo_academy.id, lambda _line: None)
    return ctx.config.db_path


def test_help_imports_no_database_no_qt_and_no_heavy_library(tmp_path):
    loaded = modules_of(HELP, tmp_path=tmp_path)
    assert "workshop.app" in loaded   # the parser was really built
    assert heavy_in(loaded, FORBIDDEN["--help"]) == []


def test_listing_academies_reads_the_file_and_nothing_heavy(tmp_path, facilitators_file):
    loaded = modules_of(ACADEMIES, str(facilitators_file), tmp_path=tmp_path)
    assert "workshop.store.readonly" in loaded   # the file was really read
    assert heavy_in(loaded, FORBIDDEN["academies"]) == []
    # The context builds a service when it is first read: a listing reads only the academies.
    unbuilt = {"prototypes.service", "prototypes.maps.service", "stations.join.service",
               "stations.grouping.service", "stations.rotation.service", "workshop.bundle.service",
               "workshop.academy.roster.plan",   # the roster reader: for imports only
               # The shell's own command is parsed without the features' parsers.
               "stations.cli", "prototypes.cli", "workshop.handouts.cli", "stations.grouping.cli"}
    assert sorted(unbuilt & loaded) == []


def test_the_first_window_imports_only_what_its_first_page_needs(tmp_path, facilitators_file):
    loaded = modules_of(FIRST_WINDOW, str(facilitators_file), tmp_path=tmp_path)
    assert "workshop.ui.main_window" in loaded and "sqlite_utils" in loaded
    assert heavy_in(loaded, FORBIDDEN["first window"]) == []
    # Pages nobody opened are not built (nor imported) before the first frame.
    assert "workshop.ui.handouts.page" not in loaded
    assert "prototypes.ui.maps.editor" not in loaded
    # Nor the services only they use, nor the features' CLI parsers, nor sqlite-utils' plugins.
    unbuilt = {"stations.join.service", "workshop.handouts.service",
               "multiprocessing", "stations.cli", "prototypes.cli", "importlib.metadata"}
    assert sorted(unbuilt & loaded) == []


@pytest.mark.parametrize("page", ["prototypes", "rotation", "attendance"])
def test_opening_a_page_imports_only_what_showing_it_needs(tmp_path, facilitators_file, page):
    loaded = modules_of(OPEN_PAGE, str(facilitators_file), page, tmp_path=tmp_path)
    assert heavy_in(loaded, FORBIDDEN[f"{page} page"]) == []
    if page == "prototypes":   # it opens on its library: the editor waits for a prototype
        assert "prototypes.ui.editor" not in loaded and "prototypes.ui.library_page" in loaded
    if page == "rotation":     # it reads the saved groups; the grouping engine forms them,
        # and its join button builds the Attendance page and the join service when pressed
        assert "stations.grouping.engine" not in loaded and "stations.join.service" not in loaded


@pytest.mark.parametrize("page, busy, later", [
    # Its handouts listed from light modules; the preview renders after the page painted.
    ("handouts", "page.rendering() and page.kinds.count() == 9", "reportlab"),
    # The map drawn; its analysis (the bridges: networkx) made after the page painted.
    ("maps", "page.side.analysing()", "networkx"),
])
def test_a_page_shows_before_its_heavy_work_loads_its_library(tmp_path, facilitators_file,
                                                              page, busy, later):
    opened = modules_of(OPEN_THEN_SETTLE, str(facilitators_file), page, busy, tmp_path=tmp_path)
    assert heavy_in(opened, FORBIDDEN[f"{page} page"]) == []
    assert "stations.handouts.render" not in opened and "prototypes.handouts.render" not in opened
    # The work done once the page had painted is what loads the library.
    settled = modules_of(OPEN_THEN_SETTLE, str(facilitators_file), page, busy, tmp_path=tmp_path,
                         tag="SETTLED")
    assert later in settled


def test_the_check_catches_a_heavy_import(tmp_path):
    """The helper is not blind: a script that imports a forbidden library is caught."""
    loaded = modules_of(f"import networkx\n{LOADED}", tmp_path=tmp_path)
    assert heavy_in(loaded, FORBIDDEN["first window"]) == ["networkx"]


def test_the_demos_first_window_leaves_its_maps_and_prototypes_for_idle_time(tmp_path):
    loaded = modules_of(FIRST_WINDOW, str(tmp_path / "academy.sqlite"), "--demo",
                        tmp_path=tmp_path)
    assert "workshop.academy.demo" in loaded
    assert heavy_in(loaded, FORBIDDEN["first window"]) == []
