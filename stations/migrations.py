"""Schema of the stations feature. One ordered list per area so that areas evolve apart;
each list is recorded under its own name in ``_migrations``."""
from __future__ import annotations

from typing import TYPE_CHECKING

from workshop.bundle.schema import Policies, declare
from workshop.store.migrate import Migration

if TYPE_CHECKING:   # annotations only: a read-only look at the file reads the versions below
    import sqlite_utils

FEATURE = "stations"


def _stations_v1(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE stations (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
        minutes INTEGER NOT NULL, prompt TEXT NOT NULL DEFAULT '',
        materials TEXT NOT NULL DEFAULT '', debrief_prompt TEXT NOT NULL DEFAULT '',
        UNIQUE (academy_id, position))""")


MIGRATIONS = [Migration(1, "stations", _stations_v1)]

# Areas with their own migration lists (grouping, rotation, join) add entries here:
# {"stations.<area>": [Migration(1, ...), ...]}. The keys are stored in every database's
# _migrations table: they name areas, not modules, and never change when modules move.
AREAS: dict[str, list[Migration]] = {}


def _join_v1(db: sqlite_utils.Database) -> None:
    # Phone join: one unguessable token per station, a per-academy secret for participant keys,
    # check-ins (one row per person, station and round: a double tap is one check-in) and
    # reflections (anonymous ones keep no participant; hidden ones stay, marked).
    db.execute("""CREATE TABLE join_tokens (
        station_id INTEGER PRIMARY KEY REFERENCES stations(id) ON DELETE CASCADE,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        token TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)""")
    db.execute("""CREATE TABLE join_secrets (
        academy_id INTEGER PRIMARY KEY REFERENCES academies(id) ON DELETE CASCADE,
        secret TEXT NOT NULL)""")
    db.execute("""CREATE TABLE join_checkins (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        station_id INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
        round INTEGER NOT NULL, at TEXT NOT NULL, seq INTEGER NOT NULL,
        UNIQUE (participant_id, station_id, round))""")
    db.execute("CREATE INDEX join_checkins_academy ON join_checkins(academy_id, seq)")
    db.execute("""CREATE TABLE join_reflections (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        station_id INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
        participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
        text TEXT NOT NULL, anonymous INTEGER NOT NULL, hidden INTEGER NOT NULL DEFAULT 0,
        request_id TEXT, at TEXT NOT NULL,
        UNIQUE (academy_id, request_id))""")
    db.execute("CREATE INDEX join_reflections_academy ON join_reflections(academy_id, id)")


def _join_v2(db: sqlite_utils.Database) -> None:
    # Walk-ins beyond a phone's allowance wait here for the facilitator (issue 12): the typed
    # name, where they asked, the phone that asked (to cap how many one phone may queue) and an
    # unguessable ticket the phone polls with. Approving makes the person and links them here.
    db.execute("""CREATE TABLE join_walkin_requests (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        station_id INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
        name TEXT NOT NULL, folded TEXT NOT NULL, device TEXT, address TEXT NOT NULL,
        ticket TEXT NOT NULL UNIQUE, status TEXT NOT NULL DEFAULT 'waiting',
        participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
        at TEXT NOT NULL, decided_at TEXT)""")
    db.execute("CREATE INDEX join_walkin_requests_academy ON join_walkin_requests(academy_id, status)")


def _join_v3(db: sqlite_utils.Database) -> None:
    # Each check-in belongs to a run of the rotation (issue 13): "Start again" begins run 2 with
    # nobody checked in, and run 1's check-ins stay readable. ``run`` is the academy's run
    # number (1, 2, …), not a rotation id, so arrivals before the first start are run 1's.
    # SQLite cannot change a UNIQUE constraint in place: the table is rebuilt, rows kept.
    db.execute("""CREATE TABLE join_checkins_v3 (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        station_id INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
        run INTEGER NOT NULL DEFAULT 1,
        round INTEGER NOT NULL, at TEXT NOT NULL, seq INTEGER NOT NULL,
        UNIQUE (participant_id, station_id, run, round))""")
    # Older check-ins were all read as the current run's: they stay the latest run's. (The
    # join area migrates before the rotation area, so on a new file there is no rotations yet.)
    runs = ("(SELECT max(1, count(*)) FROM rotations r WHERE r.academy_id = c.academy_id)"
            if "rotations" in db.table_names() else "1")
    db.execute(f"""INSERT INTO join_checkins_v3
        (id, academy_id, participant_id, station_id, run, round, at, seq)
        SELECT id, academy_id, participant_id, station_id, {runs}, round, at, seq
        FROM join_checkins c""")
    db.execute("DROP TABLE join_checkins")
    db.execute("ALTER TABLE join_checkins_v3 RENAME TO join_checkins")
    db.execute("CREATE INDEX join_checkins_academy ON join_checkins(academy_id, run, seq)")


def _join_v4(db: sqlite_utils.Database) -> None:
    # Personal links (issue 19): one token per participant, printed as a QR code on their group
    # card; scanning it tells a phone who it is. Separate from the station tokens: "New QR codes"
    # for the stations does not reprint every card.
    db.execute("""CREATE TABLE join_personal (
        participant_id INTEGER PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        token TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL)""")
    db.execute("CREATE INDEX join_personal_academy ON join_personal(academy_id)")


def _join_v5(db: sqlite_utils.Database) -> None:
    # Getting phones onto the network (issue 19 items 4-5): the room's Wi-Fi (kept in this local
    # file only: never sent to a phone, never exported) and the address the signs were printed
    # for; one row per academy. The port the server last listened on is the laptop's, one row.
    db.execute("""CREATE TABLE join_network (
        academy_id INTEGER PRIMARY KEY REFERENCES academies(id) ON DELETE CASCADE,
        wifi_ssid TEXT NOT NULL DEFAULT '', wifi_security TEXT NOT NULL DEFAULT 'WPA',
        wifi_password TEXT NOT NULL DEFAULT '', wifi_hidden INTEGER NOT NULL DEFAULT 0,
        signs_printed_for TEXT NOT NULL DEFAULT '', signs_printed_at TEXT)""")
    db.execute("""CREATE TABLE join_server (
        id INTEGER PRIMARY KEY CHECK (id = 1), last_port INTEGER NOT NULL)""")


AREAS["stations.join"] = [Migration(1, "phone join: tokens, check-ins, reflections", _join_v1),
                          Migration(2, "walk-ins waiting for approval", _join_v2),
                          Migration(3, "check-ins belong to a run of the rotation", _join_v3),
                          Migration(4, "personal links on the group cards", _join_v4),
                          Migration(5, "the room's Wi-Fi, where signs were printed, last port",
                                    _join_v5)]


def _rotation_v1(db: sqlite_utils.Database) -> None:
    # One row per rotation run; the current one is an academy's latest. Its schedule is frozen
    # at start (JSON) so editing stations mid-rotation never changes what the room is doing.
    db.execute("""CREATE TABLE rotations (
        id INTEGER PRIMARY KEY,
        academy_id INTEGER NOT NULL REFERENCES academies(id) ON DELETE CASCADE,
        created_at REAL NOT NULL, schedule TEXT NOT NULL DEFAULT '{}')""")
    db.execute("CREATE INDEX rotations_academy ON rotations(academy_id, id)")
    # The event log: the rotation's state is a fold over it. ``at`` is POSIX seconds.
    db.execute("""CREATE TABLE rotation_events (
        id INTEGER PRIMARY KEY,
        rotation_id INTEGER NOT NULL REFERENCES rotations(id) ON DELETE CASCADE,
        kind TEXT NOT NULL, at REAL NOT NULL, data TEXT NOT NULL DEFAULT '{}')""")
    db.execute("CREATE INDEX rotation_events_rotation ON rotation_events(rotation_id, id)")
    db.execute("""CREATE TABLE rotation_settings (
        academy_id INTEGER PRIMARY KEY REFERENCES academies(id) ON DELETE CASCADE,
        settings TEXT NOT NULL DEFAULT '{}')""")


AREAS["stations.rotation"] = [Migration(1, "rotation runs, event log, settings", _rotation_v1)]


def _grouping_v1(db: sqlite_utils.Database) -> None:
    # The academy's saved grouping (one per academy; saving replaces it). Rounds beyond the first
    # are kept for re-mixed days. Members cascade with the roster: a removed person leaves.
    db.execute("""CREATE TABLE groupings (
        academy_id INTEGER PRIMARY KEY REFERENCES academies(id) ON DELETE CASCADE,
        strategy TEXT NOT NULL DEFAULT '', options TEXT NOT NULL DEFAULT '{}',
        metrics TEXT NOT NULL DEFAULT '{}', saved_at TEXT NOT NULL)""")
    db.execute("""CREATE TABLE grouping_groups (
        academy_id INTEGER NOT NULL REFERENCES groupings(academy_id) ON DELETE CASCADE,
        round INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL,
        PRIMARY KEY (academy_id, round, position))""")
    db.execute("""CREATE TABLE grouping_members (
        academy_id INTEGER NOT NULL REFERENCES groupings(academy_id) ON DELETE CASCADE,
        round INTEGER NOT NULL, position INTEGER NOT NULL, seat INTEGER NOT NULL,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        locked INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (academy_id, round, participant_id))""")


def _grouping_v2(db: sqlite_utils.Database) -> None:
    # The grouping page's work in progress (moves, locks, names, regroups), written at every
    # step so nothing lives only in memory; Save promotes it to the academy's grouping.
    db.execute("""CREATE TABLE grouping_drafts (
        academy_id INTEGER PRIMARY KEY REFERENCES academies(id) ON DELETE CASCADE,
        state TEXT NOT NULL, updated_at TEXT NOT NULL)""")


AREAS["stations.grouping"] = [Migration(1, "saved groupings", _grouping_v1),
                              Migration(2, "grouping drafts", _grouping_v2)]

# Academy bundles: a grouping draft keeps participant ids inside its JSON; when an import has to
# give people new ids, the draft is left out rather than seat the wrong people.
# The room's Wi-Fi (its password) and the server's last port stay on this laptop: never in a
# bundle, though join_network hangs off its academy (issue 19).
BUNDLE = declare(FEATURE, Policies(ids_inside={"grouping_drafts": "participants"},
                                   excluded=frozenset({"join_network", "join_server"})))
