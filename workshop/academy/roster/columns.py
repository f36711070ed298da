"""Which column is which field: header cells scored against each field, or cell contents read.

A header row is told from data first (``looks_like_header``); with one, each field takes the
column whose header names it best (``guess_mapping_from_header``); without one, or with one we
cannot read, the email and readiness columns are found by their values and the rest read in the
usual order (``guess_mapping_from_content``).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from workshop.text import fold
from workshop.academy.roster.readiness import readiness_from_text

# The fields a column can map to, in the order the mapping dialog shows them.
FIELDS = ("name", "first_name", "last_name", "email", "school", "role", "readiness")
FIELD_LABELS = {"name": "Full name", "first_name": "First name", "last_name": "Last name",
                "email": "Email", "school": "School", "role": "Role", "readiness": "Readiness"}


def _norm_header(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).replace("_", " ").split())


# Exact header variants (normalised) score 3, keyword matches 2, a buyer's column only 1:
# Eventbrite lists both the buyer and the attendee and we want the attendee.
_EXACT = {
    "name": {"name", "full name", "fullname", "attendee name", "participant name", "your name",
             "participant", "attendee", "what is your name", "what is your full name",
             "name surname", "first and last name", "first last name", "educator name"},
    "first_name": {"first name", "firstname", "first", "given name", "forename",
                   "attendee first name", "prenom"},
    "last_name": {"last name", "lastname", "last", "surname", "family name",
                  "attendee last name", "nom"},
    "email": {"email", "e mail", "email address", "e mail address", "mail", "attendee email",
              "work email", "school email", "your email", "emailaddress"},
    "school": {"school", "organization", "organisation", "company", "campus", "school name",
               "institution", "employer", "site", "building", "school site", "your school",
               "school or organization", "district school", "organization name", "company name"},
    "role": {"role", "job title", "title", "position", "job", "your role", "occupation",
             "role title", "what is your role", "job role", "position title"},
    "readiness": {"readiness", "readiness stage", "stage", "ready", "readiness level"},
}
# The same headers in French, Spanish, German and Portuguese (folded: École → ecole), from the
# registration and form tools facilitators use there. "Nombre"/"Nome" alone is a given name in
# Spanish and Portuguese forms that ask for surnames apart, and a full name otherwise: read as
# a first name, a file without a surname column still gets the whole cell as the name.
_TRANSLATED = {
    "name": {"nom complet", "nom et prenom", "prenom et nom", "nombre completo",
             "nombre y apellidos", "nome completo", "vollstandiger name", "vor und nachname",
             "teilnehmer", "participante", "nom du participant", "nombre del participante",
             "nome do participante"},
    "first_name": {"prenom", "nombre", "nome", "primeiro nome", "vorname", "nombre de pila"},
    "last_name": {"nom de famille", "apellido", "apellidos", "sobrenome", "apelido", "apelidos",
                  "nachname", "familienname", "ultimo nome"},
    "email": {"courriel", "adresse courriel", "adresse e mail", "adresse electronique", "correo",
              "correo electronico", "email adresse", "e mail adresse", "mailadresse",
              "endereco de email", "endereco de e mail", "correio eletronico", "e mail do"},
    "school": {"ecole", "etablissement", "nom de l ecole", "escuela", "colegio",
               "centro educativo", "nombre de la escuela", "schule", "name der schule",
               "escola", "nome da escola", "instituicao", "organisme", "organismo"},
    "role": {"fonction", "poste", "cargo", "puesto", "funcion", "rol", "funktion", "rolle",
             "stelle", "funcao", "papel", "profession", "profesion", "beruf", "profissao"},
    "readiness": {"etape", "niveau de preparation", "etapa", "nivel de preparacion", "stufe",
                  "fase", "estagio"},
}
for _field, _names in _TRANSLATED.items():
    _EXACT[_field] |= _names

_KEYWORDS = {
    "first_name": [r"\bfirst\b.*\bname\b", r"\bgiven\b"],
    "last_name": [r"\b(last|sur|family)\b.*\bname\b", r"\bsurname\b"],
    "email": [r"\be ?mail\b", r"\bcourriel\b", r"\bcorreo\b", r"\bcorreio\b"],
    "school": [r"\bschool\b", r"\borgani[sz]ation\b", r"\bcompany\b", r"\bcampus\b",
               r"\binstitution\b", r"\bemployer\b", r"\b(ecole|escuela|escola|schule)\b"],
    "role": [r"\brole\b", r"\bjob\b", r"\bposition\b", r"\btitle\b", r"\bwhat do you teach\b"],
    "readiness": [r"\bready\b", r"\breadiness\b", r"\bpersonali[sz]ed learning\b", r"\bstage\b"],
    "name": [r"\bname\b"],
}
_WEAK = re.compile(r"\b(buyer|purchaser|order|billing|emergency|contact|guardian|parent)\b")
_NOT_A_PERSON_NAME = re.compile(r"\b(school|organi[sz]ation|company|campus|event|ticket|file|"
                                r"user|team|district|first|last|sur|family|given|badge)\b")


def header_score(header: str, field_name: str) -> int:
    """How strongly a header cell says "I am this field" (0 = not at all)."""
    h = _norm_header(header)
    if not h:
        return 0
    weak = bool(_WEAK.search(h))
    if h in _EXACT[field_name]:
        return 1 if weak else 3
    if field_name == "name" and _NOT_A_PERSON_NAME.search(h):
        return 0
    if field_name == "school" and re.search(r"\bname\b", h) and not re.search(
            r"\b(school|organi[sz]ation|company|campus)\b", h):
        return 0
    if field_name == "school" and re.search(r"\b(role|job|position|e ?mail|teach)\b", h):
        return 0  # "What is your role at your school?" is about the role
    if field_name == "role" and re.search(r"\b(ticket|event)\b", h):
        return 0
    if any(re.search(p, h) for p in _KEYWORDS[field_name]):
        return 1 if weak else 2
    return 0


def guess_mapping_from_header(header: list[str]) -> dict[str, int | None]:
    """Each field → the column that matches it best (each column used once)."""
    candidates = sorted(((header_score(cell, f), -col, f, col)
                         for col, cell in enumerate(header) for f in FIELDS), reverse=True)
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    used: set[int] = set()
    for score, _, f, col in candidates:
        # A buyer's column (score 1) is never taken by itself: one buyer's email on a whole
        # group order would merge all its attendees into one person. It stays choosable.
        if score >= 2 and mapping[f] is None and col not in used:
            mapping[f], used = col, used | {col}
    if mapping["name"] is not None and mapping["first_name"] is not None:
        # "Name" plus "First name": the pair is the more precise reading (Eventbrite).
        mapping["name"] = None
    return mapping


def _best_score(cell: str) -> int:
    return max(header_score(cell, f) for f in FIELDS)


def looks_like_header(row: list[str], next_row: list[str] | None) -> bool:
    """A header names fields: one exact variant ("Email", "Full name") is enough. A keyword
    ("Lincoln High School" contains "school") only counts when the row below does not repeat
    it in the same column, which is what a column of school names does."""
    if any("@" in c for c in row):
        return False
    scores = [_best_score(c) for c in row]
    if 3 in scores:
        return True
    keyword_columns = [i for i, s in enumerate(scores) if s == 2]
    if not keyword_columns:
        return False
    if next_row is None:
        return True
    return any(i >= len(next_row) or _best_score(next_row[i]) < 2 for i in keyword_columns)


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def guess_mapping_from_content(rows: list[list[str]]) -> dict[str, int | None]:
    """No header: find the email and readiness columns by their values, then read the rest
    in the usual order name, school, role."""
    width = max(len(r) for r in rows)
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)

    def share(col: int, test: Callable[[str], object]) -> float:
        cells = [r[col].strip() for r in rows if col < len(r) and r[col].strip()]
        return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0

    for col in range(width):
        if mapping["email"] is None and share(col, EMAIL.match) >= 0.6:
            mapping["email"] = col
        elif mapping["readiness"] is None and share(col, lambda c: readiness_from_text(c)[0]) >= 0.8:
            mapping["readiness"] = col
    rest = [c for c in range(width) if c not in (mapping["email"], mapping["readiness"])]
    for f, col in zip(("name", "school", "role"), rest):
        mapping[f] = col
    return mapping


