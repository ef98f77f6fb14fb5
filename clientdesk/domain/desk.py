"""The desk's own identity: a random id made once and stored in the database, so that what this desk
publishes (calendar UIDs) never collides with another desk's, and stays the same across exports."""

from __future__ import annotations

import secrets

from peewee import IntegrityError

from clientdesk.models import DeskSetting, database

DESK_ID = "desk_id"


def desk_id() -> str:
    """This desk's id (16 hex digits), created on first use."""
    row = DeskSetting.get_or_none(DeskSetting.key == DESK_ID)
    if row is not None:
        return row.value
    try:
        with database.atomic():
            DeskSetting.create(key=DESK_ID, value=secrets.token_hex(8))
    except IntegrityError:  # another process made it first: take theirs
        pass
    return DeskSetting.get(DeskSetting.key == DESK_ID).value


__all__ = ["desk_id"]
