"""Property: any valid prototype survives dumps → loads → parse → dumps byte for byte."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, reject, settings, strategies as st

from prototypes.check import RISKS, RISK_LEVELS, Objection, SafeToTryCheck
from prototypes.exchange import format as exchange
from prototypes.pdsa import DECISIONS, Iteration
from prototypes.prototype import CLASSROOM_MODELS, CORE_FOUR, Prototype
from workshop.errors import ValidationError

# Any Unicode a person might type (letters of every script, punctuation, symbols, line breaks);
# the model cleans it, and what it keeps must come back exactly.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
day = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def prototypes(draw):
    check = SafeToTryCheck(
        risks={k: {"level": draw(st.sampled_from(RISK_LEVELS)), "mitigation": draw(text)}
               for k in RISKS},
        consent_on=draw(st.none() | day), present=draw(text), no_objection=draw(st.booleans()),
        objections=tuple(Objection(draw(text), draw(text))
                         for _ in range(draw(st.integers(0, 2)))))
    title = draw(text.filter(lambda t: " ".join(t.split()).strip("\u200b") != ""))
    try:
        p = Prototype(title=title, team=draw(text), why=draw(text),
                      model=draw(st.sampled_from(list(CLASSROOM_MODELS))), model_other=draw(text),
                      core_four=tuple(draw(st.sets(st.sampled_from(list(CORE_FOUR))))),
                      resources=draw(text), owner=draw(text), check=check,
                      history=({"status": "draft", "on": draw(day)},),
                      created_at="2026-11-25T09:00:00+00:00",
                      updated_at="2026-11-25T10:00:00+01:00")
    except ValidationError:
        reject()
    iterations = []
    for n in range(1, draw(st.integers(0, 3)) + 1):
        start = draw(day)
        iterations.append(Iteration(
            number=n, started_on=start, snapshot=p.snapshot(), prediction=draw(text),
            results=draw(text), decision=draw(st.sampled_from(list(DECISIONS))),
            finished_on=draw(st.none() | st.just(start + timedelta(days=draw(st.integers(0, 60)))))))
    return p, iterations


@settings(max_examples=150, deadline=None)
@given(prototypes(), text)
def test_round_trip_is_byte_for_byte(case, academy):
    p, iterations = case
    first = exchange.dumps(exchange.to_document(p, iterations, academy))
    again_p, again_its, again_academy = exchange.parse_document(exchange.loads(first.encode()))
    second = exchange.dumps(exchange.to_document(again_p, again_its, again_academy))
    assert second == first


@settings(max_examples=100, deadline=None)
@given(prototypes(), text)
def test_the_pdfs_one_line_copy_reads_back_to_the_same_canonical_file(case, academy):
    """The attachment (``dumps_compact``) carries what the export file carries."""
    p, iterations = case
    document = exchange.to_document(p, iterations, academy)
    compact = exchange.dumps_compact(document)
    assert compact.count("\n") == 1   # one line: a line break inside a text is escaped
    again_p, again_its, again_academy = exchange.parse_document(exchange.loads(compact.encode()))
    assert (exchange.dumps(exchange.to_document(again_p, again_its, again_academy))
            == exchange.dumps(document))


def test_a_risk_named_with_a_line_break_is_refused_on_one_line():
    """Found by the mutation fuzz test: the risk's name was quoted raw, line break and all."""
    import json
    p = Prototype(title="Flex Fridays", created_at="2026-11-25T09:00:00+00:00",
                  updated_at="2026-11-25T09:00:00+00:00")
    document = exchange.to_document(p, [], "Spring Academy")
    document["prototype"]["check"]["risks"]["\n"] = "false"
    with pytest.raises(ValidationError) as refused:
        exchange.parse_document(exchange.loads(json.dumps(document)))
    assert "\n" not in str(refused.value) and 'risk “"\\n"”' in str(refused.value)


@pytest.mark.parametrize("field", ["format", "version"])
def test_a_huge_format_or_version_is_quoted_short(field):
    """Found by the mutation fuzz test: the file's own "format" was quoted whole (5 000 x's)."""
    import json
    document = exchange.to_document(Prototype(title="Flex Fridays"), [], "Spring Academy")
    document[field] = "x" * 5000
    with pytest.raises(ValidationError) as refused:
        exchange.parse_document(exchange.loads(json.dumps(document)))
    assert len(str(refused.value)) < 300 and "\n" not in str(refused.value)
