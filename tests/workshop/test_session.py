"""The remembered session is a convenience: a hostile or missing file means "nothing
remembered", never a crash, and remembering never fails the facilitator's work."""
from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings, strategies as st

from tests.paths import ROOT
from workshop.session import Remembered, Session

HOSTILE = ROOT / "tests" / "data" / "hostile" / "session"


def test_it_remembers_per_data_file(tmp_path):
    path = tmp_path / "session.json"
    mine, other = Session(path, tmp_path / "a.sqlite"), Session(path, tmp_path / "b.sqlite")
    mine.remember(academy_id=3, joining=True)
    other.remember(academy_id=7)
    mine.remember(joining=False)
    assert mine.recall() == Remembered(academy_id=3, joining=False)
    assert other.recall() == Remembered(academy_id=7, joining=False)
    assert Session(None, tmp_path / "a.sqlite").recall() == Remembered()


def test_hostile_files_mean_nothing_remembered_and_are_replaced_cleanly(tmp_path):
    for sample in sorted(HOSTILE.iterdir()):
        path = tmp_path / sample.name
        text = sample.read_bytes().replace(b"KEY", str((tmp_path / "a.sqlite").resolve()).encode())
        path.write_bytes(text)
        session = Session(path, tmp_path / "a.sqlite")
        assert session.recall() == Remembered(), sample.name
        session.remember(academy_id=2)
        assert session.recall() == Remembered(academy_id=2), sample.name


def test_an_unwritable_place_is_ignored(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    session = Session(blocker / "session.json", tmp_path / "a.sqlite")
    session.remember(academy_id=1, joining=True)    # no exception
    assert session.recall() == Remembered()


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                           lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(entry=json_values, raw=st.binary(max_size=200))
def test_any_stored_content_recalls_sanely(tmp_path_factory, entry, raw):
    folder = Path(tmp_path_factory.mktemp("s"))
    db = folder / "a.sqlite"
    for content in (json.dumps({"files": {str(db.resolve()): entry}}).encode(), raw):
        path = folder / "session.json"
        path.write_bytes(content)
        got = Session(path, db).recall()
        assert got.academy_id is None or (type(got.academy_id) is int and got.academy_id > 0)
        assert got.joining in (True, False)
