"""The stand-ins for reportlab's pure-Python ``fp_str`` and ``escapePDF`` (issue 20): in use
everywhere reportlab writes numbers and strings, and byte for byte what reportlab writes."""
from __future__ import annotations

import io
import math

import pytest
from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings

import workshop.pdf  # noqa: F401  (installs the stand-ins)
from reportlab.lib import rl_accel

python_only = pytest.mark.skipif("fp_str" in rl_accel._c_funcs,
                                reason="reportlab's C accelerator is installed: nothing replaced")

ORIGINAL_FP_STR = rl_accel._py_funcs.get("fp_str")
ORIGINAL_ESCAPE = rl_accel._py_funcs.get("escapePDF")
numbers = st.one_of(st.integers(-10**9, 10**9),
                    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))


@python_only
def test_every_reportlab_module_writes_with_the_stand_ins():
    from reportlab.pdfbase import pdfdoc, ttfonts
    from reportlab.pdfgen import canvas, pathobject, textobject
    from reportlab.platypus import flowables, tables
    for module in (canvas, textobject, pathobject, pdfdoc, ttfonts, flowables, tables):
        if hasattr(module, "fp_str"):
            assert module.fp_str is rl_accel.fp_str is not ORIGINAL_FP_STR, module.__name__
    for module in (canvas, pdfdoc):
        assert module.escapePDF is rl_accel.escapePDF is not ORIGINAL_ESCAPE, module.__name__


@python_only
@pytest.mark.fuzz
@fuzz_settings(300)
@given(st.lists(numbers, max_size=6), st.booleans())
def test_fp_str_writes_what_reportlab_writes(values, as_sequence):
    for _ in range(2):   # the second time from what it remembered
        if as_sequence:
            assert rl_accel.fp_str(values) == ORIGINAL_FP_STR(values)
        else:
            assert rl_accel.fp_str(*values) == ORIGINAL_FP_STR(*values)


@python_only
def test_fp_str_on_the_edges():
    for value in (0, -0.0, 1e-8, -1e-7, 1, True, 0.5, -0.5, 1.0000001, 999999.5, 1e12, 2**70,
                  math.pi, (1, 2.5), [0.25, -3]):
        args = value if isinstance(value, (tuple, list)) else (value,)
        assert rl_accel.fp_str(*args) == ORIGINAL_FP_STR(*args)
        assert rl_accel.fp_str(args) == ORIGINAL_FP_STR(args)
    assert rl_accel.fp_str() == ORIGINAL_FP_STR() == ""


@python_only
@pytest.mark.fuzz
@fuzz_settings(300)
@given(st.one_of(st.text(), st.text(st.characters(max_codepoint=255)), st.binary()))
def test_escape_writes_what_reportlab_writes(text):
    try:
        expected = ORIGINAL_ESCAPE(text)
    except KeyError:   # reportlab refuses code points above 255; so must the stand-in
        with pytest.raises(KeyError):
            rl_accel.escapePDF(text)
        return
    assert rl_accel.escapePDF(text) == expected


@python_only
def test_a_page_is_byte_identical_with_and_without_the_stand_ins(monkeypatch):
    from reportlab.pdfgen import canvas as canvas_module

    def page() -> bytes:
        out = io.BytesIO()
        c = canvas_module.Canvas(out, invariant=1, pageCompression=0)
        c.setFont("Helvetica", 10.5)
        c.drawString(56.7, 780.25, "(Zoë) \\ 12 % done")
        c.rect(10.125, 20, 33.3333, 0.01, fill=1)
        c.showPage()
        c.save()
        return out.getvalue()
    fast = page()
    monkeypatch.setattr(canvas_module, "fp_str", ORIGINAL_FP_STR)
    monkeypatch.setattr(canvas_module, "escapePDF", ORIGINAL_ESCAPE)
    import reportlab.pdfgen.textobject as textobject
    import reportlab.pdfgen.pathobject as pathobject
    import reportlab.pdfbase.pdfdoc as pdfdoc
    for module in (textobject, pathobject, pdfdoc):
        monkeypatch.setattr(module, "fp_str", ORIGINAL_FP_STR)
    monkeypatch.setattr(pdfdoc, "escapePDF", ORIGINAL_ESCAPE)
    assert page() == fast


@python_only
def test_a_font_subsets_bytes_are_escaped_without_reportlabs_loop(monkeypatch):
    # reportlab's pure-Python escaping looks every byte up in _ESCAPEDICT; the stand-in uses
    # its own copy of that table, so emptying reportlab's shows which one ran.
    expected = ORIGINAL_ESCAPE(b"(a\\b) \x00\x7f\xff")
    monkeypatch.setattr(rl_accel, "_ESCAPEDICT", {})
    assert rl_accel.escapePDF(b"(a\\b) \x00\x7f\xff") == expected


def test_reportlabs_c_accelerator_is_installed_and_not_shadowed():
    # rl_accel is pinned (requirements.lock): reportlab must find it, and our stand-ins must
    # leave its C functions in place wherever reportlab writes numbers and strings.
    from reportlab.lib import rl_accel as accel
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen import canvas, textobject

    from workshop.pdf import accel as ours
    ours.install()
    for name in ("fp_str", "escapePDF", "instanceStringWidthTTF", "calcChecksum"):
        assert name in accel._c_funcs, f"rl_accel is not installed: {name} is pure Python"
        assert type(getattr(accel, name)).__name__ == "builtin_function_or_method", name
    for module in (canvas, textobject, pdfdoc):
        assert module.fp_str is accel._c_funcs["fp_str"], module.__name__
    assert pdfdoc.escapePDF is canvas.escapePDF is accel._c_funcs["escapePDF"]


def test_a_subset_file_is_made_once_a_process_and_is_reportlabs():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontFile

    from workshop.pdf import fonts
    fonts.register_fonts()
    face = pdfmetrics.getFont(fonts.REGULAR).face
    original = TTFontFile.makeSubset.__wrapped_original__
    subsets = [[32, 65, 66, 0x451], [65, 32, 66], [0x4E2D, 65]]   # order matters; one missing
    for subset in subsets + subsets:
        assert face.makeSubset(subset) == original(face, subset)
    remembered = face.__dict__["_workshop_subsets"]
    assert all(tuple(s) in remembered for s in subsets)
    assert face.makeSubset(subsets[0]) is face.makeSubset(list(subsets[0]))   # from the memo


@fuzz_settings(200)
@given(st.text(max_size=20))
def test_a_remembered_pdf_name_is_reportlabs(name):
    from reportlab.pdfbase import pdfdoc
    original = pdfdoc.PDFName.__wrapped_original__
    for _ in range(2):
        assert pdfdoc.PDFName(name) == original(name)
