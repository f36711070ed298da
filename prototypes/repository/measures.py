"""All SQL for measures, their data points and the predictions of cycles. Accepts and returns
the dataclasses of ``prototypes.measures.model``; every write is one transaction."""
from __future__ import annotations

import sqlite3

import sqlite_utils

from prototypes.measures.model import DataPoint, Measure, Prediction
from workshop.errors import ValidationError
from workshop.store.transactions import write

__all__ = ["MeasureRepository"]

_FIELDS = ("uid", "name", "unit", "direction", "goal", "how", "how_often")


def _measure(row: dict) -> Measure:
    return Measure(**{f: row[f] for f in _FIELDS}, id=row["id"], prototype_id=row["prototype_id"])


def _point(row: dict) -> DataPoint:
    return DataPoint(row["on"], row["value"], row["note"], id=row["id"],
                     measure_id=row["measure_id"])


class MeasureRepository:
    """The SQL of measures, points and predictions."""
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def _rows(self, sql: str, params=()) -> list[dict]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    # -- measures --------------------------------------------------------------------------
    def measures(self, prototype_id: int) -> list[Measure]:
        return [_measure(r) for r in self._rows(
            "SELECT * FROM prototype_measures WHERE prototype_id = ? ORDER BY position, id",
            [prototype_id])]

    def measure(self, measure_id: int) -> Measure:
        rows = self._rows("SELECT * FROM prototype_measures WHERE id = ?", [measure_id])
        if not rows:
            raise ValidationError(f"There is no measure number {measure_id}.")
        return _measure(rows[0])

    def names(self, prototype_id: int) -> list[str]:
        """Names, units and how each is collected (what the library search reads)."""
        out = []
        for r in self.db.execute("SELECT name, unit, how, how_often FROM prototype_measures "
                                 "WHERE prototype_id = ? ORDER BY position, id", [prototype_id]):
            out += [v for v in r if v]
        return out

    def add_measure(self, prototype_id: int, m: Measure) -> Measure:
        with write(self.db):
            position = self.db.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM prototype_measures "
                "WHERE prototype_id = ?", [prototype_id]).fetchone()[0]
            pk = self.db["prototype_measures"].insert(
                {f: getattr(m, f) for f in _FIELDS}
                | {"prototype_id": prototype_id, "position": position}).last_pk
        return self.measure(pk)

    def save_measure(self, m: Measure) -> Measure:
        with write(self.db):
            self.db["prototype_measures"].update(m.id, {f: getattr(m, f) for f in _FIELDS})
        return m

    def delete_measure(self, measure_id: int) -> None:
        with write(self.db):
            self.db.execute("DELETE FROM prototype_measures WHERE id = ?", [measure_id])

    def stored_rows(self, measure_id: int) -> dict:
        """A measure's rows as they are (what undoing a delete puts back, same ids)."""
        rows = self._rows("SELECT * FROM prototype_measures WHERE id = ?", [measure_id])
        if not rows:
            raise ValidationError(f"There is no measure number {measure_id}.")
        return {"measure": rows[0],
                "points": self._rows("SELECT * FROM measure_points WHERE measure_id = ?",
                                     [measure_id]),
                "predictions": self._rows("SELECT * FROM measure_predictions "
                                          "WHERE measure_id = ?", [measure_id])}

    def prototype_rows(self, prototype_id: int) -> list[dict]:
        """``stored_rows`` of every measure of a prototype."""
        return [self.stored_rows(m.id) for m in self.measures(prototype_id)]

    def restore_rows(self, stored: list[dict]) -> None:
        """Put back rows from ``stored_rows``."""
        try:
            with write(self.db):
                for s in stored:
                    self.db["prototype_measures"].insert(s["measure"])
                    for row in s["points"]:
                        self.db["measure_points"].insert(row)
                    for row in s["predictions"]:
                        self.db["measure_predictions"].insert(row)
        except sqlite3.IntegrityError:
            raise ValidationError("That measure cannot come back: its prototype is gone, or a "
                                  "measure with its number is here already.") from None

    # -- points ----------------------------------------------------------------------------
    def points(self, measure_id: int) -> list[DataPoint]:
        return [_point(r) for r in self._rows(
            'SELECT * FROM measure_points WHERE measure_id = ? ORDER BY "on", id', [measure_id])]

    def point(self, point_id: int) -> DataPoint:
        rows = self._rows("SELECT * FROM measure_points WHERE id = ?", [point_id])
        if not rows:
            raise ValidationError(f"There is no data point number {point_id}.")
        return _point(rows[0])

    def add_point(self, measure_id: int, p: DataPoint) -> DataPoint:
        row = {"on": p.on.isoformat(), "value": p.value, "note": p.note, "measure_id": measure_id}
        if p.id is not None:
            row["id"] = p.id                      # undo puts a point back under its old id
        with write(self.db):
            pk = self.db["measure_points"].insert(row).last_pk
        return self.point(pk)

    def delete_point(self, point_id: int) -> None:
        with write(self.db):
            self.db.execute("DELETE FROM measure_points WHERE id = ?", [point_id])

    # -- predictions -----------------------------------------------------------------------
    def predictions(self, measure_id: int) -> list[Prediction]:
        return [Prediction(r["cycle"], r["value"], measure_id) for r in self._rows(
            "SELECT cycle, value FROM measure_predictions WHERE measure_id = ? ORDER BY cycle",
            [measure_id])]

    def set_prediction(self, measure_id: int, cycle: int, value: float | None) -> None:
        with write(self.db):
            if value is None:
                self.db.execute("DELETE FROM measure_predictions WHERE measure_id = ? AND cycle = ?",
                                [measure_id, cycle])
            else:
                self.db.execute("INSERT INTO measure_predictions (measure_id, cycle, value) "
                                "VALUES (?, ?, ?) ON CONFLICT (measure_id, cycle) DO UPDATE "
                                "SET value = excluded.value", [measure_id, cycle, value])

    def replace_all(self, prototype_id: int, measures: list[tuple[Measure, list[DataPoint],
                                                                  list[Prediction]]]) -> None:
        """Replace every measure of a prototype (an import)."""
        with write(self.db):
            self.db.execute("DELETE FROM prototype_measures WHERE prototype_id = ?", [prototype_id])
            for m, points, predictions in measures:
                saved = self.add_measure(prototype_id, m)
                for p in points:
                    self.add_point(saved.id, DataPoint(p.on, p.value, p.note))
                for pr in predictions:
                    self.set_prediction(saved.id, pr.cycle, pr.value)
