"""Issue 13 item 16 at the call sites outside the prototype pages: the academy dialog's dates
read with a month name, and a saved grouping's time is local, not "… UTC"."""
from __future__ import annotations

from datetime import date

import pytest

from stations.setup.model import Group
from workshop.academy.model import Participant
from workshop.ui.academy.academies_page import AcademyDialog



def test_academy_dates_read_with_a_month_name(qtbot):
    dialog = AcademyDialog(None, None, today=date(2026, 12, 1))
    qtbot.addWidget(dialog)
    for edit in (dialog.start, dialog.end):
        assert edit.displayFormat() == "d MMM yyyy"
        assert edit.text() == "1 Dec 2026"


@pytest.mark.pages("grouping")
def test_saved_grouping_time_is_local(window, ctx, academy, local_zone):
    local_zone("America/New_York")                 # 09:00 UTC is 04:00 there
    people = [ctx.academies.add_participant(academy.id, Participant(name=f"Person {i}"))
              for i in range(4)]
    ctx.grouping.save(academy.id, [Group(0, "A", [p.id for p in people[:2]]),
                                   Group(1, "B", [p.id for p in people[2:]])])
    window.open_academy(academy.id)
    status = window.page("grouping").status.text()
    assert status.endswith("(kept 25 Nov 2026 04:00).")
