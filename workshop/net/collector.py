"""The garbage collector while phones are served: full collections walk only what is new.

Measured in ``tests/bench/bench_room.py`` (issue 19 item 6): as 1,000 phones connect, the heap
of the app grows from ~55,000 to ~160,000 tracked objects (each open live stream holds its
connection, request, task and timers), and CPython's automatic full collections walk all of it
— 35, 51 and 88 ms pauses in one run, 130 ms in another — with the interpreter held, so the
window's thread and every phone's answer wait. They found nothing to free (0–6 objects).

While a server runs, each full collection is followed by ``gc.freeze()``: what survived it —
the app itself, long-lived connections — moves to the permanent generation and is not walked
again, so the next full collection only walks what arrived since (Instagram's use of freeze;
https://docs.python.org/3/library/gc.html#gc.freeze). Objects still die by reference counting
as before; only *cycles* among frozen objects wait (a phone's old connection after it slept and
reconnected, say). So that a long day's churn cannot pile them up, the first full collection
after ``SWEEP_S`` since the last sweep walks everything again (unfrozen at its start, frozen at
its end): at most one such pause every five minutes. When the last server stops, everything is
unfrozen, and the collector frees the rest on its own schedule.
"""
from __future__ import annotations

import gc
import threading
import time
from typing import Callable

SWEEP_S = 300.0   # a full collection walks the whole heap at most this often while serving

_lock = threading.Lock()
_holders = 0
_clock: Callable[[], float] = time.monotonic
_last_sweep = 0.0


def _after_collection(phase: str, info: dict) -> None:
    global _last_sweep
    if info.get("generation") != 2:
        return
    if phase == "start" and _clock() - _last_sweep >= SWEEP_S:
        gc.unfreeze()   # this one walks everything: cycles that died frozen are freed
        _last_sweep = _clock()
    elif phase == "stop":
        gc.freeze()


def serving(clock: Callable[[], float] = time.monotonic) -> None:
    """A server started: from now on full collections walk only what is new (and, every
    ``SWEEP_S`` of ``clock``, everything once)."""
    global _holders, _clock, _last_sweep
    with _lock:
        _holders += 1
        if _holders > 1:
            return
        _clock, _last_sweep = clock, clock()
        gc.freeze()  # no collection first: it would pause the window (~50 ms) at the switch
        gc.callbacks.append(_after_collection)


def served() -> None:
    """A server stopped; after the last one, everything is collectable again (the collector's
    own schedule then frees the cycles that waited)."""
    global _holders
    with _lock:
        if _holders == 0:
            return
        _holders -= 1
        if _holders:
            return
        if _after_collection in gc.callbacks:
            gc.callbacks.remove(_after_collection)
        gc.unfreeze()


def frozen() -> bool:
    """Whether a server holds the collector to new objects now (for tests)."""
    return _holders > 0
