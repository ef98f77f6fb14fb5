"""Schema 2: routines (recurring blocks) and the link from a block to its routine."""

from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from clientdesk.models import Routine, RoutineSkip, TimeBlock


def upgrade(db: peewee.Database) -> None:
    db.create_tables([Routine, RoutineSkip])
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("time_block", "routine_id", TimeBlock.routine),
        migrator.add_column("time_block", "occurrence", TimeBlock.occurrence),
        migrator.add_index("time_block", ("routine_id", "occurrence"), True),
    )
