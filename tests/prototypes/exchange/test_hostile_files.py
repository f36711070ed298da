"""Every hostile prototype file in tests/data/hostile/prototypes/ is refused with one clear
line (CLI: exit 2; window: one error message) and changes nothing stored; the valid exports
beside them import. The files are written by make_files.py in that folder."""
from __future__ import annotations

import hashlib

import pytest

from prototypes.check import SafeToTryCheck
from prototypes.exchange import format as exchange
from prototypes.exchange.files import read_documents
from tests.paths import ROOT
from workshop.errors import ValidationError

HOSTILE = ROOT / "tests" / "data" / "hostile" / "prototypes"

# file -> what the one line must say (the reason, in the person's words)
CASES = {
    "deep-nesting.json": "nested too deeply",
    "deep-but-parsable.json": "nested too deeply at “prototype.why[0]",
    "number-5000-digits.json": "a number 5000 digits long",
    "iteration-number-2-63.json": "a number 19 digits long",
    "iteration-number-huge.json": "numbered 100000000000000000; cycle numbers run from 1 to 10000",
    "snapshot-check-text.json": "The snapshot of iteration 1: “check” should be an object, not text",
    "snapshot-check-list.json": "The snapshot of iteration 1: “check” should be an object, not list",
    "snapshot-core-four-number.json": "“core_four” should be a list, not number",
    "lone-surrogate-escaped.json": "“iterations[0].snapshot.title” holds a lone UTF-16 surrogate",
    "lone-surrogate-raw.json": "not UTF-8 text (byte 1482",
    "timestamp-without-zone.json": "“updated_at” must be a date and time with its UTC offset",
    "no-objection-text-false.json": "“check.consent.no_objection” should be true or false, not text \"false\"",
    "no-objection-zero.json": "should be true or false, not number 0",
    "no-objection-null.json": "should be true or false, not null",
    "nan.json": "NaN is not a JSON number",
    "garbage.json": "binary data (a zero byte at byte 0)",
    "zlib.json": "zlib-compressed data",
    "nul-bytes.json": "binary data (a zero byte at byte 0)",
    "core-four-object.json": "“core_four” should be a list of texts",
    "risk-extra-key.json": "the rating of risk “why” should be an object",
    "attachment-bomb.pdf": "attachment prototype.json: it inflates to more than 24 MB",
    "attachment-bomb-past-pypdf.pdf": "attachment prototype.json: it inflates to more than 24 MB",
    "attachment-bad-zlib.pdf": "attachment prototype.json: its compressed data is damaged",
    "attachment-not-zlib.pdf": "attachment prototype.json: its compressed data is damaged",
    "attachment-no-objection-text.pdf": "should be true or false, not text \"false\"",
    "truncated.pdf": "not a readable PDF",
    "header-only.pdf": "not a readable PDF",
    "header-then-garbage.pdf": "not a readable PDF",
    "no-xref.pdf": "not a readable PDF",
    "measures-not-a-list.json": "“measures” should be a list, not object",
    "measure-value-text.json": "data point 1 should be an object with a date “on”, a number “value”",
    "measure-value-huge.json": "A data point's value must be a number between",
    "measure-date-bad.json": "A data point's date must be a date like 2026-11-25",
    "measure-prediction-unknown-cycle.json": "prediction 1 is for cycle 7, which the file does not have",
    "measure-direction-sideways.json": "Better when must be one of up, down",
    "measure-twice.json": "The measure “Exit tickets” has the uid of another",
    "measure-goal-text.json": "“goal” should be a number or null, not text",
}


def stored(db) -> str:
    """A digest of everything in the database: equal digests, nothing changed."""
    return hashlib.sha256("\n".join(db.conn.iterdump()).encode()).hexdigest()


def test_the_table_covers_every_hostile_file():
    on_disk = {p.name for p in HOSTILE.iterdir() if p.suffix in (".json", ".pdf")}
    assert on_disk - {"valid.json", "valid.pdf"} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_refuses_with_one_line_and_changes_nothing(name, run_cli, ctx):
    assert run_cli("prototype", "import", str(HOSTILE / "valid.json"))[0] == 0
    before = stored(ctx.db)
    code, out, err = run_cli("prototype", "import", str(HOSTILE / name))
    assert code == 2, err
    assert out == "" and len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert CASES[name] in err and "Nothing was imported" in err
    assert len(err) < 400                      # no value of the file is echoed at length
    assert stored(ctx.db) == before


@pytest.mark.parametrize("name", ["valid.json", "valid.pdf"])
def test_the_valid_exports_import(name, run_cli, ctx):
    code, out, err = run_cli("prototype", "import", str(HOSTILE / name))
    assert code == 0 and "Imported “Flex Fridays”" in out and err == ""


def test_no_objection_is_only_ever_json_true_or_false():
    """Item 10: "false" (a non-empty string) once imported as consent given."""
    [document] = read_documents(HOSTILE / "valid.json")
    document["prototype"]["check"]["consent"]["no_objection"] = True
    prototype, _, _ = exchange.parse_document(document)
    assert prototype.check.no_objection is True
    for value in ("false", "true", 1, 0, None, [], {}):
        document["prototype"]["check"]["consent"]["no_objection"] = value
        with pytest.raises(exchange.FormatError, match="should be true or false"):
            exchange.parse_document(document)
    with pytest.raises(ValidationError, match="must be true or false"):
        SafeToTryCheck(no_objection="false")
    with pytest.raises(ValidationError, match="must be true or false"):
        SafeToTryCheck.from_dict({"consent": {"no_objection": 1}})


def test_a_lone_surrogate_under_a_key_with_a_line_break_is_refused_in_one_line():
    # Found by the mutation fuzz test (a blob that only a random run drew): the key that led to
    # the damaged text was quoted raw, so the refusal was two lines.
    raw = '{"format": "x", "iterations": [{"snapshot": {"a\\nb": "\\ud800"}}]}'
    with pytest.raises(ValidationError) as refused:
        exchange.loads(raw)
    message = str(refused.value)
    assert "lone UTF-16 surrogate" in message and "\n" not in message
    assert '\\n' in message   # the key is shown escaped, not dropped
