"""Where things are, for tests that start processes or read files outside the package tree."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout


def _shared() -> Path:
    """The steering notes and the grouping benchmark: beside the checkout (as CI lays them), else
    beside the local repository it was cloned from (a fresh clone in a temporary folder)."""
    beside = ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return beside
    source = Path(origin.removeprefix("file://"))
    if origin and source.is_absolute() and (source.parent / "shared").is_dir():
        return source.parent / "shared"
    return beside


SHARED = _shared()
