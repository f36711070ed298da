"""Every hostile data file in tests/data/hostile/databases/ (made from a valid one by
make_files.py there): `workshop academies` shows what can be read or says in one line why not,
and `academy create` is refused in one line without writing into the file."""
from __future__ import annotations

import pytest

from tests.workshop.store.helpers import HOSTILE, content, copy_case, run

NOT_A_DATABASE = "is not a Design Academy Studio database"
DAMAGED = "is damaged"
# file -> (what `academies` may do: "lists" with a warning, or "refused"; the reason)
CASES = {
    "header-garbage.sqlite": ("refused", NOT_A_DATABASE),
    "not-sqlite.sqlite": ("refused", NOT_A_DATABASE),
    "zeros.sqlite": ("refused", NOT_A_DATABASE),
    "header-page-size.sqlite": ("refused", DAMAGED),
    "truncated-half.sqlite": ("refused", DAMAGED),
    "truncated-one-page.sqlite": ("refused", DAMAGED),
    "truncated-to-header.sqlite": ("refused", DAMAGED),
    "page-corrupted.sqlite": ("refused", DAMAGED),
    "page-header-corrupted.sqlite": ("refused", DAMAGED),
    "schema-page-corrupted.sqlite": ("refused", DAMAGED),
    "text-not-utf8.sqlite": ("refused", DAMAGED),
    "schema-column-renamed.sqlite": ("refused", "its table “academies” has no column “facilitator”"),
    "foreign-wal.sqlite": ("lists", "belongs to another database file"),
}


def test_the_table_covers_every_hostile_file():
    assert {p.name for p in HOSTILE.glob("*.sqlite")} - {"valid.sqlite"} == set(CASES)


def test_the_valid_file_lists_and_takes_a_new_academy(capsys, tmp_path):
    path = copy_case("valid.sqlite", tmp_path)
    code, out, err = run(capsys, path, "academies")
    assert code == 0 and "Spring Design Academy\t4 participants" in out and err == ""
    assert run(capsys, path, "academy", "create", "Winter")[0] == 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_reading_shows_what_it_can_and_writing_is_refused_in_one_line(name, capsys, tmp_path):
    path = copy_case(name, tmp_path)
    before = content(path)
    reading, reason = CASES[name]
    code, out, err = run(capsys, path, "academies")
    assert len(err.splitlines()) == 1 and reason in err, err
    if reading == "lists":
        assert code == 0 and "Spring Design Academy" in out and err.startswith("warning: ")
    else:
        assert code == 2 and out == "" and err.startswith("error: ")
    code, out, err = run(capsys, path, "academy", "create", "Winter")
    assert code == 2 and out == "" and err.startswith("error: ") and len(err.splitlines()) == 1
    assert reason in err and "Traceback" not in err
    assert content(path) == before
