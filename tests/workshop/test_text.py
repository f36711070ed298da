"""Text cleaning in one place (workshop.text), and the old names still pointing at it."""
from __future__ import annotations

import pytest

from workshop import text
from workshop.errors import ValidationError


@pytest.mark.parametrize("raw, expected", [
    ("  Zoë   Núñez ", "Zoë Núñez"),
    ("Ольга\u200b Петрова", "Ольга Петрова"),
    ("e\u0301", "é"),                      # NFC: one code point, as typed on another keyboard
    ("a\u202eb\x00c", "abc"),              # bidi override and NUL removed
    ("line\nbreak", "line break"),
    (None, ""),
])
def test_clean_text(raw, expected):
    assert text.clean_text(raw) == expected


def test_clean_long_keeps_line_breaks_and_trims_each_line():
    assert text.clean_long("First  \r\nsecond\u200b\r\r\n") == "First\nsecond"


@pytest.mark.parametrize("clean", [text.clean_text, text.clean_long])
def test_too_long_names_the_field_and_the_limit(clean):
    with pytest.raises(ValidationError, match=r"Title is too long \(11 characters; at most 10\)"):
        clean("x" * 11, limit=10, what="Title")


def test_fold_matches_across_case_and_accents():
    assert text.fold(" José ") == text.fold("JOSE") == "jose"


@pytest.mark.parametrize("raw, expected", [
    ('a/b:c*?"<>|d', "a b c d"),
    ("Zoë Núñez. ", "Zoë Núñez"),
    ("...", "untitled"),
])
def test_safe_filename(raw, expected):
    assert text.safe_filename(raw) == expected


def test_old_homes_hand_out_the_same_functions():
    from workshop.academy import model
    from workshop.handouts import service
    assert model.clean_text is text.clean_text and model.fold is text.fold
    assert model.ValidationError is ValidationError
    assert service.safe_filename is text.safe_filename


def test_the_ascii_fast_path_keeps_and_drops_what_the_category_rule_does():
    """ASCII text skips the per-character category lookup; each ASCII character, alone and
    between letters, is still kept or dropped exactly by its Unicode category."""
    import unicodedata

    from workshop.text import _strip_invisible
    for code in range(128):
        ch = chr(code)
        for keep in ("", "\n\t"):
            kept = ch in keep or unicodedata.category(ch) != "Cc"
            assert _strip_invisible(f"a{ch}b", keep) == (f"a{ch}b" if kept else "ab"), (code, keep)
