"""Role categories: free-text roles (“Teacher”, “teacher”, “6th Grade ELA Teacher”, “Instructional
Coach”) mapped onto a short, editable set, so balancing and protecting roles means something on
real rosters. Near-duplicate school names (“Lincoln HS” / “Lincoln High School”) found the same
way. Pure Python: the mapping is a value; the academy's overrides are stored by the service.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher

from workshop.text import fold

CATEGORIES = ("teacher", "coach", "school_leader", "district_leader", "specialist", "other")
CATEGORY_LABELS = {"teacher": "Teacher", "coach": "Coach", "school_leader": "School leader",
                   "district_leader": "District leader", "specialist": "Specialist",
                   "other": "Other"}

# First match wins, so the more specific titles come first: a “District Math Coach” is a coach,
# an “Assistant Principal” a school leader, an “Assistant Superintendent” a district leader, and
# an “ELA Teacher Leader” still a teacher. Keys are matched as whole words of the folded title.
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coach", ("coach", "instructional coach", "mentor", "tosa", "teacher on special assignment",
               "facilitator", "trainer")),
    ("school_leader", ("principal", "head of school", "headteacher", "head teacher", "deputy head",
                       "vice principal", "dean", "school leader", "school director",
                       "headmaster", "headmistress", "school administrator", "head")),
    ("district_leader", ("district", "superintendent", "chief", "cao", "board", "central office",
                         "director", "commissioner", "network", "county", "state")),
    ("specialist", ("specialist", "interventionist", "librarian", "media", "counselor",
                    "counsellor", "psychologist", "sped", "special education", "ell", "esl",
                    "ese", "technology", "tech", "it", "integrator", "therapist", "nurse",
                    "paraprofessional", "para", "aide", "instructional designer",
                    "curriculum", "data", "reading", "coordinator", "administrator")),
    ("teacher", ("teacher", "teaching", "educator", "instructor", "lecturer", "tutor", "faculty",
                 "grade", "classroom", "kindergarten", "science", "math", "english", "history",
                 "ela", "art", "music", "pe", "substitute")),
)


def role_key(role: str) -> str:
    """The key a role is mapped by: folded (case and accents ignored) and spaces collapsed."""
    return " ".join(fold(role).split())


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "


def default_category(role: str) -> str:
    """The category a job title suggests (``other`` when nothing in it is known)."""
    words = _words(role)
    if words.strip() == "":
        return "other"
    for category, keys in _RULES:
        if any(f" {k} " in words for k in keys):
            return category
    return "other"


def category_of(role: str, overrides: Mapping[str, str] | None = None) -> str:
    """The category of ``role``: the academy's own choice for it when it made one, else the default."""
    chosen = (overrides or {}).get(role_key(role))
    return chosen if chosen in CATEGORIES else default_category(role)


def role_table(roles: Iterable[str], overrides: Mapping[str, str] | None = None) -> list[tuple[str, int, str]]:
    """Each distinct role (spelled as first seen, case ignored) with how many people hold it and
    its category, most common first: what the Roster page shows and edits."""
    count: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for role in roles:
        key = role_key(role)
        if not key:
            continue
        spelled.setdefault(key, role.strip())
        count[key] = count.get(key, 0) + 1
    rows = [(spelled[k], count[k], category_of(spelled[k], overrides)) for k in count]
    return sorted(rows, key=lambda r: (-r[1], fold(r[0])))


# -- schools ------------------------------------------------------------------------------------
# Abbreviations of school names, expanded before comparing (whole words only).
_SCHOOL_WORDS = {"hs": "high school", "h s": "high school", "ms": "middle school",
                 "es": "elementary school", "elem": "elementary", "el": "elementary",
                 "jhs": "junior high school", "jr": "junior", "sr": "senior", "sch": "school",
                 "schl": "school", "acad": "academy", "st": "saint", "mt": "mount",
                 "intl": "international", "prep": "preparatory", "ctr": "center",
                 "centre": "center", "k8": "k 8", "isd": "independent school district"}
# "School" is dropped too: "Lincoln High" and "Lincoln High School" are the likeliest two
# spellings of one school on a sign-up form, and the letters alone score them 0.77.
_FILLER = {"the", "of", "and", "school"}
SIMILAR = 0.92   # close enough to ask (a typo, a dropped letter); never merged without asking


def school_key(name: str) -> str:
    """A school name with case, accents, punctuation and common abbreviations evened out."""
    words = re.findall(r"[a-z0-9]+", fold(name))
    out: list[str] = []
    for w in words:
        out.extend(_SCHOOL_WORDS.get(w, w).split())
    return " ".join(w for w in out if w not in _FILLER)


def similar_schools(schools: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of spellings that are probably one school (first seen first): the same after
    :func:`school_key`, or nearly the same letters. difflib's ratio (stdlib) is enough for the
    few dozen names of a roster; the facilitator confirms every merge."""
    first: dict[str, str] = {}
    for s in schools:
        if s and s.strip():
            first.setdefault(fold(s.strip()), s.strip())   # same but for case: one school already
    names = list(first.values())
    pairs: list[tuple[str, str]] = []
    keys = [school_key(s) for s in names]
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            a, b = keys[i], keys[j]
            if a == b or (min(len(a), len(b)) >= 6 and SequenceMatcher(None, a, b).ratio() >= SIMILAR):
                pairs.append((names[i], names[j]))
    return pairs
