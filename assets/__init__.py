"""Bundled assets: fonts, icons, sounds, the phone join page, the demo academy.

A package (not a bare folder) so that it installs with the app and is found the same way
from a source tree and from an installed wheel.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def asset_path(*parts: str) -> Path:
    """Absolute path of a bundled asset, e.g. ``asset_path("fonts", "DejaVuSans.ttf")``."""
    path = ROOT.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Bundled asset missing: {path} (is the installation complete?)")
    return path
