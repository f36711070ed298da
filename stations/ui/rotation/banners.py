"""The rotation page's banners: the resume offer, the late-start nudge and the cue that goes
with a chime, in one strip of fixed height.

At most one banner shows, the most urgent, and each goes away when its moment passes (the cue
when the part it announced is over, the resume offer when the rotation finishes). The strip
keeps its height when empty, so the controls below never move as banners come and go.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from stations.rotation import wording
from stations.rotation.countdown import RUNNING
from stations.rotation.reader import RotationSnapshot
from workshop.ui.widgets import plain_label


class Banner(QFrame):
    """A coloured strip with a message and buttons; hidden until its area shows it."""

    def __init__(self, colour: str, name: str, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(f"QFrame#banner {{ background: {colour}; border-radius: 6px; }}"
                           "QFrame#banner QLabel { color: #111111; }")
        self.setAccessibleName(name)
        row = QHBoxLayout(self)
        self.label = plain_label("", word_wrap=True)
        row.addWidget(self.label, 1)
        self.buttons = row
        self.controls: list[QPushButton] = []
        self.wanted = False
        self.hide()

    def add_button(self, text: str, slot) -> QPushButton:
        """A button at the banner's end that calls ``slot``."""
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        self.controls.append(button)
        return button


class Banners(QWidget):
    """The strip of banners, most urgent first: resume offer, late-start nudge, cue."""

    def __init__(self, resume_timer: Callable[[], None], carry_on: Callable[[], None],
                 start: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.resume = Banner("#FFE8A3", "Rotation found running")
        self.resume_timer = self.resume.add_button("Resume the timer", resume_timer)
        self.resume.add_button("Show on projector", carry_on)
        self.resume.add_button("Dismiss", lambda: self.clear(self.resume))
        self.nudge = Banner("#FFD6CC", "Late start")
        self.nudge.add_button("Start now", start)
        self.cue = Banner("#F0E442", "Cue")
        self._cue_moment: tuple[str, str, int] | None = None   # (kind, phase, round) it announced
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for banner in self._ranked():
            layout.addWidget(banner)
        self.setFixedHeight(self._tallest_two_lines())

    def controls(self) -> list[QWidget]:
        """Every banner's buttons, most urgent banner first (the page's Tab order)."""
        return [button for banner in self._ranked() for button in banner.controls]

    def _ranked(self) -> tuple[Banner, Banner, Banner]:
        return self.resume, self.nudge, self.cue

    def _tallest_two_lines(self) -> int:
        """The strip's height: the tallest banner with a two-line message."""
        tallest = 0
        for banner in self._ranked():
            banner.label.setText("X\nX")
            tallest = max(tallest, banner.sizeHint().height())
            banner.label.setText("")
        return tallest

    # -- showing ------------------------------------------------------------------------------
    def put(self, banner: Banner, text: str) -> None:
        """Show ``text`` in ``banner`` (if nothing more urgent is showing)."""
        banner.label.setText(text)
        banner.wanted = True
        self._show_top()

    def clear(self, banner: Banner) -> None:
        """Take ``banner`` away (the next one waiting shows)."""
        banner.wanted = False
        if banner is self.cue:
            self._cue_moment = None
        self._show_top()

    def clear_all(self) -> None:
        """No banner (another academy was opened)."""
        for banner in self._ranked():
            banner.wanted = False
        self._cue_moment = None
        self._show_top()

    def _show_top(self) -> None:
        top = next((b for b in self._ranked() if b.wanted), None)
        for banner in self._ranked():
            banner.setVisible(banner is top)

    # -- moments ------------------------------------------------------------------------------
    def offer_resume(self, snap: RotationSnapshot) -> None:
        """A rotation found running when the app (re)started: offer to carry on."""
        self.resume_timer.setVisible(snap.paused)
        self.put(self.resume, wording.resume_offer(snap))

    def announce(self, kind: str, snap: RotationSnapshot) -> None:
        """The cue that goes with a chime ("warning" or "end"), for the part ``snap`` is in;
        a round or the finish that simply begins needs no banner."""
        text = wording.cue_text(kind, snap.warning_s / 60, snap.phase)
        if not text:
            self.clear(self.cue)
            return
        self.put(self.cue, text)
        self._cue_moment = (kind, snap.phase, snap.round_number)

    def follow(self, snap: RotationSnapshot, late_start: str | None) -> None:
        """Take away the banners whose moment has passed by ``snap``; show the nudge while the
        planned start has passed (``late_start``: its text, or None)."""
        if self._cue_moment is not None:
            kind, phase, number = self._cue_moment
            if (phase, number) != (snap.phase, snap.round_number) or \
                    (kind == "warning" and not snap.warning):
                self.clear(self.cue)
        if self.resume.wanted and snap.phase not in RUNNING:
            self.clear(self.resume)
        if late_start:
            if not self.nudge.wanted or self.nudge.label.text() != late_start:
                self.put(self.nudge, late_start)
        elif self.nudge.wanted:
            self.clear(self.nudge)
