"""Page templates and ``render(story) -> bytes``.

Every page carries a header (academy on the left, the handout's title on the right) and a
footer (date on the left, “Page x of y” on the right). “of y” is only known at the end, so the
canvas keeps each page's drawing state and adds the furniture when the document is saved
(reportlab's usual two-pass trick, without laying the story out twice).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from workshop import APP_NAME
from workshop.pdf import fonts
from workshop.pdf.attachments import embed
from workshop.pdf.flowables import replay, shared_layouts
from workshop.pdf.paper import default_paper, page_size
from workshop.pdf.styles import (FOOTER_OFFSET, HEADER_OFFSET, MARGIN, MARGIN_BOTTOM,
                                 MARGIN_TOP, MUTED, RULE, CUT)


# Content streams are deflated only, not also ASCII85-armoured: a quarter smaller, and the
# pure-Python ASCII85 encoder was a tenth of the time of a big pack.
rl_config.useA85 = 0


@dataclass
class DocMeta:
    """What the page furniture and the PDF's document information say."""
    title: str                 # the handout, e.g. "Debrief"
    academy: str = ""          # header, left
    date_text: str = ""        # footer, left, e.g. "25 November 2026"
    subject: str = ""
    furniture: bool = True     # False for station signs: the whole page is the sign
    attachments: dict[str, bytes] = field(default_factory=dict)


def _numbered_canvas(meta: DocMeta):
    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            self._fitted: dict[float, str] = {}   # the header's academy, per page width
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                if meta.furniture:
                    self._furniture(number, total)
                super().showPage()
            embed(self._doc, meta.attachments)
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFillColor(MUTED)
            top = height - HEADER_OFFSET
            # What every page of the document repeats is drawn once and written again on the
            # next pages (``replay``): the header's two texts and the footer's date.
            replay(self, ("header", width, height), lambda: self._header(width, top))
            self.setStrokeColor(CUT)
            self.setLineWidth(RULE)
            self.line(MARGIN, top - 2.5, width - MARGIN, top - 2.5)
            bottom = FOOTER_OFFSET
            # The footer is composed (“team · printed 25 November 2026”): the app's direction.
            replay(self, ("footer", width, height), lambda: fonts.draw_string(
                self, MARGIN, bottom, meta.date_text or APP_NAME, 8, direction="ltr"))
            fonts.draw_string(self, width - MARGIN, bottom, f"Page {number} of {total}", 8,
                              anchor="right")
            self.restoreState()

        def _header(self, width: float, top: float) -> None:
            left = self._fitted.get(width)
            if left is None:   # measured once a document, not once a page
                left = self._fitted[width] = fonts.fit_text(meta.academy, 8.5, width / 2 - MARGIN)
            fonts.draw_string(self, MARGIN, top, left, 8.5)
            fonts.draw_string(self, width - MARGIN, top, meta.title, 8.5, bold=True, anchor="right")

    return NumberedCanvas


def render(story: list, meta: DocMeta, *, paper: str | None = None) -> bytes:
    """Lay ``story`` out on A4 or Letter pages with the header and footer; returns the PDF."""
    fonts.register_fonts()
    size = page_size(paper or default_paper())
    buffer = io.BytesIO()
    top = MARGIN_TOP if meta.furniture else MARGIN
    bottom = MARGIN_BOTTOM if meta.furniture else MARGIN
    doc = BaseDocTemplate(buffer, pagesize=size, title=meta.title, author=APP_NAME,
                          subject=meta.subject or meta.academy, creator=APP_NAME,
                          leftMargin=MARGIN, rightMargin=MARGIN, topMargin=top,
                          bottomMargin=bottom, pageCompression=1, invariant=1)
    frame = Frame(MARGIN, bottom, size[0] - 2 * MARGIN, size[1] - top - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=size)])
    with shared_layouts():
        doc.build(list(story), canvasmaker=_numbered_canvas(meta))
    return buffer.getvalue()


def frame_size(paper: str | None = None, furniture: bool = True) -> tuple[float, float]:
    """Width and height of the text frame, for flowables that fill a page."""
    width, height = page_size(paper or default_paper())
    top = MARGIN_TOP if furniture else MARGIN
    bottom = MARGIN_BOTTOM if furniture else MARGIN
    return width - 2 * MARGIN, height - top - bottom
