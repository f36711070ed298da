"""The Groups page's rules panel: keep together, keep apart, absent (by hand or from
attendance), “nobody is the only one of their kind”, each listed as met or not with the people
named. Layout and wiring only: every change goes out as new ``GroupingRules`` through
``rules_edited`` and the page applies it (one undoable step)."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QWidget)

from stations.grouping.constraints import RuleStatus
from stations.grouping.draft import LONE_ATTRIBUTES, GroupingRules
from workshop.ui.widgets import plain_label

NOBODY = "Nobody protected"


class RulesPanel(QGroupBox):
    """Constraints on who sits with whom, and whether the groups on show meet them."""
    rules_edited = Signal(object, str)   # payload: the new GroupingRules, the undo step's text
    arrivals_requested = Signal()        # “leave out who has not arrived”: the page asks attendance

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Rules", parent)
        self.rules_now = GroupingRules()
        self.names: dict[int, str] = {}
        self.first, self.second = QComboBox(), QComboBox()
        self.first.setAccessibleName("First person of a rule")
        self.second.setAccessibleName("Second person of a rule")
        self.together_button = QPushButton("Keep together")
        self.apart_button = QPushButton("Keep apart")
        self.absent_button = QPushButton("Absent")
        self.absent_button.setToolTip("Leave the first person out of every group (ticked again: back in)")
        self.arrived_button = QPushButton("Leave out who has not arrived")
        self.arrived_button.setToolTip("Everyone without a phone check-in is marked absent")
        self.lone = QComboBox()
        self.lone.setAccessibleName("Nobody is the only one of their kind")
        self.lone.addItem(NOBODY, None)
        for key, what in LONE_ATTRIBUTES.items():
            self.lone.addItem(f"Nobody the only one of their {what}", key)
        self.list = QListWidget()
        self.list.setAccessibleName("Rules and whether they are met")
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(110)
        self.remove_button = QPushButton("Remove rule")
        # Why: each group against each goal, or (a person selected on a card) why they sit there
        # and what a move would cost. Plain text: names are typed by participants.
        self.why = QPlainTextEdit()
        self.why.setReadOnly(True)
        self.why.setAccessibleName("Why these groups")
        self.why.setMaximumHeight(110)
        # Two rows of controls, so the page fits a 1280-pixel projector beside the page list:
        # the pair rules on the first, the rules about everyone on the second.
        grid = QGridLayout(self)
        grid.addWidget(plain_label("People:"), 0, 0)
        grid.addWidget(self.first, 0, 1)
        grid.addWidget(self.second, 0, 2)
        for col, b in enumerate((self.together_button, self.apart_button, self.absent_button), start=3):
            grid.addWidget(b, 0, col)
        grid.addWidget(self.arrived_button, 1, 1, 1, 2)
        grid.addWidget(self.lone, 1, 3, 1, 3)
        grid.addWidget(self.list, 2, 0, 1, 5)
        grid.addWidget(self.remove_button, 2, 5, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.why, 3, 0, 1, 6)
        self.together_button.clicked.connect(lambda: self._pair("keep_together"))
        self.apart_button.clicked.connect(lambda: self._pair("keep_apart"))
        self.absent_button.clicked.connect(self._toggle_absent)
        self.arrived_button.clicked.connect(self.arrivals_requested.emit)
        self.lone.activated.connect(self._lone_chosen)
        self.remove_button.clicked.connect(self._remove)

    # -- showing ---------------------------------------------------------------------------------
    def show_rules(self, rules: GroupingRules, statuses: list[RuleStatus], names: dict[int, str]) -> None:
        """Show ``rules`` (the people to choose from: ``names``) and each rule's state."""
        self.rules_now = rules
        if names != self.names:
            self.names = dict(names)
            for combo in (self.first, self.second):
                keep = combo.currentData()
                combo.clear()
                for pid, name in sorted(names.items(), key=lambda kv: kv[1].casefold()):
                    combo.addItem(name, pid)
                combo.setCurrentIndex(max(0, combo.findData(keep)))
            # Two different people to start with: the same name in both boxes made "Keep
            # together" and "Keep apart" do nothing at all when first pressed.
            if self.second.count() > 1 and self.second.currentIndex() == self.first.currentIndex():
                self.second.setCurrentIndex(1 if self.first.currentIndex() == 0 else 0)
        self.lone.setCurrentIndex(max(0, self.lone.findData(rules.no_lone)))
        self.list.clear()
        for s in statuses:
            item = QListWidgetItem(s.line)   # QListWidgetItem text is plain, never rich text
            item.setData(Qt.ItemDataRole.UserRole, (s.kind, s.index))
            item.setForeground(QColor("#2e7d32" if s.met else "#b3261e"))
            self.list.addItem(item)
        on = bool(names)
        for w in (self.first, self.second, self.together_button, self.apart_button,
                  self.absent_button, self.arrived_button, self.lone):
            w.setEnabled(on)

    def show_why(self, lines: list[str]) -> None:
        """Show why the groups are as they are (or why one person sits where they do)."""
        self.why.setPlainText("\n".join(lines))

    # -- edits ------------------------------------------------------------------------------------
    def _chosen(self) -> tuple[int | None, int | None]:
        return self.first.currentData(), self.second.currentData()

    def _pair(self, kind: str) -> None:
        a, b = self._chosen()
        if a is None or b is None or a == b:
            return
        r = self.rules_now
        pair = tuple(sorted((a, b)))
        if kind == "keep_together":
            if any(set(pair) <= set(s) for s in r.keep_together):
                return
            new = replace(r, keep_together=r.keep_together + (pair,),
                          keep_apart=tuple(p for p in r.keep_apart if tuple(sorted(p)) != pair))
            text = f"Keep {self.names[a]} and {self.names[b]} together"
        else:
            if pair in {tuple(sorted(p)) for p in r.keep_apart}:
                return
            new = replace(r, keep_apart=r.keep_apart + ((pair[0], pair[1]),),
                          keep_together=tuple(s for s in r.keep_together if not set(pair) <= set(s)))
            text = f"Keep {self.names[a]} and {self.names[b]} apart"
        self.rules_edited.emit(new, text)

    def _toggle_absent(self) -> None:
        a = self.first.currentData()
        if a is None:
            return
        r = self.rules_now
        gone = a in r.absent
        self.rules_edited.emit(replace(r, absent=r.absent - {a} if gone else r.absent | {a}),
                               f"{self.names[a]} {'is here' if gone else 'absent'}")

    def _lone_chosen(self, _index: int) -> None:
        key = self.lone.currentData()
        if key != self.rules_now.no_lone:
            self.rules_edited.emit(replace(self.rules_now, no_lone=key), self.lone.currentText())

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        kind, index = item.data(Qt.ItemDataRole.UserRole)
        r = self.rules_now
        if kind == "keep_together":
            new = replace(r, keep_together=r.keep_together[:index] + r.keep_together[index + 1:])
        elif kind == "keep_apart":
            new = replace(r, keep_apart=r.keep_apart[:index] + r.keep_apart[index + 1:])
        elif kind == "absent":
            new = replace(r, absent=frozenset())
        elif kind == "no_lone":
            new = replace(r, no_lone=None)
        else:
            return   # the district-leader rule is the page's check box
        self.rules_edited.emit(new, f"Remove rule: {item.text()[2:].split(' — ')[0]}")
