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
as before; only *cycles* among frozen objects wait: when the last server stops, everything is
unfrozen, and the collector frees them on its own schedule.
"""
from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_holders = 0


def _after_collection(phase: str, info: dict) -> None:
    if phase == "stop" and info.get("generation") == 2:
        gc.freeze()


def serving() -> None:
    """A server started: from now on full collections walk only what is new."""
    global _holders
    with _lock:
        _holders += 1
        if _holders > 1:
            return
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
