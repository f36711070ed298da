"""All SQL for initiative maps: maps, their nodes (hub and initiatives, with positions) and
links. Accepts and returns the dataclasses of ``prototypes.maps.model``. Every write is one
transaction and also stamps the map's ``updated_at``."""
from __future__ import annotations

import sqlite_utils

from prototypes.maps.model import HUB, InitiativeMap, Link, Node
from workshop.errors import ValidationError
from workshop.store.transactions import write

__all__ = ["MapRepository"]

_NODE_FIELDS = ("kind", "name", "owner", "status", "load", "note", "x", "y")


def _node(row) -> Node:
    return Node(id=row["id"], **{f: row[f] for f in _NODE_FIELDS})


def _link(row) -> Link:
    return Link(row["node_a"], row["node_b"], row["rating"], row["note"], id=row["id"])


class MapRepository:
    """The SQL of initiative maps, their nodes and their links."""
    def __init__(self, db: sqlite_utils.Database, clock):
        self.db = db
        self.clock = clock

    def _rows(self, sql: str, params=()) -> list[dict]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def _touch(self, map_id: int) -> None:
        self.db.execute("UPDATE initiative_maps SET updated_at = ? WHERE id = ?",
                        [self.clock.now().isoformat(timespec="seconds"), map_id])

    # -- maps ------------------------------------------------------------------------------
    def maps(self, academy_id: int) -> list[tuple[int, str]]:
        """``(map id, school)`` of an academy's maps, the district map first."""
        return [(r["id"], r["school"]) for r in self._rows(
            "SELECT id, school FROM initiative_maps WHERE academy_id = ? "
            "ORDER BY school != '', school COLLATE NOCASE, id", [academy_id])]

    def find(self, academy_id: int, school: str) -> int | None:
        row = self.db.execute("SELECT id FROM initiative_maps WHERE academy_id = ? AND school = ?",
                              [academy_id, school]).fetchone()
        return row[0] if row else None

    def create(self, academy_id: int, school: str, vision: str) -> int:
        hub = Node(vision, kind=HUB, x=0.0, y=0.0)
        with write(self.db):
            map_id = self.db.execute(
                "INSERT INTO initiative_maps (academy_id, school, updated_at) VALUES (?, ?, ?)",
                [academy_id, school, self.clock.now().isoformat(timespec="seconds")]).lastrowid
            self._insert_node(map_id, hub)
        return map_id

    def get(self, map_id: int) -> InitiativeMap:
        rows = self._rows("SELECT * FROM initiative_maps WHERE id = ?", [map_id])
        if not rows:
            raise ValidationError(f"There is no initiative map number {map_id}.")
        m = InitiativeMap(academy_id=rows[0]["academy_id"], school=rows[0]["school"], id=map_id)
        for row in self._rows("SELECT * FROM map_nodes WHERE map_id = ? ORDER BY id", [map_id]):
            m.nodes[row["id"]] = _node(row)
        for row in self._rows("SELECT * FROM map_links WHERE map_id = ? ORDER BY id", [map_id]):
            m.links[row["id"]] = _link(row)
        return m

    def delete_map(self, map_id: int) -> None:
        with write(self.db):
            self.db.execute("DELETE FROM initiative_maps WHERE id = ?", [map_id])

    # -- nodes -----------------------------------------------------------------------------
    def _insert_node(self, map_id: int, node: Node) -> int:
        row = {f: getattr(node, f) for f in _NODE_FIELDS} | {"map_id": map_id}
        if node.id is not None:
            row["id"] = node.id
        cols = ", ".join(row)
        return self.db.execute(f"INSERT INTO map_nodes ({cols}) VALUES ({', '.join('?' * len(row))})",
                               list(row.values())).lastrowid

    def add_node(self, map_id: int, node: Node) -> Node:
        """Insert an initiative; a node that carries an id (undo of a delete) keeps it."""
        with write(self.db):
            node_id = self._insert_node(map_id, node)
            self._touch(map_id)
        node.id = node_id
        return node

    def node(self, node_id: int) -> tuple[int, Node]:
        rows = self._rows("SELECT * FROM map_nodes WHERE id = ?", [node_id])
        if not rows:
            raise ValidationError("That initiative is no longer on the map.")
        return rows[0]["map_id"], _node(rows[0])

    def update_node(self, node: Node) -> Node:
        map_id, _ = self.node(node.id)
        with write(self.db):
            self.db.execute(
                "UPDATE map_nodes SET name = ?, owner = ?, status = ?, load = ?, note = ?, "
                "x = ?, y = ? WHERE id = ?",
                [node.name, node.owner, node.status, node.load, node.note, node.x, node.y, node.id])
            self._touch(map_id)
        return node

    def set_positions(self, map_id: int, moves: dict[int, tuple[float, float]]) -> None:
        with write(self.db):
            self.db.conn.executemany(
                "UPDATE map_nodes SET x = ?, y = ? WHERE id = ? AND map_id = ?",
                [(float(x), float(y), node_id, map_id) for node_id, (x, y) in moves.items()])
            self._touch(map_id)

    def delete_node(self, node_id: int) -> None:
        map_id, _ = self.node(node_id)
        with write(self.db):
            self.db.execute("DELETE FROM map_nodes WHERE id = ?", [node_id])
            self._touch(map_id)

    # -- links -----------------------------------------------------------------------------
    def add_link(self, map_id: int, link: Link) -> Link:
        row = {"map_id": map_id, "node_a": link.a, "node_b": link.b, "rating": link.rating,
               "note": link.note}
        if link.id is not None:
            row["id"] = link.id
        with write(self.db):
            link.id = self.db.execute(
                f"INSERT INTO map_links ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values())).lastrowid
            self._touch(map_id)
        return link

    def link(self, link_id: int) -> tuple[int, Link]:
        rows = self._rows("SELECT * FROM map_links WHERE id = ?", [link_id])
        if not rows:
            raise ValidationError("That link is no longer on the map.")
        return rows[0]["map_id"], _link(rows[0])

    def update_link(self, link: Link) -> Link:
        map_id, _ = self.link(link.id)
        with write(self.db):
            self.db.execute("UPDATE map_links SET rating = ?, note = ? WHERE id = ?",
                            [link.rating, link.note, link.id])
            self._touch(map_id)
        return link

    def delete_link(self, link_id: int) -> None:
        map_id, _ = self.link(link_id)
        with write(self.db):
            self.db.execute("DELETE FROM map_links WHERE id = ?", [link_id])
            self._touch(map_id)

    def restore(self, map_id: int, nodes: list[Node], links: list[Link]) -> None:
        """Put deleted nodes and links back under their old ids, all at once (undo)."""
        with write(self.db):
            for node in nodes:
                self._insert_node(map_id, node)
            for link in links:
                self.db.execute(
                    "INSERT INTO map_links (id, map_id, node_a, node_b, rating, note) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [link.id, map_id, link.a, link.b, link.rating, link.note])
            self._touch(map_id)

    def delete_many(self, map_id: int, node_ids: list[int], link_ids: list[int]) -> None:
        with write(self.db):
            for link_id in link_ids:
                self.db.execute("DELETE FROM map_links WHERE id = ? AND map_id = ?", [link_id, map_id])
            for node_id in node_ids:
                self.db.execute("DELETE FROM map_nodes WHERE id = ? AND map_id = ? AND kind != 'hub'",
                                [node_id, map_id])
            self._touch(map_id)

    def copy_academy(self, old_academy: int, new_academy: int) -> None:
        """Copy every map of one academy (nodes, positions, links) into another."""
        with write(self.db):
            for map_id, school in self.maps(old_academy):
                m = self.get(map_id)
                new_map = self.db.execute(
                    "INSERT INTO initiative_maps (academy_id, school, updated_at) VALUES (?, ?, ?)",
                    [new_academy, school, self.clock.now().isoformat(timespec="seconds")]).lastrowid
                ids = {}
                for node_id, node in sorted(m.nodes.items()):
                    ids[node_id] = self._insert_node(new_map, Node(**{**node.__dict__, "id": None}))
                for _, link in sorted(m.links.items()):
                    self.db.execute(
                        "INSERT INTO map_links (map_id, node_a, node_b, rating, note) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [new_map, *sorted((ids[link.a], ids[link.b])), link.rating, link.note])
