"""Hostile bundle files: one clear line, and the data file unchanged (issue 16 item 1)."""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings
from tests.paths import ROOT
from tests.workshop.bundle.conftest import table_contents
from workshop.errors import ValidationError

HOSTILE = ROOT / "tests" / "data" / "hostile" / "bundles"


def _edited(bundle, tmp_path, *statements: str):
    path = tmp_path / "edited.bundle"
    shutil.copyfile(bundle, path)
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return path


CASES = [
    ("newer bundle version", ["UPDATE _bundle SET value = '99' WHERE key = 'version'"],
     "newer version"),
    ("another format", ["UPDATE _bundle SET value = 'zip' WHERE key = 'format'"], "format"),
    ("no version", ["DELETE FROM _bundle WHERE key = 'version'"], "version"),
    ("no _bundle table", ["DROP TABLE _bundle"], "no _bundle table"),
    ("newer schema", ["INSERT INTO _migrations VALUES ('workshop', 99, 'x', '2030')"],
     "newer version"),
    ("unknown area", ["INSERT INTO _migrations VALUES ('elsewhere', 1, 'x', '2030')"],
     "newer version"),
    ("a trigger of a stranger", ["CREATE TRIGGER evil AFTER INSERT ON participants BEGIN "
                                 "DELETE FROM academies; END"], "unexpected trigger"),
    ("an extra table", ["CREATE TABLE extra (x)"], "unexpected table"),
    ("a dropped index", ["DROP INDEX participants_academy"], "missing index"),
    ("two academies", ["INSERT INTO academies (title, created_at) VALUES ('B', 'x')"],
     "2 academies"),
    ("no academy", ["PRAGMA foreign_keys = ON", "DELETE FROM academies"], "0 academies"),
    ("a blob for a name", ["UPDATE participants SET name = x'00ff' WHERE id = "
                           "(SELECT min(id) FROM participants)"], "blob"),
    ("text for a number", ["UPDATE stations SET minutes = 'ten'"], "text"),
    # Found by the damaged-bundle fuzz test: a date no screen would store was a ValueError.
    ("a date that is not one", ["UPDATE academies SET end_date = ' 026-03-13'"],
     "end date ' 026-03-13' is not a date"),
    ("a broken reference", ["PRAGMA foreign_keys = OFF",
                            "UPDATE grouping_members SET participant_id = 99999 WHERE rowid = "
                            "(SELECT min(rowid) FROM grouping_members)"], "missing"),
]


@pytest.mark.parametrize("sql,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_tampered_bundle_is_refused_in_one_line(demo_bundle, ctx, tmp_path, sql, message):
    bundle, _, _ = demo_bundle
    path = _edited(bundle, tmp_path, *sql)
    before = table_contents(ctx.config.db_path)
    with pytest.raises(ValidationError, match=message) as refused:
        ctx.bundles.import_file(path)
    assert "\n" not in str(refused.value)
    assert table_contents(ctx.config.db_path) == before


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*")))
def test_the_hostile_samples_are_refused(ctx, name):
    before = table_contents(ctx.config.db_path)
    with pytest.raises(ValidationError):
        ctx.bundles.import_file(HOSTILE / name)
    assert table_contents(ctx.config.db_path) == before


def test_a_folder_and_a_missing_file_are_refused(ctx, tmp_path):
    for path in (tmp_path, tmp_path / "missing.bundle"):
        with pytest.raises(ValidationError):
            ctx.bundles.import_file(path)


@pytest.mark.fuzz
@fuzz_settings(25)
@given(cuts=st.lists(st.tuples(st.integers(0, 200_000), st.binary(min_size=1, max_size=8)),
                     min_size=1, max_size=6))
def test_a_damaged_bundle_imports_whole_or_not_at_all(demo_bundle, ctx, tmp_path, cuts):
    """Bytes overwritten anywhere: the import refuses in one line, or takes a valid bundle."""
    bundle, _, _ = demo_bundle
    data = bytearray(bundle.read_bytes())
    for offset, chunk in cuts:
        offset %= len(data)
        data[offset:offset + len(chunk)] = chunk
    path = tmp_path / "damaged.bundle"
    path.write_bytes(bytes(data))
    before = table_contents(ctx.config.db_path)
    try:
        ctx.bundles.import_file(path, as_title="Fuzzed")
    except ValidationError as exc:
        assert "\n" not in str(exc)
        assert table_contents(ctx.config.db_path) == before
    else:
        ctx.academies.find("Fuzzed")
        ctx.bundles.purge(ctx.academies.find("Fuzzed").id)
