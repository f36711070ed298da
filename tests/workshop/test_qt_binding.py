"""Guard the pinned Qt binding. PySide6-Essentials 6.12.0 drops a reference to ``None`` on
every void call (``setText``, ``setPen``…); on Python 3.11 a long session then aborts with
"deallocating None". 6.11.3 is pinned for that reason: this test fails if an upgrade brings
the leak back."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


@pytest.mark.slow
def test_many_void_qt_calls_do_not_abort_the_interpreter():
    script = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QObject
        probe = QObject()
        before = sys.getrefcount(None)
        for _ in range(200_000):
            probe.setObjectName("probe")
        print("alive", sys.getrefcount(None) >= before - 10)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
                          cwd=str(Path(__file__).resolve().parents[2]))
    assert done.returncode == 0, done.stderr[-800:]
    assert "alive True" in done.stdout
