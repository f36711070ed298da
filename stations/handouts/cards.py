"""The personal QR code on a group card (issue 19): scanned once, it tells the phone who it is,
so every station scan afterwards checks the person in with one tap and no name search."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from workshop.pdf.flowables import QrCode, para
from workshop.qr import QrMatrix

PERSONAL_QR = 24 * mm  # ~0.7 mm a module for a 60-character link: a phone reads it at 20 cm
GAP = 2 * mm


def beside_personal_code(flow: list, link: str, width: float, matrix: QrMatrix | None = None,
                         ) -> list:
    """``flow`` (the card's heading) with the person's own code at its right (``matrix``: the
    link's, when already built); as it was when the person has no link (phone join not set
    up)."""
    if not link:
        return flow
    code = [QrCode(matrix or link, size=PERSONAL_QR), para("Scan once with your phone", "small")]
    table = Table([[flow, code]], colWidths=[width - PERSONAL_QR - GAP, PERSONAL_QR + GAP])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                               ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    return [table]
