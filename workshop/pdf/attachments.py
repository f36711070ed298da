"""PDF file attachments (embedded files). Reportlab has no public API for them, so they are
added to the finished PDF with pypdf, and read back the same way."""
from __future__ import annotations

import io
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject
from pypdf.errors import PdfReadError


class AttachmentError(ValueError):
    """The file is not a PDF, or lacks the attachment asked for; the message says which."""


def add_attachments(pdf: bytes, files: dict[str, bytes]) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for name, data in files.items():
        embedded = writer.add_attachment(name, data)
        # pypdf stores the file uncompressed; JSON deflates about fivefold, and a team's
        # folder carries several, so compress the stream as any PDF writer may (FlateDecode).
        stream = embedded.pdf_object["/EF"]["/F"].get_object()
        stream.set_data(zlib.compress(data, 9))
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        embedded.size = NumberObject(len(data))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attachments(pdf: bytes) -> dict[str, bytes]:
    """Every embedded file by name (the first copy of a repeated name)."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        found = reader.attachments
        return {name: contents[0] for name, contents in found.items() if contents}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise AttachmentError(f"This file is not a readable PDF ({exc}).") from None


def read_attachment(pdf: bytes, name: str, what: str = "") -> bytes:
    found = attachments(pdf)
    if name not in found:
        raise AttachmentError(
            f"This PDF has no embedded {name}{' (' + what + ')' if what else ''}; "
            "only PDFs exported by this app carry it.")
    return found[name]
