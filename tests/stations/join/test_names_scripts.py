"""The phone's name search finds every name of the scripts table: whole, with or without the
spaces between its parts, and by its first word and the start of the next."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations.join.identity.names import name_index, name_matches, name_words
from tests.fuzzing import fuzz_settings
from tests.scripts import NAMES

ROSTER = {i: s.text for i, s in enumerate(NAMES, start=1)} | {51: "李小龙"}
IDS = {s.key: i for i, s in enumerate(NAMES, start=1)}


@pytest.mark.parametrize("sample", NAMES, ids=lambda s: s.key)
def test_every_name_is_found_whole_and_without_its_spaces(sample):
    pid = IDS[sample.key]
    assert name_matches(sample.text, ROSTER) == [pid]
    assert name_matches("".join(sample.words), ROSTER) == [pid]


@pytest.mark.parametrize("sample", [s for s in NAMES if len(s.words) > 1], ids=lambda s: s.key)
def test_a_first_word_and_the_start_of_the_next_find_the_name(sample):
    first, second = sample.words[0], sample.words[1]
    assert name_matches(f"{first} {second[0]}", ROSTER) == [IDS[sample.key]]
    assert name_matches(first, ROSTER) == []                        # a first name alone: nobody
    assert name_matches(first, ROSTER, expected={IDS[sample.key]}) == [IDS[sample.key]]


def test_one_chinese_character_is_a_search_and_spaces_between_characters_do_not_matter():
    roster = {50: "张 伟", 51: "李小龙", 52: "Ann Lee"}
    assert name_matches("张", roster) == []                 # searched, not “type two letters”
    assert name_matches("张", roster, expected={50}) == [50]
    assert name_matches("张伟", roster) == [50]             # the issue: he became a walk-in
    assert name_matches("李 小 龙", roster) == [51]
    assert name_matches("李小", roster) == [51]             # the surname, then a start: “Maria N”
    assert name_matches("a", roster) is None                # one Latin letter still is not


def test_a_persian_surname_matches_with_its_zwnj_a_space_or_neither():
    pid = IDS["persian-zwnj"]
    for typed in ("زهرا محمدی‌نژاد", "زهرا محمدی نژاد", "زهرا محمدینژاد"):
        assert name_matches(typed, ROSTER) == [pid], typed


def test_words_of_a_name():
    assert name_words("张伟") == ("张", "伟")
    assert name_words("Zoë 张伟 Lee") == ("zoe", "张", "伟", "lee")
    assert name_words("محمدی‌نژاد") == ("محمدینژاد",)


@fuzz_settings(200)
@given(query=st.text(max_size=40))
def test_any_query_gives_a_list_or_none(query):
    index = name_index(ROSTER)
    result = name_matches(query, index)
    assert result is None or (isinstance(result, list) and len(set(result)) == len(result))
