"""Demo measures for the demo prototypes: 12 to 20 points each, one with a real shift after
its second cycle (exit tickets once groups follow Monday's ticket), one re-based after an
adopted change, one with only ordinary variation.

Points are dated on school days around each prototype's demo cycles, which are themselves
dated back from today (``prototypes.demo``). Idempotent: a prototype that has measures already
gets none added.
"""
from __future__ import annotations

from datetime import date, timedelta

# key of the demo prototype -> measures: (fields, points per phase, predictions by cycle).
# A phase is "before" (ahead of cycle 1) or a cycle number; its values are laid on its school
# days in order.
DEMO_MEASURES = {
    "math-stations": [
        ({"name": "Exit tickets at 3 or 4", "unit": "%", "direction": "up", "goal": 80,
          "how": "Daily exit ticket, scored 1–4 by the teacher; share of the class at 3 or 4.",
          "how_often": "daily"},
         {"before": [62, 65, 60, 66, 63], 1: [64, 67, 61, 69, 65, 68, 63],
          2: [76, 79, 81, 78, 83, 80, 84, 82]},
         {2: 80}),
    ],
    "reading-playlists": [
        ({"name": "Playlist finished by Friday", "unit": "%", "direction": "up", "goal": 80,
          "how": "Playlist tracker, checked by the teacher each Friday.", "how_often": "twice a week"},
         {"before": [68, 72, 65, 74, 70, 66, 73, 69], 1: [71, 67, 75, 70]},
         {1: 80}),
    ],
    "flipped-algebra": [
        ({"name": "Check-in answered before practice", "unit": "%", "direction": "up",
          "goal": 75, "how": "Video platform check-ins, read at minute 12.",
          "how_often": "each lesson"},
         {1: [52, 58, 49, 61, 55, 57, 60], 2: [78, 74, 81, 77, 83, 79, 76]},
         {1: 75, 2: 95}),
        ({"name": "Students without the video", "unit": "students", "direction": "down",
          "goal": 2, "how": "Tally at the door.", "how_often": "each lesson"},
         {1: [9, 7, 10, 8, 6, 8, 7], 2: [3, 4, 2, 3, 1, 2, 3]},
         {}),
    ],
}


def _school_days(start: date, count: int, step: int = 1) -> list[date]:
    """``count`` weekdays from ``start`` on, every ``step``-th one."""
    out, d, k = [], start, 0
    while len(out) < count:
        if d.weekday() < 5:
            if k % step == 0:
                out.append(d)
            k += 1
        d += timedelta(days=1)
    return out


def _school_days_before(end: date, count: int) -> list[date]:
    out, d = [], end - timedelta(days=1)
    while len(out) < count:
        if d.weekday() < 5:
            out.append(d)
        d -= timedelta(days=1)
    return sorted(out)


def add_demo_measures(prototypes, ids_by_key: dict[str, int]) -> None:
    """Add the demo measures to the demo prototypes that have none."""
    service = prototypes.measures
    for key, specs in DEMO_MEASURES.items():
        pid = ids_by_key.get(key)
        if pid is None or service.measures(pid):
            continue
        cycles = {it.number: it for it in prototypes.iterations(pid)}
        if not cycles:
            continue
        for fields, phases, predictions in specs:
            m = service.add_measure(pid, **fields)
            for phase, values in phases.items():
                if phase == "before":
                    days = _school_days_before(cycles[1].started_on, len(values))
                elif phase in cycles:
                    days = _school_days(cycles[phase].started_on, len(values))
                else:
                    continue
                for on, value in zip(days, values):
                    service.add_point(m.id, value, on=on)
            for cycle, value in predictions.items():
                if cycle in cycles:
                    service.set_prediction(m.id, cycle, value)
