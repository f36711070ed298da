"""Which bundled face draws a character is known from its cmap table alone, so a process
parses only the faces it draws with (the pack's command: the ones its academy's names need)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from workshop.pdf import fonts

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(fonts._FILES))
def test_a_face_s_cmap_ranges_are_the_characters_reportlab_maps(name):
    fonts._register(name)
    parsed = set(pdfmetrics.getFont(name).face.charToGlyph)
    ranges = fonts._coverage(name)
    assert list(ranges) == sorted(ranges) and all(a <= b for a, b in ranges)
    assert {code for first, last in ranges for code in range(first, last + 1)} == parsed


def _registered_after(code: str) -> list[str]:
    script = f"from workshop.pdf import fonts\n{code}\nprint(sorted(fonts._registered))\n"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return eval(out.stdout.strip().splitlines()[-1])


def test_choosing_a_face_parses_that_face_alone():
    """Korean is drawn by the last fallback but one: the six script faces and the 4 MB
    Chinese face before it are no longer parsed to learn that they lack it."""
    assert _registered_after("assert fonts.font_for('한') == fonts.HANGUL") == [fonts.HANGUL]
    assert _registered_after("assert fonts.runs('Zoë Ольга') == [(fonts.REGULAR, 'Zoë Ольга')]"
                             ) == [fonts.REGULAR, fonts.BOLD]


def test_the_faces_of_the_texts_are_registered_and_no_other():
    assert _registered_after("fonts.register_for(['Zoë', 'Núñez'])") == [fonts.REGULAR,
                                                                         fonts.BOLD]
    assert _registered_after("fonts.register_for(['Ольга & 张伟', 'مریم'])") == sorted(
        [fonts.REGULAR, fonts.BOLD, fonts.CJK, fonts.ARABIC])
