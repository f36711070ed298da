"""Registration status columns: rows a registration export marks as not coming are skipped,
each with its reason in the report (Eventbrite's "Attendee Status", a form's "Statut")."""
from __future__ import annotations

import re

from workshop.academy.roster.csvfile import quoted
from workshop.text import fold

_HEADER = re.compile(r"^(attendee |registration |order |ticket |participant )?"
                     r"(status|statut|estado|estatus|situacao|teilnahmestatus)"
                     r"( (du|de|do|da|del) (participant|participante|inscription|inscripcion|"
                     r"inscricao))?$")
# Folded values that mean "not coming": Eventbrite's, then the usual words in FR/ES/DE/PT.
_NOT_COMING = re.compile(
    r"^(not attending|cancel+ed|refunded|declined|deleted|transferred|no show|"
    r"annule|annulee|ne participe pas|cancelado|cancelada|reembolsado|no asiste|"
    r"storniert|abgesagt|nimmt nicht teil|nao participa|reembolsada)\b")


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).replace("_", " ").split())


def status_column(header: tuple[str, ...] | list[str]) -> int | None:
    """The column holding a registration status, if the header has one."""
    return next((i for i, cell in enumerate(header) if _HEADER.match(_norm(cell))), None)


def not_attending(value: str, columns: list[str], col: int | None) -> str:
    """Why this row is skipped ("" when the person is coming)."""
    if col is None or not _NOT_COMING.match(_norm(value)):
        return ""
    label = columns[col] if col < len(columns) else f"Column {col + 1}"
    return f"not coming: “{quoted(value)}” in column “{quoted(label)}”"
