"""PySide6 6.12 on Python 3.11 drops a reference to None on every void call; the guard keeps
a long session (here 200 000 calls, far past None's own count) from aborting."""
from __future__ import annotations

import subprocess
import sys
import textwrap


def test_many_void_qt_calls_do_not_abort_the_interpreter():
    script = textwrap.dedent("""
        import sys
        import workshop.ui  # applies the guard, as every window does
        from PySide6.QtCore import QObject
        probe = QObject()
        for _ in range(200_000):
            probe.setObjectName("probe")
        print("alive", sys.getrefcount(None) > 0)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert done.returncode == 0, done.stderr[-800:]
    assert "alive True" in done.stdout
