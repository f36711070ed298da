"""The initiative-map page: pick the district map or a team's, then draw it on a canvas —
add, rename, link, rate (0–3), drag, delete, all undoable and each saved at once — with the
analysis beside it, updated after every change, and export to PNG and SVG."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QMenu, QPushButton, QSplitter, QToolButton,
                               QVBoxLayout, QWidget)

from prototypes.maps.drawing import Drawing, build_drawing
from prototypes.maps.model import RATING_LABELS, InitiativeMap
from prototypes.maps.service import Deleted
from prototypes.ui.maps.items import EdgeItem, MapScene, NodeItem, export_png, export_svg
from prototypes.ui.maps.menu import context_menu
from prototypes.ui.maps.side_panel import MapSidePanel
from prototypes.ui.maps.view import MapView
from workshop.errors import ValidationError
from workshop.ui import dialogs
from workshop.ui.page import Page
from workshop.ui.theme import style_error
from workshop.ui.undo import SavedCommand
from workshop.ui.widgets import heading, plain_label, scrolled

EMPTY_DRAWING = Drawing([], [], [], (0.0, 0.0, 1.0, 1.0))  # shown while no map is open


class MapEditorPage(Page):
    """The Initiative maps page: the map chooser, the canvas, the analysis and the details form."""

    map_changed = Signal(int)   # a change to the open map was saved; payload: the map id

    def __init__(self, service, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.academy_id: int | None = None
        self.map_id: int | None = None
        self.current: InitiativeMap | None = None
        self.undo_stack = QUndoStack(self)
        self.scene = MapScene(self)
        self.view = MapView(self.scene)
        self.scene.nodes_moved.connect(self.on_nodes_moved)
        self.scene.node_double_clicked.connect(self.rename_node)
        self.scene.edge_double_clicked.connect(self.edit_link_note)
        self.scene.background_double_clicked.connect(lambda at: self.ask_and_add(at))
        self.scene.selectionChanged.connect(self._show_details)
        self.view.context_requested.connect(self._context_menu)

        self.chooser = QComboBox()
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(14)   # not sized to the longest name: fits 1280 px
        self.chooser.setAccessibleName("Map")
        self.chooser.activated.connect(lambda _: self.open_map(self.chooser.currentData()))
        self.message = plain_label("", word_wrap=True)
        style_error(self.message)
        self._make_actions()
        bar = QHBoxLayout()
        bar.addWidget(plain_label("Map:"))
        bar.addWidget(self.chooser, 1)   # grows into the room the buttons leave
        for action in (self.add_action, self.link_action, self.delete_action, self.fit_action,
                       self.relayout_action):
            button = QToolButton()
            button.setDefaultAction(action)
            bar.addWidget(button)
        # PNG and SVG behind one button (also in the Map menu): the bar fits 1280 px. A push button:
        # Qt sizes an instant-popup tool button without the arrow it draws over "Export"'s end.
        self.export_button = export = QPushButton("Export")
        export.setMenu(QMenu(export))
        export.menu().addActions([self.export_png_action, self.export_svg_action])
        bar.addWidget(export)   # no stretch after it: the chooser takes the room left

        self.side = side = MapSidePanel()
        self.details = side.details
        self.details.node_field_edited.connect(self._form_node)
        self.details.link_field_edited.connect(self._form_link)
        scroll = scrolled(side)
        scroll.setMinimumWidth(330)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Initiative maps"))
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    # -- actions ---------------------------------------------------------------------------
    def _action(self, text: str, slot, *keys: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda checked=False: slot())
        self.view.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.add_action = self._action("&Add initiative…", self.ask_and_add, "Ins", "N")
        self.rename_action = self._action("&Rename…", self.rename_selected, "F2", "Return")
        self.link_action = self._action("&Link selected", self.link_selected, "L")
        self.rate_actions = [self._action(f"Rate {r} — {RATING_LABELS[r]}",
                                          lambda r=r: self.rate_selected(r), str(r)) for r in range(4)]
        self.delete_action = self._action("&Delete", self.delete_selected, "Del", "Backspace")
        self.fit_action = self._action("&Fit to view", self.view.fit, "F", "Ctrl+0")
        self.zoom_in_action = self._action("Zoom &in", lambda: self.view.zoom(1.25), "Ctrl+=", "+")
        self.zoom_out_action = self._action("Zoom &out", lambda: self.view.zoom(0.8), "Ctrl+-", "-")
        self.relayout_action = self._action("&Tidy layout", self.relayout)
        self.export_png_action = self._action("Export &PNG…", lambda: self.ask_export("png"))
        self.export_svg_action = self._action("Export &SVG…", lambda: self.ask_export("svg"))

    def page_actions(self) -> list[QAction]:
        return [self.add_action, self.rename_action, self.link_action, *self.rate_actions,
                self.delete_action, self.relayout_action, self.fit_action, self.zoom_in_action,
                self.zoom_out_action, self.export_png_action, self.export_svg_action]

    # -- details form ----------------------------------------------------------------------
    def _selected_one(self):
        return items[0] if len(items := self.scene.selectedItems()) == 1 else None

    def _show_details(self) -> None:
        item = self._selected_one()
        if self.current is None or item is None:
            self.details.show_nothing()
        elif isinstance(item, NodeItem) and item.key in self.current.nodes:
            self.details.show_node(self.current.nodes[item.key])
        elif isinstance(item, EdgeItem) and item.key in self.current.links:
            link = self.current.links[item.key]
            names = [self.current.nodes[k].name or "the vision" for k in link.ends]
            self.details.show_link(link, (names[0], names[1]))

    def _form_node(self, field: str, value) -> None:
        item = self._selected_one()
        if isinstance(item, NodeItem) and self.current and item.key in self.current.nodes:
            if getattr(self.current.nodes[item.key], field) != value:
                self.edit_node(item.key, **{field: value})

    def _form_link(self, field: str, value) -> None:
        item = self._selected_one()
        if isinstance(item, EdgeItem) and self.current and item.key in self.current.links:
            if getattr(self.current.links[item.key], field) != value:
                if field == "rating":
                    self.rate(item.key, value)
                else:
                    self.edit_link(item.key, note=value)

    # -- opening ---------------------------------------------------------------------------
    def set_academy(self, academy_id: int | None) -> None:
        self.academy_id = academy_id
        self.chooser.clear()
        if academy_id is None:
            self.map_id = self.current = None
            self.undo_stack.clear()
            self.refresh()
            return
        self._fill_chooser()
        self.open_map(self.chooser.itemData(0))

    def _fill_chooser(self) -> None:
        """The district map and one per school team, with how many initiatives each has."""
        self.chooser.clear()
        for choice in self.service.choices(self.academy_id):
            count = f"  ({choice.initiatives})" if choice.initiatives else ""
            self.chooser.addItem(choice.title + count, choice.school)
        if self.current is not None:
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(self.current.school)))

    def showEvent(self, event) -> None:
        # The roster may have gained a school since the academy was opened, and the Vision &
        # plan page writes the same hub (the vision statement).
        if self.academy_id is not None and not self.read_this_turn():
            self._fill_chooser()
            if self.map_id is not None:
                self.refresh()
        super().showEvent(event)

    def open_map(self, school: str) -> None:
        """Show the map of ``school`` ("" = the whole academy) of the open academy."""
        index = self.chooser.findData(school)
        if index >= 0:
            self.chooser.setCurrentIndex(index)
        self.map_id = self.service.open(self.academy_id, school).id
        self.undo_stack.clear()    # undo belongs to the map it was made on
        self.scene.clearSelection()
        self.refresh()
        self.view.fit()

    @property
    def analysis_lines(self) -> list[tuple[str, str]]:
        """The analysis shown beside the map, as (title, text) lines."""
        return self.side.analysis_lines

    def refresh(self) -> None:
        """Redraw the canvas, the analysis and the details from what is saved."""
        self.current = self.service.get(self.map_id) if self.map_id is not None else None
        if self.current is None:
            self.scene.show_drawing(EMPTY_DRAWING, {}, -1)
            self.side.show_analysis(None)
            return
        m = self.current
        self.mark_read()
        self.scene.show_drawing(build_drawing(m, with_legend=False), m.links, m.hub.id)
        self.side.analyse_after_paint(m)
        self._show_details()

    # -- running edits ---------------------------------------------------------------------
    def _apply(self, fn) -> None:
        """Run a service call for undo/redo, then redraw; problems become a message."""
        try:
            fn()
            self.message.setText("")
        except ValidationError as exc:
            self.message.setText(str(exc))
        self.refresh()
        if self.map_id is not None:
            self.map_changed.emit(self.map_id)

    def _do(self, text: str, action, redo_of, undo_of):
        """Perform ``action()`` (saved at once), then record it on the undo stack with the
        redo and undo made from its result. Returns the result, or None if refused."""
        try:
            result = action()
        except ValidationError as exc:
            self.message.setText(str(exc))
            return None
        self.message.setText("")
        redo, undo = redo_of(result), undo_of(result)
        self.undo_stack.push(SavedCommand(text, lambda: self._apply(redo),
                                          lambda: self._apply(undo)))
        self.refresh()
        self.map_changed.emit(self.map_id)
        return result

    def ask_and_add(self, at: tuple[float, float] | None = None) -> None:
        if self.map_id is None:
            return
        name = dialogs.ask_text(self, "Add initiative", "Name of the initiative already under way:")
        if name:
            self.add_initiative(name, at)

    def add_initiative(self, name: str, at: tuple[float, float] | None = None, **fields) -> int | None:
        map_id, s = self.map_id, self.service
        node = self._do(f"Add “{name}”", lambda: s.add_initiative(map_id, name, at=at, **fields),
                        lambda n: lambda: s.restore(Deleted(map_id, (n,), ())),
                        lambda n: lambda: s.delete(map_id, [n.id]))
        if node is None:
            return None
        self.scene.clearSelection()
        self.scene.nodes[node.id].setSelected(True)
        return node.id

    def edit_node(self, node_id: int, **changes) -> None:
        before = self.current.nodes[node_id]
        old = {k: getattr(before, k) for k in changes}
        s = self.service
        self._do("Edit initiative" if not before.is_hub else "Edit vision",
                 lambda: s.edit_initiative(node_id, **changes),
                 lambda _: lambda: s.edit_initiative(node_id, **changes),
                 lambda _: lambda: s.edit_initiative(node_id, **old))

    def rename_node(self, node_id: int) -> None:
        node = self.current.nodes[node_id]
        name = dialogs.ask_text(self, "Vision" if node.is_hub else "Rename initiative",
                                "The vision or north star:" if node.is_hub else "Name:", node.name)
        if name is not None and name != node.name:
            self.edit_node(node_id, name=name)

    def rename_selected(self) -> None:
        item = self._selected_one()
        if isinstance(item, NodeItem):
            self.rename_node(item.key)
        elif isinstance(item, EdgeItem):
            self.edit_link_note(item.key)

    def on_nodes_moved(self, moved: dict) -> None:
        new = {k: v[1] for k, v in moved.items()}
        old = {k: v[0] for k, v in moved.items()}
        map_id, s = self.map_id, self.service
        self._do("Move", lambda: s.move(map_id, new), lambda _: lambda: s.move(map_id, new),
                 lambda _: lambda: s.move(map_id, old))

    def relayout(self) -> None:
        if self.current is None:
            return
        old = {k: n.position for k, n in self.current.nodes.items() if n.position}
        map_id, s = self.map_id, self.service
        self._do("Tidy layout", lambda: s.relayout(map_id),
                 lambda new: lambda: s.move(map_id, new), lambda _: lambda: s.move(map_id, old))
        self.view.fit()

    def link_nodes(self, a: int, b: int, rating: int = 2, note: str = "") -> int | None:
        map_id, s = self.map_id, self.service
        link = self._do("Link", lambda: s.link(map_id, a, b, rating, note),
                        lambda ln: lambda: s.restore(Deleted(map_id, (), (ln,))),
                        lambda ln: lambda: s.delete(map_id, link_ids=[ln.id]))
        return link.id if link else None

    def link_selected(self) -> None:
        nodes = self.scene.selected_node_ids()
        if len(nodes) == 1 and nodes[0] != self.current.hub.id:
            nodes.append(self.current.hub.id)
        if len(nodes) != 2:
            self.message.setText("Select two boxes to link them (or one, to link it to the vision).")
            return
        link_id = self.link_nodes(*nodes)
        if link_id is not None and link_id in self.scene.edges:
            # The new link alone is selected, so the digit the help suggests next rates it
            # (with the two boxes still selected it re-rated both of their vision links).
            self.scene.clearSelection()
            self.scene.edges[link_id].setSelected(True)

    def rate(self, link_id: int, rating: int) -> None:
        old = self.current.links[link_id].rating
        s = self.service
        self._do(f"Rate {rating}", lambda: s.rate(link_id, rating),
                 lambda _: lambda: s.rate(link_id, rating), lambda _: lambda: s.rate(link_id, old))

    def edit_link(self, link_id: int, **changes) -> None:
        link = self.current.links[link_id]
        old = {k: getattr(link, k) for k in changes}
        s = self.service
        self._do("Edit link", lambda: s.edit_link(link_id, **changes),
                 lambda _: lambda: s.edit_link(link_id, **changes),
                 lambda _: lambda: s.edit_link(link_id, **old))

    def edit_link_note(self, link_id: int) -> None:
        link = self.current.links[link_id]
        note = dialogs.ask_text(self, "How it connects", "How does it connect?", link.note)
        if note is not None and note != link.note:
            self.edit_link(link_id, note=note)

    def rate_selected(self, rating: int) -> None:
        """Number keys: rate the selected links, and the vision links of selected initiatives
        (linking them to the vision first if needed)."""
        if self.current is None:
            return
        m, hub = self.current, self.current.hub.id
        targets = list(self.scene.selected_link_ids())
        new_links = []
        for node_id in self.scene.selected_node_ids():
            if node_id != hub:
                link = m.hub_link(node_id)
                if link is None:
                    new_links.append(node_id)
                elif link.id not in targets:
                    targets.append(link.id)
        if not targets and not new_links:
            self.message.setText("Select a link or an initiative, then press 0–3 to rate it.")
            return
        self.undo_stack.beginMacro(f"Rate {rating}")
        for link_id in targets:
            self.rate(link_id, rating)
        for node_id in new_links:
            self.link_nodes(hub, node_id, rating)
        self.undo_stack.endMacro()

    def delete_selected(self) -> None:
        nodes = [k for k in self.scene.selected_node_ids() if k != self.current.hub.id]
        links = self.scene.selected_link_ids()
        if not nodes and not links:
            self.message.setText("Select initiatives or links to delete (the vision stays).")
            return
        self.delete(nodes, links)

    def delete(self, node_ids: list[int], link_ids: list[int] = ()) -> None:
        map_id, s = self.map_id, self.service
        count = len(node_ids) + len(link_ids)
        self._do(f"Delete {count} item{'s' if count != 1 else ''}",
                 lambda: s.delete(map_id, node_ids, link_ids),
                 lambda d: lambda: s.delete(map_id, [n.id for n in d.nodes], [ln.id for ln in d.links]),
                 lambda d: lambda: s.restore(d))

    # -- context menu (menu.py) and export -----------------------------------------------------------
    def _context_menu(self, item, global_pos) -> None:
        if self.current is not None:
            context_menu(self, item).exec(global_pos)

    def export(self, path: Path | str) -> Path:
        """Write the open map as PNG or SVG (by the file's suffix), legend included."""
        path = Path(path)
        drawing = build_drawing(self.current, with_legend=True)
        if path.suffix.lower() == ".svg":
            return export_svg(drawing, path, title=f"Initiative map — {self.current.title}")
        return export_png(drawing, path.with_suffix(".png") if path.suffix.lower() != ".png" else path)

    def ask_export(self, kind: str) -> None:
        if self.current is None:
            return
        name = f"initiative-map-{self.current.title}.{kind}".replace("/", "-").replace(" ", "-")
        path = dialogs.save_file(self, f"Export {kind.upper()}", name, f"{kind.upper()} (*.{kind})")
        if path:
            try:
                written = self.export(path)
            except OSError as exc:
                self.message.setText(str(exc))
                return
            self.message.setText("")
            self.notified.emit(f"Saved {written}")
