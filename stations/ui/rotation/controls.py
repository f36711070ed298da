"""The rotation page's controls: its keyboard actions (live on the page and in the projector
window; the room's keys in the whole main window) and the big buttons that trigger them,
enabled and labelled from a snapshot.

Layout only: the page hands in one slot per action and keeps calling the service itself.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QBoxLayout, QCheckBox, QGridLayout, QLabel, QPushButton, QSlider, QWidget

from stations.rotation.countdown import RUNNING
from stations.rotation.reader import RotationSnapshot
from workshop.ui.widgets import plain_label

#: key, action text, shortcut. "plus" also answers to "=" (the same key without Shift).
ACTIONS = [
    ("start", "Start rotation", "Ctrl+Return"),
    ("pause", "Pause", "Space"),
    ("next", "Next", "N"),
    ("minus", "−1 min", "-"),
    ("plus", "+1 min", "+"),
    ("plus5", "+5 min", "Shift+5"),
    ("set", "Set time…", "T"),
    ("restart", "Restart round…", "Ctrl+R"),
    ("end", "End rotation…", "Ctrl+E"),
    ("projector", "Open projector", "Ctrl+P"),
    ("fullscreen", "Projector full screen", "F11"),
    ("leave", "Leave full screen", "Esc"),
]
#: The room's keys: live in the whole main window, on every page (while a rotation runs, or
#: the projector is full screen), never while a text field has focus (the window sees to that).
WINDOW_WIDE = ("pause", "next", "minus", "plus", "fullscreen", "leave")
#: Actions that only make sense while the rotation runs (disabled otherwise, so their keys
#: keep their ordinary meaning: Space presses a focused button when nothing runs).
WHILE_RUNNING = ("pause", "next", "minus", "plus", "plus5", "set", "end")
#: The big buttons, in two rows of six at most: fits a 1366-wide laptop.
BIG_BUTTONS = ["start", "pause", "next", "minus", "plus", "plus5", "set", "restart", "end"]
#: How a screen reader says the buttons whose text is a symbol.
SPOKEN = {"−1 min": "One minute less", "+1 min": "One minute more", "+5 min": "Five minutes more"}
#: Button texts that do not change with the rotation's state.
LABELS = {"next": "Next  (N)", "minus": "−1 min  (−)", "plus": "+1 min  (+)", "plus5": "+5 min",
          "set": "Set time…", "restart": "Restart round…", "end": "End rotation…",
          "projector": "Open projector", "fullscreen": "Projector full screen  (F11)"}


def make_actions(owner: QWidget, projector: QWidget,
                 slots: dict[str, Callable[[], None]]) -> dict[str, QAction]:
    """One QAction per entry of :data:`ACTIONS`, calling ``slots[key]``, live while ``owner``
    is visible and in the projector window."""
    actions: dict[str, QAction] = {}
    for key, text, keys in ACTIONS:
        action = QAction(text, owner)
        sequences = [QKeySequence(keys)] + ([QKeySequence("=")] if key == "plus" else [])
        action.setShortcuts(sequences)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda checked=False, s=slots[key]: s())
        actions[key] = action
        owner.addAction(action)
        projector.addAction(action)
    return actions


def make_button(action: QAction, font: QFont | None = None) -> QPushButton:
    """A push button that triggers ``action``, named for screen readers by what it does.

    Reached by Tab but not focused by a click: a mouse user's Space stays pause/resume, and a
    keyboard user presses the focused button with Enter while Space pauses."""
    button = QPushButton()
    if font is not None:
        button.setFont(font)
        button.setMinimumHeight(48)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.setAccessibleName(SPOKEN.get(action.text(), action.text()))
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    if shortcut:
        button.setAccessibleDescription(f"Shortcut: {shortcut}")
    button.clicked.connect(action.trigger)
    return button


def big_buttons(actions: dict[str, QAction],
                font: QFont) -> tuple[QGridLayout, dict[str, QPushButton]]:
    """The grid of big buttons, and the buttons by key."""
    grid = QGridLayout()
    buttons: dict[str, QPushButton] = {}
    for i, key in enumerate(BIG_BUTTONS):
        buttons[key] = make_button(actions[key], font)
        grid.addWidget(buttons[key], *divmod(i, 6))
    return grid, buttons


def sound_controls(row: QBoxLayout, describe: str) -> tuple[QCheckBox, QSlider, QLabel]:
    """Mute, volume and what the chimes play through, at the end of ``row``."""
    mute = QCheckBox("Mute chimes")
    mute.setAccessibleName("Mute chimes")
    volume = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=100)
    volume.setMinimumWidth(100)
    volume.setMaximumWidth(160)
    volume.setAccessibleName("Chime volume")
    sound = plain_label(describe, word_wrap=True)
    sound.setMaximumWidth(320)
    row.addStretch(1)
    row.addWidget(mute)
    label = plain_label("Volume")
    label.setBuddy(volume)
    row.addWidget(label)
    row.addWidget(volume)
    row.addWidget(sound)
    return mute, volume, sound


def tab_chain(widgets: list[QWidget]) -> None:
    """Tab visits ``widgets`` in this order (Qt's default is the order they were made in)."""
    for before, after in zip(widgets, widgets[1:]):
        QWidget.setTabOrder(before, after)


def enable_actions(actions: dict[str, QAction], running: bool, in_round: bool,
                   full_screen: bool) -> None:
    """Enable the actions (and so their keys) for what the rotation can do now."""
    for key in WHILE_RUNNING:
        actions[key].setEnabled(running)
    actions["start"].setEnabled(not running)
    actions["restart"].setEnabled(in_round)
    actions["leave"].setEnabled(full_screen)


def show_state(buttons: dict[str, QPushButton], snap: RotationSnapshot) -> None:
    """Enable and label the buttons for what the rotation can do now."""
    running = snap.phase in RUNNING
    buttons["start"].setEnabled(not running)
    start = "Start again" if snap.phase == "finished" else "Start rotation"
    buttons["start"].setText(start)
    buttons["start"].setAccessibleName(start)
    for key in ("pause", "next", "minus", "plus", "plus5", "set", "end"):
        buttons[key].setEnabled(running)
    buttons["restart"].setEnabled(snap.phase == "round")
    buttons["pause"].setText("Resume  (Space)" if snap.paused else "Pause  (Space)")
    buttons["pause"].setAccessibleName("Resume" if snap.paused else "Pause")
    for key, label in LABELS.items():
        buttons[key].setText(label)


def show_closed(buttons: dict[str, QPushButton], actions: dict[str, QAction],
                header: tuple[QLabel, QLabel, QLabel, QWidget]) -> None:
    """No academy open: the page says so (``header``: where it is, its times, the big digits,
    the set-up form), every button says what it does (they were blank) and none can act."""
    phase, times, digits, setup = header
    phase.setText("No academy open")
    times.setText("Open one on the Academies page to run its rotation.")
    digits.setText("—")
    setup.setEnabled(False)
    for key, label in {**LABELS, "start": "Start rotation", "pause": "Pause  (Space)"}.items():
        buttons[key].setText(label)
    for key in BIG_BUTTONS:
        buttons[key].setEnabled(False)
    for key in WHILE_RUNNING + ("start", "restart", "leave"):
        actions[key].setEnabled(False)
