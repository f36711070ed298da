"""The library finds every name of the scripts table, and words of scripts written without
spaces anywhere inside a text (the trigram index of migration 3)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prototypes.migrations import _prototypes_v3
from prototypes.repository.prototypes import fts_query, substring_terms
from tests.fuzzing import fuzz_settings
from tests.scripts import NAMES, SENTENCES

CJK = "学生需要自己的节奏"


@pytest.fixture
def library(ctx, academy):
    service = ctx.prototypes
    ids = {}
    for i, name in enumerate(NAMES):
        p = service.create(academy.id, f"Idea {i}", team=name.text, owner=NAMES[-1 - i].text)
        ids[name.key] = p.id
    p = service.create(academy.id, "Pacing", why=CJK)
    ids["cjk"] = p.id
    for sentence in SENTENCES:
        p = service.create(academy.id, sentence.text)
        ids[sentence.key] = p.id
    return service, academy, ids


def _found(service, academy, query) -> set[int]:
    return {row.id for row in service.search(academy.id, query)}


@pytest.mark.parametrize("sample", NAMES, ids=lambda s: s.key)
def test_every_name_is_found_whole_and_by_each_word(library, sample):
    service, academy, ids = library
    assert ids[sample.key] in _found(service, academy, sample.text)
    for word in sample.words:
        assert ids[sample.key] in _found(service, academy, word), word


@pytest.mark.parametrize("query", ["学生", "节奏", "自己的", "奏", "需要自己的节奏"])
def test_chinese_is_found_anywhere_inside_a_run(library, query):
    service, academy, ids = library
    assert _found(service, academy, query) == {ids["cjk"]}


def test_thai_words_are_found_inside_a_sentence_written_without_spaces(library):
    service, academy, ids = library
    assert ids["thai-sentence"] in _found(service, academy, "เรียนรู้")   # inside เราเรียนรู้ด้วยกัน
    assert _found(service, academy, "節奏") == set()   # a different character: no false match


def test_mixed_queries_need_every_word_and_latin_still_folds_accents(library):
    service, academy, ids = library
    assert _found(service, academy, "zoe pacing") == set()
    assert _found(service, academy, "pacing 节奏") == {ids["cjk"]}
    assert ids["latin"] in _found(service, academy, "zoe brennan")


def test_edits_and_deletes_keep_the_substring_index_in_step(library):
    service, academy, ids = library
    service.update(ids["cjk"], why="每个人都有自己的速度")
    assert _found(service, academy, "节奏") == set()
    assert _found(service, academy, "速度") == {ids["cjk"]}
    service.delete(ids["cjk"])
    assert _found(service, academy, "速度") == set()


def test_the_migration_indexes_prototypes_written_before_it(ctx, library):
    service, academy, ids = library
    db = ctx.db
    db.execute("DROP TABLE prototypes_trigram")
    for trigger in ("ai", "ad", "au"):
        db.execute(f"DROP TRIGGER prototypes_trigram_{trigger}")
    _prototypes_v3(db)
    assert _found(service, academy, "节奏") == {ids["cjk"]}


def test_query_words_split_between_the_two_indexes():
    assert fts_query("Zoë 节奏 Müller") == '"zoe"* "muller"*'
    assert substring_terms("Zoë 节奏, ใจดี") == ["节奏", "ใจดี"]
    assert substring_terms('"节奏" OR *') == ["节奏"]   # nothing typed is read as FTS syntax


@fuzz_settings(60)
@given(query=st.text(max_size=12))
def test_any_typed_query_searches_without_error(library, query):
    service, academy, _ = library
    service.search(academy.id, query)   # an FTS syntax error would raise here
