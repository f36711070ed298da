"""Imported for its effect by the fork server that the pack's render processes start from
(``workshop.handouts.service``): every worker then begins with reportlab imported, the stylesheet built
and every bundled font parsed, instead of spending about half a second of its own on them."""
from workshop.pdf import fonts
from workshop.pdf.styles import styles

fonts.register_all()
styles()
