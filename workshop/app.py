"""Composition root: config → database → migrations → repositories → services → clock →
join server → windows. The only module that imports both features.

The CLI is assembled here too: each package adds its sub-commands with ``register(sub)``; a
handler gets ``(args, open_context)`` and opens the database only if it needs it.
"""
from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import prototypes.services
import stations.services
import workshop.academy.cli
from workshop import APP_NAME, __version__
from workshop.errors import ValidationError
from workshop.lazy import DeferredModule, LazyFields, later
from workshop.clock import Clock, SystemClock
from workshop.config import AppConfig
from workshop.store import health
from workshop.store.errors import DatabaseError
from workshop.system import quiet_when_piped

# Feature services are imported inside build_context, not here: `workshop --help` and
# `workshop group` (no database) never need them. AppContext names their types through modules
# that load on first attribute access, so `typing.get_type_hints(AppContext)` resolves them
# without that cost at import time; type checkers see the plain imports.
if TYPE_CHECKING:
    import prototypes.maps.service as _maps
    import prototypes.service as _prototypes
    import stations.grouping.service as _grouping
    import stations.join.service as _join
    import stations.rotation.service as _rotation
    import stations.setup.service as _stations
    import workshop.academy.service as _academies
    import workshop.handouts.service as _handouts
else:
    _maps = DeferredModule("prototypes.maps.service")
    _prototypes = DeferredModule("prototypes.service")
    _grouping = DeferredModule("stations.grouping.service")
    _join = DeferredModule("stations.join.service")
    _rotation = DeferredModule("stations.rotation.service")
    _stations = DeferredModule("stations.setup.service")
    _academies = DeferredModule("workshop.academy.service")
    _handouts = DeferredModule("workshop.handouts.service")


# This version's tables and columns, for the quick look of `workshop academies`; rewritten by
# `python -c "from workshop.app import *; write_columns(feature_migrations(), SCHEMA_COLUMNS)"`
# (with `from workshop.store.readonly import write_columns`) when a migration is added.
SCHEMA_COLUMNS = Path(__file__).with_name("schema_columns.json")


def feature_migrations() -> dict:
    import prototypes.migrations
    import stations.migrations
    import workshop.academy.migrations

    features = {}
    for module in (workshop.academy.migrations, stations.migrations, prototypes.migrations):
        features[module.FEATURE] = list(module.MIGRATIONS)
        features.update(getattr(module, "AREAS", {}))
    return features


@dataclass
class AppContext(LazyFields):
    """Everything a command or window needs, built once per process by ``build_context``; each
    service is built (with its imports) when first read: a command pays only for what it uses."""
    config: AppConfig
    db: object
    clock: Clock
    academies: _academies.AcademyService = later()
    stations: _stations.StationService = later()
    grouping: _grouping.GroupingService = later()
    rotation: _rotation.RotationService = later()
    join: _join.JoinService = later()
    prototypes: _prototypes.PrototypeService = later()
    maps: _maps.MapService = later()
    handouts: _handouts.HandoutService | None = later()  # reads the other services
    rollout: object = later()   # prototypes.rollout.service.RolloutService (vision and plan)
    bundles: object = later()   # workshop.bundle.service.BundleService: whole academies

    def close(self) -> None:
        if self.is_built("join"):   # a server only runs if something asked for the service
            self.join.stop_server()
        self.db.close()


def build_context(config: AppConfig, clock: Clock | None = None) -> AppContext:
    # The store first: it imports sqlite-utils without numpy (workshop.store.database), which
    # holds only if no repository imported sqlite-utils before it.
    from workshop.store import open_database, use_wal
    from workshop.store.upgrade import upgrade
    from workshop.academy.service import AcademyService
    from workshop.academy.repository import AcademyRepository

    # WAL only after the check that the file is not from a newer version: switching the
    # journal mode rewrites the header, and a refused file must stay byte-identical. A new
    # file has nothing to keep: WAL at once, so its migrations are not each synced (issue 20).
    clock = clock or SystemClock()
    path = Path(config.db_path)
    new = str(path) != ":memory:" and (not path.exists() or path.stat().st_size == 0)
    db = open_database(config.db_path, wal=new)
    try:
        upgrade(db, config.db_path, clock, feature_migrations(), SCHEMA_COLUMNS)
        use_wal(db)
    except BaseException:
        db.close()  # a refused (newer, read-only, damaged, full) file is released untouched
        raise
    context = AppContext(config=config, db=db, clock=clock)
    lazy = context.build_later   # each service is built, with its imports, when first read
    academies = context.academies = AcademyService(AcademyRepository(db, clock))
    # Duplicating an academy copies what every feature keeps of it: their services (and the
    # duplicators some add when built) must exist first. Order kept: stations, maps, rollout.
    academies.duplicators.append(lambda old, new: context.build_all())
    stations.services.register(context, academies)     # stations, grouping, rotation, join
    prototypes.services.register(context, academies)   # maps, prototypes, rollout

    def handouts():
        # Every handout of both features behind one service (the CLI, the Export/Print menu,
        # packs). The kinds are listed from light modules; each renderer (reportlab) loads
        # when its handout is made or its pack files are listed.
        from workshop.handouts.service import HandoutService
        service = HandoutService(academies, clock)

        def station_kinds():
            from stations.handouts.data import StationHandouts
            from stations.handouts.kinds import handout_kinds
            return handout_kinds(StationHandouts(academies, context.stations, context.rotation,
                                                 context.join))

        def prototype_kinds():
            from prototypes.handouts.data import PrototypeHandouts
            from prototypes.handouts.kinds import handout_kinds
            return handout_kinds(PrototypeHandouts(academies, context.prototypes, context.maps))
        service.add_later(station_kinds)
        service.add_later(prototype_kinds)
        return service

    def bundles():
        from workshop.bundle.service import BundleService   # policies: each feature's BUNDLE
        return BundleService(db, feature_migrations(), clock=clock)

    lazy("handouts", handouts)
    lazy("bundles", bundles)
    return context


@contextmanager
def demo_context(out_dir, say=lambda text: None):
    """The demo on a scratch database in ``out_dir``: the demo academy, grouped, its rotation
    run on an accelerated clock with simulated check-ins and reflections, demo prototypes with
    iterations and maps. Yields ``(handout service, academy id)``."""
    from datetime import datetime, time as day_time
    from workshop.clock import AcceleratedClock
    from stations.demo_day import run_demo_rotation
    from workshop.academy.demo import DEMO_DATES, ensure_demo_academy
    from workshop.store.template import remove_database

    db_path = Path(out_dir) / "demo-academy.sqlite"
    remove_database(db_path)   # ours from an earlier run: the demo starts fresh
    start = datetime.combine(DEMO_DATES[0], day_time(9, 0)).astimezone()
    clock = AcceleratedClock(1.0, start=start, base=lambda: 0.0)  # moves only by jump()
    ctx = build_context(AppConfig(db_path=db_path), clock=clock)  # signs show the LAN address
    try:
        academy_id = ensure_demo_academy(ctx)
        say(f"Demo academy on {db_path}")
        for step in demo_steps():
            step(ctx, academy_id, say)
        run_demo_rotation(ctx.rotation, ctx.join, clock.jump, academy_id, say=say)
        yield ctx.handouts, academy_id
    finally:
        ctx.close()


def demo_steps() -> list[Callable]:
    """Feature demo data, run in order before the rotation: f(ctx, academy_id, say). Each is
    idempotent, keeps what a facilitator saved, and imports its modules when it runs."""
    def schools(ctx, academy_id):
        return sorted({p.school for p in ctx.academies.participants(academy_id)})

    def grouping(ctx, academy_id, say):
        from stations.grouping.service import ensure_demo_grouping
        ensure_demo_grouping(ctx, academy_id, say)

    def maps(ctx, academy_id, say):
        from prototypes.maps.demo import add_demo_maps
        add_demo_maps(ctx.maps, academy_id, schools(ctx, academy_id), max_schools=6)

    def prototypes(ctx, academy_id, say):
        from prototypes.demo import add_demo_prototypes
        add_demo_prototypes(ctx.prototypes, academy_id, schools(ctx, academy_id))
    return [grouping, maps, prototypes]


def build_parser(features: bool = True) -> argparse.ArgumentParser:
    """The whole CLI; ``features=False``: the shell's own commands only (academies, academy,
    roster), for ``main`` to parse those without importing every feature's parsers."""
    parser = argparse.ArgumentParser(
        prog="workshop", description=f"{APP_NAME}: run a personalized-learning design academy. "
        "With no command, opens the window.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the data file (default: $WORKSHOP_DB, "
                        "or academy.sqlite in the user data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open the window on the built-in demo academy, in its own scratch "
                        "file beside the data file (rebuilt each time; your file is untouched)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    workshop.academy.cli.register(sub)
    if features:
        from prototypes import cli as prototypes_cli
        from stations import cli as stations_cli
        from workshop.handouts import cli as handouts_cli
        for module in (stations_cli, prototypes_cli):
            module.register(sub)
        handouts_cli.register(sub, demo=demo_context)
    return parser


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(config: AppConfig, demo: bool) -> int:
    if not has_display():
        print(f"{APP_NAME} needs a screen, and this session has no display (DISPLAY is not set); "
              "run it on a desktop, or use the headless commands: `workshop --help`, "
              "`workshop demo --out DIR`.", file=sys.stderr)
        return 1
    # Qt is imported only when a window is wanted: the CLI runs on machines without Qt libraries.
    from PySide6.QtWidgets import QApplication
    from workshop.ui.theme import apply_theme
    from workshop.ui import dialogs

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    apply_theme(app)
    try:
        ctx, window = start_window(config, demo=demo, demo_when_idle=True)
    except DatabaseError as exc:
        dialogs.error(None, "Cannot open the data file", str(exc))
        return 2
    dialogs.report_store_errors(lambda: window)
    window.work_when_idle()   # the other pages, once the first frame is on screen
    window.show()
    window.ticker.start()
    try:
        return app.exec()
    finally:
        window.forget_session()   # a clean quit stops the server, but phones were still "on"
        ctx.close()


def start_window(config: AppConfig, demo: bool = False, clock: Clock | None = None,
                 demo_when_idle: bool = False) -> tuple[AppContext, object]:
    """The context and the main window of one launch (used by ``run_gui`` and the tests).

    Without ``demo``: the facilitator's file as it is (no demo is added to it), reopened on
    the academy open last time, on its Rotation page if a rotation is running there, with
    phones let in again (after the first frame) if they could join when it stopped. With
    ``demo``: the demo's own scratch file, rebuilt, opened on its roster (its groups, maps and
    prototypes added after the first paint with ``demo_when_idle``). Raises ``DatabaseError``
    (one line) when the file cannot be opened for writing."""
    from workshop.session import Session

    if demo:   # fresh every time: a copy of its template (workshop/store/template.py)
        from workshop.academy.demo import ensure_demo_academy, fresh_demo_file
        config = replace(config, db_path=config.demo_db_path, session_path=None)
        copied = fresh_demo_file(config.db_path, config.template_dir, feature_migrations(),
                                 lambda at: build_context(replace(config, db_path=at), clock))
    ctx = build_context(config, clock=clock)
    # Qt's threads: never fork this process (the first frame needs no handout); phones are served
    # from a process of its own, on the system clock only (another cannot cross; issue 19 item 6).
    ctx.when_built("handouts", lambda handouts: setattr(handouts, "threaded", True))
    ctx.when_built("join", lambda join: setattr(join, "isolate", type(ctx.clock) is SystemClock))
    state = health.health_of(ctx.db)
    if state.access != health.WRITE:   # the window writes (stations, groups, check-ins)
        ctx.close()
        raise DatabaseError(f"{health.refusal(config.db_path, state)} The window needs to write "
                            "to it; `workshop academies` and the other reading commands work.")
    if demo:
        demo_id = ensure_demo_academy(ctx)
        if copied:
            ctx.academies.renew(demo_id)   # its people get their own uids, as made now
        steps = [lambda step=step: step(ctx, demo_id, lambda text: None) for step in demo_steps()]
        if not demo_when_idle:
            for run in steps:   # its groups, maps and prototypes
                run()
    session = Session(config.session_path, config.db_path)
    remembered = session.recall()
    known = [a.id for a in ctx.academies.list()]
    from stations.rotation.running import running_academies   # the log alone, no service
    running = [] if demo else running_academies(ctx.db, ctx.clock, known)
    # Nothing remembered (a first launch, a lost session file): an academy whose rotation
    # carried on is the one the facilitator was in.
    opened = demo_id if demo else remembered.academy_id if remembered.academy_id in known \
        else (running or known or [None])[0]
    # Only the page shown first is built before the first frame: the demo's people, or a
    # running rotation with its banner that offers to carry on; else the academy list.
    window = build_window(ctx, first="roster" if demo else "rotation" if opened in running else None)
    window.open_academy(opened)
    if demo:
        if demo_when_idle:
            # Its groups, maps and prototypes once the roster is on screen (the maps' layout
            # loads networkx); then every page built meanwhile reads them again.
            for run in steps:
                window.when_idle(run)
            window.when_idle(lambda: window.open_academy(demo_id))
        return ctx, window
    if remembered.joining:   # as the facilitator left it, once the first frame is on screen
        window.after_first_paint(lambda: window.page("attendance").serve_button.setChecked(True))
    window.remember_in(session, joining=remembered.joining)   # (on its way, if so)
    # Whether phones can join is remembered once the join service exists (the first frame needs none).
    ctx.when_built("join", window.remember_joining)
    return ctx, window


def build_window(ctx: AppContext, first: str | None = None):
    """The main window with every page; used by the app and by the GUI tests. Pages are
    factories: each is built when first shown or asked for, or in idle time after the first
    paint (the Handouts page only when opened: building it renders its preview); ``first``:
    the page shown (and built) first, else the academy list."""
    from stations.ui import add_pages as add_station_pages
    from prototypes.ui import add_pages as add_prototype_pages
    from workshop.ui.main_window import MainWindow
    from workshop.ui.shell_pages import add_academy_pages, add_handouts_page

    window = MainWindow(ctx.academies, first_page=first)
    add_academy_pages(window, ctx)
    add_station_pages(window, ctx)
    add_prototype_pages(window, ctx)
    add_handouts_page(window, ctx)
    from workshop.ui.file_drop import FileDrop

    def import_prototypes(path: str) -> None:   # a prototype PDF or JSON brought back
        window.show_page("prototypes")
        window.page("prototypes").import_file(path)
    window.file_drop = FileDrop(window, {".pdf": import_prototypes, ".json": import_prototypes})
    window.show_first_page()
    return window


def main(argv: list[str] | None = None) -> int:
    """The CLI; a reader that stops early (``| head``) ends it quietly, as Unix tools do."""
    return quiet_when_piped(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    from workshop.commands import ContextOpener, parser_for
    parser = parser_for(argv, build_parser)
    args = parser.parse_args(argv)
    try:
        config = AppConfig.from_env(db=args.db)
    except ValidationError as exc:   # an empty --db, a WORKSHOP_PORT that is no port
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def look():   # a read-only look at an up-to-date file (workshop/store/readonly.py)
        from workshop.store.readonly import open_current
        return open_current(config.db_path, feature_migrations(), SCHEMA_COLUMNS)
    open_context = ContextOpener(lambda: build_context(config), look)
    context = open_context.contexts

    try:
        if args.command is None:
            return run_gui(config, demo=args.demo)
        code = args.handler(args, open_context)
        if context:   # what a damaged file still let a reading command show
            state = health.health_of(context[0].db)
            if state.access == health.DAMAGED:
                print(f"warning: {config.db_path} is damaged ({state.reason}); the above is "
                      "what could still be read, and nothing was written to it.", file=sys.stderr)
        return code
    except (DatabaseError, ValidationError) as exc:   # a user can act on these: no trace
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except health.FILE_FAILURES as exc:   # damaged, read-only, disk full: the file's, or a bug?
        explained = health.explain_command_failure(exc, config.db_path,
                                                   context[0].db if context else None)
        if explained is None:
            if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):   # `| head`: quiet
                print(f"error: {health.path_refused(exc)}", file=sys.stderr)   # too long, no permission
                return 2
            raise                                     # not about the file: a bug, shown
        print(f"error: {explained}", file=sys.stderr)
        return 2
    finally:
        for ctx in context:
            ctx.close()
