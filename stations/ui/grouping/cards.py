"""Group cards for the grouping page: a name field, a one-line summary and the members, which
can be dragged to another card and ticked to lock them in place. Layout and wiring only: every
change is reported by a signal and applied by the page (so it can be undone)."""
from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMenu, QScrollArea, QSplitter, QVBoxLayout,
                               QWidget)

from workshop.text import plural
from workshop.ui.widgets import plain_label, plain_tooltip, scrolled

MIME = "application/x-workshop-participant-ids"
STAGE_COLOURS = {"exploring": "#f2b134", "planning": "#3b82c4", "implementing": "#2e9e5b"}
STAGE_SHORT = {"exploring": "E", "planning": "P", "implementing": "I"}


def stage_legend() -> QWidget:
    """“■ exploring ■ planning ■ implementing”: what the colours on the cards mean."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(plain_label("Readiness:"))
    for stage in STAGE_COLOURS:
        swatch = QLabel()
        swatch.setPixmap(stage_icon(stage).pixmap(12, 12))
        row.addWidget(swatch)
        row.addWidget(plain_label(stage))
    row.addStretch(1)
    return box


def stage_icon(stage: str) -> QIcon:
    """A small square in the readiness stage's colour."""
    pix = QPixmap(12, 12)
    pix.fill(QColor(STAGE_COLOURS.get(stage, "#999999")))
    return QIcon(pix)


class MemberList(QListWidget):
    """A card's members. Dropping people here asks the page to move them to this group."""
    person_dropped = Signal(int, int)    # payload: participant id, target group index
    lock_toggled = Signal(int, bool)     # payload: participant id, locked

    def __init__(self, group_index: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.group_index = group_index
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(1)
        self.itemChanged.connect(self._item_changed)
        # Keyboard and context-menu moves reach the same slot as a drop.
        self.group_names: list[str] = []
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    def set_members(self, people: list, locked: set[int]) -> None:
        """Show these people, a lock box ticked for those locked."""
        self.blockSignals(True)
        self.clear()
        for p in people:
            text = f"{p.name}\n{p.school or 'no school'} · {p.role or 'no role'} · {p.readiness}"
            item = QListWidgetItem(stage_icon(p.readiness), text)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setToolTip(plain_tooltip(
                f"{p.name}\nSchool: {p.school or '—'}\nRole: {p.role or '—'}\n"
                f"Readiness: {p.readiness}\nTick to lock in this group."))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if p.id in locked else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(False)
        # The list shows everyone (the page scrolls, not each card); an empty group keeps room
        # to drop someone on.
        row = self.sizeHintForRow(0) if self.count() else 36
        self.setFixedHeight(max(72, self.count() * (row + 2 * self.spacing()) + 2 * self.frameWidth() + 4))

    def _item_changed(self, item: QListWidgetItem) -> None:
        self.lock_toggled.emit(item.data(Qt.ItemDataRole.UserRole),
                               item.checkState() == Qt.CheckState.Checked)

    def _current_pid(self) -> int | None:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def keyPressEvent(self, event) -> None:
        """Ctrl+Shift+Left/Right moves the selected person to the previous/next group;
        Space (the list's own) ticks the lock."""
        mods = event.modifiers()
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(event.key())
        pid = self._current_pid()
        wanted = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if step and pid is not None and (mods & wanted) == wanted:
            target = self.group_index + step
            if 0 <= target < len(self.group_names):
                self.person_dropped.emit(pid, target)
            event.accept()
            return
        super().keyPressEvent(event)

    def _context_menu(self, pos) -> None:
        item = self.itemAt(pos)
        if item is None:
            return
        pid = item.data(Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        move = menu.addMenu("Move to")
        for k, name in enumerate(self.group_names):
            if k != self.group_index:
                move.addAction(name, lambda k=k: self.person_dropped.emit(pid, k))
        locked = item.checkState() == Qt.CheckState.Checked
        menu.addAction("Unlock" if locked else "Lock in this group",
                       lambda: self.lock_toggled.emit(pid, not locked))
        menu.exec(self.viewport().mapToGlobal(pos))

    # -- drag and drop: carry participant ids, let the page do the move -------------------
    def mimeTypes(self) -> list[str]:
        """Drags carry participant ids only."""
        return [MIME]

    def mimeData(self, items) -> QMimeData:
        """The dragged people's ids, comma-separated."""
        data = QMimeData()
        ids = ",".join(str(i.data(Qt.ItemDataRole.UserRole)) for i in items)
        data.setData(MIME, ids.encode("ascii"))
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        """Move between cards; copy is what the drop reports (see dropEvent)."""
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def dragEnterEvent(self, event) -> None:
        """Accept drags of people, nothing else."""
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        """Show a move while people are dragged over the card."""
        if event.mimeData().hasFormat(MIME):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        """Ask the page to move each dropped person to this group."""
        if not event.mimeData().hasFormat(MIME):
            event.ignore()
            return
        raw = bytes(event.mimeData().data(MIME)).decode("ascii")
        # Copy, not move: the page rebuilds every card from its model, so the source list must
        # not delete its item on its own after the drag.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        for token in filter(None, raw.split(",")):
            self.person_dropped.emit(int(token), self.group_index)


class GroupCard(QFrame):
    """One group: name (editable), summary, members."""
    renamed = Signal(int, str)   # payload: group index, the name as typed

    def __init__(self, index: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.index = index
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("groupCard")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(f"Name of group {index + 1}")
        font = self.name_edit.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.name_edit.setFont(font)
        self.name_edit.editingFinished.connect(self._name_done)
        self.summary = plain_label()
        self.members = MemberList(index)
        self.members.setAccessibleName(f"Members of group {index + 1}")
        layout = QVBoxLayout(self)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.summary)
        layout.addWidget(self.members, 1)
        self._name = ""

    def show_group(self, name: str, people: list, locked: set[int]) -> None:
        """Show the group's name, members and summary."""
        self._name = name
        if self.name_edit.text() != name:
            self.name_edit.setText(name)
        schools = len({p.school for p in people if p.school})
        roles = len({p.role for p in people if p.role})
        stages = [STAGE_SHORT.get(p.readiness, "?") for p in people]
        mix = " ".join(f"{s}{stages.count(s)}" for s in ("E", "P", "I") if stages.count(s))
        n_locked = sum(1 for p in people if p.id in locked)
        self.summary.setText(f"{plural(len(people), 'person', 'people')} · {plural(schools, 'school')} · {plural(roles, 'role')}\n"
                             f"Readiness {mix or '—'}" + (f" · {n_locked} locked" if n_locked else ""))
        self.summary.setToolTip("E, P, I: how many are exploring, planning, implementing")
        self.members.set_members(people, locked)

    def _name_done(self) -> None:
        text = self.name_edit.text()
        if text != self._name:
            self.renamed.emit(self.index, text)


def metrics_text(result, rounds: int, strategy: str) -> tuple[str, str]:
    """The metrics line and the notes under it for a GroupingResult (None: nothing to say)."""
    if result is None:
        return "", ""
    m = result.metrics
    bits = [f"Size spread {m.size_spread or 0}"]
    if rounds > 1:
        bits.append(f"Repeat pairs {m.repeat_pairs or 0} (at least {m.repeat_lower_bound or 0})")
    if m.isolated_minority is not None:
        bits.append(f"Isolated {m.isolated_minority}")
    if m.school_diversity_gap is not None:
        bits.append(f"School gap {m.school_diversity_gap}")
    if m.role_diversity_gap is not None:
        bits.append(f"Role gap {m.role_diversity_gap}")
    if m.readiness_spread is not None:
        bits.append(f"Readiness spread {m.readiness_spread}")
    if m.split_teams is not None and strategy in ("teams", "readiness"):
        bits.append(f"Split teams {m.split_teams}")
    lines = [f"Not met: {u['reason']}" for u in result.unmet] + result.notes[1:]
    return " · ".join(bits), "\n".join(lines)


ABOUT_HEIGHT = 200   # px the notes and rules start with; at 1280×720 the cards get 340


def notes_above_cards(about: tuple[QWidget, ...], grid: QGridLayout) -> tuple[QSplitter, QScrollArea]:
    """The notes and rules (``about``) above the readiness legend and the cards' ``grid``, in
    a splitter the facilitator can drag: stacked on the page, the rules and notes left the
    cards ~60 px of a 1280×720 projector. The cards get most of it; the notes scroll."""
    notes = QVBoxLayout()
    notes.setContentsMargins(0, 0, 0, 0)
    for widget in about:
        notes.addWidget(widget)
    notes.addStretch(1)
    about_scroll = scrolled(notes)
    about_scroll.setFrameShape(QFrame.Shape.NoFrame)
    cards_scroll = scrolled(grid)
    groups = QWidget()
    below = QVBoxLayout(groups)
    below.setContentsMargins(0, 0, 0, 0)
    below.addWidget(stage_legend())
    below.addWidget(cards_scroll, 1)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(about_scroll)
    splitter.addWidget(groups)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([ABOUT_HEIGHT, 1000])
    return splitter, cards_scroll
