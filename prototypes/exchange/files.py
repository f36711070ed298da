"""Read prototype exports back from files: the JSON itself, or a PDF handout that carries it
as an attachment (``prototype.json``; a team's folder carries ``prototype-1.json``, …)."""
from __future__ import annotations

import re
from pathlib import Path

from prototypes.exchange import format as exchange
from prototypes.exchange.format import FormatError
from workshop.pdf.attachments import AttachmentError, attachments

PDF_MAGIC = b"%PDF-"
_NAME = re.compile(r"prototype(?:-(\d+))?\.json")


def documents_in_pdf(raw: bytes) -> list[dict]:
    """The prototype exports a PDF handout carries, in attachment order."""
    try:
        files = attachments(raw)
    except AttachmentError as exc:
        raise FormatError(str(exc)) from None
    names = sorted((n for n in files if _NAME.fullmatch(n)),
                   key=lambda n: int(_NAME.fullmatch(n).group(1) or 0))
    if not names:
        raise FormatError("This PDF carries no prototype (it has no prototype.json attachment); "
                          "only prototype PDFs made by this app can be imported.")
    return [exchange.loads(files[n]) for n in names]


def read_documents(path: str | Path) -> list[dict]:
    """Every prototype export in FILE: one for a JSON export or a prototype PDF, several for a
    team's folder PDF."""
    path = Path(path)
    head = exchange.read_bytes(path, len(PDF_MAGIC))
    if head != PDF_MAGIC:
        return [exchange.read_file(path)]
    # At most one byte past the limit: a pipe or device that never ends is refused at the limit
    # rather than read until memory runs out.
    raw = exchange.read_bytes(path, exchange.MAX_FILE_BYTES * 5 + 1)
    if len(raw) > exchange.MAX_FILE_BYTES * 5:
        raise FormatError(f"The PDF is more than {exchange.MAX_FILE_BYTES * 5 // (1024 * 1024)} MB; "
                          "too large for a prototype handout.")
    return documents_in_pdf(raw)
