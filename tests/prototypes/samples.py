"""Prototypes the prototype, check and PDSA tests start from."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from prototypes.check import RISKS, SafeToTryCheck
from prototypes.prototype import Prototype

DAY = date(2026, 11, 25)


def draft(**fields) -> Prototype:
    return Prototype(title="Math stations", history=({"status": "draft", "on": DAY},), **fields)


def safe_check(**overrides) -> SafeToTryCheck:
    check = SafeToTryCheck()
    for key in RISKS:
        check = check.with_risk(key, level="low", mitigation="Talk to the team weekly")
    return replace(check, consent_on=DAY, present="Ana, Bo", no_objection=True, **overrides)
