"""Measures of a prototype, their data points and the predictions a cycle makes (pure).

A measure is what a prototype's PDSA cycles are judged by ("minutes of reading per day",
"exit tickets at 3 or 4"); a data point is one value on one date; a prediction is what one
cycle's plan said a measure would reach. Everything validates on construction, with messages
written for the person who typed the value.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from datetime import date

from prototypes.values import MAX_SHORT, MAX_TITLE, as_date, choice, shown
from workshop.errors import ValidationError
from workshop.text import clean_long, clean_text

DIRECTIONS = {"up": "Higher is better", "down": "Lower is better"}
MEASURE_LABELS = {
    "name": "Measure",
    "unit": "Unit",
    "direction": "Better when",
    "goal": "Goal",
    "how": "How it is collected",
    "how_often": "How often",
}
MAX_UNIT = 40
# Far beyond any classroom count or percentage, and well inside a float's exact integers:
# a value past it is a typing slip (or a hostile file), not a measurement.
MAX_MAGNITUDE = 1e12


def as_value(value: object, what: str) -> float:
    """A finite number from a number or typed text ("12", "12.5", "12,5")."""
    if isinstance(value, bool):
        raise ValidationError(f"{what} must be a number (got “{shown(value)}”).")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = clean_text(value, what=what).replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")        # a decimal comma, as many teams type it
        try:
            number = float(text)
        except ValueError:
            raise ValidationError(f"{what} must be a number (got “{shown(value)}”).") from None
    if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
        raise ValidationError(f"{what} must be a number between −10¹² and 10¹² "
                              f"(got “{shown(value)}”).")
    return number


def as_optional_value(value: object, what: str) -> float | None:
    """A number, or None for no value (an empty field)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return as_value(value, what)


def format_value(value: float | None) -> str:
    """A value as people write it: 12, 12.5, 0.333 (no trailing zeros, no float noise)."""
    if value is None:
        return ""
    text = f"{value:.6g}" if abs(value) < 1e6 else f"{value:.0f}"
    return text


@dataclass(frozen=True)
class Measure:
    """What a prototype's cycles are judged by: name, unit, direction, goal, how collected."""
    name: str
    unit: str = ""
    direction: str = "up"
    goal: float | None = None
    how: str = ""
    how_often: str = ""
    uid: str = ""
    id: int | None = None
    prototype_id: int | None = None

    def __post_init__(self) -> None:
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        set_("name", clean_text(self.name, limit=MAX_TITLE, what="A measure's name"))
        if not self.name:
            raise ValidationError("A measure needs a name (what you will count or time).")
        set_("unit", clean_text(self.unit, limit=MAX_UNIT, what="The unit"))
        set_("direction", choice(self.direction or "up", DIRECTIONS, "Better when"))
        set_("goal", as_optional_value(self.goal, "The goal"))
        set_("how", clean_long(self.how, what="How it is collected"))
        set_("how_often", clean_text(self.how_often, limit=MAX_SHORT, what="How often"))
        set_("uid", clean_text(self.uid, limit=64, what="A measure's identity"))

    @property
    def label(self) -> str:
        """The name with its unit: "Reading minutes (min/day)"."""
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def edit(self, **changes) -> Measure:
        """A validated copy with some fields changed."""
        unknown = set(changes) - set(MEASURE_LABELS)
        if unknown:
            raise ValidationError(f"These are not measure fields: {', '.join(sorted(unknown))}.")
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """The measure as JSON-ready data (the exchange shape, without its points)."""
        return {"uid": self.uid, **{name: getattr(self, name) for name in MEASURE_LABELS}}

    @classmethod
    def from_dict(cls, data: dict, **extra) -> Measure:
        """A measure from ``to_dict`` data; ``extra`` sets the database ids."""
        if not isinstance(data, dict):
            raise ValidationError("A measure must be an object with a name.")
        names = {f.name for f in fields(cls)} - {"id", "prototype_id"}
        return cls(**({"name": ""} | {k: v for k, v in data.items() if k in names}), **extra)


@dataclass(frozen=True)
class DataPoint:
    """One value of a measure on one date, with an optional note."""
    on: date
    value: float
    note: str = ""
    id: int | None = None
    measure_id: int | None = None

    def __post_init__(self) -> None:
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        set_("on", as_date(self.on, "A data point's date"))
        if self.on is None:
            raise ValidationError("A data point needs the date it was collected.")
        set_("value", as_value(self.value, "A data point's value"))
        set_("note", clean_text(self.note, limit=MAX_SHORT, what="A data point's note"))

    def to_dict(self) -> dict:
        """The point as JSON-ready data."""
        return {"on": self.on.isoformat(), "value": self.value, "note": self.note}

    @classmethod
    def from_dict(cls, data: dict, **extra) -> DataPoint:
        """A point from ``to_dict`` data."""
        if not isinstance(data, dict):
            raise ValidationError("A data point must be an object with a date and a value.")
        return cls(on=data.get("on"), value=data.get("value"), note=data.get("note", ""), **extra)


@dataclass(frozen=True)
class Prediction:
    """What cycle ``cycle`` (an iteration number) predicts a measure will reach."""
    cycle: int
    value: float
    measure_id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.cycle, int) or isinstance(self.cycle, bool) or self.cycle < 1:
            raise ValidationError(f"A prediction belongs to a cycle number 1 or more "
                                  f"(got “{shown(self.cycle)}”).")
        object.__setattr__(self, "value", as_value(self.value, "The predicted value"))

    def to_dict(self) -> dict:
        """The prediction as JSON-ready data."""
        return {"cycle": self.cycle, "value": self.value}

    @classmethod
    def from_dict(cls, data: dict, **extra) -> Prediction:
        """A prediction from ``to_dict`` data."""
        if not isinstance(data, dict):
            raise ValidationError("A prediction must be an object with a cycle and a value.")
        return cls(cycle=data.get("cycle"), value=data.get("value"), **extra)  # type: ignore[arg-type]


def in_time_order(points: list[DataPoint]) -> list[DataPoint]:
    """Points by date; points of one date keep the order they were entered in."""
    return sorted(points, key=lambda p: (p.on, p.id if p.id is not None else 0))
