"""PDF file attachments (embedded files). Reportlab has no public API for them, so they are
written with its PDF object classes into the document while it is saved (``embed``), and read
back with pypdf."""
from __future__ import annotations

import io
import zlib

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString


class AttachmentError(ValueError):
    """The file is not a PDF, or lacks the attachment asked for; the message says which."""


def embed(document, files: dict[str, bytes]) -> None:
    """Add ``files`` to a reportlab ``PDFDocument`` before it is formatted: the same objects
    pypdf's ``add_attachment`` writes (a name tree of file specifications, each pointing to a
    deflated /EmbeddedFile stream). Done here rather than by re-parsing the finished PDF
    with pypdf, which was a tenth of the time of a big pack."""
    if not files:
        return
    entries = []
    for name in sorted(files):   # a name tree's keys are sorted
        data = files[name]
        # "Filter" is set, so reportlab stores the already-deflated bytes as they are.
        stream = PDFStream(PDFDictionary({"Type": PDFName("EmbeddedFile"),
                                          "Filter": PDFName("FlateDecode"),
                                          "Params": PDFDictionary({"Size": len(data)})}),
                           zlib.compress(data, 9))
        spec = PDFDictionary({"Type": PDFName("Filespec"), "F": PDFString(name),
                              "EF": PDFDictionary({"F": document.Reference(stream)})})
        entries += [PDFString(name), document.Reference(spec)]
    tree = PDFDictionary({"Names": PDFArray(entries)})
    document.Catalog.Names = PDFDictionary({"EmbeddedFiles": tree})


def attachments(pdf: bytes) -> dict[str, bytes]:
    """Every embedded file by name (the first copy of a repeated name)."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        found = reader.attachments
        return {name: contents[0] for name, contents in found.items() if contents}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise AttachmentError(f"This file is not a readable PDF ({exc}).") from None


def read_attachment(pdf: bytes, name: str, what: str = "") -> bytes:
    """One embedded file of a PDF; AttachmentError saying what is missing if it has none."""
    found = attachments(pdf)
    if name not in found:
        raise AttachmentError(
            f"This PDF has no embedded {name}{' (' + what + ')' if what else ''}; "
            "only PDFs exported by this app carry it.")
    return found[name]
