"""The join switch: what it says, and letting phones in without freezing the window (issue 19).

The window's join server is a process of its own, which takes from half a second to several
(a loaded laptop) to listen; waited for on the UI thread, it froze the projected window — the
countdown stopped. ``ServerStart`` has the JoinService start it in the background: meanwhile the
switch says so and starts no second one, and the end comes back to the UI thread through a
``Bridge`` (a queued signal), never by touching a widget from another thread.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication

from workshop.ui.bridge import Bridge

if TYPE_CHECKING:
    from stations.ui.join.attendance_page import AttendancePage

STARTING = ("Starting the join server… Phones can join in a moment: their address and the "
            "stations' codes show here then.")
NOT_YET = ("Phones cannot join yet. Press “Let phones join”; phones must be on the same Wi-Fi "
           "as this laptop.")
ACTIVATING_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Select, Qt.Key.Key_Return, Qt.Key.Key_Enter)
LET_IN, STARTING_LABEL, STOP = "Let phones join", "Starting…", "Stop phones joining"


def switch_state(join) -> tuple[bool, str, str]:
    """(whether the switch is on, its label, the line under it) for the server as it is now;
    on while it starts, so that pressing it again stops the start rather than starting another."""
    bound = join.bound
    if bound is not None:
        return True, STOP, bound.note
    if join.starting:
        return True, STARTING_LABEL, STARTING
    return False, LET_IN, NOT_YET


def show_label(action, label: str) -> None:
    """The action's label in the menu and on a tool button: a tool button shows the icon
    text, which Qt makes from the text without its "…" ("Starting" looked finished)."""
    action.setText(label)
    action.setIconText(label)


class ServerStart(QObject):
    """Starts the join server off the UI thread; ``ended`` says how, on the UI thread."""

    ended = Signal(object, str)   # payload: the Bound (None: it did not start), the reason ("")

    def __init__(self, join, parent: QObject | None = None):
        super().__init__(parent)
        self.join = join
        self._hop = Bridge(self)   # the start's end, from its thread to this one
        self._hop.posted.connect(lambda work: work())

    def start(self) -> None:
        """Start serving phones; ``ended`` comes once they can join or it failed (at once for
        a server on a thread; never when ``join.stop_server`` ended the start first). Raises
        ``workshop.net.ServerError`` while one starts or runs."""
        self.join.start_in_background(self._hop.post, self.ended.emit)


def mirror_switch(button, page: AttendancePage) -> None:
    """Another button of the page's action (the Rotation page's) as the page's switch: one
    width for its three labels (the row does not shift under the pointer as it turns), and a
    click while it reads "Starting…" calls the start off, as a click on the switch does: the
    action itself (Ctrl+J, the menu) leaves a start alone, and so does a key, as on the switch.
    Whether it was starting is read on the press: by ``clicked`` the action has triggered, and a
    click that starts it reads "Starting…" too."""
    metrics = button.fontMetrics()
    frame = button.sizeHint().width() - metrics.horizontalAdvance(button.text())
    button.setMinimumWidth(frame + max(metrics.horizontalAdvance(label)
                                       for label in (LET_IN, STARTING_LABEL, STOP)))
    pressed_while_starting = [False]
    button.pressed.connect(lambda: pressed_while_starting.__setitem__(
        0, page.join.starting and QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton))
    button.clicked.connect(lambda: pressed_while_starting[0] and page.join.starting
                           and page.serve_button.click())


class AskBeforeKeyStops(QObject):
    """On the join switch: a key that would stop phones asks first (a click on the button
    itself stops at once), and while the server starts does nothing. Space lands on a focused
    button by accident (it pauses elsewhere)."""

    def __init__(self, page: AttendancePage):
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) \
                and event.key() in ACTIVATING_KEYS \
                and (self.page.join.running or self.page.join.starting):
            if event.type() == QEvent.Type.KeyPress and not event.isAutoRepeat():
                self.page.ask_to_stop()
            return True
        return False
