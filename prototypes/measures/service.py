"""Measure actions, one call per user action, each saved before it returns: measures, their
data points and the cycles' predictions. Used by the editor, the handouts, the exchange and
the demo. A change to a measure counts as a change to its prototype (``updated_at``), because
measures travel with the prototype in an export."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from prototypes.measures.model import DataPoint, Measure, Prediction, as_optional_value
from prototypes.measures.series import Series, cycles_of
from prototypes.repository.measures import MeasureRepository
from workshop.errors import ValidationError
from workshop.store.transactions import write


@dataclass(frozen=True)
class DeletedMeasure:
    """A deleted measure's stored rows (points and predictions too), for undo."""
    prototype_id: int
    rows: dict


class MeasureService:
    """The measure actions of the window, the CLI and the exchange."""
    def __init__(self, repo: MeasureRepository, prototypes):
        self.repo = repo
        self.prototypes = prototypes        # prototypes.service.PrototypeService

    def _touched(self, prototype_id: int) -> None:
        self.prototypes.repo.touch(prototype_id, self.prototypes._stamp())

    def _changed(self, prototype_id: int) -> None:
        """Stamp the prototype and refresh its search text (names are searchable)."""
        self._touched(prototype_id)
        self.prototypes.repo.reindex(prototype_id)

    # -- reading ---------------------------------------------------------------------------
    def measures(self, prototype_id: int) -> list[Measure]:
        """A prototype's measures in the order they were added."""
        return self.repo.measures(prototype_id)

    def measure(self, measure_id: int) -> Measure:
        """One measure."""
        return self.repo.measure(measure_id)

    def points(self, measure_id: int) -> list[DataPoint]:
        """A measure's points by date."""
        return self.repo.points(measure_id)

    def predictions(self, measure_id: int) -> list[Prediction]:
        """What each cycle predicted for a measure."""
        return self.repo.predictions(measure_id)

    def series(self, measure_id: int) -> Series:
        """Everything a chart of the measure needs: points, cycles, predictions."""
        m = self.repo.measure(measure_id)
        return Series(m, self.repo.points(measure_id),
                      cycles_of(self.prototypes.iterations(m.prototype_id)),
                      self.repo.predictions(measure_id))

    def all_series(self, prototype_id: int, iterations: list | None = None) -> list[Series]:
        """The series of every measure of a prototype (the handouts); ``iterations``: the
        prototype's cycles when the caller has just read them (the pack reads them once)."""
        if iterations is None:
            iterations = self.prototypes.iterations(prototype_id)
        cycles = cycles_of(iterations)
        return [Series(m, self.repo.points(m.id), cycles, self.repo.predictions(m.id))
                for m in self.repo.measures(prototype_id)]

    # -- measures --------------------------------------------------------------------------
    def add_measure(self, prototype_id: int, name: str, **fields) -> Measure:
        """A new measure of a prototype."""
        self.prototypes.get(prototype_id)       # a clear error for an unknown prototype
        m = Measure(name=name, uid=fields.pop("uid", "") or secrets.token_hex(8), **fields)
        with write(self.repo.db):
            m = self.repo.add_measure(prototype_id, m)
            self._changed(prototype_id)
        return m

    def update_measure(self, measure_id: int, **changes) -> Measure:
        """Change some fields of a measure; validated, saved at once."""
        m = self.repo.measure(measure_id)
        new = m.edit(**changes)
        if new != m:
            with write(self.repo.db):
                self.repo.save_measure(new)
                self._changed(m.prototype_id)
        return new

    def delete_measure(self, measure_id: int) -> DeletedMeasure:
        """Remove a measure with its points and predictions; ``restore_measure`` undoes it."""
        m = self.repo.measure(measure_id)
        with write(self.repo.db):
            rows = self.repo.stored_rows(measure_id)
            self.repo.delete_measure(measure_id)
            self._changed(m.prototype_id)
        return DeletedMeasure(m.prototype_id, rows)

    def restore_measure(self, deleted: DeletedMeasure) -> Measure:
        """Put a deleted measure back as it was."""
        with write(self.repo.db):
            self.repo.restore_rows([deleted.rows])
            self._changed(deleted.prototype_id)
        return self.repo.measure(deleted.rows["measure"]["id"])

    # -- points ----------------------------------------------------------------------------
    def add_point(self, measure_id: int, value: object, on: date | str | None = None,
                  note: str = "") -> DataPoint:
        """A new data point (dated today unless ``on`` says otherwise)."""
        m = self.repo.measure(measure_id)
        p = DataPoint(on or self.prototypes._today(), value, note)  # type: ignore[arg-type]
        with write(self.repo.db):
            p = self.repo.add_point(measure_id, p)
            self._touched(m.prototype_id)
        return p

    def delete_point(self, point_id: int) -> DataPoint:
        """Remove a data point; returns it so that ``restore_point`` can put it back."""
        p = self.repo.point(point_id)
        m = self.repo.measure(p.measure_id)
        with write(self.repo.db):
            self.repo.delete_point(point_id)
            self._touched(m.prototype_id)
        return p

    def restore_point(self, point: DataPoint) -> DataPoint:
        """Put back a deleted point under its old id (undo of ``delete_point``)."""
        m = self.repo.measure(point.measure_id)
        with write(self.repo.db):
            p = self.repo.add_point(point.measure_id, point)
            self._touched(m.prototype_id)
        return p

    # -- predictions -----------------------------------------------------------------------
    def set_prediction(self, measure_id: int, cycle: int, value: object) -> float | None:
        """What cycle ``cycle`` predicts for the measure (empty = no prediction); returns the
        previous value, for undo."""
        m = self.repo.measure(measure_id)
        if not any(it.number == cycle for it in self.prototypes.iterations(m.prototype_id)):
            raise ValidationError(f"There is no cycle {cycle} to predict for.")
        number = as_optional_value(value, "The predicted value")
        old = next((p.value for p in self.repo.predictions(measure_id) if p.cycle == cycle), None)
        if number != old:
            with write(self.repo.db):
                self.repo.set_prediction(measure_id, cycle, number)
                self._touched(m.prototype_id)
        return old
