"""How what a team types becomes a valid prototype value (pure, no Qt, no SQL).

The prototype, its safe-to-try check and its PDSA cycles validate on construction with the same
three rules: long texts keep their line breaks, a choice must come from its vocabulary, a date
is a date. ``ValidationError`` messages are written for the person who typed the bad value.
"""
from __future__ import annotations

from datetime import date, datetime

from workshop.academy.model import ValidationError, clean_text
# One cleaning rule for the whole product, by Unicode category (line breaks kept).
from workshop.text import clean_long  # noqa: F401

MAX_TITLE = 120
MAX_SHORT = 200
MAX_LONG = 4000


def choice(value: object, allowed, what: str) -> str:
    """The vocabulary key a typed value names ("Station rotation" → ``station_rotation``)."""
    key = clean_text(value).lower().replace(" ", "_").replace("-", "_")
    if key not in allowed:
        names = ", ".join(k for k in allowed if k) or "none"
        raise ValidationError(f"{what} must be one of {names} (got “{value}”).")
    return key


def as_date(value: object, what: str) -> date | None:
    """A date from a ``date``, a ``datetime`` or ISO text; None for no value."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{what} must be a date like 2026-11-25 (got “{value}”).") from None
