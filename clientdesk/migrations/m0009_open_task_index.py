"""Schema 9: a partial index of the open tasks, covering what the Overview reads.

The Overview's per-client counts and the Today ranking read only open tasks;
through the (project, status) index SQLite looked up every task row, done
history included (130 ms of a 200,000-task launch). This index holds the
open tasks alone with every column those reads need, so they never touch the
table. Partial indexes are plain SQL on SQLite and PostgreSQL alike; the
definition is written out here, frozen, not taken from the current model.
"""

from __future__ import annotations

import peewee

OPEN_TASK_INDEX_DDL = (
    'CREATE INDEX IF NOT EXISTS "task_open_triage" ON "task" '
    '("project_id", "priority", "due", "created", "status") WHERE ("status" != \'done\')'
)


def upgrade(db: peewee.Database) -> None:
    db.execute_sql(OPEN_TASK_INDEX_DDL)
