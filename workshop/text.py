"""Text cleaning, in one place: what people type or import becomes safe plain text.

Accents and scripts are kept exactly (NFC); control, zero-width and bidi-override characters
are removed because they hide text or reorder it on screen and on paper.
"""
from __future__ import annotations

import re
import unicodedata

from workshop.errors import ValidationError

MAX_TEXT = 200
MAX_LONG = 4000

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_FILE_RESERVED = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _too_long(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise ValidationError(f"{what} is too long ({len(text)} characters; at most {limit}).")


def clean_text(value: object, *, limit: int = MAX_TEXT, what: str = "Text") -> str:
    """Trim, NFC-normalise and strip control characters; keep accents and scripts exactly."""
    text = "" if value is None else str(value)
    text = CONTROL.sub("", unicodedata.normalize("NFC", text))
    text = " ".join(text.split())
    _too_long(text, limit, what)
    return text


def clean_long(value: object, *, limit: int = MAX_LONG, what: str = "Text") -> str:
    """Like ``clean_text`` but keeps line breaks: these fields are paragraphs and lists."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL.sub("", unicodedata.normalize("NFC", text))
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n ")
    _too_long(text, limit, what)
    return text


def fold(text: str) -> str:
    """Case- and accent-insensitive key for matching names ("José" ~ "jose")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def safe_filename(text: str, limit: int = 60) -> str:
    """A file name any OS accepts that still reads like the original (accents and scripts kept;
    path separators, reserved characters and trailing dots removed)."""
    text = unicodedata.normalize("NFC", text)
    text = _FILE_RESERVED.sub(" ", text)
    text = " ".join(text.split()).strip(" .")
    return text[:limit].rstrip(" .") or "untitled"


def plural(count: float, singular: str, many: str | None = None) -> str:
    """A count with its noun agreeing: ``1 school``, ``2 schools``, ``0 people`` (``many``
    for nouns that do not take an s: ``plural(n, "person", "people")``); a float count is
    written short (``1.5 minutes``)."""
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{shown} {singular if count == 1 else (many or singular + 's')}"
