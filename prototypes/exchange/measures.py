"""The measures section of the exchange format (format version 2 on): each measure of the
prototype with its data points and the predictions its cycles made (pure)::

    "measures": [ {"uid": "<hex>", "name": …, "unit": …, "direction": "up" | "down",
                   "goal": 80.0 | null, "how": …, "how_often": …,
                   "points": [{"on": "2026-11-25", "value": 74.0, "note": …}],
                   "predictions": [{"cycle": 2, "value": 80.0}]} ]

The section is optional: a version 1 file has none, and importing one leaves the measures
already here as they are. Kept apart from ``format`` so that other sections can be added
beside it without touching this one.
"""
from __future__ import annotations

from prototypes.exchange.format import FormatError, _kind, _show
from prototypes.measures.model import DataPoint, Measure, Prediction, in_time_order
from prototypes.measures.series import Series
from workshop.errors import ValidationError

MAX_MEASURES = 200
MAX_POINTS = 20_000          # per measure: five years of daily points, four times over
KEY = "measures"

Parsed = tuple[Measure, list[DataPoint], list[Prediction]]

_MEASURE_TYPES = {"uid": (str,), "name": (str,), "unit": (str,), "direction": (str,),
                  "goal": (int, float, type(None)), "how": (str,), "how_often": (str,),
                  "points": (list,), "predictions": (list,)}


def section(series: list[Series]) -> list[dict]:
    """The measures of a prototype as exchange data, in the order they were added."""
    return [m.to_dict() | {"points": [p.to_dict() for p in in_time_order(s.points)],
                           "predictions": [p.to_dict() for p in sorted(s.predictions,
                                                                       key=lambda p: p.cycle)]}
            for s in series for m in (s.measure,)]


def as_section(parsed: list[Parsed]) -> list[dict]:
    """Parsed measures back as exchange data (to compare a file with the copy here)."""
    return [m.to_dict() | {"points": [p.to_dict() for p in in_time_order(points)],
                           "predictions": [p.to_dict() for p in sorted(preds, key=lambda p: p.cycle)]}
            for m, points, preds in parsed]


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse(data: dict, cycles: set[int]) -> list[Parsed] | None:
    """The measures of a parsed export, or None when the file has no section (version 1).
    ``cycles``: the iteration numbers in the file (a prediction must name one of them)."""
    if KEY not in data:
        return None
    raw = data[KEY]
    if not isinstance(raw, list):
        raise FormatError(f"“measures” should be a list, not {_kind(raw)}.")
    if len(raw) > MAX_MEASURES:
        raise FormatError(f"The file has {len(raw)} measures; a prototype has at most "
                          f"{MAX_MEASURES}.")
    out: list[Parsed] = []
    uids: set[str] = set()
    for index, item in enumerate(raw, start=1):
        where = f"Measure {index} in the file"
        if not isinstance(item, dict):
            raise FormatError(f"{where} should be an object, not {_kind(item)}.")
        for key, allowed in _MEASURE_TYPES.items():
            value = item.get(key)
            if key in item and (not isinstance(value, allowed) or isinstance(value, bool)):
                raise FormatError(f"{where}: “{key}” should be "
                                  f"{'a number or null' if key == 'goal' else _kind(allowed[0]())}"
                                  f", not {_kind(value)}.")
        if "name" not in item:
            raise FormatError(f"{where} has no “name”.")
        try:
            m = Measure.from_dict({k: v for k, v in item.items()
                                   if k not in ("points", "predictions")})
        except ValidationError as exc:
            raise FormatError(f"{where}: {exc}") from None
        where = f"The measure “{_show(m.name)}”"
        if not m.uid or m.uid in uids:
            raise FormatError(f"{where} has {'no “uid”' if not m.uid else 'the uid of another'}.")
        uids.add(m.uid)
        points = _points(item.get("points", []), where)
        predictions = _predictions(item.get("predictions", []), where, cycles)
        out.append((m, points, predictions))
    return out


def _points(raw: list, where: str) -> list[DataPoint]:
    if len(raw) > MAX_POINTS:
        raise FormatError(f"{where} has {len(raw)} data points; a measure has at most "
                          f"{MAX_POINTS}.")
    points = []
    for i, p in enumerate(raw, start=1):
        if not (isinstance(p, dict) and isinstance(p.get("on"), str) and _number(p.get("value"))
                and isinstance(p.get("note", ""), str) and not set(p) - {"on", "value", "note"}):
            raise FormatError(f"{where}: data point {i} should be an object with a date “on”, "
                              "a number “value” and a text “note”.")
        try:
            points.append(DataPoint.from_dict(p))
        except ValidationError as exc:
            raise FormatError(f"{where}, data point {i}: {exc}") from None
    return points


def _predictions(raw: list, where: str, cycles: set[int]) -> list[Prediction]:
    out, seen = [], set()
    for i, p in enumerate(raw, start=1):
        if not (isinstance(p, dict) and isinstance(p.get("cycle"), int)
                and not isinstance(p.get("cycle"), bool) and _number(p.get("value"))
                and not set(p) - {"cycle", "value"}):
            raise FormatError(f"{where}: prediction {i} should be an object with a whole "
                              "number “cycle” and a number “value”.")
        if p["cycle"] not in cycles:
            raise FormatError(f"{where}: prediction {i} is for cycle {_show(p['cycle'])}, which "
                              "the file does not have.")
        if p["cycle"] in seen:
            raise FormatError(f"{where} has two predictions for cycle {p['cycle']}.")
        seen.add(p["cycle"])
        try:
            out.append(Prediction.from_dict(p))
        except ValidationError as exc:
            raise FormatError(f"{where}, prediction {i}: {exc}") from None
    return out
