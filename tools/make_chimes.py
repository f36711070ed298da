"""Write the rotation's two chimes into assets/sounds/ (committed; rerun to change them).

Soft sine tones with a few quiet harmonics and an exponential decay: audible across a noisy
room without being shrill. 22.05 kHz, 16-bit mono WAV, so every player can read them.
"""
from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parent.parent / "assets" / "sounds"


def tone(freq: float, seconds: float, start: float, samples: list[float]) -> None:
    begin = int(start * RATE)
    for i in range(int(seconds * RATE)):
        t = i / RATE
        envelope = min(1.0, t / 0.01) * math.exp(-3.2 * t)   # 10 ms attack, bell-like decay
        value = sum(a * math.sin(2 * math.pi * freq * k * t) for k, a in ((1, 1.0), (2, 0.25), (3, 0.08)))
        if begin + i < len(samples):
            samples[begin + i] += 0.28 * envelope * value


def write(name: str, notes: list[tuple[float, float]], length: float) -> Path:
    samples = [0.0] * int(length * RATE)
    for freq, start in notes:
        tone(freq, length - start, start, samples)
    peak = max(abs(s) for s in samples) or 1.0
    path = OUT / name
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(32767 * 0.8 * s / peak)) for s in samples))
    return path


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    # Warning: two rising notes (E5, A5). Round end: three falling notes (C6, G5, C5).
    print(write("warning.wav", [(659.25, 0.0), (880.0, 0.22)], 1.2))
    print(write("round-end.wav", [(1046.5, 0.0), (783.99, 0.25), (523.25, 0.5)], 1.6))
