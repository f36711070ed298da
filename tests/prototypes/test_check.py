"""The safe-to-try check: what blocks trying, and what is only a reminder."""
from __future__ import annotations

from dataclasses import replace

import pytest

from prototypes.check import Objection
from tests.prototypes.samples import DAY, draft, safe_check
from workshop.errors import ValidationError

def test_high_risk_without_mitigation_blocks_trying_and_names_the_risk():
    p = draft(check=safe_check().with_risk("devices", level="high", mitigation=""))
    with pytest.raises(ValidationError) as err:
        p.move_to("trying", DAY)
    assert "Devices and tools" in str(err.value) and "no mitigation" in str(err.value)
    # A mitigation makes it safe to try even though the risk stays high.
    p = replace(p, check=p.check.with_risk("devices", mitigation="Borrow the cart"))
    assert p.check.risks["devices"].level == "high"
    assert p.move_to("trying", DAY).status == "trying"


def test_open_objection_blocks_trying_until_resolved():
    p = draft(check=safe_check(objections=(Objection("Parents were not told"),)))
    reasons = p.can_move_to("trying")
    assert reasons == ["Objection 1 (“Parents were not told”) is still open: write how it was "
                       "resolved."]
    resolved = replace(p, check=replace(p.check, objections=(
        Objection("Parents were not told", "Letter home on Monday"),)))
    assert resolved.can_move_to("trying") == []


def test_both_blockers_are_reported_together():
    check = safe_check(objections=(Objection("Too soon"),)).with_risk("why", level="high",
                                                                       mitigation="")
    assert len(draft(check=check).check.blockers()) == 2


def test_unrated_risks_and_missing_consent_are_reminders_not_blockers():
    p = draft()
    assert p.can_move_to("trying") == []
    assert any("Not rated yet" in r for r in p.check.reminders())
