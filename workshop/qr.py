"""One QR payload, two renderings: ``qrcode`` builds the module matrix once; Qt paints it on
screen and reportlab draws the same modules as vector boxes on paper."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

QUIET_ZONE = 4  # modules of white border the QR standard asks for
# Every code uses this mask. The standard lets an encoder apply any of its eight masks (the
# format bits tell the reader which); qrcode's default tries all eight and scores each, which
# builds the matrix nine times and was five sixths of a code's cost (6 ms; a pack prints 320
# personal codes). Mask 2 is the one that scoring chose most often for the app's join links;
# tests/workshop/test_qr_cache.py decodes a spread of links with zbarimg.
MASK_PATTERN = 2


@dataclass(frozen=True)
class QrMatrix:
    """One QR code's module matrix, built once, painted by Qt and drawn by reportlab."""
    text: str
    modules: tuple[tuple[bool, ...], ...]  # True = dark; includes the quiet zone

    @property
    def size(self) -> int:
        return len(self.modules)

    def dark_cells(self):
        """(row, column) of every dark module, for renderers that draw boxes."""
        for r, row in enumerate(self.modules):
            for c, dark in enumerate(row):
                if dark:
                    yield r, c


# Each personal link is printed twice (group card and roster) and painted again on screen,
# so a code is built once per process (about 1 ms). A QrMatrix is immutable: sharing it is safe.
@lru_cache(maxsize=4096)
def qr_matrix(text: str) -> QrMatrix:
    """The module matrix of ``text`` (error correction M, mask MASK_PATTERN, the standard's
    quiet zone)."""
    # Imported here: qrcode (and PIL under it) is for whoever shows or prints a code, not for
    # every page whose module mentions QR widgets (issue 20).
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE,
                         mask_pattern=MASK_PATTERN)
    code.add_data(text)
    code.make(fit=True)
    return QrMatrix(text, tuple(tuple(bool(m) for m in row) for row in code.get_matrix()))
