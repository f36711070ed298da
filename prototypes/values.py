"""How what a team types becomes a valid prototype value (pure, no Qt, no SQL).

The prototype, its safe-to-try check and its PDSA cycles validate on construction with the same
three rules: long texts keep their line breaks (``workshop.text.clean_long``), a choice must come from its vocabulary, a date
is a date. ``ValidationError`` messages are written for the person who typed the bad value.
"""
from __future__ import annotations

from datetime import date, datetime

from workshop.errors import ValidationError
from workshop.text import clean_text, shown  # noqa: F401  (shown: this module's callers)

MAX_TITLE = 120
MAX_SHORT = 200
MAX_LONG = 4000


def choice(value: object, allowed, what: str) -> str:
    """The vocabulary key a typed value names ("Station rotation" → ``station_rotation``)."""
    key = clean_text(value).lower().replace(" ", "_").replace("-", "_")
    if key not in allowed:
        names = ", ".join(k for k in allowed if k) or "none"
        raise ValidationError(f"{what} must be one of {names} (got “{shown(value)}”).")
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
        raise ValidationError(f"{what} must be a date like 2026-11-25 (got “{shown(value)}”).") from None


def as_bool(value: object, what: str) -> bool:
    """A yes/no value that is exactly True or False: "false", "no", 0 and None are refused,
    never read as truthy or falsy (``bool("false")`` is True)."""
    if not isinstance(value, bool):
        raise ValidationError(f"{what} must be true or false (got “{shown(value)}”).")
    return value
