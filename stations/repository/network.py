"""The SQL of getting phones onto the network: the room's Wi-Fi, the address the signs were
printed for, and the port the join server last listened on (``join_network``, ``join_server``)."""
from __future__ import annotations

from datetime import datetime

import sqlite_utils

from stations.network.wifi import WifiNetwork
from workshop.store.transactions import write


class NetworkRepository:
    """The room's network settings on one connection; each write is one transaction."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def wifi(self, academy_id: int) -> WifiNetwork | None:
        """The academy's Wi-Fi, None when none is entered."""
        row = self.db.execute(
            "SELECT wifi_ssid, wifi_security, wifi_password, wifi_hidden FROM join_network"
            " WHERE academy_id = ?", [academy_id]).fetchone()
        if row is None or not row[0]:
            return None
        return WifiNetwork(row[0], row[1], row[2], bool(row[3]))

    def set_wifi(self, academy_id: int, network: WifiNetwork | None) -> None:
        """Store (None: forget) the academy's Wi-Fi."""
        n = network or WifiNetwork("", "WPA", "")
        with write(self.db):
            self.db.execute(
                "INSERT INTO join_network (academy_id, wifi_ssid, wifi_security, wifi_password,"
                " wifi_hidden) VALUES (?, ?, ?, ?, ?) ON CONFLICT(academy_id) DO UPDATE SET"
                " wifi_ssid = excluded.wifi_ssid, wifi_security = excluded.wifi_security,"
                " wifi_password = excluded.wifi_password, wifi_hidden = excluded.wifi_hidden",
                [academy_id, n.ssid, n.security, n.password, int(n.hidden)])

    def printed_for(self, academy_id: int) -> str:
        """The base URL the academy's signs were last printed for ("" never printed)."""
        row = self.db.execute("SELECT signs_printed_for FROM join_network WHERE academy_id = ?",
                              [academy_id]).fetchone()
        return row[0] if row else ""

    def set_printed_for(self, academy_id: int, base_url: str, at: datetime) -> None:
        """Record that the signs were printed for ``base_url``."""
        with write(self.db):
            self.db.execute(
                "INSERT INTO join_network (academy_id, signs_printed_for, signs_printed_at)"
                " VALUES (?, ?, ?) ON CONFLICT(academy_id) DO UPDATE SET"
                " signs_printed_for = excluded.signs_printed_for,"
                " signs_printed_at = excluded.signs_printed_at",
                [academy_id, base_url, at.isoformat()])

    def last_port(self) -> int | None:
        """The port the join server last listened on (None: never started)."""
        row = self.db.execute("SELECT last_port FROM join_server WHERE id = 1").fetchone()
        return row[0] if row else None

    def set_last_port(self, port: int) -> None:
        """Remember the port the server listens on, to try it first next time."""
        with write(self.db):
            self.db.execute("INSERT INTO join_server (id, last_port) VALUES (1, ?)"
                            " ON CONFLICT(id) DO UPDATE SET last_port = excluded.last_port",
                            [port])
