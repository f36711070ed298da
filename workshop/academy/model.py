"""Academies, participants and teams: plain dataclasses with user-facing validation."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from workshop.errors import ValidationError
from workshop.text import clean_text, fold

READINESS_STAGES = ("exploring", "planning", "implementing")
MAX_NAME = 80


@dataclass
class Academy:
    """One design academy: its title, dates, place and facilitator."""
    title: str
    start_date: date | None = None
    end_date: date | None = None
    place: str = ""
    facilitator: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        self.title = clean_text(self.title, what="The academy title")
        if not self.title:
            raise ValidationError("An academy needs a title.")
        self.place = clean_text(self.place, what="The place")
        self.facilitator = clean_text(self.facilitator, what="The facilitator's name")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                f"The academy ends ({self.end_date:%d %b %Y}) before it starts "
                f"({self.start_date:%d %b %Y}).")


@dataclass
class Participant:
    """One person on an academy's roster, with their school, role and readiness stage."""
    name: str
    school: str = ""
    role: str = ""
    readiness: str = "exploring"
    email: str = ""
    id: int | None = None
    academy_id: int | None = None

    def __post_init__(self) -> None:
        self.name = clean_text(self.name, limit=MAX_NAME, what="The name")
        if not self.name:
            raise ValidationError("A participant needs a name.")
        self.school = clean_text(self.school, what="The school")
        self.role = clean_text(self.role, what="The role")
        self.email = clean_text(self.email, what="The email").lower()
        if self.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.email):
            raise ValidationError(f"“{self.email}” does not look like an email address.")
        stage = clean_text(self.readiness).lower() or "exploring"
        if stage not in READINESS_STAGES:
            raise ValidationError(
                f"Readiness must be one of {', '.join(READINESS_STAGES)} (got “{self.readiness}”).")
        self.readiness = stage

    @property
    def match_key(self) -> tuple[str, str]:
        """Same person if same email, else same name and school."""
        return ("email", self.email) if self.email else ("name", f"{fold(self.name)}|{fold(self.school)}")


@dataclass
class Team:
    """The participants of one school."""
    school: str
    members: list[Participant] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


def teams_of(participants: list[Participant]) -> list[Team]:
    """The school teams of a roster, by school name; people without a school form one team."""
    teams: dict[str, Team] = {}
    for p in participants:
        teams.setdefault(p.school or "(no school)", Team(p.school or "(no school)")).members.append(p)
    return sorted(teams.values(), key=lambda t: fold(t.school))
