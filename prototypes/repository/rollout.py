"""All SQL of vision-and-rollout plans: one row per (academy, school team), the plan as JSON.
The vision statement is not stored here: it is the hub of the team's initiative map."""
from __future__ import annotations

import json

import sqlite_utils

from prototypes.rollout.plan import RolloutPlan
from workshop.store.transactions import write

__all__ = ["RolloutRepository"]


class RolloutRepository:
    """The SQL of the ``rollout_plans`` table."""
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def get(self, academy_id: int, school: str) -> RolloutPlan | None:
        """The stored plan (without its vision statement), or None if never written."""
        row = self.db.execute("SELECT plan FROM rollout_plans WHERE academy_id = ? AND school = ?",
                              [academy_id, school]).fetchone()
        return RolloutPlan.from_dict(json.loads(row[0])) if row else None

    def save(self, academy_id: int, school: str, plan: RolloutPlan, search_text: str) -> None:
        """Insert or replace the team's plan (the whole document, one transaction)."""
        text = json.dumps(plan.to_dict(with_vision=False), sort_keys=True, ensure_ascii=False)
        with write(self.db):
            self.db.execute(
                "INSERT INTO rollout_plans (academy_id, school, plan, search_text, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (academy_id, school) DO UPDATE SET "
                "plan = excluded.plan, search_text = excluded.search_text, "
                "updated_at = excluded.updated_at",
                [academy_id, school, text, search_text, plan.updated_at])

    def schools(self, academy_id: int) -> list[str]:
        """The teams of an academy that have a plan."""
        return [r[0] for r in self.db.execute(
            "SELECT school FROM rollout_plans WHERE academy_id = ? ORDER BY school COLLATE NOCASE",
            [academy_id]).fetchall()]

    def search_texts(self, academy_id: int | None) -> list[tuple[int, str, str]]:
        """(academy id, school, folded plan text) of every plan of an academy (or of every
        academy): one row per team, so the words are matched in Python with the vision."""
        sql = "SELECT academy_id, school, search_text FROM rollout_plans"
        params: list = []
        if academy_id is not None:
            sql += " WHERE academy_id = ?"
            params.append(academy_id)
        return [(r[0], r[1], r[2]) for r in self.db.execute(sql, params).fetchall()]

    def copy_academy(self, old_academy: int, new_academy: int) -> None:
        """Copy every plan of one academy into another (duplicating an academy)."""
        with write(self.db):
            self.db.execute(
                "INSERT INTO rollout_plans (academy_id, school, plan, search_text, updated_at) "
                "SELECT ?, school, plan, search_text, updated_at FROM rollout_plans "
                "WHERE academy_id = ?", [new_academy, old_academy])
