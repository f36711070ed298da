"""Layout-only widgets of phone join: a station's card (QR code, link in words, who is there)
and the projector's join corner. Everything a participant typed is shown as plain text."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QLabel, QListView, QSizePolicy,
                               QVBoxLayout, QWidget)

from stations.join.model import StationAttendance
from stations.join.tally import station_tally
from workshop.ui.qr_widget import QrWidget
from workshop.ui.widgets import heading, plain_label

QR_SIDE = 114         # px: 3 px modules for a station link's 37
MAX_SHOWN_ROWS = 400  # beyond any academy's roster: every name is shown, the page scrolls


class NameList(QListView):
    """A list of names (plain text, as item models are). A string-list model replaces all rows
    in one call, so a burst of check-ins redraws each list once.

    It asks for the height of every name (up to ``MAX_SHOWN_ROWS``), so the page's scroll area,
    not a three-row window inside the list, is where a long list scrolls (issue 13, item 12)."""

    chosen = Signal(object)  # payload: the chosen row's participant id, or None

    def __init__(self, accessible: str):
        super().__init__()
        self.names = QStringListModel(self)
        self.ids: list[int] = []   # the participant id of each row ([] while it shows "nobody")
        self.setModel(self.names)
        self.setAccessibleName(accessible)
        # One name at a time can be chosen, for the page's actions (check in, merge, group).
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        # Measured once per change of the rows: a layout asks for both size hints many times,
        # and measuring 400 rows each time was a fifth of the UI thread's time in bench_room.
        self._height: int | None = None
        self._row_heights: dict[str, int] = {}  # a name -> its row's height in this font
        for changed in (self.names.modelReset, self.names.rowsInserted, self.names.rowsRemoved,
                        self.names.dataChanged, self.names.layoutChanged):
            changed.connect(self._forget_height)

    def _forget_height(self, *_) -> None:
        self._height = None

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._height = None
            self._row_heights.clear()
        super().changeEvent(event)

    def _rows_height(self) -> int:
        if self._height is None:
            self._height = self._measure()
        return self._height

    def _measure(self) -> int:
        # Every row's own height: a name in another script (张伟, Ольга) comes from a fallback
        # font and can stand taller than the first row, so one row's height times the count
        # would hide the last names behind the list's scroll bar.
        # Each name is measured once (``_row_heights``, until the font changes): the list of
        # people not checked in anywhere changes with every check-in of a storm.
        count = min(self.names.rowCount(), MAX_SHOWN_ROWS)
        line = self.fontMetrics().height()
        if len(self._row_heights) > 4 * MAX_SHOWN_ROWS:
            self._row_heights.clear()
        rows = 0
        for r, text in enumerate(self.names.stringList()[:count]):
            height = self._row_heights.get(text)
            if height is None:
                height = self._row_heights[text] = max(self.sizeHintForRow(r), line)
            rows += height
        return (rows or line) + 2 * self.frameWidth() + 2

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._rows_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._rows_height())

    def texts(self) -> list[str]:
        return self.names.stringList()

    def _current_changed(self, current, _previous) -> None:
        # The row the keyboard is on is the chosen one (Qt leaves the first row unselected
        # when Tab lands on the list).
        if current.isValid() and not self.selectionModel().isSelected(current):
            self.selectionModel().select(current, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.chosen.emit(self.chosen_id())

    def chosen_id(self) -> int | None:
        """The participant id of the chosen row (None when none is chosen)."""
        rows = self.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def choose(self, pid: int) -> None:
        """Choose the row of this person (as arrows or a click would)."""
        if pid in self.ids:
            self.setCurrentIndex(self.names.index(self.ids.index(pid)))


def name_list(accessible: str) -> NameList:
    """A list of names for the attendance columns (``accessible``: its screen-reader name)."""
    return NameList(accessible)


def fill(names: NameList, rows: list[str], empty: str, ids: list[int] | None = None) -> None:
    """Show ``rows`` (or ``empty`` when there are none) in the list; ``ids``: each row's
    participant id, so a chosen name stays chosen when the list is redrawn."""
    ids = list(ids or []) if rows else []
    rows = rows or [empty]
    if names.texts() != rows or names.ids != ids:  # unchanged lists are left alone
        kept = names.chosen_id()
        names.ids = ids
        names.names.setStringList(rows)
        names.updateGeometry()  # its height follows its names
        if kept is not None:
            names.choose(kept)


class StationCard(QFrame):
    """One station: its QR code and link, who is here now and who the schedule expects."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = heading("", size=13)
        self.title.setWordWrap(True)
        self.qr = QrWidget()
        # 3 px modules for a station link (37 modules): crisp and scannable from the screen,
        # and small enough to sit beside the title, so the names below get the card's height
        # on a 1280×720 projector (above the names, a 4 px code left them ~130 px).
        self.qr.setFixedSize(QR_SIDE, QR_SIDE)
        self.url = plain_label()  # never wrapped: a token broken at "-" would be misread
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                         | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.url.setAccessibleName("Join link in words")
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(8)
        self.url.setFont(mono)
        self.counts = plain_label(word_wrap=True)
        bold = self.counts.font()
        bold.setBold(True)
        self.counts.setFont(bold)
        self.here = name_list("Checked in here now")
        self.missing = name_list("Expected here, not checked in")
        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.addWidget(self.title)
        words.addWidget(self.counts)
        words.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.url)   # the card's width: a link's token (43 letters) is one line
        layout.addWidget(plain_label("Here now"))
        layout.addWidget(self.here)
        layout.addWidget(plain_label("Expected, not checked in"))
        layout.addWidget(self.missing)
        layout.addStretch(1)

    def show_link(self, title: str, url: str, live: bool) -> None:
        self.title.setText(title)
        self.qr.set_text(url if live else "")
        # Break after "/s/" so the card stays narrow; the token itself never breaks.
        self.url.setText(url.replace("/s/", "/s/\n", 1) if live
                         else "No code yet: phones cannot join.")

    def show_attendance(self, row: StationAttendance, names: dict[int, str], walk_ins: set[int]) -> None:
        self.counts.setText(station_tally(row, walk_ins).line())
        unexpected = set(row.unexpected)

        def label(pid: int) -> str:
            marks = (" · walk-in" if pid in walk_ins else "") + (
                " · group is elsewhere" if pid in unexpected else "")
            return names.get(pid, "?") + marks
        fill(self.here, [label(p) for p in row.here], "Nobody yet", row.here)
        fill(self.missing, [names.get(p, "?") for p in row.missing],
             "Everyone expected is here" if row.expected else "No schedule yet", row.missing)


class JoinCorner(QWidget):
    """The projector's corner for latecomers: one station's QR code with its link in words,
    and how many have checked in (counts only, never names)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # White behind the code and its words: a QR code needs a light quiet zone to scan.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("background: white; color: black;")
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.qr = QrWidget()
        self.qr.setMinimumSize(40, 40)
        self.url = QLabel()
        self.url.setTextFormat(Qt.TextFormat.PlainText)
        self.url.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.url.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.counts.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The room's Wi-Fi code beside the station's (issue 19): scanned first, it puts the
        # phone on the network the station's link is on. Its words name the network only.
        self.wifi = QWidget()
        self.wifi_qr = QrWidget()
        self.wifi_qr.setMinimumSize(40, 40)
        self.wifi_name = QLabel()
        self.wifi_name.setTextFormat(Qt.TextFormat.PlainText)
        self.wifi_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.wifi_name.setWordWrap(True)
        wifi = QVBoxLayout(self.wifi)
        wifi.setContentsMargins(0, 0, 0, 0)
        wifi.addWidget(self.wifi_qr, 1)
        wifi.addWidget(self.wifi_name)
        self.wifi.hide()
        codes = QHBoxLayout()
        codes.addWidget(self.wifi, 1)
        codes.addWidget(self.qr, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(1)
        layout.addWidget(self.caption)
        layout.addLayout(codes, 1)
        layout.addWidget(self.url)
        layout.addWidget(self.counts)

    def show_wifi(self, code: str, name: str) -> None:
        """The room's Wi-Fi code ("" hides it) and its name in words."""
        self.wifi_qr.set_text(code)
        self.wifi_qr.setToolTip("")   # the code carries the password: no tooltip spells it
        self.wifi_qr.setAccessibleDescription(f"Joins the Wi-Fi {name}" if code else "")
        self.wifi_name.setText(f"Wi-Fi: {name}" if code else "")
        self.wifi.setVisible(bool(code))

    def show_station(self, title: str, url: str, checked_in: int, expected: int) -> None:
        self.caption.setText(f"Late? Scan to join {title.split(' — ')[0]}")
        self.qr.set_text(url)
        self.url.setText(url.removeprefix("http://"))
        self.counts.setText(f"{checked_in} of {expected} checked in" if expected
                            else f"{checked_in} checked in")

    def resizeEvent(self, event) -> None:
        # Letters follow the corner's size (it is a fraction of the projector's height).
        side = min(self.width(), self.height())
        for label, share in ((self.caption, 0.055), (self.url, 0.04), (self.counts, 0.05),
                             (self.wifi_name, 0.04)):
            font = label.font()
            font.setPixelSize(max(8, round(side * share)))
            label.setFont(font)
        super().resizeEvent(event)
