"""The OS seam (issue 17, item 3): everything OS-specific lives in ``workshop.system`` with a
fallback that works everywhere, and no other product module calls a POSIX-only (or
Windows-only) API, which an AST walk of the tree checks."""
from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.paths import ROOT
from workshop import system

PRODUCT = ("workshop", "stations", "prototypes", "assets")

OS_ONLY_MODULES = {"fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "posix", "syslog",
                   "crypt", "spwd", "nis", "curses", "readline",                   # POSIX only
                   "winsound", "winreg", "msvcrt", "_winapi", "_overlapped"}          # Windows only
POSIX_OS = {"fork", "forkpty", "getuid", "geteuid", "getgid", "getegid", "setuid", "setgid",
            "setsid", "getsid", "getpgid", "setpgid", "getpgrp", "killpg", "chown", "lchown",
            "fchown", "mkfifo", "mknod", "getloadavg", "sysconf", "pathconf", "statvfs", "nice",
            "wait3", "wait4", "WNOHANG", "getgroups", "openpty", "ttyname", "uname", "sync",
            "posix_spawn", "posix_spawnp", "register_at_fork", "sched_setaffinity",
            "sched_getaffinity", "startfile"}
POSIX_SIGNAL = {"SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGPIPE",
                "SIGQUIT", "SIGSTOP", "SIGCONT", "SIGTSTP", "SIGWINCH", "alarm", "setitimer",
                "pause", "pthread_kill", "siginterrupt"}
POSIX_POPEN = {"start_new_session", "preexec_fn", "pass_fds", "restore_signals", "process_group",
               "extra_groups"}
START_METHODS = {"fork", "forkserver"}

# Where each kind of finding is allowed, and why.
SEAMS = {
    "workshop/system.py": None,                      # the seam itself: anything, each with a fallback
    "workshop/handouts/service.py": {"start method"},  # the pack's workers: forkserver, else spawn (issue 20)
}


def findings(source: str) -> list[tuple[int, str, str]]:
    """(line, kind, what) for every OS-specific call, import or argument in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, "module", a.name) for a in node.names
                      if a.name.split(".")[0] in OS_ONLY_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in OS_ONLY_MODULES:
                found.append((node.lineno, "module", node.module))
            elif node.module in ("os", "signal"):
                bad = POSIX_OS if node.module == "os" else POSIX_SIGNAL
                found += [(node.lineno, f"{node.module} call", a.name) for a in node.names if a.name in bad]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            bad = {"os": POSIX_OS, "signal": POSIX_SIGNAL}.get(node.value.id, set())
            if node.attr in bad:
                found.append((node.lineno, f"{node.value.id} call", f"{node.value.id}.{node.attr}"))
        elif isinstance(node, ast.Call):
            found += [(node.lineno, "popen argument", k.arg) for k in node.keywords if k.arg in POSIX_POPEN]
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name == "set_forkserver_preload" or (
                    name in ("get_context", "set_start_method") and node.args
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value in START_METHODS):
                found.append((node.lineno, "start method", name))
    return sorted(found)


def test_the_check_finds_each_kind_of_os_specific_code():
    planted = """
import fcntl, os
from signal import SIGKILL
import multiprocessing, subprocess, signal
os.fork(); os.getuid(); signal.alarm(3)
subprocess.Popen(["x"], start_new_session=True)
multiprocessing.get_context("fork")
import winsound
"""
    kinds = {(kind, what) for _, kind, what in findings(planted)}
    assert kinds == {("module", "fcntl"), ("signal call", "SIGKILL"), ("os call", "os.fork"),
                     ("os call", "os.getuid"), ("signal call", "signal.alarm"),
                     ("popen argument", "start_new_session"), ("start method", "get_context"),
                     ("module", "winsound")}
    portable = """
import os, signal, subprocess, multiprocessing
os.getpid(); os.replace("a", "b"); signal.signal(signal.SIGTERM, None); signal.SIGINT
multiprocessing.get_context("spawn"); subprocess.run(["x"], check=True)
'''os.fork() in a docstring is prose'''  # os.getuid() in a comment too
"""
    assert findings(portable) == []


def test_no_os_specific_code_outside_the_seam():
    offenders = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            allowed = SEAMS.get(rel, set())
            for line, kind, what in findings(path.read_text(encoding="utf-8")):
                if allowed is not None and kind not in allowed:
                    offenders.append(f"{rel}:{line}: {what} ({kind}) — ask workshop.system instead")
    assert offenders == []


@pytest.mark.parametrize("platform, present, expected", [
    ("win32", set(), ["winsound"]),
    ("darwin", {"afplay"}, ["/bin/afplay"]),
    ("darwin", set(), None),
    ("linux", {"aplay", "paplay", "pw-play"}, ["/bin/pw-play"]),   # PipeWire first
    ("linux", {"aplay"}, ["/bin/aplay", "-q"]),
    ("linux", set(), None),
    ("freebsd14", {"paplay"}, ["/bin/paplay"]),
])
def test_a_wav_player_for_each_platform(platform, present, expected):
    assert system.wav_player(platform, which=lambda n: f"/bin/{n}" if n in present else None) == expected


def test_players_start_detached_without_a_console(monkeypatch, tmp_path):
    calls = []
    system.play_wav(["/bin/aplay", "-q"], tmp_path / "x.wav", popen=lambda *a, **k: calls.append((a, k)))
    [(args, kwargs)] = calls
    assert args[0] == ["/bin/aplay", "-q", str(tmp_path / "x.wav")]
    assert kwargs["stdin"] == subprocess.DEVNULL and kwargs["start_new_session"] is True
    monkeypatch.setattr(sys, "platform", "win32")
    assert system.detached() == {"creationflags": 0x200 | 0x08000000}   # no session there: a group


def test_the_open_files_limit_is_raised_or_has_a_fallback(monkeypatch):
    limit = system.raise_open_files(256)
    assert limit is None or limit >= 256
    monkeypatch.setitem(sys.modules, "resource", None)   # as on Windows: no such module
    assert system.raise_open_files(4096) is None
    from workshop.net.limits import SPARE_FILES, WANTED_FILES, file_limit
    assert file_limit() == WANTED_FILES + SPARE_FILES
