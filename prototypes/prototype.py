"""A safe-to-try prototype: a team's classroom model, its content and its status (pure).

A prototype's *content* (everything a team writes, ``CONTENT_LABELS``) is what an iteration
snapshots and what two versions are compared on (``prototypes.pdsa``); ids, timestamps and the
status history are bookkeeping around it. Its status moves along ``TRANSITIONS``, and into
*trying* only once its safe-to-try check has no blockers (``prototypes.check``). Everything here
validates on construction, so a value that exists is a value that may be saved.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date

from prototypes.check import SafeToTryCheck
from prototypes.values import MAX_LONG, MAX_SHORT, MAX_TITLE, as_date, choice
from workshop.text import clean_long
from workshop.errors import ValidationError
from workshop.text import clean_text

CLASSROOM_MODELS = {
    "station_rotation": "Station rotation",
    "whole_group_rotation": "Whole-group rotation",
    "lab_rotation": "Lab rotation",
    "flex": "Flex",
    "individual_playlist": "Individual playlist",
    "flipped": "Flipped classroom",
    "other": "Other",
}
CORE_FOUR = {
    "flexible_content": "Flexible content and tools",
    "targeted_instruction": "Targeted instruction",
    "data_driven": "Data-driven decisions",
    "reflection_ownership": "Student reflection and ownership",
}
STATUSES = {
    "draft": "Draft",
    "trying": "Trying",
    "iterating": "Iterating",
    "adopted": "Adopted",
    "adapted": "Adapted",
    "retired": "Retired",
}
# Where a prototype may go next. Back to draft is allowed from trying (rework before a first
# test) and from retired (revive an idea); adopted/adapted models can be iterated on again.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("trying", "retired"),
    "trying": ("iterating", "adopted", "adapted", "retired", "draft"),
    "iterating": ("adopted", "adapted", "retired"),
    "adopted": ("iterating", "retired"),
    "adapted": ("iterating", "retired"),
    "retired": ("draft",),
}


@dataclass(frozen=True)
class StatusChange:
    """A status a prototype entered, and the day it did."""
    status: str
    on: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", choice(self.status, STATUSES, "A status"))
        object.__setattr__(self, "on", as_date(self.on, "The date of a status change"))
        if self.on is None:
            raise ValidationError("A status change needs a date.")


# The content fields a team writes, in the order the editor, the PDF and a diff show them.
CONTENT_LABELS = {
    "title": "Title",
    "team": "Team (school)",
    "why": "Problem and why it matters",
    "students": "Students and their needs",
    "model": "Classroom model",
    "model_other": "Classroom model (other)",
    "core_four": "Core Four elements",
    "teachers_more": "Teachers do more of",
    "teachers_less": "Teachers do less of",
    "success_measures": "Early signs of success",
    "resources": "Resources and devices",
    "owner": "Owner",
}
_SHORT_FIELDS = {"title", "team", "owner", "model_other"}


@dataclass(frozen=True)
class Prototype:
    """A team's safe-to-try classroom model: what they wrote, its status and its check."""
    title: str
    team: str = ""
    why: str = ""
    students: str = ""
    model: str = "station_rotation"
    model_other: str = ""
    core_four: tuple = ()
    teachers_more: str = ""
    teachers_less: str = ""
    success_measures: str = ""
    resources: str = ""
    owner: str = ""
    status: str = "draft"
    history: tuple = ()                      # StatusChange, oldest first
    check: SafeToTryCheck = field(default_factory=SafeToTryCheck)
    uid: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: str = ""                     # ISO 8601 with offset, to the second
    updated_at: str = ""
    id: int | None = None
    academy_id: int | None = None

    def __post_init__(self) -> None:
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        set_("title", clean_text(self.title, limit=MAX_TITLE, what="The title"))
        if not self.title:
            raise ValidationError("A prototype needs a title (a few words a colleague would "
                                  "recognise, e.g. “Math stations in grade 5”).")
        for name in CONTENT_LABELS:
            if name in ("title", "model", "core_four"):
                continue
            cleaner = clean_text if name in _SHORT_FIELDS else clean_long
            set_(name, cleaner(getattr(self, name), limit=MAX_SHORT if name in _SHORT_FIELDS
                               else MAX_LONG, what=CONTENT_LABELS[name]))
        set_("model", choice(self.model or "station_rotation", CLASSROOM_MODELS,
                             "The classroom model"))
        # model_other is kept when another model is chosen (switching back, or undo, finds
        # the text again); it only counts while the model is "other" (model_label, diff).
        elements = set()
        for e in self.core_four:
            elements.add(choice(e, CORE_FOUR, "A Core Four element"))
        set_("core_four", tuple(k for k in CORE_FOUR if k in elements))
        set_("status", choice(self.status, STATUSES, "The status"))
        set_("history", tuple(h if isinstance(h, StatusChange) else StatusChange(**h)
                              for h in self.history))
        if not isinstance(self.check, SafeToTryCheck):
            set_("check", SafeToTryCheck.from_dict(self.check))
        try:
            set_("uid", str(uuid.UUID(str(self.uid))))
        except ValueError:
            raise ValidationError(f"“{self.uid}” is not a valid prototype id (a UUID).") from None
        if self.history and self.history[-1].status != self.status:
            raise ValidationError(f"The status history ends in “{self.history[-1].status}” but "
                                  f"the status is “{self.status}”.")

    @property
    def model_label(self) -> str:
        """The classroom model as a person reads it (the team's own name for "other")."""
        if self.model == "other":
            return self.model_other or "Other"
        return CLASSROOM_MODELS[self.model]

    @property
    def status_label(self) -> str:
        """The status as a person reads it ("Trying")."""
        return STATUSES[self.status]

    def edit(self, **changes) -> Prototype:
        """A validated copy with some content fields changed (nothing else may change here)."""
        unknown = set(changes) - set(CONTENT_LABELS)
        if unknown:
            raise ValidationError(f"These are not prototype fields: {', '.join(sorted(unknown))}.")
        return replace(self, **changes)

    # -- status ------------------------------------------------------------------------------
    def can_move_to(self, status: str) -> list[str]:
        """Reasons the move is refused; empty when allowed."""
        status = choice(status, STATUSES, "The status")
        if status == self.status:
            return [f"The prototype is already “{STATUSES[status]}”."]
        allowed = TRANSITIONS[self.status]
        if status not in allowed:
            nexts = " or ".join(f"“{STATUSES[s]}”" for s in allowed)
            return [f"A prototype that is “{STATUSES[self.status]}” can move to {nexts}, "
                    f"not to “{STATUSES[status]}”."]
        if status == "trying":
            return self.check.blockers()
        return []

    def move_to(self, status: str, on: date) -> Prototype:
        """A copy in the new status, the change recorded; refused with the reasons if not allowed."""
        reasons = self.can_move_to(status)
        if reasons:
            raise ValidationError(f"Cannot move “{self.title}” to “{STATUSES.get(status, status)}”: "
                                  + " ".join(reasons))
        return replace(self, status=status, history=self.history + (StatusChange(status, on),))

    def revert_status(self) -> Prototype:
        """Undo the last status change (for the editor's undo; no rules apply going back)."""
        if len(self.history) < 2:
            raise ValidationError("There is no earlier status to go back to.")
        history = self.history[:-1]
        return replace(self, status=history[-1].status, history=history)

    # -- versions ----------------------------------------------------------------------------
    def snapshot(self) -> dict:
        """The content a team wrote, plus status and check: what an iteration tests."""
        data = {name: getattr(self, name) for name in CONTENT_LABELS}
        data["core_four"] = list(self.core_four)
        data["status"] = self.status
        data["check"] = self.check.to_dict()
        return data

    def to_dict(self) -> dict:
        """The prototype as JSON-ready data: its snapshot, uid, stamps and status history."""
        return {**self.snapshot(), "uid": self.uid, "created_at": self.created_at,
                "updated_at": self.updated_at,
                "history": [{"status": h.status, "on": h.on.isoformat()} for h in self.history]}

    @classmethod
    def from_dict(cls, data: dict, **extra) -> Prototype:
        """A prototype from ``to_dict`` data; ``extra`` sets the database ids."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names and k not in ("id", "academy_id")}
        values["core_four"] = tuple(data.get("core_four") or ())
        values["history"] = tuple(StatusChange(**h) for h in data.get("history") or ())
        values["check"] = SafeToTryCheck.from_dict(data.get("check") or {})
        return cls(**values, **extra)


@dataclass(frozen=True)
class PrototypeSummary:
    """One row of the library: what a facilitator scans, without the long texts."""
    id: int
    academy_id: int
    academy_title: str
    title: str
    team: str
    status: str
    model: str
    model_other: str
    core_four: tuple
    owner: str
    iterations: int
    updated_at: str

    @property
    def model_label(self) -> str:
        """The classroom model as a person reads it."""
        return (self.model_other or "Other") if self.model == "other" else CLASSROOM_MODELS.get(
            self.model, self.model)
