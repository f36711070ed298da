"""PDSA cycles on a prototype, and what changed between two of its versions (pure).

Each iteration is one Plan–Do–Study–Act cycle testing a snapshot of the prototype as it was
when the cycle started (``Prototype.snapshot``); the next cycle's plan starts from the last
one's "next change". ``diff`` compares two snapshots field by field, content and check alike,
in the order the editor shows them.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from prototypes.check import RISKS, SafeToTryCheck
from prototypes.prototype import CLASSROOM_MODELS, CONTENT_LABELS, CORE_FOUR, STATUSES, Prototype
from prototypes.values import as_date, choice
from workshop.text import clean_long
from workshop.errors import ValidationError

DECISIONS = {"": "Not decided", "adopt": "Adopt", "adapt": "Adapt", "abandon": "Abandon"}
ITERATION_LABELS = {
    # plan
    "change": "The change we will try",
    "question": "Our question",
    "prediction": "We predict",
    "measure": "How we will measure it",
    "who_where_when": "Who, where, when",
    # do
    "happened": "What happened",
    "surprises": "Surprises",
    # study
    "results": "Results against the prediction",
    # act
    "decision": "Decision",
    "next_change": "Next change",
}
PDSA_STEPS = {
    "Plan": ("change", "question", "prediction", "measure", "who_where_when"),
    "Do": ("happened", "surprises"),
    "Study": ("results",),
    "Act": ("decision", "next_change"),
}


@dataclass(frozen=True)
class Iteration:
    """One PDSA cycle: the version it tests, the plan, what happened, results and decision."""
    number: int
    started_on: date
    snapshot: dict                           # Prototype.snapshot() of the version it tests
    change: str = ""
    question: str = ""
    prediction: str = ""
    measure: str = ""
    who_where_when: str = ""
    happened: str = ""
    surprises: str = ""
    results: str = ""
    decision: str = ""
    next_change: str = ""
    finished_on: date | None = None
    id: int | None = None
    prototype_id: int | None = None

    def __post_init__(self) -> None:
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        if not isinstance(self.number, int) or isinstance(self.number, bool) or self.number < 1:
            raise ValidationError(f"An iteration number must be 1 or more (got “{self.number}”).")
        set_("started_on", as_date(self.started_on, "The start date"))
        if self.started_on is None:
            raise ValidationError("An iteration needs the date it started.")
        set_("finished_on", as_date(self.finished_on, "The end date"))
        if self.finished_on and self.finished_on < self.started_on:
            raise ValidationError(
                f"Cycle {self.number} ends ({self.finished_on:%d %b %Y}) before it starts "
                f"({self.started_on:%d %b %Y}).")
        for name, label in ITERATION_LABELS.items():
            if name != "decision":
                set_(name, clean_long(getattr(self, name), what=label))
        set_("decision", choice(self.decision or "", DECISIONS, "The decision"))
        if not isinstance(self.snapshot, dict) or "title" not in self.snapshot:
            raise ValidationError(f"Cycle {self.number} has no snapshot of the prototype it tests.")
        # A snapshot must itself be a valid prototype; rebuilding it also drops stray keys.
        set_("snapshot", Prototype.from_dict(self.snapshot).snapshot())

    def edit(self, **changes) -> Iteration:
        """A validated copy with some of the cycle's fields or dates changed."""
        allowed = set(ITERATION_LABELS) | {"started_on", "finished_on"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"These are not iteration fields: {', '.join(sorted(unknown))}.")
        return replace(self, **changes)

    def to_dict(self) -> dict:
        """The cycle as JSON-ready data, its snapshot included (the exchange shape)."""
        return {"number": self.number, "started_on": self.started_on.isoformat(),
                "finished_on": self.finished_on.isoformat() if self.finished_on else None,
                **{name: getattr(self, name) for name in ITERATION_LABELS},
                "snapshot": self.snapshot}

    @classmethod
    def from_dict(cls, data: dict, **extra) -> Iteration:
        """A cycle from ``to_dict`` data; ``extra`` sets the database ids."""
        names = {f.name for f in fields(cls)} - {"id", "prototype_id"}
        return cls(**{k: v for k, v in data.items() if k in names}, **extra)


def next_iteration(prototype: Prototype, previous: list[Iteration], today: date) -> Iteration:
    """A new PDSA cycle on the current version, its plan pre-filled from the last "next change"."""
    last = max(previous, key=lambda i: i.number, default=None)
    return Iteration(number=(last.number + 1) if last else 1, started_on=today,
                     snapshot=prototype.snapshot(), change=last.next_change if last else "")


# -- comparing versions ----------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions, as the comparison dialog shows it."""
    key: str
    label: str
    before: str
    after: str


def _flatten(snapshot: dict) -> dict[str, tuple[str, str]]:
    """key -> (label, display text) in display order."""
    out: dict[str, tuple[str, str]] = {}
    for name, label in CONTENT_LABELS.items():
        value = snapshot.get(name, "")
        if name == "model":
            value = CLASSROOM_MODELS.get(value, value)
        elif name == "model_other" and snapshot.get("model") != "other":
            value = ""
        elif name == "core_four":
            value = ", ".join(CORE_FOUR.get(e, e) for e in value or ())
        out[name] = (label, value or "")
    out["status"] = ("Status", STATUSES.get(snapshot.get("status", ""), ""))
    check = SafeToTryCheck.from_dict(snapshot.get("check") or {})
    for key, rating in check.risks.items():
        out[f"risk.{key}.level"] = (f"Risk “{RISKS[key]}”: rating", rating.level)
        out[f"risk.{key}.mitigation"] = (f"Risk “{RISKS[key]}”: mitigation", rating.mitigation)
    out["consent.date"] = ("Consent: date", check.consent_on.isoformat() if check.consent_on else "")
    out["consent.present"] = ("Consent: present", check.present)
    out["consent.no_objection"] = ("Consent: no one sees a reason it is unsafe",
                                   "yes" if check.no_objection else "no")
    out["consent.objections"] = ("Consent: objections", "\n".join(
        f"{o.text} → {o.resolution or '(open)'}" for o in check.objections))
    return out


def diff(before: dict, after: dict) -> list[FieldChange]:
    """What changed between two snapshots, field by field, in display order."""
    a, b = _flatten(before), _flatten(after)
    return [FieldChange(key, label, a[key][1], value)
            for key, (label, value) in b.items() if a[key][1] != value]
