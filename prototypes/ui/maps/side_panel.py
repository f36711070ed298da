"""The map page's side panel: the analysis, the form for the one selected box or line (a box's
name — the vision's text —, owner, status, load and note; a line's rating and how it connects),
the line key and a short how-to. Layout and filling only: what a person changes goes out as a
signal, and the page decides what to save."""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QLineEdit, QSizePolicy, QStackedWidget,
                               QVBoxLayout, QWidget)

from prototypes.maps.analysis import MapAnalysis, analyse
from prototypes.maps.model import (LOAD_LABELS, LOADS, RATING_LABELS, STATUS_LABELS, STATUSES,
                                   InitiativeMap, Link, Node)
from prototypes.ui.maps.view import legend_pixmap
from workshop.ui.widgets import heading, name_form_fields, plain_label

NOTHING, NODE, LINK = range(3)   # the stacked pages


class MapDetails(QStackedWidget):
    """Edit the selected initiative or link; shows a hint when nothing (or several) is selected."""

    node_field_edited = Signal(str, object)  # payload: field of the shown box, its new value
    link_field_edited = Signal(str, object)  # payload: "rating" or "note" of the shown line, value

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.addWidget(plain_label("Select an initiative or a link to edit it.", word_wrap=True))
        self.addWidget(self._make_node_form())
        self.addWidget(self._make_link_form())
        self.show_page(NOTHING)

    def _make_node_form(self) -> QWidget:
        node_form = QWidget()
        form = QFormLayout(node_form)
        self.name_edit, self.owner_edit, self.note_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.status_combo, self.load_combo = QComboBox(), QComboBox()
        for status in STATUSES:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        for load in LOADS:
            self.load_combo.addItem(f"{load} — {LOAD_LABELS[load]}", load)
        form.addRow("&Name", self.name_edit)
        form.addRow("&Owner", self.owner_edit)
        form.addRow("&Status", self.status_combo)
        form.addRow("Lo&ad", self.load_combo)
        form.addRow("N&ote", self.note_edit)
        self.node_form = form
        name_form_fields(form)
        for edit, field in ((self.name_edit, "name"), (self.owner_edit, "owner"),
                            (self.note_edit, "note")):
            edit.editingFinished.connect(
                lambda e=edit, f=field: self.node_field_edited.emit(f, e.text()))
        self.status_combo.activated.connect(
            lambda _: self.node_field_edited.emit("status", self.status_combo.currentData()))
        self.load_combo.activated.connect(
            lambda _: self.node_field_edited.emit("load", self.load_combo.currentData()))
        return node_form

    def _make_link_form(self) -> QWidget:
        link_form = QWidget()
        lform = QFormLayout(link_form)
        self.rating_combo, self.link_note_edit = QComboBox(), QLineEdit()
        self.link_note_edit.setPlaceholderText("How does it connect?")
        for r in range(4):
            self.rating_combo.addItem(f"{r} — {RATING_LABELS[r]}", r)
        self.link_ends = plain_label(word_wrap=True)
        lform.addRow(self.link_ends)
        lform.addRow("&Rating", self.rating_combo)
        lform.addRow("&How it connects", self.link_note_edit)
        name_form_fields(lform)
        self.rating_combo.activated.connect(
            lambda _: self.link_field_edited.emit("rating", self.rating_combo.currentData()))
        self.link_note_edit.editingFinished.connect(
            lambda: self.link_field_edited.emit("note", self.link_note_edit.text()))
        return link_form

    def show_nothing(self) -> None:
        self.show_page(NOTHING)

    def show_node(self, node: Node) -> None:
        """Fill the form from a box; the vision has only its text."""
        self.node_form.labelForField(self.name_edit).setText("&Vision" if node.is_hub else "&Name")
        self.name_edit.setAccessibleName("Vision" if node.is_hub else "Name")
        for row in range(1, 5):
            self.node_form.setRowVisible(row, not node.is_hub)
        self.name_edit.setText(node.name)
        self.owner_edit.setText(node.owner)
        self.note_edit.setText(node.note)
        self.status_combo.setCurrentIndex(STATUSES.index(node.status))
        self.load_combo.setCurrentIndex(LOADS.index(node.load))
        self.show_page(NODE)

    def show_link(self, link: Link, ends: tuple[str, str]) -> None:
        """Fill the form from a line between the two named boxes."""
        self.link_ends.setText(f"{ends[0]} — {ends[1]}")
        self.rating_combo.setCurrentIndex(link.rating)
        self.link_note_edit.setText(link.note)
        self.show_page(LINK)

    def show_page(self, index: int) -> None:
        # A stacked widget is as tall as its tallest page; let only the shown page count.
        for i in range(self.count()):
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            self.widget(i).setSizePolicy(policy, policy)
        self.setCurrentIndex(index)
        self.adjustSize()


class MapSidePanel(QWidget):
    """Beside the canvas: the analysis of the open map, the details form, the line key."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._lines: list[tuple[str, str]] = []
        self._due: InitiativeMap | None = None   # a map whose analysis is still to be shown
        self._scheduled = False
        self.analysis_box = QVBoxLayout()
        self.details = MapDetails()
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Analysis", size=13))
        layout.addLayout(self.analysis_box)
        layout.addWidget(heading("Selected", size=13))
        layout.addWidget(self.details)
        layout.addWidget(heading("Line key", size=13))
        key = plain_label()
        key.setPixmap(legend_pixmap())
        layout.addWidget(key)
        layout.addWidget(plain_label(
            "Double-click the canvas to add an initiative, a box to rename it. Select two and "
            "press L to link them (one: link it to the vision); the new link is selected, so "
            "0–3 then rates it; Delete "
            "removes; Ctrl+Z undoes. Ctrl+wheel zooms, the middle button pans, F fits.",
            word_wrap=True))
        layout.addStretch()

    # The analysis of a map is made once the panel has painted: the first one imports networkx
    # (its bridges are betweenness centrality), about 200 ms that the page's first frame must
    # not wait for (issue 20). Until then the lines shown before stay, or "Analysing the map…".
    def analyse_after_paint(self, m: InitiativeMap) -> None:
        """Show the analysis of ``m`` after the next paint (at once if anything reads it)."""
        if self._due is None and not self._lines:
            self._replace_lines([("Analysing the map…", "")])
        self._due = m
        self.update()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._due is not None and not self._scheduled:
            self._scheduled = True   # a zero timer started while painting fires after the frame
            QTimer.singleShot(0, self._analyse_scheduled)

    def _analyse_scheduled(self) -> None:
        self._scheduled = False
        self._analyse_due()

    def _analyse_due(self) -> None:
        if self._due is not None:
            m, self._due = self._due, None
            self.show_analysis(analyse(m))

    def analysing(self) -> bool:
        """True while a map's analysis is still to be shown."""
        return self._due is not None

    @property
    def analysis_lines(self) -> list[tuple[str, str]]:
        """The analysis shown, as (title, text) lines (made now if it was still to come)."""
        self._analyse_due()
        return self._lines

    def show_analysis(self, analysis: MapAnalysis | None) -> None:
        """Replace the analysis lines (None: no academy open)."""
        self._due = None
        if analysis is None:
            self._lines = []
            self._replace_lines([])
            self.analysis_box.addWidget(plain_label("Open an academy to draw its maps.",
                                                    word_wrap=True))
            return
        self._lines = analysis.summary_lines()
        self._replace_lines(self._lines)

    def _replace_lines(self, lines: list[tuple[str, str]]) -> None:
        while self.analysis_box.count():
            widget = self.analysis_box.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for title, text in lines:
            label = plain_label(title)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            self.analysis_box.addWidget(label)
            if text:
                self.analysis_box.addWidget(plain_label(text, word_wrap=True))
