"""The codes of a station sign (issue 19 items 4-5): the station's QR code, beside it the room's
Wi-Fi code when one is entered, the address in words, and in small type the address the sign
was printed for and the laptop's ``.local`` name, so a sign on a new network says why it fails."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from workshop.pdf.flowables import QrCode, para

SIGN_QR = 120 * mm         # alone: scannable from a couple of metres away
SIGN_QR_BESIDE = 95 * mm   # beside the Wi-Fi code (both fit an A4 or Letter frame)
WIFI_QR = 60 * mm          # scanned once, close up, on arrival
GAP = 8 * mm


def sign_codes(model, sign, width: float) -> list:
    """The flowables under a sign's title: its code(s), its address, where it was printed for."""
    if model.wifi_code:
        page_qr = min(SIGN_QR_BESIDE, width - WIFI_QR - GAP)
        wifi = [para("1. Join the Wi-Fi", "sign_url", bold=True),
                QrCode(model.wifi_matrix or model.wifi_code, size=WIFI_QR),
                para(model.wifi_name, "sign_url")]
        station = [para("2. Scan to check in", "sign_url", bold=True),
                   QrCode(sign.code or sign.url, size=page_qr)]
        codes = Table([[wifi, station]], colWidths=[WIFI_QR + GAP, page_qr])
        codes.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        flow: list = [Spacer(0, 4 * mm), codes, Spacer(0, 3 * mm),
                      para("Or type this address:", "sign_url")]
    else:
        flow = [Spacer(0, 4 * mm), QrCode(sign.code or sign.url, size=min(SIGN_QR, width)),
                Spacer(0, 3 * mm),
                para("Scan to check in, or type this address:", "sign_url")]
    flow.append(para(sign.url, "sign_url", bold=True))
    if model.local_url and model.printed_for and sign.url.startswith(model.printed_for):
        flow.append(para("or " + model.local_url + sign.url[len(model.printed_for):], "sign_url"))
    if model.printed_for:
        flow.append(para(f"printed for {model.printed_for}", "small"))
    return flow
