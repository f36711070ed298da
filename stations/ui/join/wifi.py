"""The room's Wi-Fi on the Attendance page (issue 19 item 4): its name, security and password,
saved at once (with undo) to the local file only; the signs and the projector's corner then
show a Wi-Fi QR code beside the station's."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from stations.network.wifi import SECURITIES, SECURITY_LABELS, WifiNetwork
from workshop.errors import ValidationError
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import plain_label

# One line on a 1280-pixel projector (three lines took the stations' names' height); the
# fields' tooltip says the rest.
HINT = ("Optional: a second QR code on the signs and the projector puts phones on this Wi-Fi "
        "(kept on this laptop only).")
DETAIL = ("The room's Wi-Fi, for a second QR code on the signs and the projector that puts "
          "phones on it. Kept on this laptop only; never sent to a phone.")


class WifiPanel(QWidget):
    """Name, security and password of the room's Wi-Fi; saved when a field is left."""

    changed = Signal(str)  # payload: a line for the status bar; the Wi-Fi as stored changed

    def __init__(self, network, undo_stack, parent: QWidget | None = None):
        """``network``: ``ctx.join.network`` (``stations.network.service.RoomNetwork``)."""
        super().__init__(parent)
        self.network = network
        self.undo_stack = undo_stack
        self.academy_id: int | None = None
        self.ssid = QLineEdit()
        self.ssid.setPlaceholderText("Wi-Fi name")
        self.ssid.setAccessibleName("Wi-Fi name")
        self.security = QComboBox()
        self.security.setAccessibleName("Wi-Fi security")
        for key in SECURITIES:
            self.security.addItem(SECURITY_LABELS[key], key)
        self.password = QLineEdit()
        self.password.setPlaceholderText("Wi-Fi password")
        self.password.setAccessibleName("Wi-Fi password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_password = QCheckBox("Show")
        self.show_password.toggled.connect(lambda on: self.password.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        self.message = plain_label(HINT, word_wrap=True)
        for widget in (self.ssid, self.security, self.password):
            widget.setToolTip(DETAIL)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(plain_label("Room Wi-Fi:"))
        row.addWidget(self.ssid, 2)
        row.addWidget(self.security)
        row.addWidget(self.password, 2)
        row.addWidget(self.show_password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.ssid.editingFinished.connect(self.save)
        self.password.editingFinished.connect(self.save)
        self.security.activated.connect(lambda *_: self.save())
        self.security.currentIndexChanged.connect(self._security_shown)

    def _security_shown(self, *_) -> None:
        # An open network has no password: the field says so rather than keep a stale one.
        self.password.setEnabled(self.security.currentData() != "none")

    def set_academy(self, academy_id: int | None) -> None:
        """Show the academy's Wi-Fi (empty fields without one)."""
        self.academy_id = academy_id
        self.setEnabled(academy_id is not None)
        self._show(self.network.wifi(academy_id) if academy_id is not None else None)
        self.message.setText(HINT)

    def _show(self, network: WifiNetwork | None) -> None:
        for widget in (self.ssid, self.password, self.security):
            widget.blockSignals(True)
        self.ssid.setText(network.ssid if network else "")
        self.password.setText(network.password if network else "")
        self.security.setCurrentIndex(SECURITIES.index(network.security) if network else 0)
        for widget in (self.ssid, self.password, self.security):
            widget.blockSignals(False)

    def typed(self) -> WifiNetwork | None:
        """The Wi-Fi as the fields say (None: no name, so no Wi-Fi code)."""
        if not self.ssid.text().strip():
            return None
        security = self.security.currentData()
        return WifiNetwork(self.ssid.text(), security,
                           "" if security == "none" else self.password.text())

    def save(self) -> None:
        """Store what the fields say when it differs; a Wi-Fi no phone could join is not
        stored, and the line under the fields says why."""
        if self.academy_id is None:
            return
        academy_id, wanted = self.academy_id, self.typed()
        before = self.network.wifi(academy_id)
        if wanted == before:
            return
        try:
            self.network.set_wifi(academy_id, wanted)
        except ValidationError as exc:
            self.message.setText(f"Not saved: {exc}")
            return
        self.message.setText(HINT)

        def put(network):
            self.network.set_wifi(academy_id, network)
            if academy_id == self.academy_id:
                self._show(network)
            self.changed.emit("")
        text = "Forget the room's Wi-Fi" if wanted is None else "Set the room's Wi-Fi"
        self.undo_stack.push(SavedCommand(text, lambda: put(wanted), lambda: put(before)))
        self.changed.emit(f"The room's Wi-Fi ({wanted.ssid}) is on the signs and the projector."
                          if wanted else "The room's Wi-Fi is no longer shown.")
