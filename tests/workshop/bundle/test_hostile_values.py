"""Bundles whose values the app would never have stored (the attacker's tryout of 1 December):
a title carrying terminal escapes (printed raw by `workshop academy import` and `academies`),
a name with a NUL or 100,000 letters, a readiness stage that does not exist. Before, each was
imported as it was — and a name too long then broke `workshop academies` on the file for good.
Now each is refused in one line and nothing stored changes; what imports, reads back."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import fuzz_settings
from tests.workshop.bundle.conftest import table_contents
from tests.workshop.bundle.test_hostile import _edited
from workshop.errors import ValidationError

FIRST = "(SELECT min(id) FROM participants)"
CASES = [
    ("escape in the title", ["UPDATE academies SET title = 'Evil' || char(27) || '[2J'",
                             "UPDATE _bundle SET value = 'Evil' || char(27) || '[2J' "
                             "WHERE key = 'title'"], "control character"),
    ("escape in the place", ["UPDATE academies SET place = 'Gym' || char(27) || ']0;x' || char(7)"],
     "control character"),
    ("NUL in a name", [f"UPDATE participants SET name = 'Zo' || char(0) || 'ë' WHERE id = {FIRST}"],
     "control character"),
    ("a C1 control in a school", [f"UPDATE participants SET school = 'A' || char(155) || '31m' "
                                  f"WHERE id = {FIRST}"], "control character"),
    ("a name of 100,000 letters", [f"UPDATE participants SET name = printf('%.100000c', 'x') "
                                   f"WHERE id = {FIRST}"], "too long"),
    ("a readiness stage that is none", [f"UPDATE participants SET readiness = 'bogus' WHERE id = {FIRST}"],
     "Readiness must be one of"),
]


@pytest.mark.parametrize("sql,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_value_the_app_would_not_store_is_refused_in_one_line(demo_bundle, ctx, tmp_path,
                                                                 sql, message):
    bundle, _, _ = demo_bundle
    path = _edited(bundle, tmp_path, *sql)
    before = table_contents(ctx.config.db_path)
    with pytest.raises(ValidationError, match=message) as refused:
        ctx.bundles.import_file(path)
    assert "\n" not in str(refused.value)
    assert table_contents(ctx.config.db_path) == before


def test_line_breaks_and_tabs_in_long_text_are_kept(demo_bundle, ctx, tmp_path):
    bundle, _, _ = demo_bundle
    path = _edited(bundle, tmp_path, "UPDATE join_reflections SET text = 'one' || char(10) || "
                   "'two' || char(9) || 'three' WHERE id = (SELECT min(id) FROM join_reflections)")
    academy_id = ctx.bundles.import_file(path).academy_id
    assert any(r.text == "one\ntwo\tthree" for r in ctx.join.reflections(academy_id, include_hidden=True))


@pytest.mark.fuzz
@fuzz_settings(30)
@given(name=st.text(max_size=90), school=st.text(max_size=30))
def test_any_name_in_a_bundle_is_refused_or_reads_back(demo_bundle, ctx, tmp_path, name, school):
    bundle, _, _ = demo_bundle
    path = tmp_path / "fuzzed.bundle"
    path.unlink(missing_ok=True)
    import shutil
    import sqlite3
    shutil.copyfile(bundle, path)
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE participants SET name = ?, school = ? WHERE id = {FIRST}", [name, school])
    conn.commit()
    conn.close()
    before = table_contents(ctx.config.db_path)
    try:
        report = ctx.bundles.import_file(path, as_title="Fuzzed")
    except ValidationError as exc:
        assert "\n" not in str(exc)
        assert table_contents(ctx.config.db_path) == before
    else:
        people = ctx.academies.participants(report.academy_id)   # reads back, whatever it holds
        assert all(not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in p.name + p.school)
                   for p in people)
        ctx.academies.delete(report.academy_id)
