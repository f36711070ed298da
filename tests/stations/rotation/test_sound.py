"""Chimes: played by whatever player the computer has, silently absent when it has none."""
from __future__ import annotations

import wave

from stations.rotation.sound import Chimes


class FakePopen:
    calls: list = []

    def __init__(self, args, **kwargs):
        FakePopen.calls.append((args, kwargs))

    def poll(self):
        return 0


def test_no_player_means_silence_and_a_calm_message(tmp_path):
    chimes = Chimes(which=lambda name: None, platform="linux", cache=tmp_path)
    assert not chimes.available
    assert chimes.play("warning") is False
    assert "flashes instead" in chimes.describe()


def test_plays_a_volume_scaled_copy_without_waiting(tmp_path):
    FakePopen.calls = []
    chimes = Chimes(which=lambda name: f"/usr/bin/{name}" if name == "paplay" else None,
                    popen=FakePopen, platform="linux", cache=tmp_path)
    assert chimes.play("end", volume=0.5)
    args, kwargs = FakePopen.calls[0]
    assert args[0] == "/usr/bin/paplay" and kwargs["start_new_session"]
    with wave.open(args[-1]) as half, wave.open(str(tmp_path / "round-end-50.wav")) as same:
        assert half.getnframes() == same.getnframes() > 0


def test_a_broken_player_is_quiet(tmp_path):
    def broken(*args, **kwargs):
        raise OSError("no audio device")
    chimes = Chimes(which=lambda name: "/usr/bin/aplay" if name == "aplay" else None,
                    popen=broken, platform="linux", cache=tmp_path)
    assert chimes.play("warning") is False


def test_bundled_chimes_are_short_wavs():
    from assets import asset_path
    for name in ("warning.wav", "round-end.wav"):
        with wave.open(str(asset_path("sounds", name))) as w:
            assert 0.5 < w.getnframes() / w.getframerate() < 2.5
