"""Academy bundles: one academy in a plain SQLite file with the app's own schema, and back.

Format ``design-academy-bundle`` version 1 (docs/bundles.md): the app's tables, created by its
own migrations (so ``_migrations`` says which schema), holding one academy's rows under their
own ids, and a ``_bundle`` table of key/value facts (format, version, academy, exported_at,
app). Any SQLite tool opens it. Which tables travel is read from the schema (``schema``), so
tables the features add later travel too.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workshop import __version__
from workshop.bundle import repository as repo
from workshop.bundle.merge import ON_CONFLICT, MergeReport, merge
from workshop.bundle.schema import EXCLUDED, Ownership, Policies, Table, declared, ownership
from workshop.clock import Clock, SystemClock
from workshop.errors import ValidationError
from workshop.store import open_database
from workshop.store.errors import DatabaseError, SchemaTooNewError
from workshop.store.health import SQLITE_FAILURES
from workshop.store.migrate import Migration, check_not_newer, migrate
from workshop.store.transactions import write
from workshop.text import plural
from workshop.timefmt import utc_stamp

FORMAT = "design-academy-bundle"
VERSION = 1
MAX_BUNDLE_BYTES = 2 * 1024 ** 3
SQLITE_MAGIC = b"SQLite format 3\x00"
# What a declared column type lets a bundle's value be (SQLite's typeof), NULL aside.
_ALLOWED = {"INTEGER": {"integer"}, "TEXT": {"text"}, "REAL": {"real", "integer"}}

Progress = Callable[[int, int], object]


def _one_line(exc: BaseException) -> str:
    """SQLite's message, folded to one short line (it may quote a damaged schema's SQL)."""
    text = " ".join(str(exc).split())
    return text if len(text) <= 120 else text[:119] + "…"


class BundleError(ValidationError):
    """The file is not an academy bundle this version can read; the message says why."""


class BundleService:
    """Export, import and purge whole academies of the one data file ``db``."""

    def __init__(self, db: Any, features: dict[str, list[Migration]],
                 policies: Policies | None = None, clock: Clock | None = None):
        self.db = db
        self.features = features
        self.policies = policies or declared()
        self.clock = clock or SystemClock()
        self._expected: dict[tuple[str, str], str] | None = None

    def layout(self, db: Any = None) -> tuple[dict[str, Table], Ownership]:
        """The tables of the file and which of them an academy owns."""
        tables = repo.read_tables(db or self.db)
        return tables, ownership(tables, EXCLUDED | self.policies.excluded)

    # -- export ----------------------------------------------------------------------------
    def export(self, academy_id: int, out: Path | str, progress: Progress | None = None) -> dict:
        """Write the academy to ``out`` (replaced whole, never half written); returns row counts."""
        out = Path(out)
        title = next((t for i, t, _ in repo.academies_in(self.db) if i == academy_id), None)
        if title is None:
            raise ValidationError(f"There is no academy number {academy_id}.")
        if out.exists() and out.is_dir():
            raise ValidationError(f"{out} is a folder; name the bundle file to write.")
        partial = out.with_name(out.name + ".partial")
        partial.unlink(missing_ok=True)
        tables, owner = self.layout()
        for name, stable in self.policies.stable.items():   # a bundle shares, as JSON does
            if name in owner.order:
                repo.mark_shared(self.db, owner, tables[name], academy_id, stable.stamp,
                                 stable.synced)
        counts = {t: repo.count_rows(self.db, owner, t, academy_id) for t in owner.order}
        total, done = sum(counts.values()), 0
        try:
            bundle = open_database(partial, wal=False)
            try:
                repo.scratch_file(bundle)
                migrate(bundle, self.features, clock=self.clock)
                repo.write_meta(bundle, {"format": FORMAT, "version": str(VERSION),
                                         "academy_id": str(academy_id), "title": title,
                                         "exported_at": utc_stamp(self.clock.now()),
                                         "app": __version__})
                with write(bundle):
                    for name in owner.order:
                        rows = repo.academy_rows(self.db, owner, tables[name], academy_id)
                        repo.insert_rows(bundle, tables[name], rows)
                        done += len(rows)
                        if progress:
                            progress(done, total)
            finally:
                bundle.close()
            with open(partial, "rb+") as written:   # on disk before it takes the bundle's name
                os.fsync(written.fileno())
            os.replace(partial, out)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise DatabaseError(f"Could not write {out} ({exc.strerror or exc}); "
                                "nothing was written.") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return {t: n for t, n in counts.items() if n}

    # -- import ----------------------------------------------------------------------------
    def import_file(self, path: Path | str, *, as_title: str | None = None,
                    on_conflict: str = "ask", progress: Progress | None = None) -> MergeReport:
        """Read a bundle and merge its academy into the file: all of it or, on any refusal,
        nothing (a ``ValidationError`` saying why)."""
        if on_conflict not in ON_CONFLICT:
            raise ValueError(f"on_conflict must be one of {ON_CONFLICT}")
        path = Path(path)
        with self._checked_copy(path) as (source, academy_id, title):
            title = " ".join((as_title or title).split())
            if not title:
                raise BundleError("The academy's title is empty; name it with --as TITLE.")
            tables, owner = self.layout()
            try:
                with write(self.db):
                    report = merge(source, academy_id, self.db, tables, owner, self.policies,
                                   title=title, on_conflict=on_conflict, progress=progress)
                    self._read_back(report.academy_id, path.name)   # refused: rolled back
                    return report
            except SQLITE_FAILURES as exc:
                raise BundleError(f"{path.name} could not be imported ({_one_line(exc)}); nothing "
                                  "was changed.") from None

    def _read_back(self, academy_id: int, name: str) -> None:
        """The imported academy and roster read through the shell's own model, which refuses
        what no screen would have stored (an empty or 100,000-letter name, a readiness stage
        that does not exist): such a row would break every reading of the file afterwards."""
        from workshop.academy.repository import AcademyRepository
        academies = AcademyRepository(self.db, self.clock)
        try:
            academies.get(academy_id)
            academies.participants(academy_id)
        except ValidationError as exc:
            raise BundleError(f"{name} holds what this app would not keep ({exc}); nothing was "
                              "imported.") from None

    @contextmanager
    def open_bundle(self, path: Path | str) -> Iterator[tuple[Any, int, dict[str, str]]]:
        """A checked, upgraded copy of a bundle to read (the district library's builder):
        yields (its database, its academy's id, its ``_bundle`` facts)."""
        with self._checked_copy(Path(path)) as (source, academy_id, _title):
            yield source, academy_id, repo.read_meta(source) or {}

    @contextmanager
    def _checked_copy(self, path: Path) -> Iterator[tuple[Any, int, str]]:
        """A bundle copied to scratch, checked and opened: (database, academy id, title). The
        file itself is never opened for writing; the copy goes when the block ends."""
        with tempfile.TemporaryDirectory(prefix="bundle-") as scratch:
            copy = Path(scratch) / "bundle.sqlite"
            self._copy_checked(path, copy)
            try:
                source = open_database(copy, wal=False)
            except DatabaseError as exc:
                raise BundleError(f"{path.name} is not an academy bundle ({_one_line(exc)}).") from None
            try:
                academy_id, title = self._read_checked(source, path.name)
                yield source, academy_id, title
            finally:
                source.close()

    @staticmethod
    def _copy_checked(path: Path, copy: Path) -> None:
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise BundleError(f"{path} is not a file.")
            if size > MAX_BUNDLE_BYTES:
                raise BundleError(f"{path.name} is {size // 1024 ** 2} MB; a bundle is at most "
                                  f"{MAX_BUNDLE_BYTES // 1024 ** 2} MB.")
            with open(path, "rb") as f:
                if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                    raise BundleError(f"{path.name} is not an academy bundle (not a SQLite file).")
            shutil.copyfile(path, copy)   # the import upgrades a copy; the file stays as it was
        except OSError as exc:
            raise BundleError(f"Cannot read {path}: {exc.strerror or exc}.") from None

    def _read_checked(self, source: Any, name: str) -> tuple[int, str]:
        """The bundle's academy (id, title) once the file proved to be a bundle of ours."""
        try:
            repo.trust_no_schema(source.conn)
            meta = repo.read_meta(source)
            if meta is None:
                raise BundleError(f"{name} is a SQLite file but not an academy bundle (it has "
                                  "no _bundle table); a data file is opened with --db.")
            if meta.get("format") != FORMAT:
                raise BundleError(f"{name} is not an academy bundle (format "
                                  f"“{meta.get('format', '')[:40]}”).")
            version = meta.get("version", "")
            if not version.isdigit() or len(version) > 6:
                raise BundleError(f"{name} has no readable bundle version.")
            if int(version) > VERSION:
                raise BundleError(f"{name} was written by a newer version of the app (bundle "
                                  f"version {int(version)}; this one reads up to {VERSION}).")
            try:
                check_not_newer(source, self.features)
            except SchemaTooNewError:
                raise BundleError(f"{name} was written by a newer version of the app; update "
                                  "the app to import it.") from None
            migrate(source, self.features, clock=self.clock)   # an older bundle, upgraded
            self._check_schema(source, name)
            problems = repo.checks(source)
            if problems:
                raise BundleError(f"{name} is damaged ({problems[0]}); nothing was imported.")
            academies = repo.academies_in(source)
            if len(academies) != 1:
                raise BundleError(f"{name} holds {plural(len(academies), 'academy', 'academies')}"
                                  "; a bundle holds exactly one.")
            self._check_types(source, name)
            return academies[0][0], str(academies[0][1])
        except SQLITE_FAILURES as exc:
            raise BundleError(f"{name} is not a readable academy bundle ({_one_line(exc)}).") from None

    def _check_schema(self, source: Any, name: str) -> None:
        """The bundle's tables, indexes, triggers and views are exactly this version's: no
        trigger or view of a stranger's runs here, no column is missing."""
        if self._expected is None:   # this version's schema, made once per service
            reference = open_database(":memory:", wal=False)
            try:
                migrate(reference, self.features, clock=self.clock)
                self._expected = repo.schema_objects(reference)
            finally:
                reference.close()
        expected = self._expected
        found = repo.schema_objects(source)
        found.pop(("table", repo.META), None)
        for key in sorted(set(found) | set(expected)):
            if found.get(key) != expected.get(key):
                what = "unexpected" if key not in expected else (
                    "missing" if key not in found else "different")
                raise BundleError(f"{name} is not an academy bundle of this app ({what} "
                                  f"{key[0]} “{key[1][:40]}”).")

    def _check_types(self, source: Any, name: str) -> None:
        tables, owner = self.layout(source)
        for table in (tables[t] for t in owner.order):
            for column, kind in zip(table.columns, table.types):
                allowed = _ALLOWED.get(kind.upper())
                if allowed is None:
                    continue
                wrong = repo.value_types(source, table, column) - allowed - {"null"}
                if wrong:
                    raise BundleError(f"{name} is not a valid bundle ({table.name}.{column} "
                                      f"holds {sorted(wrong)[0]} values).")
                # What no screen of the app would have stored: an escape that redraws the
                # terminal `workshop academies` prints to, a NUL that cuts a name short.
                if kind.upper() == "TEXT" and repo.has_control_characters(source, table, column):
                    raise BundleError(f"{name} is not a valid bundle ({table.name}.{column} "
                                      "holds a control character).")

    # -- purge -----------------------------------------------------------------------------
    def purge(self, academy_id: int) -> None:
        """Delete the academy so that nothing of it stays readable in the file."""
        tables, owner = self.layout()
        fts = sorted(n for n in owner.derived if tables[n].virtual and tables[n].external_content)
        repo.purge(self.db, academy_id, fts)
