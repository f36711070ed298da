"""The safe-to-try check: six rollout risks rated and mitigated, and a consent round (pure).

A prototype may move to *trying* only when no high risk is left without a mitigation and every
objection raised in the consent round has its resolution written (``SafeToTryCheck.blockers``).
Gaps that do not block, such as unrated risks, are ``reminders``. The check is *shown* safe to
try (green) only when it is complete (``SafeToTryCheck.missing`` is empty): all six risks
rated, every high one mitigated, and consent held (a date, no open objection, "no one sees a
reason it is unsafe" ticked).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from prototypes.values import MAX_SHORT, as_bool, as_date, choice
from workshop.text import clean_long
from workshop.errors import ValidationError
from workshop.text import plural

RISKS = {
    "why": "No clear “why”",
    "curriculum": "Misfit with the current curriculum",
    "capacity": "No capacity to carry it on",
    "starting_point": "Wrong place to start",
    "communication": "People not told",
    "devices": "Devices and tools that don’t fit",
}
RISK_LEVELS = ("", "low", "medium", "high")  # "" = not rated yet


@dataclass(frozen=True)
class RiskRating:
    """How one rollout risk is rated ("" until someone rates it) and what mitigates it."""
    level: str = ""
    mitigation: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", choice(self.level or "", RISK_LEVELS, "A risk rating"))
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
    """The six rollout risks and the consent round a prototype passes before it is tried."""
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
        object.__setattr__(self, "consent_on", as_date(self.consent_on, "The consent date"))
        object.__setattr__(self, "present", clean_long(self.present, limit=MAX_SHORT * 5,
                                                       what="Who was present"))
        object.__setattr__(self, "objections", tuple(
            o if isinstance(o, Objection) else Objection(**o) for o in self.objections))
        object.__setattr__(self, "no_objection", as_bool(self.no_objection,
                                                         "“No one sees a reason it is unsafe”"))

    def with_risk(self, key: str, *, level: str | None = None,
                  mitigation: str | None = None) -> SafeToTryCheck:
        """A copy with one risk's rating and/or mitigation changed."""
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

    def missing(self) -> list[str]:
        """What still stands between this check and "Safe to try", blockers first; empty
        only when all six risks are rated, each high one has a mitigation and consent is held."""
        reasons = self.blockers()
        unrated = [RISKS[k] for k, r in self.risks.items() if not r.level]
        if unrated:
            if len(unrated) == len(RISKS):   # "All six risks are not rated" read as "some are"
                reasons.append(f"None of the six risks is rated yet: {', '.join(unrated)}.")
            else:
                count = "One risk is" if len(unrated) == 1 else f"{plural(len(unrated), 'risk')} are"
                reasons.append(f"{count} not rated yet: {', '.join(unrated)}.")
        if self.consent_on is None:
            reasons.append("No consent check recorded yet: the date it was held.")
        if not self.no_objection:
            reasons.append("Consent is not recorded: tick “No one sees a reason this is unsafe "
                           "to try” once no one objects.")
        return reasons

    @property
    def is_safe_to_try(self) -> bool:
        """Complete and clear: what the green "Safe to try" means."""
        return not self.missing()

    def to_dict(self) -> dict:
        """The check as JSON-ready data, risks and consent round (the exchange shape)."""
        return {
            "risks": {k: {"level": r.level, "mitigation": r.mitigation} for k, r in self.risks.items()},
            "consent": {"date": self.consent_on.isoformat() if self.consent_on else None,
                        "present": self.present, "no_objection": self.no_objection,
                        "objections": [{"text": o.text, "resolution": o.resolution}
                                       for o in self.objections]},
        }

    @classmethod
    def from_dict(cls, data: dict) -> SafeToTryCheck:
        """A check from ``to_dict`` data; missing risks are unrated."""
        consent = data.get("consent") or {}
        return cls(risks={k: RiskRating(**v) for k, v in (data.get("risks") or {}).items()},
                   consent_on=consent.get("date"), present=consent.get("present", ""),
                   no_objection=consent.get("no_objection", False),
                   objections=tuple(Objection(**o) for o in consent.get("objections", [])))


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
