"""Reportlab mechanics shared by every handout: bundled fonts with per-run fallback, one
stylesheet, page templates with header and footer, A4/Letter, a QR flowable, attachments and
``render(story, meta) -> bytes``. Nothing here knows what a station or a prototype is.

The names below load on first use (PEP 562): the Handouts page needs the paper sizes' labels
and the preview on screen before anything is rendered, and importing this package must not
import reportlab or pypdf for that (issue 20). Whatever draws imports ``workshop.pdf.fonts``,
which installs reportlab's faster helpers (``workshop.pdf.accel``) before anything is written.
"""
from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

from workshop.lazy import exports_on_first_use

_HOMES = {"AttachmentError": "attachments", "attachments": "attachments",
          "read_attachment": "attachments", "DocMeta": "document", "frame_size": "document",
          "render": "document", "PAPER_LABELS": "paper", "PAPERS": "paper",
          "default_paper": "paper"}

__all__ = ["AttachmentError", "DocMeta", "PAPERS", "PAPER_LABELS", "attachments", "default_paper",
           "frame_size", "read_attachment", "render"]

if TYPE_CHECKING:
    from workshop.pdf.attachments import AttachmentError, attachments, read_attachment
    from workshop.pdf.document import DocMeta, frame_size, render
    from workshop.pdf.paper import PAPER_LABELS, PAPERS, default_paper


__getattr__ = exports_on_first_use(__name__, _HOMES, globals())


class _Pdf(types.ModuleType):
    """The package, whose ``attachments`` stays the function once the ``attachments`` module
    loads (importing a submodule sets the package attribute of its name)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "attachments" and isinstance(value, types.ModuleType):
            value = value.attachments
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Pdf
