"""Reportlab paragraph fragments for the markup this app writes, built without its parser.

``Para`` (``workshop.pdf.flowables``) takes these for plain text and for the app's own markup
(``fonts.markup``, ``flowables.rich``, ``<br/>``): the same fragments reportlab's parser makes
(an HTMLParser run per paragraph, a tenth of a big pack's time), and None for anything else,
which goes to the parser.
"""
from __future__ import annotations

import copy
import re

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser


_TEMPLATES: dict[int, tuple] = {}   # id(style) -> (style, the fragment plain text gets)


def _template(style):
    """The fragment reportlab's parser makes for plain text in ``style`` (parsed once)."""
    entry = _TEMPLATES.get(id(style))
    if entry is None or entry[0] is not style:
        parsed = ParaParser().parse("x", style)[1]
        if parsed is None or len(parsed) != 1:
            return None
        entry = _TEMPLATES[id(style)] = (style, parsed[0])
    return entry[1]


def plain_frags(text: str, style) -> tuple[str, list] | None:
    """``(text, fragments)`` for markup-free text, as reportlab's parser would make them, or
    None when the text has markup (or is empty) and needs the parser. Most paragraphs of a
    handout are plain, and the parser (an HTMLParser run per paragraph) was a tenth of the
    time of a big pack: a plain paragraph is one fragment of the style with the text in it,
    so the parser's fragment for the style is copied instead."""
    if "<" in text or "&" in text:
        return None
    cleaned = cleanBlockQuotedText(text)
    if not cleaned:
        return None
    template = _template(style)
    if template is None:
        return None
    frag = copy.copy(template)
    frag.text = cleaned
    frag.link, frag.us_lines = [], []   # fresh, as each parse makes them
    frags = [frag]
    textTransformFrags(frags, style)
    return cleaned, frags


# The markup this module writes (fonts.markup, rich, <br/> for typed line breaks); anything
# else goes to reportlab's parser.
_TOKEN = re.compile(r'<b>|</b>|<br/>|<font name="([^"<>&]*)">|</font>|&(amp|lt|gt);|[^<&]+|.', re.S)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


def markup_frags(text: str, style) -> tuple[str, list] | None:
    """``(text, fragments)`` for the markup this app writes, built the way reportlab's parser
    builds them (a stack of fragments: ``<b>`` and ``<font>`` push a copy with bold or the
    face changed, each run of text or entity becomes a copy of the top, ``<br/>`` a line-break
    fragment), or None for anything else. The PDSA cycles' label-and-text paragraphs are
    most of the markup in a pack, and the parser costs ~0.3 ms each."""
    cleaned = cleanBlockQuotedText(text)
    template = _template(style) if cleaned else None
    if template is None:
        return None
    base = copy.copy(template)          # the <para> fragment, its face as ps2tt names it,
    del base.text
    base.link, base.us_lines = [], []   # with the lists its fragments share, as in a parse
    try:
        base.fontName = ps2tt(style.fontName)[0]
    except ValueError:
        return None
    stack, frags = [base], []

    def push(tag: str, **attrs) -> None:
        frag = copy.copy(stack[-1])
        frag.__tag__ = tag
        for key, value in attrs.items():
            setattr(frag, key, value)
        stack.append(frag)

    def data(chunk: str) -> None:
        frag = copy.copy(stack[-1])
        frag.fontName = tt2ps(frag.fontName, frag.bold, frag.italic)
        frag.text = chunk
        frags.append(frag)

    for match in _TOKEN.finditer(cleaned):
        token = match.group(0)
        if token == "<b>":
            push("b", bold=1)
        elif token == "<br/>":
            push("br", lineBreak=True, text="")
            data("")
            stack.pop()
        elif token.startswith("<font "):
            try:
                face, bold, italic = ps2tt(match.group(1))
            except ValueError:
                return None
            push("font", fontName=face, bold=bold, italic=italic)
        elif token in ("</b>", "</font>"):
            if len(stack) == 1 or stack[-1].__tag__ != token[2:-1]:
                return None
            stack.pop()
        elif match.group(2):
            data(_ENTITIES[match.group(2)])
        elif token[0] in "<&":
            return None
        else:
            data(token)
    if len(stack) != 1:
        return None
    textTransformFrags(frags, style)
    return cleaned, frags
