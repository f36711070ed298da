"""Every handout of an academy behind one service: make one, or write the whole pack.

The shell knows no feature: each feature describes its handouts as ``HandoutKind`` values
(what it is called, how to make it, which files it adds to the pack) and the composition root
adds them here. The CLI, the window's Export/Print menu and the pack all go through this one
service. Qt-free: progress is a callback and cancelling is a callable the caller answers.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Generator, Iterable
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any, Callable

from workshop.errors import ValidationError
from workshop.text import plural, safe_filename  # noqa: F401 (prototypes' handouts import safe_filename from here)

if TYPE_CHECKING:
    from workshop.academy.service import AcademyService
    from workshop.clock import Clock


PARALLEL_FROM = 8     # files; smaller packs render in this process
MAX_WORKERS = 4


# Imported by the fork server before it forks workers ("forkserver"), so that they begin with
# reportlab imported and every font parsed; a command forking its workers ("fork") imports
# the renderers and parses the fonts its pack needs itself (``_render_context``).
WARM_MODULE = "workshop.pdf.warm"
START_METHODS = ("fork", "forkserver", "spawn")
START_ENV = "WORKSHOP_PACK_START"   # one of START_METHODS: overrides the choice (tests, bundles)


def choose_start_method(threaded: bool, available: list[str] | None = None,
                        chosen: str | None = None) -> str:
    """How render workers start, by what this process is and what the platform offers.

    - ``chosen`` (``WORKSHOP_PACK_START``), when the platform has it.
    - "fork" in a process with no other thread (a command): the workers are forked straight
      from it after it has imported the renderers and parsed the fonts, so nothing is imported
      or parsed twice and no server process is started.
    - "forkserver" in a process with threads (the window: Qt's, the join server's), which must
      not be forked: one clean process imports the renderers and parses the fonts once, and
      forks each worker from it; it lives until this process exits, so later packs skip that.
    - "spawn" where neither exists (Windows; a frozen bundle may ask for it too): each worker
      starts a fresh interpreter and imports the renderers itself.
    """
    available = multiprocessing.get_all_start_methods() if available is None else available
    if chosen in START_METHODS and chosen in available:
        return chosen
    if not threaded and "fork" in available:
        return "fork"
    if "forkserver" in available:
        return "forkserver"
    return "spawn"


def _render_context(items: list[PackItem], method: str, texts: Iterable[str] = ()) -> BaseContext:
    """The multiprocessing context of ``method``, with the renderers warmed where it helps.
    ``texts``: what the pack's every file may print (the academy's title, its people), whose
    fonts a forked worker should find parsed."""
    import importlib
    renderers = sorted({item.render.__module__ for item in items})
    context = multiprocessing.get_context(method)
    if method == "fork":
        for module in renderers:   # imported here once; every forked worker shares the pages
            importlib.import_module(module)
        # The faces these texts need, parsed here once (not all eleven: 86 ms, of which a pack
        # in Latin letters needs 13); a worker that meets another script parses that face.
        from workshop.pdf import fonts
        from workshop.pdf.styles import styles
        fonts.register_for(texts)
        styles()
    elif method == "forkserver":
        # Only heeded when the server starts (the first parallel pack of this process). The
        # server outlives the pack, so it parses every face once for all later packs.
        context.set_forkserver_preload([*renderers, WARM_MODULE])
    return context


class PackCancelled(Exception):
    """The person cancelled the pack; nothing of it was left on disk."""


@dataclass(frozen=True)
class PackItem:
    """One file of the pack, made in two halves: ``prepare()`` reads the database (in this
    process, on its thread) and returns the print model; ``render(model, paper)`` lays it out.
    ``render`` must be a module-level function so that a big pack can render in worker
    processes (reportlab is pure Python and single-threaded)."""
    filename: str                                   # path inside the pack, "Prototypes/X.pdf"
    title: str                                      # what the progress line says
    prepare: Callable[[], object]
    render: Callable[[object, str | None], bytes]
    # True when prepare() may wait without working (the signs wait up to
    # ``workshop.net.address.PRINT_WAIT_S`` for the laptop's .local name, looked up in the
    # background): a parallel pack prepares it after every other file, so the wait overlaps
    # the workers' rendering.
    waits: bool = False

    def make(self, paper: str | None) -> bytes:
        """The file's bytes, both halves in this process."""
        return self.render(self.prepare(), paper)


@dataclass(frozen=True)
class Choice:
    """One value of a handout's option, e.g. a prototype (value = id) or a group."""
    value: object
    label: str


@dataclass
class HandoutKind:
    """One handout a feature offers: its name, how to make it, its option and its pack files."""
    key: str                                         # CLI name: "debrief", "signs", …
    title: str                                       # "Debrief"
    make: Callable[..., bytes]                       # (academy_id, paper, **options) -> bytes
    pack_items: Callable[[int], list[PackItem]]      # academy_id -> files it adds to the pack
    option: str = ""                                 # "" / "prototype" / "group"
    option_required: bool = False
    choices: Callable[[int], list[Choice]] | None = None   # academy_id -> values of the option
    description: str = ""
    warning: Callable[[int], str] | None = None     # academy_id -> why it would not work ("")
    none_yet: str = ""                               # no choice yet: what to do ("" : "no <option> yet")


@dataclass
class PackResult:
    """What a written pack holds: its folder, its files in order, how long it took."""
    directory: Path
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def size(self) -> int:
        """The pack's size in bytes."""
        return sum(f.stat().st_size for f in self.files)


class HandoutService:
    """Every handout of both features behind one service: one PDF, or the whole pack."""

    def __init__(self, academies: AcademyService, clock: Clock | None = None) -> None:
        self.academies = academies
        self.clock = clock
        self._kinds: dict[str, HandoutKind] = {}
        # Kinds offered by a loader are read on first use: a feature's kinds live beside its
        # renderers, and importing those (reportlab) is for whoever makes or lists a handout.
        self._later: list[Callable[[], Iterable[HandoutKind]]] = []
        # True in a process whose other threads must not be forked (the window sets it; a
        # thread started by Python is seen anyway): see ``choose_start_method``.
        self.threaded = False

    @property
    def kinds(self) -> dict[str, HandoutKind]:
        """Every handout offered, by CLI name, in the order they were added."""
        while self._later:
            for kind in self._later.pop(0)():
                self._kinds[kind.key] = kind
        return self._kinds

    def add(self, *kinds: HandoutKind) -> None:
        """Offer these handouts (the composition root adds each feature's)."""
        self._later.append(lambda: kinds)

    def add_later(self, load: Callable[[], Iterable[HandoutKind]]) -> None:
        """Offer the handouts ``load()`` returns, calling it only when the kinds are first used."""
        self._later.append(load)

    def kind(self, key: str) -> HandoutKind:
        """The handout with this CLI name; ValidationError naming the known ones if none."""
        try:
            return self.kinds[key]
        except KeyError:
            raise ValidationError(f"There is no handout called “{key}” (handouts: "
                                  f"{', '.join(self.kinds) or 'none'}).") from None

    def make(self, key: str, academy_id: int, paper: str | None = None, **options: object) -> bytes:
        """One handout as PDF bytes; ValidationError when its required option is missing."""
        kind = self.kind(key)
        value = options.get(kind.option) if kind.option else None
        if kind.option_required and value in (None, ""):
            raise ValidationError(f"The {kind.title.lower()} is made for one {kind.option}: "
                                  f"choose which.")
        extra = {kind.option: value} if kind.option and value not in (None, "") else {}
        return kind.make(academy_id, paper, **extra)

    def default_filename(self, key: str, academy_id: int, option_label: str = "") -> str:
        """The file name a save dialog suggests: "Debrief - Spring Academy.pdf"."""
        kind = self.kind(key)
        title = self.academies.get(academy_id).title
        parts = [kind.title, option_label or title]
        return safe_filename(" - ".join(p for p in parts if p), limit=90) + ".pdf"

    # -- the pack ----------------------------------------------------------------------------
    def pack_items(self, academy_id: int) -> list[PackItem]:
        """Every file of the academy's pack, feature by feature, in order."""
        items: list[PackItem] = []
        for kind in self.kinds.values():
            items += kind.pack_items(academy_id)
        return items

    def pack_files_present(self, academy_id: int, directory: str | os.PathLike[str]) -> list[Path]:
        """The files of this academy's pack that ``directory`` already holds (an earlier pack)."""
        return [path for item in self.pack_items(academy_id)
                if (path := Path(directory) / item.filename).is_file()]

    def write_pack(self, academy_id: int, directory: str | os.PathLike[str], paper: str | None = None,
                   progress: Callable[[int, int, str], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> PackResult:
        """Write every handout of the academy into ``directory``.

        ``progress(done, total, title)`` is called before each file and once at the end;
        ``cancelled()`` is asked between files (PackCancelled is raised).
        """
        steps = self.pack_steps(academy_id, directory, paper)
        try:
            while True:
                done, total, title = next(steps)
                if progress is not None:
                    progress(done, total, title)
                if cancelled is not None and cancelled():
                    steps.close()
                    raise PackCancelled(f"Cancelled after {done} of {plural(total, 'handout')}.")
        except StopIteration as stop:
            result: PackResult = stop.value
            return result

    def start_method(self) -> str:
        """How this process starts render workers (``choose_start_method``). Qt's own threads
        are not Python's, so a process that has loaded Qt counts as threaded too."""
        import sys
        import threading
        threaded = self.threaded or threading.active_count() > 1 or "PySide6.QtCore" in sys.modules
        return choose_start_method(threaded, chosen=os.environ.get(START_ENV, "").strip() or None)

    def _printed_everywhere(self, academy_id: int) -> list[str]:
        """The academy's title and its people's names and schools: text that many files of
        the pack print (every page's header, the cards, the roster, the debriefs). Only a
        hint of which fonts to parse first: none for a pack of no academy (a test's)."""
        try:
            title = self.academies.get(academy_id).title
        except ValidationError:
            return []
        people: Iterable[Any] = self.academies.participants(academy_id)
        return [title, *(p.name for p in people), *dict.fromkeys(p.school for p in people)]

    def workers(self, items: int) -> int:
        """Processes to render a pack of ``items`` files: one for a small pack (starting a
        worker costs about half a second), else one per core up to MAX_WORKERS.
        ``WORKSHOP_PACK_WORKERS`` overrides."""
        chosen = os.environ.get("WORKSHOP_PACK_WORKERS", "").strip()
        if chosen.isdigit():
            return max(1, int(chosen))
        if items < PARALLEL_FROM:
            return 1
        return max(1, min(MAX_WORKERS, os.cpu_count() or 1))

    def pack_steps(self, academy_id: int, directory: str | os.PathLike[str], paper: str | None = None,
                   ) -> Generator[tuple[int, int, str], None, PackResult]:
        """The pack one file at a time, for callers that interleave it with other work (the
        window runs one step per turn of its event loop, so it stays responsive and the
        database connection stays on its thread). Yields ``(done, total, title)`` before each
        file and ``(total, total, "Done")`` at the end; returns the PackResult.

        Files are made in a scratch folder inside the target and moved in only when all are
        done: a cancelled (closed) or failed pack leaves nothing half-written, and an earlier
        pack in the same folder stays whole.
        """
        started = time.perf_counter()
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        items = self.pack_items(academy_id)
        total = len(items)
        scratch = Path(tempfile.mkdtemp(prefix=".pack-", dir=target))
        written: list[tuple[Path, Path]] = []

        def write(item: PackItem, data: bytes) -> None:
            path = scratch / item.filename
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append((path, target / item.filename))

        workers = self.workers(total)
        pool = None
        frozen = False
        try:
            if workers == 1:
                for done, item in enumerate(items):
                    yield done, total, item.title
                    write(item, item.make(paper))
            else:
                # Models are read here, in order; layouts run in worker processes.
                method = self.start_method()
                pool = ProcessPoolExecutor(workers, mp_context=_render_context(
                    items, method, self._printed_everywhere(academy_id) if method == "fork" else ()))
                if method == "fork":
                    # Everything this process holds (the renderers, the parsed fonts) moves out
                    # of the collector's reach, so a forked worker's collections never walk
                    # (and copy, page by page) the heap it inherited: 13 % less memory for
                    # the 40-team pack, all processes together.
                    gc.freeze()
                    frozen = True
                pending = {}
                for item in sorted(items, key=lambda item: item.waits):   # stable: in order
                    yield len(written), total, item.title
                    pending[pool.submit(item.render, item.prepare(), paper)] = item
                    for future in [f for f in pending if f.done()]:
                        write(pending.pop(future), future.result())
                while pending:
                    yield len(written), total, f"Finishing {next(iter(pending.values())).title}"
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        write(pending.pop(future), future.result())
            yield total, total, "Done"
            order = {target / item.filename: i for i, item in enumerate(items)}
            written.sort(key=lambda pair: order[pair[1]])
            for source, destination in written:
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, destination)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            if frozen:
                gc.unfreeze()
            for path in sorted(scratch.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            scratch.rmdir()
        return PackResult(target, [d for _, d in written], time.perf_counter() - started)
