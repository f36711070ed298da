"""Build the one-folder app with PyInstaller (`make dist`; the smoke test calls ``build``).

    python tools/build_bundle.py [--dist DIR] [--work DIR]

Writes DIR/design-academy-studio/ (the executable of the same name, its `_internal/` folder)
and, on Linux, a `.desktop` entry beside the executable that names it and the icon by absolute
path (copy it to ~/.local/share/applications to get a menu entry). Prints the bundle's size.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tools" / "bundle" / "design-academy-studio.spec"
NAME = "design-academy-studio"

DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Version=1.5
Name=Design Academy Studio
GenericName=Design academy facilitator
Comment=Run personalized-learning design academies: station rotations, phone check-ins, prototypes and handouts
Exec="{exe}"
Icon={icon}
Terminal=false
Categories=Education;Office;
Keywords=rotation;stations;workshop;academy;prototype;
StartupWMClass={wm_class}
"""


def executable(folder: Path) -> Path:
    """The app's executable inside a built folder."""
    return folder / (NAME + (".exe" if sys.platform == "win32" else ""))


def build(dist: Path, work: Path, python: str = sys.executable) -> Path:
    """Run PyInstaller on the spec; returns the app folder (raises CalledProcessError)."""
    subprocess.run([python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(SPEC)], check=True)
    folder = dist / NAME
    if sys.platform.startswith("linux"):
        write_desktop_entry(folder)
    return folder


def write_desktop_entry(folder: Path) -> Path:
    """The freedesktop menu entry of a built folder, pointing at where it is now."""
    icon = folder / "_internal" / "assets" / "icons" / "app.png"
    path = folder / f"{NAME}.desktop"
    # Qt sets the X11 class from the application name, which run_gui sets to APP_NAME.
    path.write_text(DESKTOP_ENTRY.format(exe=executable(folder), icon=icon,
                                         wm_class="Design Academy Studio"), encoding="utf-8")
    return path


def size_of(folder: Path) -> int:
    """Bytes on disk of everything in the folder (what a user downloads, unpacked)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args(argv)
    folder = build(args.dist.resolve(), args.work.resolve())
    print(f"{folder}: {size_of(folder) / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
