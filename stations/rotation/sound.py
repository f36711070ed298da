"""The rotation's chimes, played without QtMultimedia.

PySide6-Essentials has no QtMultimedia (QSoundEffect lives in the Addons wheel, ~100 MB with
FFmpeg), and the pure-Python players (simpleaudio, playsound) are unmaintained. Every desktop
already has a player for a short WAV: ``winsound`` on Windows (standard library), ``afplay`` on
macOS, and PipeWire/PulseAudio/ALSA's ``pw-play``/``paplay``/``aplay`` on Linux; which one, and
how to start it detached, is ``workshop.system``'s to know. We never wait, so a missing or muted
audio device costs nothing: the player fails on its own, quietly, and the visual cue still shows.

Volume is applied to the samples (a scaled copy of the WAV in the temp folder) because the
players' own volume flags differ.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from pathlib import Path

from assets import ROOT as ASSETS
from workshop.system import play_wav, wav_player

SOUNDS = {"warning": "warning.wav", "end": "round-end.wav"}


class Chimes:
    """The warning and end chimes, played by whatever audio player the system has."""

    def __init__(self, *, which=shutil.which, popen=subprocess.Popen, platform: str = sys.platform,
                 cache: Path | None = None):
        self._popen = popen
        self._platform = platform
        self._cache = cache or Path(tempfile.gettempdir()) / "design-academy-sounds"
        self._running: list = []
        self.command: list[str] | None = wav_player(platform, which)

    @property
    def available(self) -> bool:
        """True when there is a way to play sound."""
        return self.command is not None

    def describe(self) -> str:
        """One line for the page: how the chimes are played, or why they are not."""
        if not self.available:
            return "No audio player on this computer: the screen flashes instead."
        return f"Chimes play through {Path(self.command[0]).name}."

    def play(self, name: str, volume: float = 0.7) -> bool:
        """Start the chime and return at once; False when it could not be started."""
        if not self.available or volume <= 0:
            return False
        self._running = [p for p in self._running if p.poll() is None]  # reap finished players
        try:
            player = play_wav(self.command, self._scaled(name, volume), popen=self._popen)
            if player is not None:
                self._running.append(player)
            return True
        except (OSError, ValueError, RuntimeError):
            # No device, a sandbox, a broken player: the rotation carries on silently.
            return False

    def _scaled(self, name: str, volume: float) -> Path:
        source = ASSETS / "sounds" / SOUNDS[name]
        level = max(0, min(100, round(volume * 100)))
        if level == 100:
            return source
        target = self._cache / f"{source.stem}-{level}.wav"
        if not target.exists():
            self._cache.mkdir(parents=True, exist_ok=True)
            with wave.open(str(source), "rb") as src:
                params = src.getparams()
                samples = array("h", src.readframes(params.nframes))
            if sys.byteorder == "big":   # WAV samples are little-endian
                samples.byteswap()
            samples = array("h", (int(s * level / 100) for s in samples))
            if sys.byteorder == "big":
                samples.byteswap()
            tmp = target.with_suffix(".part")
            with wave.open(str(tmp), "wb") as out:
                out.setparams(params)
                out.writeframes(samples.tobytes())
            tmp.replace(target)
        return target
