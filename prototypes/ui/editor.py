"""The prototype editor: every change saved at once (no Save button), undo/redo, validation that
explains itself, the status with its safe-to-try rule, and tabs for the check and the cycles.

Keyboard: Alt+letter jumps to a field (the underlined letter of its label), Tab moves on (also
out of the long text boxes), Ctrl+PgUp/PgDown switch tabs, Alt+Left goes back to the library.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGridLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QSizePolicy, QTabWidget, QVBoxLayout, QWidget)

from prototypes.prototype import (CLASSROOM_MODELS, CONTENT_LABELS, CORE_FOUR, STATUSES,
                                  TRANSITIONS, Prototype)
from prototypes.ui.binding import SaveAtOnce, plain_tooltip
from prototypes.ui.check_view import SafeToTryView
from prototypes.ui.measures.view import MeasuresView
from prototypes.ui.timeline import TimelineView
from workshop.errors import ValidationError
from workshop.timefmt import day, local_time
from workshop.ui.theme import INVALID_STYLE, MUTED, WARNING, colour_text, style_error
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import heading, plain_label, scrolled

# Prompts shown in empty fields: the questions the design academy asks teams.
PROMPTS = {
    "title": "A few words a colleague would recognise, e.g. “Math stations in grade 5”",
    "why": "What problem does this address, and why does it matter to your students?",
    "students": "Which students will it serve? What do they need?",
    "teachers_more": "What will teachers do more of? (small-group teaching, conferring…)",
    "teachers_less": "What will teachers do less of? (lecturing to everyone at once…)",
    "success_measures": "How will you know early that it works? Measures and indicators",
    "resources": "Devices, tools, materials, space, people",
    "owner": "Who carries it forward",
    "model_other": "Name the model",
}
LONG_FIELDS = ("why", "students", "teachers_more", "teachers_less", "success_measures",
               "resources")
MNEMONICS = {"title": "&Title", "team": "T&eam (school)", "owner": "&Owner",
             "model": "Classroom &model", "model_other": "Ot&her model",
             "why": "Problem and &why it matters", "students": "&Students and their needs",
             "teachers_more": "Teachers do mo&re of", "teachers_less": "Teachers do &less of",
             "success_measures": "Early si&gns of success",
             "resources": "Reso&urces and devices"}

# "→ Adopted" beside "→ Adapted" read as one word at a glance: the buttons say what each does.
MOVE_LABELS = {"adopted": "Adopt as is", "adapted": "Adapt and continue"}


class PrototypeEditor(QWidget):
    """The prototype editor: its fields, status, safe-to-try check and iteration timeline."""

    back_requested = Signal()
    changed = Signal(int)   # payload: id of the prototype just saved (content, check, cycles)
    notified = Signal(str)  # payload: a short message for the status bar

    def __init__(self, service, stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.stack = stack
        self.prototype_id: int | None = None
        self.setStyleSheet(INVALID_STYLE)

        self.back_button = QPushButton("← &Library")
        self.back_button.setToolTip("Back to the prototype library (Alt+Left)")
        self.back_button.clicked.connect(self.back_requested)
        QShortcut(QKeySequence("Alt+Left"), self, activated=self.back_requested.emit)
        self.heading = heading("")
        self.saved_label = plain_label("")
        self.saved_label.setObjectName("savedHint")
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading, 1)
        top.addWidget(self.saved_label)

        self.status_label = plain_label("")
        self.history_label = plain_label("")
        colour_text(self.history_label, MUTED)
        # A long history may be cut on a narrow window rather than widen it (full text on hover).
        self.history_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.history_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.status_buttons = QHBoxLayout()
        self.status_message = plain_label("", word_wrap=True)
        colour_text(self.status_message, WARNING)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label)
        status_row.addLayout(self.status_buttons)
        status_row.addStretch()
        status_row.addWidget(self.history_label, 1)

        self.error_label = plain_label("", word_wrap=True)
        style_error(self.error_label)
        self.error_label.hide()
        self.binder = SaveAtOnce(stack, self._save, self.error_label, self)
        self.binder.saved.connect(self._after_save)
        self.fields: dict[str, QWidget] = {}

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_form(), "&Prototype")
        self.check_view = SafeToTryView(service, stack)
        self.check_view.changed.connect(self._after_check)
        self.tabs.addTab(self.check_view, "Safe-to-tr&y check")
        self.timeline = TimelineView(service, stack)
        self.timeline.changed.connect(lambda: self._emit_changed())
        self.tabs.addTab(self.timeline, "&Iterations (PDSA)")
        self.measures = MeasuresView(service, stack)
        self.measures.changed.connect(lambda: self._emit_changed())
        self.measures.notified.connect(self.notified)
        # A new cycle or decision moves the chart's cycle lines and re-bases its median.
        self.timeline.changed.connect(self.measures.refresh_if_open)
        self.measures.changed.connect(self.timeline.refresh_measures)
        self.tabs.addTab(self.measures, "Me&asures && charts")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(status_row)
        layout.addWidget(self.status_message)
        layout.addWidget(self.error_label)
        layout.addWidget(self.tabs, 1)

    # -- the form ----------------------------------------------------------------------------
    def _build_form(self) -> QWidget:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def add(key: str, widget: QWidget) -> None:
            self.fields[key] = self.binder.bind(key, widget, CONTENT_LABELS[key])
            if key in PROMPTS and hasattr(widget, "setPlaceholderText"):
                widget.setPlaceholderText(PROMPTS[key])
            label = QLabel(MNEMONICS.get(key, CONTENT_LABELS[key]))
            label.setBuddy(widget)
            form.addRow(label, widget)

        add("title", QLineEdit())
        team = QComboBox()
        team.setEditable(True)
        team.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        add("team", team)
        add("owner", QLineEdit())
        model = QComboBox()
        for key, label in CLASSROOM_MODELS.items():
            model.addItem(label, key)
        add("model", model)
        add("model_other", QLineEdit())
        core = QWidget()
        grid = QGridLayout(core)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (key, label) in enumerate(CORE_FOUR.items()):
            box = QCheckBox(label)
            self.fields[f"core.{key}"] = self.binder.bind(f"core.{key}", box, label)
            grid.addWidget(box, i // 2, i % 2)
        form.addRow("Core Four elements", core)
        for key in LONG_FIELDS:
            box = QPlainTextEdit()
            box.setMinimumHeight(64)
            box.setMaximumHeight(110)
            add(key, box)

        return scrolled(form)

    # -- opening -----------------------------------------------------------------------------
    def open(self, prototype_id: int) -> None:
        """Show a prototype; the undo history of the previous one is dropped."""
        self.stack.clear()
        self.prototype_id = prototype_id
        p = self.service.get(prototype_id)
        team = self.fields["team"]
        team.blockSignals(True)
        team.clear()
        team.addItems(self.service.teams(p.academy_id))
        team.blockSignals(False)
        self.binder.load(prototype_id, self._values(p))
        self._show_other(p)
        self.heading.setText(p.title)
        self.saved_label.setText("Saved")
        self.status_message.clear()
        self._refresh_status(p)
        self.check_view.open(prototype_id)
        self.timeline.open(prototype_id)
        self.measures.open(prototype_id)
        self.tabs.setCurrentIndex(0)
        self.fields["title"].setFocus()

    @staticmethod
    def _values(p: Prototype) -> dict:
        values = {key: getattr(p, key) for key in CONTENT_LABELS if key != "core_four"}
        values |= {f"core.{k}": k in p.core_four for k in CORE_FOUR}
        return values

    def _show_other(self, p: Prototype) -> None:
        self.fields["model_other"].setEnabled(p.model == "other")

    # -- saving ------------------------------------------------------------------------------
    def _save(self, prototype_id: int, key: str, value) -> None:
        if key.startswith("core."):
            element = key.split(".", 1)[1]
            current = set(self.service.get(prototype_id).core_four)
            current = current | {element} if value else current - {element}
            self.service.update(prototype_id, core_four=tuple(current))
        else:
            self.service.update(prototype_id, **{key: value})

    def _after_save(self, key: str) -> None:
        p = self.service.get(self.prototype_id)
        if key == "title":
            self.heading.setText(p.title)
        if key == "model":
            self._show_other(p)
        self._emit_changed()

    def _after_check(self) -> None:
        self._refresh_status(self.service.get(self.prototype_id))
        self._emit_changed()

    def _emit_changed(self) -> None:
        p = self.service.get(self.prototype_id)
        self.saved_label.setText(f"Saved {local_time(p.updated_at)}")
        self.changed.emit(self.prototype_id)

    # -- status ------------------------------------------------------------------------------
    def _refresh_status(self, p: Prototype) -> None:
        since = p.history[-1].on if p.history else None
        trail = " → ".join(f"{STATUSES[h.status]} {day(h.on)}" for h in p.history)
        self.status_label.setText(f"Status: {p.status_label}" + (f" since {day(since)}"
                                                                   if since else ""))
        self.history_label.setText(trail if len(p.history) > 1 else "")
        self.history_label.setToolTip(trail)
        while self.status_buttons.count():
            button = self.status_buttons.takeAt(0).widget()
            button.setParent(None)  # gone at once, not at the next turn of the event loop
            button.deleteLater()
        for status in TRANSITIONS[p.status]:
            button = QPushButton(f"→ {MOVE_LABELS.get(status, STATUSES[status])}")
            reasons = p.can_move_to(status)
            button.setToolTip(plain_tooltip("\n".join(reasons)
                                            or f"Move this prototype to “{STATUSES[status]}”"))
            button.setProperty("blocked", bool(reasons))
            button.clicked.connect(lambda checked=False, s=status: self.move_to(s))
            self.status_buttons.addWidget(button)
        blockers = p.check.blockers() if "trying" in TRANSITIONS[p.status] else []
        self.status_message.setText("Not yet safe to try: " + " ".join(blockers) if blockers
                                    else "")
        self.status_message.setVisible(bool(blockers))

    def move_to(self, status: str) -> bool:
        """Change the status (undoable); a refused move explains itself under the status."""
        pid = self.prototype_id
        try:
            self.service.change_status(pid, status)
        except ValidationError as exc:
            self.status_message.setText(str(exc))
            self.status_message.show()
            self.notified.emit(str(exc))
            return False

        def redo() -> None:
            self.service.change_status(pid, status)
            self._status_changed(pid)

        def undo() -> None:
            self.service.revert_status(pid)
            self._status_changed(pid)
        self.stack.push(SavedCommand(f"Move to {STATUSES[status]}", redo, undo))
        self._status_changed(pid)
        self.notified.emit(f"“{self.service.get(pid).title}” is now {STATUSES[status].lower()}.")
        return True

    def _status_changed(self, pid: int) -> None:
        if pid == self.prototype_id:
            self._refresh_status(self.service.get(pid))
            self.timeline.refresh()
        self.changed.emit(pid)
