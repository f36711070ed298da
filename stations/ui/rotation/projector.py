"""The projector view: what the room reads from the back wall.

A separate top-level window. It is a pure view of a :class:`RotationSnapshot` — the control
page hands it one on every repaint tick (``set_snapshot``) — and paints everything itself,
scaled from the window's height, so the same layout reads at 1280×720 and at 4K:

- the round ("Round 2 of 3") and what is happening, at the top;
- the countdown, digits at least a quarter of the window's height;
- a card per station: a stripe of its colour (Okabe–Ito), its name, and the groups there
  now — during a transition the groups coming, during the debrief the station's prompt. Up
  to three cards in a row; four to six in two rows, names and groups still at least 5 % of
  the height at 1920×1080 (the digits then give up a little, staying over a quarter).

Text is fitted to its box (shrunk, never clipped). What does not change between seconds is
painted once into a cached pixmap, so a repaint costs about a millisecond at 1920×1080.

**Join corner** (for the phone-join feature): ``set_join_corner(widget)`` places any widget —
the join QR code with its URL — in the top-right corner, a square whose side is
``JOIN_CORNER`` × the window height; the projector keeps its geometry on resize, and the
widget should paint to fill the size it is given. ``set_join_corner(None)`` removes it (the
caller keeps ownership). ``join_corner_rect()`` tells the square's geometry. Counts and group
names only ever appear here; never anyone's email.
"""
from __future__ import annotations

import math
import time

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from stations.rotation.wording import card_text, clock_text, headline, spoken
from stations.ui.rotation.fitting import Box, Fitter
from stations.setup.palette import BACKGROUND, PAUSED, TEXT, TEXT_SOFT, WARNING, station_colour

CARD = "#1B2229"
JOIN_CORNER = 0.26           # side of the join square, as a fraction of the height
DIGITS_TOP, DIGITS_HEIGHT, DIGITS_GAP = 0.205, 0.28, 0.04
#: With four to six stations (two rows of cards) the digits give up a little: still over a
#: quarter of the height, right under the subtitle.
COMPACT_DIGITS_TOP, COMPACT_DIGITS_HEIGHT, COMPACT_DIGITS_GAP = 0.18, 0.255, 0.008
NAME_PX, GROUPS_PX = 0.065, 0.062    # largest station and group names, × the height (≥ 5 %)
FLASH_S = 4.0
TITLE_BAR = 40               # px kept free above a windowed projector for its title bar


class ProjectorWindow(QWidget):
    """The top-level window the room reads: a pure view of the snapshot it is handed."""
    full_screen_changed = Signal(bool)  # payload: True when now full screen

    def __init__(self, parent: QWidget | None = None, now=time.monotonic):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Rotation — projector")
        self.setAccessibleName("Rotation projector")
        self.setAccessibleDescription(spoken(None))
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(480, 270)
        self.resize(1280, 720)
        self._now = now
        self._snapshot = None
        self._join: QWidget | None = None
        self._fitter = Fitter()
        self._static: QPixmap | None = None
        self._static_key = None
        self._boxes: list[Box] = []
        self._swatches: list = []
        self._digits: Box | None = None
        self._flash: tuple[str, float] | None = None
        self._windowed: QRect | None = None   # where it was before going full screen

    # -- what to show ------------------------------------------------------------------------
    def set_snapshot(self, snapshot) -> None:
        """Show this snapshot. When only the seconds changed, only the digits are repainted."""
        before = self._digits.rect if self._digits is not None else None
        self._snapshot = snapshot
        self._show_join()
        said = spoken(snapshot)   # painted text has no accessible text of its own: say it all
        if said != self.accessibleDescription():
            self.setAccessibleDescription(said)
        if self._static_key is not None and self._key() == self._static_key and before is not None \
                and self._flash is None:
            self.update(before.toAlignedRect())
        else:
            self.update()

    def flash(self, kind: str) -> None:
        """A visual cue that does not depend on sound: a thick border for a few seconds
        ("warning": yellow, "end": white)."""
        self._flash = (WARNING if kind == "warning" else TEXT, self._now() + FLASH_S)
        self.update()

    def flashing(self) -> str | None:
        """The colour of the cue border while one shows, else None."""
        if self._flash and self._now() < self._flash[1]:
            return self._flash[0]
        return None

    def set_join_corner(self, widget: QWidget | None) -> None:
        """Place ``widget`` (the join QR code) in the top-right corner; None removes it."""
        if self._join is not None and self._join is not widget:
            self._join.hide()
            self._join.setParent(None)
        self._join = widget
        if widget is not None:
            widget.setParent(self)
            widget.setGeometry(self.join_corner_rect())
            self._show_join()
        self._static_key = None
        self.update()

    def _show_join(self) -> None:
        # Once the rotation is finished there is nothing left to join: the code goes (issue 13).
        if self._join is not None:
            finished = self._snapshot is not None and self._snapshot.phase == "finished"
            self._join.setVisible(not finished)

    def join_corner_rect(self) -> QRect:
        """The join corner's square, in window coordinates."""
        h, m = self.height(), self._margin()
        side = round(JOIN_CORNER * h)
        return QRect(self.width() - m - side, m, side, side)

    # -- window ------------------------------------------------------------------------------
    def place_on_best_screen(self) -> None:
        """Move to the second screen when there is one (the projector), else stay on this one."""
        primary = QGuiApplication.primaryScreen()
        screens = QGuiApplication.screens()
        target = next((s for s in screens if s is not primary), primary)
        if target is not None:
            self.setScreen(target)
            area = target.availableGeometry()
            self.move(area.topLeft())
            if self.width() > area.width() or self.height() > area.height():
                self.resize(area.size())

    def toggle_full_screen(self) -> None:
        """Full screen on the projector's screen, or back to a window."""
        if self.isFullScreen():
            self.leave_full_screen()
        else:
            self._windowed = self.geometry() if self.isVisible() else None
            self.place_on_best_screen()
            # Set the geometry too: without a window manager (a kiosk, Xvfb) the full-screen
            # request alone does not resize the window.
            if self.screen() is not None:
                self.setGeometry(self.screen().geometry())
            self.showFullScreen()
            self.full_screen_changed.emit(True)

    def leave_full_screen(self) -> None:
        """Back to a window (Esc), wholly on its screen with its title bar showing; nothing if
        not full screen."""
        if self.isFullScreen():
            self.showNormal()
            # Placed explicitly: without a window manager showNormal keeps the full-screen
            # geometry, and on one screen the room's view would hide the controls.
            self.setGeometry(self.windowed_rect())
            self.full_screen_changed.emit(False)

    def windowed_rect(self) -> QRect:
        """Where the window goes when it leaves full screen: where it was, or two thirds of
        the screen, moved and shrunk until it lies on the screen below a title bar's room."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry().adjusted(0, TITLE_BAR, 0, 0)
        rect = QRect(self._windowed) if self._windowed is not None else QRect(
            area.topLeft(), area.size() * 2 / 3)
        if not area.intersects(rect) or rect.size() == screen.geometry().size():
            rect = QRect(area.topLeft(), area.size() * 2 / 3)
        rect.setWidth(max(self.minimumWidth(), min(rect.width(), area.width())))
        rect.setHeight(max(self.minimumHeight(), min(rect.height(), area.height())))
        rect.moveLeft(min(max(rect.left(), area.left()), area.right() + 1 - rect.width()))
        rect.moveTop(min(max(rect.top(), area.top()), area.bottom() + 1 - rect.height()))
        return rect

    def keyPressEvent(self, event) -> None:
        """Esc leaves full screen, F11 toggles it."""
        if event.key() == Qt.Key.Key_Escape:
            self.leave_full_screen()
        elif event.key() == Qt.Key.Key_F11:
            self.toggle_full_screen()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        """Keep the join corner in place and lay out again."""
        if self._join is not None:
            self._join.setGeometry(self.join_corner_rect())
        self._static_key = None
        super().resizeEvent(event)

    # -- layout ------------------------------------------------------------------------------
    def _margin(self) -> int:
        return max(8, round(0.03 * self.height()))

    def texts(self) -> list[str]:
        """Every text on screen now (tests and screen readers)."""
        self._layout()
        return [b.text for b in self._boxes] + ([self._digits.text] if self._digits else [])

    def boxes(self) -> list[Box]:
        """Every text box on screen now, the digits last (tests check they fit)."""
        self._layout()
        return list(self._boxes) + ([self._digits] if self._digits else [])

    def _key(self):
        s = self._snapshot
        if s is None:
            return (self.size().toTuple(), None)
        return (self.size().toTuple(), self._join is not None, s.phase, s.round_number,
                s.rounds_total, s.paused, s.warning, tuple(sorted(s.assignments.items())),
                tuple(sorted(s.next_assignments.items())), s.group_names,
                tuple((st.position, st.name, st.debrief_prompt) for st in s.stations))

    def _layout(self) -> bool:
        key = self._key()
        if key == self._static_key:
            self._digits = self._digit_box()
            return False
        self._static_key = key
        self._boxes, self._swatches = [], []
        w, h, m = self.width(), self.height(), self._margin()
        right = w - m - ((round(JOIN_CORNER * h) + m) if self._join is not None else 0)
        title, subtitle = headline(self._snapshot)
        flags_left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._add(title, QRectF(m, m, right - m, 0.09 * h), flags_left, 0.075 * h, True, TEXT, "title")
        self._add(subtitle, QRectF(m, m + 0.09 * h, right - m, 0.06 * h), flags_left, 0.05 * h,
                  False, TEXT_SOFT, "subtitle")
        top, height, gap = self._digit_band()
        self._cards(QRectF(m, (top + height + gap) * h, w - 2 * m, h - m - (top + height + gap) * h))
        self._digits = self._digit_box()
        return True

    def _digit_band(self) -> tuple[float, float, float]:
        """The digits' top, height and the gap below them, × the height."""
        s = self._snapshot
        if s is not None and len(s.stations) > 3:
            return COMPACT_DIGITS_TOP, COMPACT_DIGITS_HEIGHT, COMPACT_DIGITS_GAP
        return DIGITS_TOP, DIGITS_HEIGHT, DIGITS_GAP

    def _add(self, text, rect, flags, max_px, bold, colour, role) -> None:
        font = self._fitter.fit(text, rect, flags, max_px, bold)
        self._boxes.append(Box(text, rect, font, colour, flags, role))

    def _digit_box(self) -> Box | None:
        s = self._snapshot
        if s is None or s.phase == "finished":
            return None
        w, h, m = self.width(), self.height(), self._margin()
        right = w - m - ((round(JOIN_CORNER * h) + m) if self._join is not None else 0)
        top, height, _ = self._digit_band()
        rect = QRectF(m, top * h, right - m, height * h)
        text = clock_text(s.remaining_s)
        # Fit the widest text of this length once, so the digits never jump size as they change.
        sample = "".join("8" if c.isdigit() else c for c in text)
        flags = int(Qt.AlignmentFlag.AlignCenter)
        font = self._fitter.fit_ink(sample, rect, True)
        colour = PAUSED if s.paused else (WARNING if s.warning else TEXT)
        return Box(text, rect, font, colour, flags, "digits")

    def _cards(self, area: QRectF) -> None:
        """A card per station: a stripe of its colour, its name, the groups there. Up to three
        in a row; four to six in two rows. Names and groups are sized from the screen's height
        (at most ``NAME_PX``, ``GROUPS_PX``), then fitted to the card."""
        s = self._snapshot
        if s is None or not s.stations:
            return
        n, h = len(s.stations), self.height()
        compact = n > 3
        cols = n if n <= 3 else math.ceil(n / 2)
        rows = math.ceil(n / cols)
        gap = 0.008 * h
        cw = (area.width() - gap * (cols - 1)) / cols
        ch = (area.height() - gap * (rows - 1)) / rows
        pad, stripe = 0.008 * h, 0.012 * h
        name_px, groups_px = NAME_PX * h, GROUPS_PX * h
        top_left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                       | Qt.TextFlag.TextWordWrap)
        first = len(self._boxes)
        cards = []
        for i, station in enumerate(s.stations):
            r, c = divmod(i, cols)
            card = QRectF(area.left() + c * (cw + gap), area.top() + r * (ch + gap), cw, ch)
            self._swatches.append((card, CARD))
            self._swatches.append((QRectF(card.left(), card.top(), stripe, ch),
                                   station_colour(station.position)))
            inner = QRectF(card.left() + stripe + pad, card.top() + pad,
                           cw - stripe - 2 * pad, ch - 2 * pad)
            # A name may take three lines (the defaults are long), leaving a line for groups.
            name_rect = QRectF(inner.left(), inner.top(), inner.width(),
                               min(3.6 * name_px, 0.75 * inner.height()))
            self._add(f"{station.position}\u00a0·\u00a0{station.name}", name_rect, top_left, name_px, True,
                      TEXT, "station")
            cards.append((inner, card_text(s, station.position, compact)))
        names = self._same_size(first, "station")
        # The groups get what the names leave. Long names could starve them: shrink the names
        # a little while that makes the smaller of the two sizes larger.
        fitted = names[0].font.pixelSize()
        best: tuple[int, int] | None = None          # (smaller size, name size)
        for size in range(fitted, max(6, fitted - 20) - 1, -1):
            groups = min(self._groups_fit(names, cards, size, 0.5 * pad, groups_px))
            if best is None or min(size, groups) > best[0]:
                best = (min(size, groups), size)
            if groups >= size:
                break
        assert best is not None
        for name, (inner, text) in zip(names, cards):
            name.font = QFont(name.font)
            name.font.setPixelSize(best[1])
            used = QFontMetricsF(name.font).boundingRect(name.rect, name.flags, name.text).height()
            name.rect = QRectF(name.rect.left(), name.rect.top(), name.rect.width(), used)
            top = name.rect.bottom() + 0.5 * pad
            self._add(text, QRectF(inner.left(), top, inner.width(), inner.bottom() - top),
                      top_left, groups_px, False, TEXT_SOFT, "groups")
        self._same_size(first, "groups")

    def _groups_fit(self, names: list[Box], cards, size: int, gap: float, max_px: float):
        """The group texts' fitted sizes were the names ``size`` pixels."""
        for name, (inner, text) in zip(names, cards):
            font = QFont(name.font)
            font.setPixelSize(size)
            used = QFontMetricsF(font).boundingRect(name.rect, name.flags, name.text).height()
            top = name.rect.top() + used + gap
            rect = QRectF(inner.left(), top, inner.width(), max(1.0, inner.bottom() - top))
            yield self._fitter.fit(text, rect, name.flags, max_px).pixelSize()

    def _same_size(self, first: int, role: str) -> list[Box]:
        """One size per role across the cards (the smallest fitted): they read as a set."""
        boxes = [b for b in self._boxes[first:] if b.role == role]
        smallest = min(b.font.pixelSize() for b in boxes)
        for b in boxes:
            b.font = QFont(b.font)
            b.font.setPixelSize(smallest)
        return boxes

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        """Paint the cached static layer, then the digits and any cue border."""
        changed = self._layout()
        ratio = self.devicePixelRatioF()
        if changed or self._static is None or self._static.size() != self.size() * ratio:
            self._static = QPixmap(self.size() * ratio)
            self._static.setDevicePixelRatio(ratio)
            self._paint_static(self._static)
        painter = QPainter(self)
        area = QRectF(event.rect())
        painter.drawPixmap(area, self._static, QRectF(area.topLeft() * ratio, area.size() * ratio))
        if self._digits is not None:
            self._draw(painter, self._digits)
        colour = self.flashing()
        if self._flash is not None and colour is None:
            self._flash = None
            self.update()   # one full repaint to take the border away
        if colour:
            width = 0.025 * self.height()
            painter.setPen(QPen(QColor(colour), width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(width / 2, width / 2, self.width() - width, self.height() - width))
        painter.end()

    def _paint_static(self, pixmap: QPixmap) -> None:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(QRectF(0, 0, self.width(), self.height()), QColor(BACKGROUND))
        painter.setPen(Qt.PenStyle.NoPen)
        for rect, colour in self._swatches:
            painter.setBrush(QColor(colour))
            radius = 0.04 * rect.height() if colour == CARD else 0.3 * rect.width()
            painter.drawRoundedRect(rect, radius, radius)
        for box in self._boxes:
            self._draw(painter, box)
        painter.end()

    @staticmethod
    def _draw(painter: QPainter, box: Box) -> None:
        painter.setFont(box.font)
        painter.setPen(QColor(box.colour))
        if box.role == "digits":
            # Centre the ink, not the line box: digits have no descenders.
            ink = QFontMetricsF(box.font).tightBoundingRect(box.text)
            x = box.rect.center().x() - ink.width() / 2 - ink.left()
            y = box.rect.center().y() - ink.top() - ink.height() / 2
            painter.drawText(QPointF(x, y), box.text)
            return
        painter.drawText(box.rect, box.flags, box.text)  # drawText never reads rich text
