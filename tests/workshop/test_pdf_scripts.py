"""Every script of the district table prints: no missing glyph, ``pdftotext`` gives the text back
in logical order, ``pdftotext -bbox-layout`` word positions show right-to-left order, and every
handout kind carries the names."""
from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations.setup.model import Group
from tests.conftest import require_tool
from tests.fuzzing import fuzz_settings
from tests.scripts import EVERYTHING, MIXED, MIXED_LTR, NAMES, SENTENCES, Sample
from workshop.academy.model import Participant
from workshop.pdf import DocMeta, fonts, render, shaping
from workshop.pdf.flowables import para, rich

# pdftotext marks a right-to-left line with U+202B … U+202C (and LTR runs in it with U+202A):
# what it reads is the text between them.
_BIDI_MARKS = re.compile("[\u202a-\u202e]")


def _text(tmp_path, pdf: bytes, *options: str) -> list[str]:
    tool = require_tool("pdftotext", "reads the printed text back")
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([tool, *options, str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [_BIDI_MARKS.sub("", line).strip() for line in out.splitlines() if line.strip()]


def _words(tmp_path, pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Each line's words as ``(xMin, xMax, text)``, from ``pdftotext -bbox-layout``, which
    gives a word's characters left to right as drawn: a right-to-left word is turned back to
    reading order here."""
    tool = require_tool("pdftotext", "gives word positions")
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    html = subprocess.run([tool, "-bbox-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    root = ET.fromstring(re.sub(r'\sxmlns="[^"]+"', "", html, count=1))
    return [[(float(w.get("xMin")), float(w.get("xMax")), _reading(w.text or ""))
             for w in line.iter("word")] for line in root.iter("line")]


def _reading(word: str) -> str:
    word = _BIDI_MARKS.sub("", word)
    return word[::-1] if word and shaping.base_level(word) else word


def missing_glyphs(pdf: bytes) -> list[str]:
    """Every character code drawn whose glyph, in the embedded subset, is the font's missing
    glyph (.notdef, glyph 0): the embedded font itself is asked, not our font choice."""
    import io

    import uharfbuzz as hb
    from pypdf import PdfReader
    from pypdf.generic import ContentStream
    reader = PdfReader(io.BytesIO(pdf))
    bad = []
    for number, page in enumerate(reader.pages, start=1):
        faces = {}
        for name, ref in page["/Resources"]["/Font"].items():
            descriptor = ref.get_object().get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor:
                faces[name] = None    # a standard font reportlab selects and never draws with
                continue
            data = descriptor["/FontFile2"].get_object().get_data()
            faces[name] = hb.Font(hb.Face(hb.Blob(data)))
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = operands[0]
            elif operator in (b"Tj", b"TJ"):
                items = operands[0] if operator == b"TJ" else [operands[0]]
                for item in items:
                    if hasattr(item, "original_bytes"):
                        face = faces[current]
                        for code in item.original_bytes:
                            if face is None or not face.get_nominal_glyph(code):
                                bad.append(f"page {number} {current} code {code}")
    return bad


def _one(sample_text: str) -> bytes:
    return render([para(sample_text)], DocMeta(title="Scripts", academy="Academy"), paper="a4")


@pytest.mark.parametrize("sample", EVERYTHING, ids=lambda s: s.key)
def test_each_sample_prints_every_glyph_and_reads_back_exactly(sample, tmp_path):
    pdf = _one(sample.text)
    assert missing_glyphs(pdf) == []
    lines = _text(tmp_path, pdf)
    if sample is MIXED:
        # pdftotext reads a page whose lines are mostly left to right in that direction, so the
        # Latin run comes first; each run is exact, and the positions test proves the order.
        assert "Lincoln High فاطمة حسن" in lines
    else:
        assert sample.text in lines


def test_the_missing_glyph_check_finds_a_box():
    # Phoenician: no bundled font has it, so it is drawn with DejaVu's missing glyph.
    assert missing_glyphs(_one("\U00010900 ok"))


@pytest.mark.parametrize("sample", [s for s in EVERYTHING if len(s.words) > 1],
                         ids=lambda s: s.key)
def test_word_positions_follow_the_reading_direction(sample, tmp_path):
    line = next(ln for ln in _words(tmp_path, _one(sample.text))
                if {w[2] for w in ln} & set(sample.words))
    x = {text: x_min for x_min, _, text in line}
    if sample is MIXED:
        # فاطمة حسن read right to left, then “Lincoln High” (left to right) to their left.
        assert x["Lincoln"] < x["High"] < x["حسن"] < x["فاطمة"]
        return
    if sample is MIXED_LTR:
        # “Lincoln High:” from the left, then the name, itself right to left.
        assert x["Lincoln"] < x["High:"] < x["حسن"] < x["فاطمة"]
        return
    order = [x[w] for w in sample.words]
    assert order == sorted(order, reverse=sample.rtl), (sample.text, line)


def test_right_to_left_paragraphs_align_right_and_left_to_right_ones_left(tmp_path):
    pdf = render([para("שרה כהן"), para("अनन्या शर्मा")], DocMeta(title="T"), paper="a4")
    lines = {ln[0][2]: ln for ln in _words(tmp_path, pdf) if ln}
    hebrew = [ln for ln in lines.values() if {"שרה", "כהן"} & {w[2] for w in ln}][0]
    hindi = [ln for ln in lines.values() if "अनन्या" in {w[2] for w in ln}][0]
    right_edge = 595.28 - 18 * 72 / 25.4
    assert max(w[1] for w in hebrew) == pytest.approx(right_edge, abs=1.5)
    assert min(w[0] for w in hindi) == pytest.approx(18 * 72 / 25.4, abs=1.5)


def test_a_wrapped_right_to_left_paragraph_is_ordered_line_by_line(tmp_path):
    # Distinct words, so each line's content shows where the break fell: reordering the whole
    # paragraph before breaking it would put the last words on the first line.
    words = [f"מילה{chr(0x05D0 + i % 22)}{chr(0x05D0 + i // 22)}" for i in range(60)]
    pdf = render([para(" ".join(words))], DocMeta(title="T"), paper="a4")
    lines = [ln for ln in _words(tmp_path, pdf) if ln and ln[0][2].startswith("מילה")]
    assert len(lines) >= 3
    read = [w[2] for ln in lines for w in sorted(ln, key=lambda w: -w[0])]
    assert read == words


def test_bidi_levels_reorder_each_line_with_the_paragraph_direction():
    segments = shaping.visual([("Lincoln", "L"), (" ", "S"), ("שרה", "R")], 1)
    assert [t for t, _, _ in segments] == ["שרה", " ", "Lincoln"]
    segments = shaping.visual([("Lincoln", "L"), (" ", "S"), ("שרה", "R")], 0)
    assert [t for t, _, _ in segments] == ["Lincoln", " ", "שרה"]


def test_marks_and_joiners_stay_in_the_font_of_their_letter():
    assert fonts.runs("می‌خواهم") == [(fonts.ARABIC, "می‌خواهم")]
    assert fonts.runs("👩‍👩‍👧") == [(fonts.EMOJI, "👩‍👩‍👧")]
    assert fonts.runs("שרה") == [(fonts.HEBREW, "שרה")]      # not DejaVu's Hebrew letters


def test_header_and_labels_drawn_on_the_canvas_read_back_in_order(tmp_path):
    pdf = render([rich([("b", "Name: "), ("", "محمد علي")])],
                 DocMeta(title="שרה כהן", academy="אקדמיית האביב"), paper="a4")
    lines = _text(tmp_path, pdf)
    assert "שרה כהן" in lines and "אקדמיית האביב" in lines
    assert missing_glyphs(pdf) == []


# -- every handout kind ----------------------------------------------------------------------
@pytest.fixture
def district(ctx, clock):
    """An academy whose people carry the table's names, in three groups, after a rotation with
    the table's sentences as reflections, and a prototype per sentence owned by a name."""
    academy = ctx.academies.create("אקדמיית האביב", place="אולם")
    people = [ctx.academies.add_participant(academy.id, Participant(s.text, school="Lincoln High"))
              for s in NAMES]
    groups = [Group(i, Group.default_name(i), [p.id for p in people[i::3]]) for i in range(3)]
    ctx.rotation.saved_groups = lambda academy_id: groups if academy_id == academy.id else None
    ctx.rotation.update_settings(academy.id, transition_minutes=1, debrief_minutes=10)
    rot, join = ctx.rotation, ctx.join
    rot.start(academy.id)
    first = rot.plan(academy.id).rounds[0].stations
    clock.advance(30)
    for g, group in enumerate(groups):
        for pid in group.member_ids:
            join.record_checkin(academy.id, pid, first[g])
    while rot.snapshot(academy.id).phase != "debrief":
        clock.advance(rot.snapshot(academy.id).remaining_s)
        rot.record_due(academy.id)
    for i, sentence in enumerate(SENTENCES):
        join.record_reflection(academy.id, groups[0].member_ids[i % len(groups[0].member_ids)],
                               first[0], sentence.text)
    prototypes = []
    for i, sentence in enumerate(SENTENCES):
        p = ctx.prototypes.create(academy.id, sentence.text, team=NAMES[i].text,
                                  owner=NAMES[-1 - i].text, why=MIXED.text,
                                  on=date(2026, 11, 20))
        it = ctx.prototypes.start_iteration(p.id)
        ctx.prototypes.update_iteration(it.id, change=sentence.text, prediction=NAMES[i].text)
        prototypes.append(p)
    # The first team's vision and plan, in the table's scripts (issue 21's plan and poster).
    ctx.rollout.edit(academy.id, NAMES[0].text, vision=SENTENCES[0].text,
                     evangelists=(NAMES[1].text,))
    return academy, prototypes


def _expected(key: str, prototype_index: int) -> list[Sample]:
    if key in ("debrief", "group-cards"):
        return NAMES + (SENTENCES if key == "debrief" else [])
    if key in ("prototype", "iteration-log"):
        return [SENTENCES[prototype_index], NAMES[prototype_index]]
    if key == "plan":
        return [SENTENCES[0], NAMES[1]]
    if key == "vision":
        return [SENTENCES[0]]
    return []


def test_every_handout_kind_prints_the_table(ctx, district, tmp_path):
    academy, prototypes = district
    made = set()
    for key, kind in ctx.handouts.kinds.items():
        if kind.option == "prototype":
            cases = [(i, {"prototype": p.id}) for i, p in enumerate(prototypes)]
        elif kind.option_required:   # one team's plan and poster: every team of the table
            cases = [(0, {kind.option: c.value}) for c in kind.choices(academy.id)]
        else:
            cases = [(0, {})]
        for index, options in cases:
            pdf = ctx.handouts.make(key, academy.id, "a4", **options)
            assert missing_glyphs(pdf) == [], key
            text = "\n".join(_text(tmp_path, pdf))
            assert "אקדמיית האביב" in text, key
            for sample in _expected(key, index):
                assert sample.text in text, (key, sample.key)
            made.add(key)
    assert {"debrief", "signs", "group-cards", "agenda", "prototype", "iteration-log", "plan",
            "vision"} <= made
    # The pack's own files (team folders and all) print every glyph too.
    for item in ctx.handouts.pack_items(academy.id):
        assert missing_glyphs(item.make("a4")) == [], item.filename


def test_fields_the_app_joins_keep_their_own_direction(tmp_path):
    # A Hebrew academy before the date: without isolating the fields, UBA attaches “25” to the
    # Hebrew run and the date reads “November 2026 25”.
    line = "אקדמיית האביב · 25 November 2026"
    pdf = render([para(line, "subtitle", direction="ltr")], DocMeta(title="T"), paper="a4")
    # pdftotext's own reading moves the “·” between the runs; each run comes back exactly.
    text = "\n".join(_text(tmp_path, pdf))
    assert "אקדמיית האביב" in text and "25 November 2026" in text
    words = next(ln for ln in _words(tmp_path, pdf) if any(w[2] == "November" for w in ln))
    x = {text: x_min for x_min, _, text in words}
    assert x["האביב"] < x["אקדמיית"] < x["25"] < x["November"] < x["2026"]


# -- anything a participant types -----------------------------------------------------------
_SCRIPTS = st.text(alphabet=st.sampled_from(
    "שרהכןמحمدعلي\u200c\u200dअनन्याশর্মাதமிழ்สมชายใจดี👩👧🏽👍张伟Zoë (),.·—-  \n\u202e\u064b"),
    max_size=60)


@fuzz_settings(40)
@given(text=st.one_of(_SCRIPTS, st.text(max_size=40)))
def test_any_text_prints_without_error(text):
    pdf = render([para(text), rich([("b", text), ("", text)]), para(text, direction="ltr")],
                 DocMeta(title=text or "T", academy=text, date_text=text), paper="a4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("word", ["שלום", "अनन्या", "محمدی‌نژاد"])
def test_a_paragraph_of_one_word_in_one_font_reads_back(word, tmp_path):
    # One fragment: reportlab breaks it as a "kind 0" paragraph (words, no fragments).
    assert word in _text(tmp_path, _one(word))


def test_a_page_mostly_right_to_left_reads_every_line_back(tmp_path):
    # pdftotext reads such a page right to left, and its reordering of the left-to-right lines
    # moves a word-final combining mark (Tamil ், Thai ี) to the front — poppler's, not the
    # PDF's: in content order (-raw) those lines are exact, as the right-to-left ones are in
    # its reading order.
    rtl = [s for s in EVERYTHING if s.rtl and s is not MIXED]
    ltr = [s for s in NAMES if s.key in ("tamil", "thai", "devanagari")]
    pdf = render([para(s.text) for s in rtl + ltr], DocMeta(title="ת", academy="א"), paper="a4")
    lines = _text(tmp_path, pdf)
    for sample in rtl:
        assert sample.text in lines, sample.key
    raw = _text(tmp_path, pdf, "-raw")
    for sample in ltr:
        assert sample.text in raw, sample.key


def test_glyphs_are_drawn_in_the_direction_of_their_level():
    fonts.register_all()
    assert str(shaping.drawn_glyphs("٥٦", fonts.ARABIC, rtl=False)[0]) == "٥٦"  # digits: LTR
    assert str(shaping.drawn_glyphs("שרה", fonts.HEBREW, rtl=True)[0]) == "הרש"
    assert str(shaping.drawn_glyphs("५६", fonts.DEVANAGARI, rtl=False)[0]) == "५६"
