"""Set time… is a boundary: whatever is typed, the time is set or a one-line message says why,
never an exception, and a refusal changes nothing stored."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from tests.fakes import FakeDialogs

pytestmark = pytest.mark.pages("rotation")


def test_anything_typed_into_set_time(window, ctx, academy, monkeypatch, clock):
    answers = FakeDialogs().install(monkeypatch)
    window.open_academy(academy.id)
    page = window.page("rotation")
    messages: list[str] = []
    page.notified.connect(messages.append)
    page.start()

    @settings(max_examples=150, deadline=None)
    @given(st.one_of(st.text(max_size=20), st.from_regex(r"\d{1,6}(:\d{1,3}){0,3}", fullmatch=True),
                     st.sampled_from(["", " ", "0", "-5", "1e9", "٣", "7:30", "99999999", "nan"])))
    def typed(text):
        before = ctx.rotation.events(academy.id)
        messages.clear()
        answers.queue("ask_text", text)
        page.set_time()
        after = ctx.rotation.events(academy.id)
        if len(after) == len(before):
            assert text.strip() == "" or (len(messages) == 1 and "\n" not in messages[0]), text
        else:
            assert after[-1].kind == "set" and messages == []
            assert 0 < ctx.rotation.snapshot(academy.id).remaining_s <= 6 * 3600

    typed()
