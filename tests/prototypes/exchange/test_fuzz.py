"""Fuzz the prototype import boundary: a valid export mutated as JSON (values replaced by any
JSON, keys dropped or added, then sometimes bytes), and a real exported PDF mutated as bytes.
Whatever arrives: a clear one-line refusal with nothing stored changed, or a success."""
from __future__ import annotations

import copy
import json
import random

import pytest
from hypothesis import given, strategies as st

from prototypes.exchange import format as exchange
from prototypes.exchange.files import documents_in_pdf
from tests.fuzzing import fuzz_settings
from tests.prototypes.exchange.test_hostile_files import HOSTILE, stored
from workshop.errors import ValidationError

pytestmark = pytest.mark.fuzz

VALID = json.loads((HOSTILE / "valid.json").read_text(encoding="utf-8"))
VALID_PDF = (HOSTILE / "valid.pdf").read_bytes()

# Any JSON value, biased to what breaks parsers: huge and negative numbers, surrogates and
# controls in text, deep nesting, the look of the real values ("false", dates, "draft").
special = st.sampled_from(["false", "true", "", "2026-11-25", "2026-11-25T09:00:00",
                           "2026-11-25T09:00:00+05:00", "draft", "trying", "high", "\ud800",
                           "a\udfffb", "x" * 5000, 2 ** 63, -1, 0, 1.5])
scalars = (special | special | st.none() | st.booleans() | st.integers()
           | st.floats(allow_nan=False) | st.text(max_size=30))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)


def paths(doc, prefix=()):
    """Every path to a value in the document (keys and list indexes)."""
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from paths(value, prefix + (i,))


def value_at(doc, path):
    for step in path:
        doc = doc[step]
    return doc


ALL_PATHS = [p for p in paths(VALID) if p]
# A third of the mutations hit a whole object or list (a snapshot's check, an iteration, the
# history) and a third a text, which a uniform pick over ~150 values would rarely do.
CONTAINERS = [p for p in ALL_PATHS if isinstance(value_at(VALID, p), (dict, list))]
TEXTS = [p for p in ALL_PATHS if isinstance(value_at(VALID, p), str)]


@st.composite
def mutated_exports(draw) -> bytes:
    doc = copy.deepcopy(VALID)
    # Where to mutate is picked uniformly by a seeded random (Hypothesis' own choices lean
    # hard to the first items, which left a snapshot's check untouched in hundreds of examples).
    pick = random.Random(draw(st.integers(0, 2 ** 32)))
    for _ in range(draw(st.integers(1, 3))):
        kind = pick.choice(["retype", "text", "any"])
        path = pick.choice({"retype": CONTAINERS, "text": TEXTS, "any": ALL_PATHS}[kind])
        try:
            parent = value_at(doc, path[:-1])
            action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
            if kind != "any":        # an object or list becomes a scalar, a text anything
                parent[path[-1]] = draw(scalars)
            elif action == "replace":
                parent[path[-1]] = draw(json_values)
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.text(max_size=8))] = draw(json_values)
        except (KeyError, IndexError, TypeError):   # an earlier mutation removed the way
            pass
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), indent=draw(st.none() | st.just(2)))
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:              # now and then, damage the bytes too
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=4)) + raw[at + draw(st.integers(0, 3)):]
    return raw


@st.composite
def mutated_pdfs(draw) -> bytes:
    raw = bytearray(VALID_PDF)
    # Aim half the damage where the data is: the attachment, the name tree, the xref, the trailer.
    hot = [VALID_PDF.index(m) for m in (b"/EmbeddedFile", b"/EmbeddedFiles", b"xref", b"trailer")]
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            at = min(len(raw) - 1, draw(st.sampled_from(hot)) + draw(st.integers(0, 700)))
        else:
            at = draw(st.integers(0, len(raw) - 1))
        action = draw(st.sampled_from(["flip", "flip", "cut", "insert", "truncate"]))
        if action == "flip":
            raw[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del raw[at: at + draw(st.integers(1, 200))]
        elif action == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=40))
        else:
            del raw[at:]
        if not raw:
            break
    return bytes(raw)


def json_documents(raw: bytes) -> list[dict]:
    return [exchange.loads(raw)]


def import_refused_or_done(ctx, documents_of, raw: bytes) -> None:
    """What the CLI and the window do with a file; a refusal must be one line and leave the
    database exactly as it was."""
    before = stored(ctx.db)
    try:
        documents = documents_of(raw)
        with ctx.db.atomic():
            for document in documents:
                ctx.prototypes.import_document(document, None, on_conflict="ask")
    except ValidationError as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) < 600, message
        assert stored(ctx.db) == before


@fuzz_settings(120)
@given(mutated_exports())
def test_mutated_json_exports_are_refused_clearly_or_imported(ctx, raw):
    import_refused_or_done(ctx, json_documents, raw)


@fuzz_settings(40)
@given(mutated_pdfs())
def test_mutated_pdf_handouts_are_refused_clearly_or_imported(ctx, raw):
    import_refused_or_done(ctx, documents_in_pdf, raw)


@fuzz_settings(60)
@given(st.binary(max_size=2000))
def test_any_bytes_are_refused_clearly(ctx, raw):
    import_refused_or_done(ctx, json_documents, raw)
    import_refused_or_done(ctx, documents_in_pdf, b"%PDF-1.4\n" + raw)
