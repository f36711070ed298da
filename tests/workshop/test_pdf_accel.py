"""reportlab's C accelerator is found and kept, and the writer's memos (``workshop.pdf.accel``)
give byte for byte what reportlab gives (issue 20)."""
from __future__ import annotations

from hypothesis import given, strategies as st

from tests.fuzzing import fuzz_settings

import workshop.pdf  # noqa: F401  (installs the memos)


def test_reportlabs_c_accelerator_is_installed_and_not_shadowed():
    # rl_accel is pinned (requirements.lock): reportlab must find it, and our memos must
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
