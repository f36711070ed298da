"""All SQL for prototypes and their iterations, and the full-text index over them.

The FTS5 table ``prototypes_fts`` indexes title, team, owner and ``search_text``: a column this
repository fills with every other field a team wrote (labels of the chosen model and Core Four,
the safe-to-try check, every iteration). Triggers keep the index in step with the table, so one
UPDATE of ``search_text`` re-indexes a prototype after any edit, including an iteration's.
Beside it, ``prototypes_trigram`` (FTS5's trigram tokenizer, the same columns, the same kind of
triggers) finds words of scripts written without spaces anywhere inside the text.
"""
from __future__ import annotations

import json
import sqlite3
import unicodedata

import sqlite_utils

from prototypes.check import RISKS
from prototypes.repository.measures import MeasureRepository
from prototypes.pdsa import DECISIONS, ITERATION_LABELS, Iteration
from prototypes.prototype import CORE_FOUR, STATUSES, Prototype, PrototypeSummary
from workshop.errors import ValidationError
from workshop.text import fold, unspaced, word_runs
from workshop.store.transactions import write

_CONTENT = ("title", "team", "why", "students", "model", "model_other", "teachers_more",
            "teachers_less", "success_measures", "resources", "owner", "status")
_SUMMARY = ("id", "academy_id", "title", "team", "status", "model", "model_other", "core_four",
            "owner", "updated_at")


def _row(p: Prototype) -> dict:
    row = {name: getattr(p, name) for name in _CONTENT}
    row |= {"uid": p.uid, "core_four": json.dumps(list(p.core_four)),
            "history": json.dumps([{"status": h.status, "on": h.on.isoformat()} for h in p.history]),
            "check": json.dumps(p.check.to_dict(), sort_keys=True, ensure_ascii=False),
            "created_at": p.created_at, "updated_at": p.updated_at}
    return row


def _prototype(row: dict) -> Prototype:
    data = {name: row[name] for name in _CONTENT}
    data |= {"uid": row["uid"], "core_four": json.loads(row["core_four"]),
             "history": json.loads(row["history"]), "check": json.loads(row["check"]),
             "created_at": row["created_at"], "updated_at": row["updated_at"]}
    return Prototype.from_dict(data, id=row["id"], academy_id=row["academy_id"])


def _iteration_row(it: Iteration) -> dict:
    data = it.to_dict()
    data["snapshot"] = json.dumps(it.snapshot, sort_keys=True, ensure_ascii=False)
    return data


def _iteration(row: dict) -> Iteration:
    data = dict(row)
    data["snapshot"] = json.loads(row["snapshot"])
    return Iteration.from_dict(data, id=row["id"], prototype_id=row["prototype_id"])


def search_text(p: Prototype, iterations: list[Iteration], measures: list[str] = ()) -> str:
    """Everything searchable beyond title/team/owner, as one text (labels, not keys);
    ``measures`` are the names, units and collection notes of its measures."""
    parts = [p.why, p.students, p.model_label, p.teachers_more, p.teachers_less,
             p.success_measures, p.resources, STATUSES[p.status]]
    parts += [CORE_FOUR[e] for e in p.core_four]
    for key, rating in p.check.risks.items():
        if rating.level or rating.mitigation:
            parts += [RISKS[key], rating.mitigation]
    parts.append(p.check.present)
    for o in p.check.objections:
        parts += [o.text, o.resolution]
    for it in iterations:
        parts += [getattr(it, name) for name in ITERATION_LABELS if name != "decision"]
        if it.decision:
            parts.append(DECISIONS[it.decision])
    parts += measures
    return "\n".join(part for part in parts if part)


def fts_query(text: str) -> str:
    """Typed words -> an FTS5 query: every word must match, the last one (or all) as a prefix.

    Words are quoted so nothing a person types is read as FTS syntax (AND, NEAR, "-", "*").
    Words of scripts written without spaces are left to ``substring_terms``.
    """
    words = [_index_fold(run) for run in word_runs(text) if not _substring(run)]
    return " ".join(f'"{w}"*' for w in words if w)


def _index_fold(word: str) -> str:
    """A typed word as the word index (unicode61, remove_diacritics 2) holds it: case folded
    and Latin accents (the combining diacritics block) removed, but the marks of other scripts
    kept: a virama or a Tamil vowel sign is part of the word (``workshop.text.fold`` drops
    them, and “अनन्या” then matched nothing)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    kept = "".join(ch for ch in decomposed if not 0x300 <= ord(ch) <= 0x36F)
    return unicodedata.normalize("NFC", kept)


def substring_terms(text: str) -> list[str]:
    """Typed words of scripts written without spaces (Chinese, Japanese, Thai…) and emoji: each must
    appear somewhere in a prototype's text, as a substring (the trigram index), since
    “节奏” sits inside the one token “学生需要自己的节奏” of the word index."""
    return [run.casefold() for run in word_runs(text) if _substring(run)]


def _substring(word: str) -> bool:
    # The word index splits emoji out of its tokens, so they are found as substrings too.
    return unspaced(word) or any(unicodedata.category(ch) in ("So", "Sk") for ch in word)


class PrototypeRepository:
    """The SQL of prototypes, their iterations and the library's full-text index."""
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    # -- prototypes ------------------------------------------------------------------------
    def get(self, prototype_id: int) -> Prototype:
        try:
            return _prototype(self.db["prototypes"].get(prototype_id))
        except sqlite_utils.db.NotFoundError:
            raise ValidationError(f"There is no prototype number {prototype_id}.") from None

    def by_uid(self, uid: str) -> Prototype | None:
        rows = list(self.db["prototypes"].rows_where("uid = ?", [uid]))
        return _prototype(rows[0]) if rows else None

    def add(self, p: Prototype, academy_id: int) -> Prototype:
        with write(self.db):
            pk = self.db["prototypes"].insert(_row(p) | {"academy_id": academy_id}).last_pk
            self._reindex(pk)
        return self.get(pk)

    def save(self, p: Prototype) -> Prototype:
        """Write every field of an existing prototype (and refresh its search text)."""
        with write(self.db):
            self.db["prototypes"].update(p.id, _row(p) | {"academy_id": p.academy_id})
            self._reindex(p.id)
        return p

    def touch(self, prototype_id: int, updated_at: str) -> None:
        with write(self.db):
            self.db.execute("UPDATE prototypes SET updated_at = ? WHERE id = ?",
                            [updated_at, prototype_id])

    def delete(self, prototype_id: int) -> None:
        with write(self.db):
            self.db.execute("DELETE FROM prototypes WHERE id = ?", [prototype_id])

    def stored_rows(self, prototype_id: int) -> tuple[dict, list[dict]]:
        """The stored rows of a prototype and its cycles, as they are (what undoing a delete
        puts back: same ids, uid, stamps and sync state)."""
        try:
            row = dict(self.db["prototypes"].get(prototype_id))
        except sqlite_utils.db.NotFoundError:
            raise ValidationError(f"There is no prototype number {prototype_id}.") from None
        cycles = [dict(r) for r in self.db["prototype_iterations"].rows_where(
            "prototype_id = ?", [prototype_id], order_by="number")]
        return row, cycles

    def restore_rows(self, row: dict, cycles: list[dict]) -> None:
        """Put back rows from ``stored_rows`` (the undo of ``delete``)."""
        try:
            with write(self.db):
                self.db["prototypes"].insert(row)
                for cycle in cycles:
                    self.db["prototype_iterations"].insert(cycle)
        except sqlite3.IntegrityError:
            raise ValidationError(f"“{row.get('title', '')}” cannot come back: a prototype with "
                                  "its number or its identity is here already.") from None

    def synced_at(self, prototype_id: int) -> str | None:
        row = self.db.execute("SELECT synced_at FROM prototypes WHERE id = ?",
                              [prototype_id]).fetchone()
        return row[0] if row else None

    def mark_synced(self, prototype_id: int, updated_at: str) -> None:
        """Remember the version last exported or imported: edits after it are local edits."""
        with write(self.db):
            self.db.execute("UPDATE prototypes SET synced_at = ? WHERE id = ?",
                            [updated_at, prototype_id])

    def reindex(self, prototype_id: int) -> None:
        """Refresh a prototype's search text (after its measures changed)."""
        with write(self.db):
            self._reindex(prototype_id)

    def _reindex(self, prototype_id: int) -> None:
        p = _prototype(self.db["prototypes"].get(prototype_id))
        text = search_text(p, self.iterations(prototype_id),
                           MeasureRepository(self.db).names(prototype_id))
        self.db.execute("UPDATE prototypes SET search_text = ? WHERE id = ? AND search_text != ?",
                        [text, prototype_id, text])

    # -- iterations ------------------------------------------------------------------------
    def iterations(self, prototype_id: int) -> list[Iteration]:
        return [_iteration(r) for r in self.db["prototype_iterations"].rows_where(
            "prototype_id = ?", [prototype_id], order_by="number")]

    def iteration(self, iteration_id: int) -> Iteration:
        try:
            return _iteration(self.db["prototype_iterations"].get(iteration_id))
        except sqlite_utils.db.NotFoundError:
            raise ValidationError(f"There is no iteration number {iteration_id}.") from None

    def add_iteration(self, prototype_id: int, it: Iteration) -> Iteration:
        with write(self.db):
            pk = self.db["prototype_iterations"].insert(
                _iteration_row(it) | {"prototype_id": prototype_id}).last_pk
            self._reindex(prototype_id)
        return self.iteration(pk)

    def save_iteration(self, it: Iteration) -> Iteration:
        with write(self.db):
            self.db["prototype_iterations"].update(it.id, _iteration_row(it))
            self._reindex(it.prototype_id)
        return it

    def delete_iteration(self, iteration_id: int) -> None:
        it = self.iteration(iteration_id)
        with write(self.db):
            self.db.execute("DELETE FROM prototype_iterations WHERE id = ?", [iteration_id])
            self._reindex(it.prototype_id)

    def replace_iterations(self, prototype_id: int, iterations: list[Iteration]) -> None:
        with write(self.db):
            self.db.execute("DELETE FROM prototype_iterations WHERE prototype_id = ?",
                            [prototype_id])
            for it in iterations:
                self.db["prototype_iterations"].insert(
                    _iteration_row(it) | {"prototype_id": prototype_id})
            self._reindex(prototype_id)

    # -- library ---------------------------------------------------------------------------
    @staticmethod
    def _where(academy_id, query, team, status, model, core) -> tuple[str, dict]:
        where, params = [], {}
        match = fts_query(query)
        if match:
            where.append("p.rowid IN (SELECT rowid FROM prototypes_fts "
                         "WHERE prototypes_fts MATCH :query)")
            params["query"] = match
        for n, term in enumerate(substring_terms(query)):
            if len(term) >= 3:   # a trigram phrase: the index finds it
                where.append(f"p.rowid IN (SELECT rowid FROM prototypes_trigram "
                             f"WHERE prototypes_trigram MATCH :sub{n})")
                params[f"sub{n}"] = f'"{term}"'
            else:                # one or two characters: shorter than a trigram, so a scan
                where.append(f"p.rowid IN (SELECT rowid FROM prototypes_trigram WHERE "
                             f"title LIKE :sub{n} OR team LIKE :sub{n} OR owner LIKE :sub{n} "
                             f"OR search_text LIKE :sub{n})")
                params[f"sub{n}"] = f"%{term}%"
        for column, value in (("academy_id", academy_id), ("team", team), ("status", status),
                              ("model", model)):
            if value is not None and value != "":
                where.append(f"p.{column} = :{column}")
                params[column] = value
        if core:
            where.append("EXISTS (SELECT 1 FROM json_each(p.core_four) WHERE value = :core)")
            params["core"] = core
        return (f" WHERE {' AND '.join(where)}" if where else ""), params

    def search(self, academy_id: int | None = None, query: str = "", *, team: str | None = None,
               status: str | None = None, model: str | None = None, core: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[PrototypeSummary]:
        """Library rows matching every given filter and every typed word, by title.

        Title order, not relevance: the list stays put while someone types, and it lets the
        query walk the narrow ``prototypes_library`` index in order and stop at ``limit``
        (ranking 5,000 matches of a one-letter prefix would cost more than the goal of 20 ms).
        The FTS table is the one sqlite-utils' enable_fts() makes (``detect_fts()`` finds it);
        the planner would rather fetch each match by rowid, reading a page per prototype, so
        the index is named.
        """
        where, params = self._where(academy_id, query, team, status, model, core)
        sql = (f"SELECT {', '.join('p.' + c for c in _SUMMARY)}, a.title, "
               "(SELECT count(*) FROM prototype_iterations i WHERE i.prototype_id = p.id) "
               "FROM prototypes p INDEXED BY prototypes_library "
               "JOIN academies a ON a.id = p.academy_id" + where
               + " ORDER BY p.title COLLATE NOCASE, p.id"
               + (f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""))
        out = []
        for r in self.db.execute(sql, params).fetchall():
            d = dict(zip(_SUMMARY, r))
            d["core_four"] = tuple(json.loads(d["core_four"]))
            out.append(PrototypeSummary(**d, academy_title=r[-2], iterations=r[-1]))
        return out

    def count_matches(self, academy_id: int | None = None, query: str = "", *,
                      team: str | None = None, status: str | None = None,
                      model: str | None = None, core: str | None = None) -> int:
        where, params = self._where(academy_id, query, team, status, model, core)
        return self.db.execute("SELECT count(*) FROM prototypes p INDEXED BY prototypes_library"
                               + where, params).fetchone()[0]

    def teams(self, academy_id: int | None = None) -> list[str]:
        sql = "SELECT DISTINCT team FROM prototypes WHERE team != ''"
        params = []
        if academy_id is not None:
            sql += " AND academy_id = ?"
            params.append(academy_id)
        return sorted((r[0] for r in self.db.execute(sql, params)), key=fold)

    def count(self) -> int:
        return self.db["prototypes"].count


__all__ = ["PrototypeRepository", "search_text", "fts_query", "substring_terms"]
