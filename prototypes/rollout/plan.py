"""A school team's vision and rollout plan (pure: dataclasses that validate what was typed).

The vision *statement* is the hub of the team's initiative map (one place, two views: the map
editor and the plan editor both write the hub); everything else lives in the plan document
here: the rallying cry, the district priorities, the people to involve, then the plan itself —
milestones in phases, measures of success with checkpoints and the on/off-track line,
communication steps and early wins. ``to_dict``/``from_dict`` are the stored and exported shape.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from prototypes.values import MAX_SHORT, as_bool, as_date, choice, shown
from workshop.errors import ValidationError
from workshop.text import clean_long, clean_text

MILESTONE_STATUSES = ("planned", "under_way", "done", "stuck")
MILESTONE_STATUS_LABELS = {"planned": "Planned", "under_way": "Under way", "done": "Done",
                           "stuck": "Stuck"}
MAX_NAMES = 40        # people, priorities or links in one list
MAX_ROWS = 200        # milestones, measures, steps or wins in one plan
MAX_CRY = 120


def _names(value: object, what: str, limit: int = MAX_SHORT) -> tuple[str, ...]:
    """A list of short texts from a list or from text with one per line (or comma-separated):
    blanks dropped, duplicates (ignoring case) kept once, in order."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        parts = value.replace(",", "\n").splitlines()
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        raise ValidationError(f"{what} should be a list of names (got “{shown(value)}”).")
    out: list[str] = []
    seen: set[str] = set()
    for part in parts:
        if not isinstance(part, str):
            raise ValidationError(f"{what} should be a list of names (got “{shown(part)}”).")
        name = clean_text(part, limit=limit, what=what)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    if len(out) > MAX_NAMES:
        raise ValidationError(f"{what} holds {len(out)} entries; at most {MAX_NAMES}.")
    return tuple(out)


def _rows(value: object, kind: type, what: str) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise ValidationError(f"{what} should be a list (got “{shown(value)}”).")
    if len(value) > MAX_ROWS:
        raise ValidationError(f"{what} holds {len(value)} rows; at most {MAX_ROWS}.")
    out = []
    for item in value:
        if isinstance(item, kind):
            out.append(item)
        elif isinstance(item, dict):
            unknown = set(item) - {f.name for f in fields(kind)}
            if unknown:
                raise ValidationError(f"{what}: unknown field(s) {', '.join(sorted(map(str, unknown)))}.")
            try:
                out.append(kind(**item))
            except TypeError:   # a required field missing from a file's object
                raise ValidationError(f"{what}: a row lacks a required field.") from None
        else:
            raise ValidationError(f"{what} should hold objects (got “{shown(item)}”).")
    return tuple(out)


def _text(obj, name: str, what: str, limit: int = MAX_SHORT) -> None:
    value = getattr(obj, name)
    if not isinstance(value, str):
        raise ValidationError(f"{what} should be text (got “{shown(value)}”).")
    object.__setattr__(obj, name, clean_long(value, limit=limit, what=what))


@dataclass(frozen=True)
class Milestone:
    """One step of the rollout: in a phase, with an owner, a date, a status and what it
    involves (the team's prototypes and the map's initiatives, by name)."""
    title: str
    phase: str = ""
    owner: str = ""
    due: date | None = None
    status: str = "planned"
    prototypes: tuple = ()
    initiatives: tuple = ()

    def __post_init__(self) -> None:
        _text(self, "title", "A milestone")
        if not self.title:
            raise ValidationError("A milestone needs a name (what will be done).")
        _text(self, "phase", "A phase")
        _text(self, "owner", "An owner")
        object.__setattr__(self, "due", as_date(self.due, "A milestone's date"))
        object.__setattr__(self, "status", choice(self.status or "planned", MILESTONE_STATUSES,
                                                  "A milestone's status"))
        object.__setattr__(self, "prototypes", _names(self.prototypes, "The prototypes involved"))
        object.__setattr__(self, "initiatives", _names(self.initiatives,
                                                       "The initiatives involved"))


@dataclass(frozen=True)
class Checkpoint:
    """When a measure is looked at, and what "on track" means on that day."""
    on: date | None
    target: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "on", as_date(self.on, "A checkpoint's date"))
        if self.on is None:
            raise ValidationError("A checkpoint needs a date.")
        _text(self, "target", "A checkpoint's target")


@dataclass(frozen=True)
class Measure:
    """A measure of success: its checkpoints, the line between on and off track, and the
    support that follows when a school is off track."""
    name: str
    checkpoints: tuple = ()
    on_track: str = ""
    support: str = ""

    def __post_init__(self) -> None:
        _text(self, "name", "A measure")
        if not self.name:
            raise ValidationError("A measure of success needs a name.")
        points = self.checkpoints
        if isinstance(points, str):
            points = parse_checkpoints(points)
        object.__setattr__(self, "checkpoints", tuple(sorted(
            _rows(points, Checkpoint, "The checkpoints"), key=lambda c: c.on)))
        _text(self, "on_track", "The on-track line", MAX_SHORT * 2)
        _text(self, "support", "The support when off track", MAX_SHORT * 2)


@dataclass(frozen=True)
class Communication:
    """One communication step: who is told what, when, by whom."""
    audience: str
    message: str = ""
    on: date | None = None
    by: str = ""

    def __post_init__(self) -> None:
        _text(self, "audience", "Who is told")
        if not self.audience:
            raise ValidationError("A communication step needs to say who is told.")
        _text(self, "message", "What they are told", MAX_SHORT * 2)
        object.__setattr__(self, "on", as_date(self.on, "A communication step's date"))
        _text(self, "by", "Who tells them")


@dataclass(frozen=True)
class EarlyWin:
    """An early win to celebrate, and whether it has been celebrated."""
    text: str
    on: date | None = None
    celebrated: bool = False

    def __post_init__(self) -> None:
        _text(self, "text", "An early win")
        if not self.text:
            raise ValidationError("An early win needs a description.")
        object.__setattr__(self, "on", as_date(self.on, "An early win's date"))
        object.__setattr__(self, "celebrated", as_bool(self.celebrated, "Celebrated"))


@dataclass(frozen=True)
class RolloutPlan:
    """A team's vision (statement from the map's hub) and its rollout plan."""
    vision: str = ""                 # the hub of the team's map: stored there, not here
    rallying_cry: str = ""
    priorities: tuple = ()           # the district priorities the vision connects to
    evangelists: tuple = ()
    skeptics: tuple = ()
    milestones: tuple = ()
    measures: tuple = ()
    communications: tuple = ()
    wins: tuple = ()
    updated_at: str = ""

    def __post_init__(self) -> None:
        _text(self, "vision", "The vision statement", 160)
        object.__setattr__(self, "vision", " ".join(self.vision.split()))
        _text(self, "rallying_cry", "The rallying cry", MAX_CRY)
        object.__setattr__(self, "rallying_cry", " ".join(self.rallying_cry.split()))
        for name, what in (("priorities", "The district priorities"),
                           ("evangelists", "The evangelists"), ("skeptics", "The skeptics")):
            object.__setattr__(self, name, _names(getattr(self, name), what))
        for name, kind, what in (("milestones", Milestone, "The milestones"),
                                 ("measures", Measure, "The measures of success"),
                                 ("communications", Communication, "The communication steps"),
                                 ("wins", EarlyWin, "The early wins")):
            object.__setattr__(self, name, _rows(getattr(self, name), kind, what))
        if not isinstance(self.updated_at, str):
            raise ValidationError("The plan's “updated_at” should be text.")

    @property
    def is_empty(self) -> bool:
        """Nothing written yet (a blank plan is not worth a page)."""
        return not any(getattr(self, f.name) for f in fields(self) if f.name != "updated_at")

    def phases(self) -> list[str]:
        """Phase names in the order their first milestone comes."""
        out: list[str] = []
        for m in self.milestones:
            if m.phase not in out:
                out.append(m.phase)
        return out

    def edit(self, **changes) -> RolloutPlan:
        """A copy with ``changes``, validated."""
        return replace(self, **changes)

    def search_text(self) -> str:
        """Every word of the vision and plan, for the library search."""
        parts = [self.vision, self.rallying_cry, *self.priorities, *self.evangelists,
                 *self.skeptics]
        for m in self.milestones:
            parts += [m.title, m.phase, m.owner, *m.prototypes, *m.initiatives]
        for s in self.measures:
            parts += [s.name, s.on_track, s.support, *(c.target for c in s.checkpoints)]
        parts += [x for c in self.communications for x in (c.audience, c.message, c.by)]
        parts += [w.text for w in self.wins]
        return " ".join(p for p in parts if p)

    def to_dict(self, *, with_vision: bool = True) -> dict:
        """JSON-ready data (dates ISO); ``with_vision=False`` is the stored row (the statement
        lives in the map's hub)."""
        def day(d):
            return d.isoformat() if d else None
        data = {
            "rallying_cry": self.rallying_cry, "priorities": list(self.priorities),
            "evangelists": list(self.evangelists), "skeptics": list(self.skeptics),
            "milestones": [{"title": m.title, "phase": m.phase, "owner": m.owner,
                            "due": day(m.due), "status": m.status,
                            "prototypes": list(m.prototypes), "initiatives": list(m.initiatives)}
                           for m in self.milestones],
            "measures": [{"name": s.name, "on_track": s.on_track, "support": s.support,
                          "checkpoints": [{"on": day(c.on), "target": c.target}
                                          for c in s.checkpoints]} for s in self.measures],
            "communications": [{"audience": c.audience, "message": c.message, "on": day(c.on),
                                "by": c.by} for c in self.communications],
            "wins": [{"text": w.text, "on": day(w.on), "celebrated": w.celebrated}
                     for w in self.wins],
            "updated_at": self.updated_at}
        if with_vision:
            data["vision"] = self.vision
        return data

    @classmethod
    def from_dict(cls, data: dict, **extra) -> RolloutPlan:
        """The inverse of ``to_dict``; unknown keys are refused, in words."""
        if not isinstance(data, dict):
            raise ValidationError(f"A rollout plan should be an object (got “{shown(data)}”).")
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValidationError(f"The rollout plan has unknown field(s): "
                                  f"{', '.join(sorted(map(str, unknown)))}.")
        return cls(**{**data, **extra})


def parse_checkpoints(text: str) -> tuple[Checkpoint, ...]:
    """Checkpoints typed one per line, "2027-01-15: 60% of students on target" (the date
    first, then ":" or a dash and the target)."""
    out = []
    for line in clean_long(text, limit=MAX_SHORT * 10, what="The checkpoints").splitlines():
        line = line.strip()
        if not line:
            continue
        head, sep, rest = line[:10], "", line[10:]
        rest = rest.lstrip()
        if rest[:1] in (":", "-", "–", "—"):
            sep, rest = rest[:1], rest[1:].strip()
        if not sep and rest:
            raise ValidationError(f"A checkpoint is a date, then “:” and its target, like "
                                  f"“2027-01-15: 60% on target” (got “{shown(line)}”).")
        out.append(Checkpoint(head, rest))
    return tuple(out)


def checkpoints_text(points: tuple) -> str:
    """The checkpoints as they are typed: one "date: target" per line."""
    return "\n".join(f"{c.on.isoformat()}: {c.target}" if c.target else c.on.isoformat()
                     for c in points)


__all__ = ["RolloutPlan", "Milestone", "Measure", "Checkpoint", "Communication", "EarlyWin",
           "MILESTONE_STATUSES", "MILESTONE_STATUS_LABELS", "parse_checkpoints",
           "checkpoints_text"]
