"""Messages that carry data from workers and intent from widgets up to screens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from clientdesk.domain.changeset import ChangeSet


class DataLoaded(Message):
    """A screen's worker finished reading; `payload` is whatever its loader returned."""

    def __init__(self, payload: Any, token: int) -> None:
        super().__init__()
        self.payload = payload
        self.token = token


@dataclass(frozen=True)
class DataChanged:
    """Rows changed in the database (an action, an undo, a teammate's write), published on
    the app's `data_changed_signal`; each view reads again only what it shows of them.

    `tables` and `ids` say which rows (`ids["task"]`: the task ids); `everything`
    is set when that is not known (a reconnect, a write outside the journal);
    `person` is who made the change, when known; `local` is True for this app's own writes.

    `before` and `after`: the database's change stamp (`db.change_stamp`) when
    the write was queued and once it was committed, for a writer's job (else
    None). A view whose data was read (or kept in step) at `before` is, with
    this change applied, in step at `after`: nothing else was committed in
    between, so a return to it needs no read.
    """

    changed: ChangeSet
    local: bool = True
    before: tuple | None = None
    after: tuple | None = None

    @property
    def tables(self) -> frozenset[str]:
        return self.changed.tables

    @property
    def ids(self) -> dict[str, frozenset[int]]:
        return self.changed.ids

    @property
    def person(self) -> str | None:
        return self.changed.person

    @property
    def everything(self) -> bool:
        return self.changed.everything

    def touches(self, *tables: str) -> bool:
        return self.changed.touches(*tables)
