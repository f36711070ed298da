"""A command's process skips Python's last walk over its heap: it ends right after."""
import subprocess
import sys

from tests.paths import ROOT


def test_the_command_entry_point_freezes_the_heap_before_the_process_ends(tmp_path):
    script = ("import gc, sys\n"
              "import workshop.__main__ as entry\n"
              "sys.argv = ['workshop', '--db', sys.argv[1], 'academies']\n"
              "code = entry.main()\n"
              "print(code, gc.get_freeze_count() > 0)\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "a.sqlite")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                               "WORKSHOP_SESSION": str(tmp_path / "session.json")})
    assert done.stdout.split()[-2:] == ["0", "True"], done.stderr[-1500:]
