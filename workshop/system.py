"""The one home of what differs between Windows, macOS and Linux (issue 17, item 3).

Product code asks here instead of calling a POSIX-only API itself; every answer has a fallback
that works everywhere, and ``tests/workshop/test_system.py`` greps the tree for POSIX-only calls
outside this module. What lives elsewhere, on purpose: where files go (``workshop.config``, via
platformdirs, which knows each desktop's folders) and how the pack's render workers start
(``workshop.handouts.service``: forkserver where there is one, spawn otherwise, as on Windows).
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any, Callable

# Short-WAV players, best first, by platform. Windows needs none: the standard library's
# winsound plays a WAV asynchronously. macOS always has afplay. On Linux: PipeWire, then
# PulseAudio, ALSA, and FFmpeg's player.
WINSOUND = "winsound"
PLAYERS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "darwin": (("afplay", ()),),
    "linux": (("pw-play", ()), ("paplay", ()), ("aplay", ("-q",)),
              ("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet"))),
}


def wav_player(platform: str = sys.platform,
               which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The command that plays a WAV file (its path appended), ``[WINSOUND]`` on Windows, or
    None when this computer has no player (the rotation then flashes instead)."""
    if platform == "win32":
        return [WINSOUND]
    family = "linux" if platform.startswith(("linux", "freebsd", "openbsd")) else platform
    for name, flags in PLAYERS.get(family, PLAYERS["linux"]):
        found = which(name)
        if found:
            return [found, *flags]
    return None


def detached() -> dict[str, Any]:
    """Popen arguments for a helper that must not share our console or signals (a chime player:
    Ctrl+C in the terminal that started the app must not cut it, nor it the app)."""
    import subprocess   # here, not at start-up: only a helper started needs it (issue 20)
    if sys.platform == "win32":   # the flags' values, so that this branch is tested on Linux too
        return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200)
                | getattr(subprocess, "CREATE_NO_WINDOW", 0x08000000)}
    return {"start_new_session": True}


def play_wav(command: list[str], path: Path, popen: Callable[..., Any] | None = None) -> Any:
    """Start playing ``path`` with a command from ``wav_player`` and return at once: the
    player's process (``popen``, else ``subprocess.Popen``), or None when the standard library
    played it (Windows)."""
    import subprocess
    if command == [WINSOUND]:
        import winsound  # Windows only: the seam is the one place that may name it
        winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC)
        return None
    return (popen or subprocess.Popen)([*command, str(path)], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       **detached())


def raise_open_files(wanted: int) -> int | None:
    """Raise this process's soft limit of open files towards ``wanted`` where the system allows;
    returns the limit now, or None where files are not bounded that way (Windows, or no limit)."""
    try:
        import resource  # POSIX only
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return None if soft == resource.RLIM_INFINITY else soft


def quiet_when_piped(run: Callable[[], int]) -> int:
    """``run()``'s exit code; a reader that stopped early (``| head``) ends it quietly."""
    try:
        code = run()
        sys.stdout.flush()   # the last buffered lines hit a closed pipe here, not at exit
        return code
    except BrokenPipeError:
        # The recipe of Python's signal docs ("Note on SIGPIPE"): point stdout at devnull so
        # the interpreter's own flush at exit cannot raise the same error again.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):   # a stdout without a file (captured in a test)
            pass
        return 1
