"""Page images of a PDF, for the window's preview and for printing.

QtPdf is not part of PySide6-Essentials, and reportlab cannot rasterise a finished PDF, so
pages are rendered by poppler's ``pdftoppm`` when it is installed (Debian ``poppler-utils``);
without it the window says so and offers the system viewer instead.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

RENDER_TIMEOUT_S = 60


def available() -> bool:
    """Whether page images can be made here (poppler's ``pdftoppm`` is installed)."""
    return shutil.which("pdftoppm") is not None


def page_images(pdf: bytes, dpi: int = 60, first: int = 1, last: int | None = None) -> list[bytes] | None:
    """PNG bytes of pages ``first``..``last`` (1-based, inclusive), or None without pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="handout-preview-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        args = [tool, "-r", str(dpi), "-png", "-f", str(first)]
        if last is not None:
            args += ["-l", str(last)]
        subprocess.run(args + [str(source), str(Path(tmp) / "page")], check=True,
                       capture_output=True, timeout=RENDER_TIMEOUT_S)
        # pdftoppm pads page numbers to the width of the last one: sort numerically.
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [p.read_bytes() for p in pages]
