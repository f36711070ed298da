"""Keep ``None`` alive under PySide6 6.12 on Python 3.11.

PySide6-Essentials 6.12.0 (the cp310-abi3 wheel pinned in requirements.lock) returns ``None``
from every void method — ``setText``, ``setPen``, ``setBold``… — without taking a reference
to it. From Python 3.12 on ``None`` is immortal and that is harmless; on 3.11 each such call
lowers ``None``'s reference count by one, and after some tens of thousands of calls (a few
minutes of dragging on a big map, or a long test run) the interpreter aborts with "Fatal
Python error: none_dealloc: deallocating None".

``protect_none()`` does for 3.11 what 3.12 does for every version: it gives ``None`` so many
references (2**60) that no run can use them up. Remove it once the app needs Python ≥ 3.12,
or once a PySide6 release without the leak is pinned (check with ``leaks_none()``).
"""
from __future__ import annotations

import ctypes
import sys

_BALLAST = 1 << 60
_done = False


def protect_none() -> None:
    """Make ``None`` effectively immortal (once per process; a no-op on Python ≥ 3.12)."""
    global _done
    if _done or sys.version_info >= (3, 12) or not hasattr(sys, "getrefcount"):
        return
    # CPython keeps the reference count in the first word of every object, at id(obj).
    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value += _BALLAST
    _done = True


def leaks_none() -> bool:
    """Whether this PySide6 still drops a reference to None on void calls (for the test)."""
    from PySide6.QtCore import QObject
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(100):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 50
