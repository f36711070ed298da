"""Issue 13 item 13: "Safe to try" is green only when the check is complete: all six risks
rated, every high one mitigated, consent held (a date, no open objection, no one objecting)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea

from prototypes.check import RISK_LEVELS, RISKS, Objection, SafeToTryCheck
from prototypes.ui.page import PrototypesPage
from tests.prototypes.samples import DAY, safe_check
from workshop.ui.theme import GOOD


@pytest.mark.parametrize("check, missing", [
    (SafeToTryCheck(), ["None of the six risks is rated yet", "No consent check recorded",
                        "Consent is not recorded"]),
    (safe_check(), []),
    (safe_check().with_risk("why", level=""), ["One risk is not rated yet: No clear “why”."]),
    (safe_check().with_risk("why", level="").with_risk("devices", level=""),
     ["2 risks are not rated yet"]),
    (safe_check().with_risk("devices", level="high", mitigation=""), ["has no mitigation"]),
    (safe_check().with_risk("devices", level="high", mitigation="Borrow the cart"), []),
    (replace(safe_check(), consent_on=None), ["No consent check recorded"]),
    (replace(safe_check(), no_objection=False), ["Consent is not recorded"]),
    (safe_check(objections=(Objection("Too soon"),)), ["Objection 1"]),
    (safe_check(objections=(Objection("Too soon", "Start in March"),)), []),
])
def test_what_is_missing_before_safe_to_try(check, missing):
    found = check.missing()
    assert len(found) == len(missing), found
    for reason, expected in zip(found, missing):
        assert expected in reason
    assert check.is_safe_to_try is (not missing)


def test_blockers_come_first_and_stay_the_gate():
    check = SafeToTryCheck().with_risk("why", level="high")
    assert check.missing()[0] == check.blockers()[0]
    assert not SafeToTryCheck().blockers()   # moving to Trying is still gated by blockers alone


risk = st.tuples(st.sampled_from(RISK_LEVELS), st.sampled_from(["", "Borrow the cart"]))
checks = st.builds(
    lambda risks, on, no_objection, objections: SafeToTryCheck(
        risks={k: {"level": lv, "mitigation": m} for k, (lv, m) in zip(RISKS, risks)},
        consent_on=on, no_objection=no_objection, objections=objections),
    st.lists(risk, min_size=6, max_size=6), st.sampled_from([None, DAY]), st.booleans(),
    st.lists(st.builds(Objection, st.sampled_from(["", "Too soon"]),
                       st.sampled_from(["", "Start in March"])), max_size=2).map(tuple))


@settings(max_examples=300, deadline=None)
@given(checks)
def test_green_exactly_when_rated_mitigated_and_consented(check):
    rule = (all(r.level for r in check.risks.values())
            and all(r.mitigation for r in check.risks.values() if r.level == "high")
            and check.consent_on is not None and check.no_objection
            and not any(o.is_open for o in check.objections))
    assert check.is_safe_to_try is rule
    assert set(check.blockers()) <= set(check.missing())


# -- the view -------------------------------------------------------------------------------
@pytest.fixture
def view(qtbot, ctx, academy):
    page = PrototypesPage(ctx.prototypes, ctx.academies)
    qtbot.addWidget(page)
    page.set_academy(academy.id)
    page.resize(1200, 800)
    page.show()
    proto = ctx.prototypes.create(academy.id, "Math stations", team="Lincoln Elementary")
    page.open_prototype(proto.id)
    page.editor.tabs.setCurrentWidget(page.editor.check_view)   # its tab, as a person opens it
    qtbot.waitExposed(page)
    return page.editor.check_view


def is_green(view) -> bool:
    return view.safe and GOOD.lower() in view.summary.styleSheet().lower()


def test_an_empty_check_is_not_green_and_says_what_is_missing(view):
    assert not is_green(view)
    text = view.summary.text()
    assert text.startswith("Not yet safe to try")
    assert "None of the six risks is rated yet" in text and "No consent check" in text
    assert "do not stop a move to Trying" in view.reminders.text()


def test_rating_every_risk_and_recording_consent_turns_it_green(view, qtbot):
    for level, _mitigation in view.risk_widgets.values():
        level.setFocus()
        level.setCurrentIndex(level.findData("medium"))
    assert not is_green(view) and "not rated" not in view.summary.text()
    for box in (view.consent_date.check, view.no_objection):
        view.findChild(QScrollArea).ensureWidgetVisible(box)
        assert not is_green(view)
        # On the box itself: a wide check box toggles only where its indicator and text are.
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        assert box.isChecked()
    assert is_green(view), view.summary.text()
    assert view.summary.text().startswith("Safe to try")

    level, mitigation = view.risk_widgets["devices"]
    level.setCurrentIndex(level.findData("high"))      # high with no mitigation: not green
    assert not is_green(view) and "has no mitigation" in view.summary.text()
    qtbot.keyClicks(mitigation, "Borrow the library cart")
    mitigation.editingFinished.emit()
    assert is_green(view)


def test_the_printed_prototype_says_what_is_missing_too():
    from prototypes.handouts.models import build_prototype_print
    from tests.prototypes.samples import draft
    empty = build_prototype_print(draft(), [], "Spring Academy")
    assert any("rated yet" in line for line in empty.blockers)
    assert any("consent" in line.casefold() for line in empty.blockers)
    assert build_prototype_print(draft(check=safe_check()), [], "Spring Academy").blockers == []
