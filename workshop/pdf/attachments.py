"""PDF file attachments (embedded files). Reportlab has no public API for them, so they are
written with its PDF object classes into the document while it is saved (``embed``), and read
back with pypdf."""
from __future__ import annotations

import io
import logging
import warnings
import zlib
from contextlib import contextmanager
from typing import Iterator

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


# What an attachment may inflate to: a prototype export is at most 20 MB, a team's folder a few
# of them. pypdf's own ceiling is 75 MB per stream, far past anything this app writes.
MAX_ATTACHMENT_BYTES = 24 * 1024 * 1024


def attachments(pdf: bytes, *, limit: int = MAX_ATTACHMENT_BYTES) -> dict[str, bytes]:
    """Every embedded file by name (the first copy of a repeated name); AttachmentError with one
    line saying what is wrong when the PDF or an attachment cannot be read."""
    # Imported here: writing a handout (every page of the pack) never reads one back, and
    # pypdf is about 50 ms of a command's start.
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError
    # Recovery off: pypdf otherwise "repairs" bad zlib byte by byte, returning b"" or a
    # fragment with a log line, which then read as an empty or broken export.
    with _quiet_pypdf() as notes, apply_configuration(
            zlib_maximum_output_length=limit, maximum_declared_stream_length=limit,
            zlib_maximum_recovery_input_length=0):
        try:
            reader = PdfReader(io.BytesIO(pdf))
            found: dict[str, bytes] = {}
            for entry in reader.attachment_list:
                name = str(entry.name)
                if name not in found:
                    found[name] = _content(entry, name, limit)
            return found
        except AttachmentError:
            raise
        except LimitReachedError as exc:
            raise AttachmentError(_limit_message(exc, limit)) from None
        # pypdf raises many kinds of error on hostile bytes (its own, and ValueError, KeyError,
        # IndexError, AttributeError, RecursionError… from deep inside the parser); any of them
        # means "this is not a PDF we can read", never a bug of ours, so each becomes one line.
        except Exception as exc:  # noqa: BLE001 - see above
            raise AttachmentError(f"This file is not a readable PDF ({_why(exc, notes)}).") from None


def _content(entry, name: str, limit: int) -> bytes:
    from pypdf.errors import LimitReachedError
    try:
        data = entry.content
    except LimitReachedError as exc:
        raise AttachmentError(f"The PDF's attachment {name}: {_limit_message(exc, limit)}") from None
    except Exception as exc:  # noqa: BLE001 - hostile stream data, as in attachments()
        raise AttachmentError(f"The PDF's attachment {name} is damaged and cannot be read "
                              f"({_short(exc)}).") from None
    if not isinstance(data, bytes):
        raise AttachmentError(f"The PDF's attachment {name} is damaged and cannot be read.")
    return data


def _limit_message(exc: Exception, limit: int) -> str:
    if "ecovery" in str(exc):   # zlib failed and recovery is off: the stream is damaged
        return "its compressed data is damaged (bad zlib data), so it cannot be read."
    return (f"it inflates to more than {limit // (1024 * 1024)} MB, far larger than any "
            "handout this app writes; it was not read.")


def _short(exc: BaseException, n: int = 160) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= n else text[: n - 1] + "…"


def _why(exc: BaseException, notes: list[str]) -> str:
    if isinstance(exc, RecursionError):
        return "its objects are nested too deeply"
    # pypdf's last repair note ("EOF marker not found") often says more than its exception.
    return _short(Exception("; ".join([str(exc).strip(), *notes[:1]]).strip("; ")))


@contextmanager
def _quiet_pypdf() -> Iterator[list[str]]:
    """pypdf logs what it repairs ("EOF marker not found") to stderr through the logging
    module; keep those lines for the error message instead of printing them."""
    logger = logging.getLogger("pypdf")
    notes: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notes.append(record.getMessage())

    handler, propagate = _Keep(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield notes
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def read_attachment(pdf: bytes, name: str, what: str = "") -> bytes:
    """One embedded file of a PDF; AttachmentError saying what is missing if it has none."""
    found = attachments(pdf)
    if name not in found:
        raise AttachmentError(
            f"This PDF has no embedded {name}{' (' + what + ')' if what else ''}; "
            "only PDFs exported by this app carry it.")
    return found[name]
