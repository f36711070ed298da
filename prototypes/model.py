"""Safe-to-try prototypes, their safe-to-try check and PDSA iterations (pure, no Qt, no SQL).

A prototype is a team's classroom model. Its *content* (everything a team writes) is what an
iteration snapshots and what two versions are compared on; ids, timestamps and the status
history are bookkeeping around it. Everything here validates on construction, so a value that
exists is a value that may be saved; ``ValidationError`` messages are written for the person
who typed the bad value.
"""
from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime

from workshop.academy.model import ValidationError, clean_text

# -- vocabulary ------------------------------------------------------------------------------
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
RISKS = {
    "why": "No clear “why”",
    "curriculum": "Misfit with the current curriculum",
    "capacity": "No capacity to carry it on",
    "starting_point": "Wrong place to start",
    "communication": "People not told",
    "devices": "Devices and tools that don’t fit",
}
RISK_LEVELS = ("", "low", "medium", "high")  # "" = not rated yet
DECISIONS = {"": "Not decided", "adopt": "Adopt", "adapt": "Adapt", "abandon": "Abandon"}

MAX_TITLE = 120
MAX_SHORT = 200
MAX_LONG = 4000

_CONTROL_KEEP_LINES = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def clean_long(value: object, *, limit: int = MAX_LONG, what: str = "Text") -> str:
    """Like ``clean_text`` but keeps line breaks: these fields are paragraphs and lists."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_KEEP_LINES.sub("", unicodedata.normalize("NFC", text))
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n ")
    if len(text) > limit:
        raise ValidationError(f"{what} is too long ({len(text)} characters; at most {limit}).")
    return text


def _choice(value: object, allowed, what: str) -> str:
    key = clean_text(value).lower().replace(" ", "_").replace("-", "_")
    if key not in allowed:
        names = ", ".join(k for k in allowed if k) or "none"
        raise ValidationError(f"{what} must be one of {names} (got “{value}”).")
    return key


def _as_date(value: object, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{what} must be a date like 2026-11-25 (got “{value}”).") from None


# -- safe-to-try check -----------------------------------------------------------------------
@dataclass(frozen=True)
class RiskRating:
    level: str = ""
    mitigation: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", _choice(self.level or "", RISK_LEVELS, "A risk rating"))
        object.__setattr__(self, "mitigation", clean_long(self.mitigation, limit=MAX_SHORT * 5,
                                                          what="A mitigation"))


@dataclass(frozen=True)
class Objection:
    """A reason someone gave why it is unsafe to try; open until its resolution is written."""
    text: str
    resolution: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean_long(self.text, limit=MAX_SHORT * 5,
                                                    what="An objection"))
        object.__setattr__(self, "resolution", clean_long(self.resolution, limit=MAX_SHORT * 5,
                                                          what="A resolution"))

    @property
    def is_open(self) -> bool:
        return bool(self.text) and not self.resolution  # a blank row is no objection yet


@dataclass(frozen=True)
class SafeToTryCheck:
    risks: dict = field(default_factory=dict)       # risk key -> RiskRating (all six present)
    consent_on: date | None = None
    present: str = ""                                # who was in the room, as typed
    no_objection: bool = False                       # "no one sees a reason it is unsafe to try"
    objections: tuple = ()                           # Objection, in the order raised

    def __post_init__(self) -> None:
        unknown = set(self.risks) - set(RISKS)
        if unknown:
            raise ValidationError(f"Unknown rollout risk(s): {', '.join(sorted(unknown))}; the six "
                                  f"risks are {', '.join(RISKS)}.")
        risks = {k: self.risks.get(k) or RiskRating() for k in RISKS}
        risks = {k: v if isinstance(v, RiskRating) else RiskRating(**v) for k, v in risks.items()}
        object.__setattr__(self, "risks", risks)
        object.__setattr__(self, "consent_on", _as_date(self.consent_on, "The consent date"))
        object.__setattr__(self, "present", clean_long(self.present, limit=MAX_SHORT * 5,
                                                       what="Who was present"))
        object.__setattr__(self, "objections", tuple(
            o if isinstance(o, Objection) else Objection(**o) for o in self.objections))
        object.__setattr__(self, "no_objection", bool(self.no_objection))

    def with_risk(self, key: str, *, level: str | None = None,
                  mitigation: str | None = None) -> SafeToTryCheck:
        if key not in RISKS:
            raise ValidationError(f"There is no rollout risk called “{key}”.")
        old = self.risks[key]
        new = RiskRating(old.level if level is None else level,
                         old.mitigation if mitigation is None else mitigation)
        return replace(self, risks={**self.risks, key: new})

    def blockers(self) -> list[str]:
        """Why this prototype may not move to ``trying`` yet (empty: safe to try)."""
        reasons = [f"The risk “{RISKS[k]}” is rated high and has no mitigation yet."
                   for k, r in self.risks.items() if r.level == "high" and not r.mitigation]
        reasons += [f"Objection {i} (“{_short(o.text)}”) is still open: write how it was resolved."
                    for i, o in enumerate(self.objections, start=1) if o.is_open]
        return reasons

    def reminders(self) -> list[str]:
        """Gaps worth a look that do not block trying."""
        notes = []
        unrated = [RISKS[k] for k, r in self.risks.items() if not r.level]
        if unrated:
            notes.append(f"Not rated yet: {', '.join(unrated)}.")
        if not self.consent_on:
            notes.append("No consent check recorded yet (date, who was present, objections).")
        return notes

    def to_dict(self) -> dict:
        return {
            "risks": {k: {"level": r.level, "mitigation": r.mitigation} for k, r in self.risks.items()},
            "consent": {"date": self.consent_on.isoformat() if self.consent_on else None,
                        "present": self.present, "no_objection": self.no_objection,
                        "objections": [{"text": o.text, "resolution": o.resolution}
                                       for o in self.objections]},
        }

    @classmethod
    def from_dict(cls, data: dict) -> SafeToTryCheck:
        consent = data.get("consent") or {}
        return cls(risks={k: RiskRating(**v) for k, v in (data.get("risks") or {}).items()},
                   consent_on=consent.get("date"), present=consent.get("present", ""),
                   no_objection=consent.get("no_objection", False),
                   objections=tuple(Objection(**o) for o in consent.get("objections", [])))


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# -- prototype -------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatusChange:
    status: str
    on: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", _choice(self.status, STATUSES, "A status"))
        object.__setattr__(self, "on", _as_date(self.on, "The date of a status change"))
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
        set_("model", _choice(self.model or "station_rotation", CLASSROOM_MODELS,
                              "The classroom model"))
        # model_other is kept when another model is chosen (switching back, or undo, finds
        # the text again); it only counts while the model is "other" (model_label, diff).
        elements = set()
        for e in self.core_four:
            elements.add(_choice(e, CORE_FOUR, "A Core Four element"))
        set_("core_four", tuple(k for k in CORE_FOUR if k in elements))
        set_("status", _choice(self.status, STATUSES, "The status"))
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
        if self.model == "other":
            return self.model_other or "Other"
        return CLASSROOM_MODELS[self.model]

    @property
    def status_label(self) -> str:
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
        status = _choice(status, STATUSES, "The status")
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
        return {**self.snapshot(), "uid": self.uid, "created_at": self.created_at,
                "updated_at": self.updated_at,
                "history": [{"status": h.status, "on": h.on.isoformat()} for h in self.history]}

    @classmethod
    def from_dict(cls, data: dict, **extra) -> Prototype:
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
        return (self.model_other or "Other") if self.model == "other" else CLASSROOM_MODELS.get(
            self.model, self.model)


# -- iterations ------------------------------------------------------------------------------
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
        set_("started_on", _as_date(self.started_on, "The start date"))
        if self.started_on is None:
            raise ValidationError("An iteration needs the date it started.")
        set_("finished_on", _as_date(self.finished_on, "The end date"))
        if self.finished_on and self.finished_on < self.started_on:
            raise ValidationError(
                f"Cycle {self.number} ends ({self.finished_on:%d %b %Y}) before it starts "
                f"({self.started_on:%d %b %Y}).")
        for name, label in ITERATION_LABELS.items():
            if name != "decision":
                set_(name, clean_long(getattr(self, name), what=label))
        set_("decision", _choice(self.decision or "", DECISIONS, "The decision"))
        if not isinstance(self.snapshot, dict) or "title" not in self.snapshot:
            raise ValidationError(f"Cycle {self.number} has no snapshot of the prototype it tests.")
        # A snapshot must itself be a valid prototype; rebuilding it also drops stray keys.
        set_("snapshot", Prototype.from_dict(self.snapshot).snapshot())

    def edit(self, **changes) -> Iteration:
        allowed = set(ITERATION_LABELS) | {"started_on", "finished_on"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"These are not iteration fields: {', '.join(sorted(unknown))}.")
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {"number": self.number, "started_on": self.started_on.isoformat(),
                "finished_on": self.finished_on.isoformat() if self.finished_on else None,
                **{name: getattr(self, name) for name in ITERATION_LABELS},
                "snapshot": self.snapshot}

    @classmethod
    def from_dict(cls, data: dict, **extra) -> Iteration:
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
