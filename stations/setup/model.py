"""Stations: where the groups go. Plain dataclasses with user-facing validation."""
from __future__ import annotations

from dataclasses import dataclass

from workshop.errors import ValidationError
from workshop.text import clean_text

KINDS = ("targeted", "independent", "collaborative")
KIND_LABELS = {"targeted": "Teacher-led targeted instruction",
               "independent": "Independent learning",
               "collaborative": "Small-group collaboration"}
MIN_STATIONS, MAX_STATIONS = 2, 6
MAX_MINUTES = 180


@dataclass
class Station:
    """A place in the room: its kind, minutes, prompt and materials, in the order groups see."""
    position: int  # 1-based, the order groups see them in
    name: str
    kind: str
    minutes: int = 15
    prompt: str = ""
    materials: str = ""
    debrief_prompt: str = ""
    id: int | None = None
    academy_id: int | None = None

    def __post_init__(self) -> None:
        self.name = clean_text(self.name, limit=60, what="The station name")
        if not self.name:
            raise ValidationError(f"Station {self.position} needs a name.")
        if self.kind not in KINDS:
            raise ValidationError(f"A station's kind is one of {', '.join(KINDS)} (got “{self.kind}”).")
        try:
            self.minutes = int(self.minutes)
        except (TypeError, ValueError, OverflowError):   # OverflowError: int(float("inf"))
            raise ValidationError(f"Minutes must be a whole number (got “{self.minutes}”).") from None
        if not 1 <= self.minutes <= MAX_MINUTES:
            raise ValidationError(f"A station lasts 1 to {MAX_MINUTES} minutes (got {self.minutes}).")
        self.prompt = clean_text(self.prompt, limit=1000, what="The prompt")
        self.materials = clean_text(self.materials, limit=1000, what="The materials")
        self.debrief_prompt = clean_text(self.debrief_prompt, limit=500, what="The debrief prompt")

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def title(self) -> str:
        """“Station 2 — Small-group collaboration”."""
        return f"Station {self.position} — {self.name}"


def default_stations() -> list[Station]:
    return [
        Station(1, "Teacher-led targeted instruction", "targeted", 15,
                "Work with the facilitator on one skill, in a small group matched to your readiness.",
                "Whiteboard, mini-lesson slides, exit tickets",
                "How did it feel to be taught exactly where you are?"),
        Station(2, "Independent learning", "independent", 15,
                "Work through the online playlist at your own pace; choose your path and track it.",
                "Laptops or tablets, playlist link, progress tracker",
                "How did it feel to own your pace and path?"),
        Station(3, "Small-group collaboration", "collaborative", 15,
                "With your group, solve the design challenge together and agree on one idea to share.",
                "Chart paper, markers, sticky notes, the challenge card",
                "How did it feel to learn with and from peers?"),
    ]


def validate_station_set(stations: list[Station]) -> None:
    if not MIN_STATIONS <= len(stations) <= MAX_STATIONS:
        raise ValidationError(
            f"A rotation has {MIN_STATIONS} to {MAX_STATIONS} stations (this one has {len(stations)}).")
    names = [s.name.casefold() for s in stations]
    dupes = sorted({s.name for s in stations if names.count(s.name.casefold()) > 1})
    if dupes:
        raise ValidationError(f"Two stations share the name “{dupes[0]}”; give each its own.")


@dataclass
class Group:
    """People who rotate together. ``index`` is 0-based; ``name`` is what the room sees."""
    index: int
    name: str
    member_ids: list[int]

    @staticmethod
    def default_name(index: int) -> str:
        """Group A, B, … Z, AA, AB …"""
        letters = ""
        n = index
        while True:
            letters = chr(ord("A") + n % 26) + letters
            n = n // 26 - 1
            if n < 0:
                return f"Group {letters}"
