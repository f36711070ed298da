"""Text cleaning by Unicode category (issue 12, item 10): each invisible or direction-changing
character is dropped, the joiners spelling needs are kept, and cleaning is idempotent."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import text
from workshop.academy.model import Participant
from workshop.errors import ValidationError


@pytest.mark.parametrize("char", [
    "\u2060",        # word joiner
    "\ufeff",        # BOM / zero-width no-break space
    "\u061c",        # Arabic letter mark (bidi)
    "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069",  # bidi marks and overrides
    "\u200b",        # zero-width space
    "\u00ad",        # soft hyphen
    "\u180e",        # Mongolian vowel separator
    "\U000e0001", "\U000e0041", "\U000e007f",  # tag characters (hidden "ASCII smuggling")
    "\u115f", "\u1160", "\u3164", "\uffa0",    # Hangul fillers
    "\u034f", "\u17b4", "\u2800",              # grapheme joiner, Khmer vowel, braille blank
    "\ue000", "\U000f0000",                    # private use
    "\u0378",                                  # unassigned
    "\ud800",                                  # a lone surrogate
    "\x00", "\x1b", "\x7f", "\x9b",            # controls
])
def test_each_invisible_character_is_dropped_inside_a_name(char):
    assert text.clean_text(f"Ann{char}Lee") == "AnnLee"
    assert text.clean_long(f"Ann{char}Lee") == "AnnLee"
    with pytest.raises(ValidationError, match="needs a name"):
        Participant(name=char * 3)


@pytest.mark.parametrize("raw", [
    "می\u200cخواهم",            # Persian: ZWNJ between letters
    "क\u094d\u200dष",           # Devanagari: ZWJ after a virama
    "👩\u200d💻",               # emoji ZWJ sequence
    "👨\u200d👩\u200d👧",
    "❤\ufe0f",                  # emoji presentation selector after its base
    "👋🏽",                      # skin tone modifier
    "❤\ufe0f\u200d🔥", "🏳\ufe0f\u200d🌈", "👩🏽\u200d💻",   # ZWJ after a selector or skin tone
    "1\ufe0f\u20e3", "🇩🇪",      # keycap, flag
    "क\u094d\u200cष",           # ZWNJ after a virama
    "Zoë Núñez", "Ольга", "李小龍",
])
def test_spelling_that_needs_joiners_and_selectors_is_kept(raw):
    assert text.clean_text(raw) == raw


@pytest.mark.parametrize("raw, expected", [
    ("\u200dAnn\u200c", "Ann"),        # joiners at the edges join nothing
    ("Ann \u200d Lee", "Ann Lee"),     # next to a space
    ("a\u200d\u200db", "a\u200db"),    # a run of joiners is one
    ("a\u200d\u0301", "\u00e1"),       # before a mark (then NFC)
    ("\ufe0fAnn", "Ann"),              # a selector with nothing before it
    ("Ann \ufe0f", "Ann"),
    ("a\u3000b\u00a0c\u2028d", "a b c d"),   # every space and line separator is one space
])
def test_joiners_and_selectors_that_hide_nothing_useful_go(raw, expected):
    assert text.clean_text(raw) == expected


INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Cs", "Zs", "Zl", "Zp"}


def _invisible(ch: str) -> bool:
    return (unicodedata.category(ch) in INVISIBLE_CATEGORIES or ch.isspace()
            or ch in text.INVISIBLE or ch in text.JOINERS or bool(text._VARIATION.match(ch)))


# Text biased to the troublesome characters, mixed with ordinary letters and emoji.
TRICKY = st.sampled_from(["\u200c", "\u200d", "\ufe0f", "\u0301", "\u094d", " ", "\t", "\n",
                          "\u3164", "\u2060", "\U000e0041", "\ud800", "a", "é", "ک", "क", "👩",
                          "💻", "\u00a0", "\u2028", "\r"])
ANY_TEXT = st.text(st.one_of(TRICKY, st.characters()), max_size=40)


@settings(max_examples=600, deadline=None)
@given(ANY_TEXT)
def test_cleaning_is_idempotent_and_never_leaves_only_invisible_characters(raw):
    for clean in (text.clean_text, text.clean_long):
        once = clean(raw, limit=10_000)
        assert clean(once, limit=10_000) == once
        assert once == "" or not all(_invisible(c) for c in once)
        assert not any(unicodedata.category(c) in {"Cc", "Cf", "Co", "Cn", "Cs"}
                       and c not in text.JOINERS and c not in "\n\t" for c in once)
        once.encode("utf-8")  # storable: no lone surrogates


def test_prototype_texts_are_cleaned_by_the_same_rule():
    from prototypes.prototype import Prototype
    assert text.clean_long("Plan\u2060 A\n\u3164") == "Plan A"
    prototype = Prototype(title="Plan\u2060 A", team="Lincoln", why="Plan\u2060 A\n\u3164")
    assert prototype.title == "Plan A" and prototype.why == "Plan A"


def test_a_subdivision_flag_loses_its_tags_a_cost_the_module_documents():
    assert text.clean_text("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f") == "🏴"
