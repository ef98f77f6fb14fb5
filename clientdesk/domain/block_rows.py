"""Time blocks as plain rows, for writers of many blocks at once (the calendar export).

One query of tuples, no model instances or pendulum objects per row: the
export of 1,800 blocks spent most of its time building them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from peewee import JOIN

from clientdesk.domain.periods import week_bounds, week_start
from clientdesk.models import Client, Task, TimeBlock, database
from clientdesk.models.base import instant_text


@dataclass(frozen=True)
class BlockRow:
    id: int
    start: str  # UTC, 'YYYY-MM-DDTHH:MM:SS'
    end: str
    kind: str
    note: str
    is_routine: bool
    client: str
    task: str | None


def block_rows(*, client_id: int | None = None, week: pendulum.Date | None = None) -> list[BlockRow]:
    """Every block (of one client; of one local ISO week, its routines laid first), by start then id."""
    q = (
        TimeBlock.select(TimeBlock.id, TimeBlock.start, TimeBlock.end, TimeBlock.kind, TimeBlock.note,
                         TimeBlock.routine, Client.name, Task.title)
        .join(Client)
        .switch(TimeBlock)
        .join(Task, JOIN.LEFT_OUTER)
    )
    if client_id:
        q = q.where(TimeBlock.client == client_id)
    if week is not None:
        from clientdesk.domain.routines import lay_routines

        monday = week_start(week)
        lay_routines(monday)
        lo, hi = week_bounds(monday)
        q = q.where(TimeBlock.end > instant_text(lo), TimeBlock.start < instant_text(hi))
    q = q.order_by(TimeBlock.start, TimeBlock.id)
    return [
        BlockRow(bid, str(start)[:19], str(end)[:19], kind, note or "", routine is not None, client, task)
        for bid, start, end, kind, note, routine, client, task in database.execute(q)
    ]


__all__ = ["BlockRow", "block_rows"]
