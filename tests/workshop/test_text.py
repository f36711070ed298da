"""Text cleaning in one place (workshop.text), and the old names still pointing at it."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

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


def test_printable_is_exactly_the_categories_the_fast_path_relies_on():
    """``str.isprintable`` is false exactly for Other (Cc, Cf, Cs, Co, Cn) and Separator
    (Zs, Zl, Zp) characters but the ASCII space, in this Python's Unicode database: every
    code point checked."""
    import sys
    import unicodedata
    unprintable = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}
    wrong = [code for code in range(sys.maxunicode + 1)
             if chr(code).isprintable() != (code == 0x20
                                            or unicodedata.category(chr(code)) not in unprintable)]
    assert wrong == []


TRICKY = st.sampled_from(["\u200c", "\u200d", "\ufe0f", "\u180b", "\U000e0100", "\u0301",
                          "e", "\u094d", " ", "\t", "\n", "\r", "\x0b", "\u3164", "\u034f",
                          "\u2060", "\U000e0041", "\ud800", "\ue000", "\u0378", "a", "é", "ک",
                          "क", "👩", "💻", "\u00a0", "\u2028", "Ω", "\u212b", "\u0958"])


@settings(max_examples=800, deadline=None)
@given(st.text(st.one_of(TRICKY, st.characters()), max_size=30),
       st.sampled_from(["", "\n\t", "\t\n\r\x0b\x0c"]))
def test_the_clean_already_check_gives_what_the_slow_way_gives(raw, keep):
    from workshop.text import _clean_already, _strip_invisible, _strip_slowly
    assert _strip_invisible(raw, keep) == _strip_slowly(raw, keep)
    if _clean_already(raw, keep):
        assert _strip_slowly(raw, keep) == raw


@pytest.mark.parametrize("stored", ["Ольга Петрова", "张伟 · School 04", "weeks 1–2, ‘got it’",
                                    "Zoë\nNúñez — 80 %", "مریم"])
def test_clean_non_ascii_text_is_not_looked_up_a_character_at_a_time(monkeypatch, stored):
    """Text read back from the database is clean: cleaning it again returns it after C-speed
    checks, without the per-character category lookup (most of reading a big pack's models)."""
    import unicodedata

    def refuse(ch):
        raise AssertionError(f"looked up {ch!r}")
    monkeypatch.setattr(unicodedata, "category", refuse)
    assert text.clean_long(stored) == stored
    if "\n" not in stored:
        assert text.clean_text(stored) == stored


class _Typed(str):
    """A str that is not exactly ``str``: cleaning takes it the long way, step by step."""


@settings(max_examples=800, deadline=None)
@given(st.lists(st.one_of(TRICKY, st.sampled_from([" ", "  ", "\n", "\n\n", " \n", "Zoë"]),
                          st.characters()), max_size=20).map("".join))
def test_text_returned_as_it_is_is_what_the_long_way_gives(raw):
    for clean in (text.clean_text, text.clean_long):
        assert clean(raw, limit=10_000) == clean(_Typed(raw), limit=10_000)


@pytest.mark.parametrize("stored", ["Zoë Núñez", "Plain ASCII", "line one\n\nline  three"])
def test_clean_text_read_back_is_returned_without_cleaning_it_again(monkeypatch, stored):
    def refuse(*args):
        raise AssertionError("cleaned again")
    monkeypatch.setattr(text, "_strip_invisible", refuse)
    assert text.clean_long(stored) is stored
    if "\n" not in stored:
        assert text.clean_text(stored) is stored
