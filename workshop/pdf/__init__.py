"""Reportlab mechanics shared by every handout: bundled fonts with per-run fallback, one
stylesheet, page templates with header and footer, A4/Letter, a QR flowable, attachments and
``render(story, meta) -> bytes``. Nothing here knows what a station or a prototype is."""
from workshop.pdf import accel  # noqa: F401  (first: reportlab's helpers replaced before use)
from workshop.pdf.attachments import AttachmentError, attachments, read_attachment
from workshop.pdf.document import DocMeta, frame_size, render
from workshop.pdf.paper import PAPER_LABELS, PAPERS, default_paper

__all__ = ["AttachmentError", "DocMeta", "PAPERS", "PAPER_LABELS", "attachments", "default_paper",
           "frame_size", "read_attachment", "render"]
