"""Fuzz the data file: bytes of a valid database flipped, cut or overwritten (in its header, its
schema, its tables), then `workshop academies` and `workshop academy create`. Whatever the
damage: success, or one clear line with exit code 2; never a traceback."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings
from tests.workshop.store.helpers import HOSTILE, run

pytestmark = pytest.mark.fuzz

VALID = (HOSTILE / "valid.sqlite").read_bytes()
PAGE = 1024


class Damaged(bytes):
    """The damaged file; shown by its size and digest (a failing example's bytes fill pages)."""

    def __repr__(self) -> str:
        import hashlib
        return f"<{len(self)} bytes, sha256 {hashlib.sha256(self).hexdigest()[:16]}>"


@st.composite
def damaged_files(draw) -> bytes:
    raw = bytearray(VALID)
    pick = random.Random(draw(st.integers(0, 2 ** 32)))   # where: uniform over the file
    for _ in range(draw(st.integers(1, 4))):
        if len(raw) < 2 * PAGE:     # truncated already: damage enough
            break
        where = pick.choice(["header", "schema", "anywhere", "page start", "page start"])
        if where == "header":
            at = pick.randrange(0, 100)
        elif where == "schema":
            at = pick.randrange(100, PAGE)
        elif where == "page start":
            at = pick.randrange(1, len(raw) // PAGE) * PAGE + pick.randrange(0, 12)
        else:
            at = pick.randrange(0, len(raw))
        action = draw(st.sampled_from(["flip", "flip", "overwrite", "truncate"]))
        if action == "flip":
            raw[at] ^= 1 << pick.randrange(8)
        elif action == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=64))
            raw[at:at + len(chunk)] = chunk
        else:
            del raw[max(at, 1):]
    return Damaged(raw)


@fuzz_settings(100)
@given(damaged_files())
def test_a_damaged_file_is_read_or_refused_in_one_line(tmp_path_factory, capsys, raw):
    path = tmp_path_factory.mktemp("fuzz") / "academy.sqlite"
    path.write_bytes(raw)
    for command in (("academies",), ("academy", "create", "Winter")):
        code, out, err = run(capsys, path, *command)
        assert code in (0, 2), (command, code, err)
        if code == 2:
            assert len(err.splitlines()) == 1 and err.startswith("error: "), err
        else:
            assert len(err.splitlines()) <= 1, err            # at most the "damaged" warning
