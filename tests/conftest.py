"""Shared fixtures. Qt runs offscreen (set before anything imports Qt, or pytest aborts on a
machine with no display); Qt warnings fail the test that caused them."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QPA_FONTDIR", "/usr/share/fonts")  # quiet "cannot find font directory"
# `--demo` keeps its template in the user's cache folder (AppConfig.from_env): the tests, and
# the apps they start, in one of their own.
if not os.environ.get("WORKSHOP_CACHE"):
    os.environ["WORKSHOP_CACHE"] = tempfile.mkdtemp(prefix="workshop-test-cache-")
    atexit.register(shutil.rmtree, os.environ["WORKSHOP_CACHE"], ignore_errors=True)

import pytest  # noqa: E402

from tests.fakes import FakeClock  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Under CI, Hypothesis draws the same examples on every run and keeps no example database: a
# build fails or passes by the code alone, never by the draw of the day (the deeper, random
# search is `make fuzz`, locally). Locally a failing example is remembered in .hypothesis/ and
# tried first next time, as Hypothesis does by default; either way a failure prints the blob
# that reproduces it (@reproduce_failure).
from hypothesis import settings as _hypothesis  # noqa: E402

_hypothesis.register_profile("ci", derandomize=True, database=None, print_blob=True)
_hypothesis.register_profile("dev", print_blob=True)
_hypothesis.load_profile("ci" if IN_CI else "dev")


def require_tool(name: str, why: str = "") -> str:
    """Path of an external tool; skip without it, but under CI=true a missing tool fails."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed ({why or 'needed by this test'}); `make test` as root installs it"
    if IN_CI:
        pytest.fail(f"CI=true: {message}")
    pytest.skip(message)


# -- markers -----------------------------------------------------------------------------------
GUI_FIXTURES = {"qtbot", "qapp", "window", "make_window"}
_drives_qt: dict[str, bool] = {}


def _module_drives_qt(path) -> bool:
    """A test module that imports Qt or any ui/ module builds widgets, with qtbot or without."""
    key = str(path)
    if key not in _drives_qt:
        from tests.architecture.rules import parse
        from tests.paths import ROOT
        try:
            imports = parse(ROOT, path.relative_to(ROOT).as_posix()).imports
        except ValueError:   # outside the checkout
            imports = []
        _drives_qt[key] = any(imp.root in ("PySide6", "pytestqt") or "ui" in imp.target.split(".")
                              for imp in imports)
    return _drives_qt[key]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())) or _module_drives_qt(item.path):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def config(tmp_path):
    from workshop.config import AppConfig
    return AppConfig(db_path=tmp_path / "academy.sqlite", host="127.0.0.1", port=0)


@pytest.fixture
def ctx(config, clock):
    """A fully built application context on a fresh temporary database."""
    from workshop.app import build_context
    context = build_context(config, clock=clock)
    yield context
    context.close()


@pytest.fixture
def academy(ctx):
    return ctx.academies.create("Test Academy", place="Gym", facilitator="Sam Rivera")


@pytest.fixture
def demo_academy(ctx):
    """The built-in demo academy (about 36 people, 6 schools)."""
    from workshop.academy.demo import ensure_demo_academy
    return ctx.academies.get(ensure_demo_academy(ctx))


# -- windows: the whole one, or only the pages a test needs -----------------------------------
def _academies_page(window, ctx):
    from workshop.ui.academy.academies_page import AcademiesPage
    page = AcademiesPage(ctx.academies, bundles=ctx.bundles)
    page.open_requested.connect(window.open_academy)
    return page


def _roster_page(window, ctx):
    from workshop.ui.academy.roster_page import RosterPage
    return RosterPage(ctx.academies)


def _stations_page(window, ctx):
    from stations.ui.setup.page import StationsPage
    return StationsPage(ctx.stations)


def _grouping_page(window, ctx):
    from stations.ui.grouping.page import GroupingPage
    return GroupingPage(ctx.grouping,
                        default_groups=lambda academy_id: len(ctx.stations.stations(academy_id)))


def _rotation_page(window, ctx):
    from stations.ui.rotation.page import RotationPage
    return RotationPage(ctx.rotation, window.ticker)


def _attendance_page(window, ctx):
    from stations.ui.join.attendance_page import AttendancePage
    return AttendancePage(ctx.join, ctx.clock, window.ticker, grouping=ctx.grouping)


def _prototypes_page(window, ctx):
    from prototypes.ui.page import PrototypesPage
    return PrototypesPage(ctx.prototypes, ctx.academies)


def _maps_page(window, ctx):
    from prototypes.ui.maps.editor import MapEditorPage
    return MapEditorPage(ctx.maps)


def _rollout_page(window, ctx):
    from prototypes.ui.rollout.page import RolloutPage
    return RolloutPage(ctx.rollout)


def _handouts_page(window, ctx):
    from workshop.ui.handouts.page import HandoutsPage
    return HandoutsPage(ctx.handouts)


# key → (nav title, menu title, builder), in the order build_window adds them. The test that
# compares a full one-page-at-a-time window with build_window's keeps this table honest.
PAGES = {
    "academies": ("Academies", None, _academies_page),
    "roster": ("Roster", None, _roster_page),
    "stations": ("Stations", None, _stations_page),
    "grouping": ("Groups", None, _grouping_page),
    "rotation": ("Rotation", None, _rotation_page),
    "attendance": ("Attendance", None, _attendance_page),
    "prototypes": ("Prototypes", "&Prototype", _prototypes_page),
    "maps": ("Initiative maps", "&Map", _maps_page),
    "rollout": ("Vision & plan", None, _rollout_page),
    "handouts": ("Handouts", "&Handout", _handouts_page),
}


def build_pages_window(ctx, keys):
    """A main window holding only the pages ``keys`` (wired as build_window wires them, where
    the pages they are wired to are there too): a GUI test pays for the pages it drives."""
    from workshop.ui.main_window import MainWindow
    unknown = set(keys) - set(PAGES)
    assert not unknown, f"no such page: {sorted(unknown)} (pages: {list(PAGES)})"
    window = MainWindow(ctx.academies)
    for key, (title, menu_title, build) in PAGES.items():
        if key in keys:
            window.add_page(key, title, build(window, ctx), menu_title=menu_title)
    if {"attendance", "rotation"} <= set(keys):
        attendance, rotation = window.page("attendance"), window.page("rotation")
        attendance.attach_projector(rotation.projector)
        rotation.add_join_button(attendance.serve_action)
        from stations.ui.join.switch import mirror_switch
        mirror_switch(rotation.buttons["join"], attendance)
    if {"prototypes", "rollout"} <= set(keys):
        from prototypes.ui import connect_plan_search
        connect_plan_search(window)
    if "handouts" in keys:
        from workshop.ui.handouts.page import install_export_menu
        install_export_menu(window, window.page("handouts"))
    return window


@pytest.fixture
def make_window(qtbot, ctx):
    """``make_window()`` is the whole window (build_window); ``make_window("roster")`` holds
    only the roster page."""
    def make(*keys: str):
        if keys:
            win = build_pages_window(ctx, keys)
        else:
            from workshop.app import build_window
            win = build_window(ctx)
        qtbot.addWidget(win)
        return win
    return make


@pytest.fixture
def window(request, make_window):
    """The main window: every page, or only those a ``@pytest.mark.pages(...)`` names (on the
    test or its module; ``pages()`` on a test of such a module asks for every page again)."""
    marker = request.node.get_closest_marker("pages")
    return make_window(*(marker.args if marker else ()))


@pytest.fixture
def run_cli(config, capsys):
    """Run ``workshop ARGS`` in-process on the test database; returns (code, stdout, stderr)."""
    from workshop.app import main

    def run(*args: str):
        code = main(["--db", str(config.db_path), *args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


@pytest.fixture
def local_zone(monkeypatch):
    """``local_zone("America/New_York")`` sets the process's local time zone for one test."""
    import time

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()
    yield set_zone
    monkeypatch.undo()
    time.tzset()
