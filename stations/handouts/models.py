"""What the stations handouts print: plain dataclasses, no Qt, no reportlab.

Builders in ``stations/handouts/data.py`` fill them from the services; ``stations/handouts/render.py``
turns them into PDF bytes. Tests check these models hard and the PDFs lightly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workshop.qr import QrMatrix

# A personal link's QR matrix, built with the model: the pack reads its models in one process
# and draws the cards and the roster in others, which would each build all 160 codes again.
# None: drawn from the link. Not compared: it is the link, encoded.


@dataclass(frozen=True)
class Span:
    """A stretch of clock time (start and end), either end unknown until it happens."""
    start: datetime | None = None
    end: datetime | None = None

    @property
    def minutes(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).total_seconds() / 60


@dataclass
class DebriefRound:
    """One round as the debrief prints it: when it ran and which groups were where."""
    number: int                       # 1-based
    planned: Span
    actual: Span                      # empty where the round has not run
    placements: list[tuple[str, list[str]]]  # (station title, group names there), station order
    note: str = ""                    # e.g. "skipped", "extended by 2 min"


@dataclass
class CheckinLine:
    """One check-in as printed: who, in which group, at which round."""
    participant: str
    group: str          # "" for a walk-in or someone in no group
    round: int | None   # 1-based
    time: datetime
    walk_in: bool = False


@dataclass
class ReflectionLine:
    """One moderated reflection as printed, its author hidden when anonymous."""
    text: str
    author: str | None  # None: anonymous — the handout prints no name
    time: datetime | None = None


@dataclass
class StationDebrief:
    """One station's page of the debrief: its prompt, check-ins and reflections."""
    title: str          # "Station 2 — Independent learning"
    kind_label: str
    debrief_prompt: str
    checkins: list[CheckinLine] = field(default_factory=list)
    reflections: list[ReflectionLine] = field(default_factory=list)


@dataclass
class DebriefModel:
    """The whole debrief handout, for the academy or for one group."""
    academy: str
    day: date | None
    scope: str                               # "Whole academy" or the group's name
    rounds: list[DebriefRound]
    stations: list[StationDebrief]
    members: list[str] = field(default_factory=list)      # the group's people (per-group debrief)
    not_checked_in: list[str] = field(default_factory=list)
    rotation_started: bool = False
    finished: bool = False
    write_lines: int = 5                     # handwriting lines per station


@dataclass
class StationSign:
    """One station sign: the name, kind, colour and the join link its QR code carries."""
    position: int
    title: str
    name: str
    kind_label: str
    minutes: int
    prompt: str
    materials: str
    url: str            # what the QR code encodes and the sign spells out
    colour: str = ""    # the station's colour on the projector ("#E69F00") …
    colour_name: str = ""  # … and its name ("orange"): colour is never the only cue
    # The url's QR matrix, built with the model (as a card's): the worker that draws the signs
    # then neither builds a code nor imports qrcode. None: drawn from the url.
    code: QrMatrix | None = field(default=None, compare=False, repr=False)


@dataclass
class SignsModel:
    """The station signs of an academy, one page each."""
    academy: str
    signs: list[StationSign]
    printed_for: str = ""   # the base URL the signs carry ("http://192.168.1.20:8765")
    local_url: str = ""     # the same laptop by its .local name, where that resolves
    wifi_code: str = ""     # the room's Wi-Fi as a WIFI: QR payload ("" none entered)
    wifi_name: str = ""     # its name, printed under the code (never the password)
    wifi_matrix: QrMatrix | None = field(default=None, compare=False, repr=False)  # its code


@dataclass
class CardStop:
    """One stop of a group card: the round, the station and its colour."""
    round: int
    station: str
    start: datetime | None
    end: datetime | None
    colour: str = ""    # the station's projector colour, as on the sign


@dataclass
class GroupCard:
    """One group's card: its name, its people and where it goes in each round."""
    participant: str
    school: str
    group: str
    stops: list[CardStop]
    link: str = ""  # their personal link (a QR code on the card); "" without phone join
    code: QrMatrix | None = field(default=None, compare=False, repr=False)


@dataclass
class GroupCardsModel:
    """Every group's card of an academy, several to a page."""
    academy: str
    day: date | None
    cards: list[GroupCard]


@dataclass
class RosterEntry:
    """One person on the roster print-out: their name, school, group and personal link."""
    participant: str
    school: str
    group: str
    link: str   # their personal link, a QR code ("" without phone join)
    code: QrMatrix | None = field(default=None, compare=False, repr=False)


@dataclass
class RosterModel:
    """The roster print-out (issue 19 item 1): everyone with their own QR code, by name, for
    the welcome table — a person without a group card scans theirs there."""
    academy: str
    day: date | None
    entries: list[RosterEntry]
