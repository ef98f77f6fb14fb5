"""What the journal says others committed since this app last looked: rows, as a ChangeSet.

Every action writes one journal entry naming the rows it changed, and undo
and redo flip an entry's `undone`; so the journal alone tells which rows
another app, a script or a teammate changed. A `JournalMark` is the journal
as it was at one read: each entry's id with what identifies its state
(undone, when, label). `news_since(mark)` reads it again and turns the
difference into the rows it touched:

- a new entry: its rows (an action committed, or undone already: either way its rows moved);
- an entry whose `undone` flipped: its rows (an undo or a redo);
- an entry gone that was not undone when last seen: undone since, then
  dropped by a new action (its rows, when known; else "everything");
  the oldest entries going from a full journal are the trim, which changes no data.

SQLite hands the id of a deleted last row to the next insert, so an entry
is known by (id, at, label), not by its id alone. Entries of this app's own
writes (`own`) are skipped: the app already told its views about them.
The read is one small query over the journal (it is trimmed to a few
hundred entries) plus the `changes` of the entries that moved; the watcher
runs it only when the database says something was committed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Collection

from peewee import Case, fn

from clientdesk.domain import journal
from clientdesk.domain.changeset import ChangeSet
from clientdesk.models import Action

Rows = tuple[tuple[str, int], ...]
#: more rows than this (an import, a big undo) are news of "everything": one full read costs less
MANY_ROWS = 2000


@dataclass(frozen=True)
class JournalMark:
    """The journal at one read: entry id -> (undone, at, label), and the rows of entries seen moving."""

    entries: dict[int, tuple] = field(default_factory=dict)
    rows: dict[int, Rows] = field(default_factory=dict)


@dataclass(frozen=True)
class JournalNews:
    """What moved in the journal since a mark: the rows (empty: nothing of others), and the new mark."""

    changed: ChangeSet
    mark: JournalMark
    #: foreign entries that moved (new, undone, redone, or undone and gone)
    entries: frozenset[int] = frozenset()


def journal_mark() -> JournalMark:
    """The journal's state now (one query; no entry's changes are read)."""
    return JournalMark(_entries())


def journal_fingerprint() -> tuple:
    """A value that moves when an entry is added, removed, undone or redone (one aggregate row).

    For engines that cannot say cheaply that anything was committed: polled,
    it spares reading the journal when nothing moved.
    """
    undone = fn.SUM(Case(None, [(Action.undone == True, 1)], 0))  # noqa: E712 - SQL, not Python
    row = Action.select(fn.COUNT(Action.id), fn.MAX(Action.id), undone, fn.MAX(Action.at)).tuples().first()
    return tuple(row) if row else ()


def _entries() -> dict[int, tuple]:
    query = Action.select(Action.id, Action.undone, Action.at, Action.label).tuples()
    return {pk: (bool(undone), str(at), label) for pk, undone, at, label in query}


def news_since(mark: JournalMark, *, own: Collection[int] = ()) -> JournalNews:
    """The rows others changed through the journal since `mark` (see the module's docstring)."""
    now = _entries()
    own = set(own)
    moved: list[int] = []
    for pk, state in now.items():
        old = mark.entries.get(pk)
        if old != state and pk not in own:
            moved.append(pk)
    # the trim takes the oldest entries, and only from a full journal
    oldest = min(now) if len(now) >= journal.JOURNAL_KEEP else None
    unknown = False
    gone_rows: list[tuple[str, int]] = []
    for pk, old in mark.entries.items():
        state = now.get(pk)
        if state is not None and state[1:] == old[1:]:
            continue  # the same entry (its undo or redo was counted above)
        if pk in own or old[0]:
            continue  # ours, or undone when last seen: dropping it changes no data
        if state is None and oldest is not None and pk < oldest:
            continue  # trimmed
        rows = mark.rows.get(pk)
        if rows is None:
            unknown = True
        else:
            gone_rows.extend(rows)
    rows_of = _rows_of(moved)
    kept = {pk: r for pk, r in mark.rows.items() if pk in now and now[pk][1:] == mark.entries[pk][1:]}
    kept.update(rows_of)
    new_mark = JournalMark(now, kept)
    if unknown:
        return JournalNews(ChangeSet.unknown(), new_mark, frozenset(moved))
    touched = [row for pk in moved for row in rows_of.get(pk, ())] + gone_rows
    if len(touched) > MANY_ROWS:
        return JournalNews(ChangeSet.unknown(), new_mark, frozenset(moved))
    return JournalNews(ChangeSet.of(touched, _person_of(moved)), new_mark, frozenset(moved))


def _rows_of(entries: list[int]) -> dict[int, Rows]:
    """The (table, id) rows each entry changed, read from its `changes`."""
    out: dict[int, Rows] = {}
    for start in range(0, len(entries), 500):
        chunk = entries[start:start + 500]
        for pk, changes in Action.select(Action.id, Action.changes).where(Action.id.in_(chunk)).tuples():
            try:
                out[pk] = tuple(dict.fromkeys((c["table"], int(c["id"])) for c in json.loads(changes)))
            except (ValueError, TypeError, KeyError):
                out[pk] = ()
    return out


def _person_of(entries: list[int]) -> str | None:
    """Who made the newest of these entries, where the journal records a person."""
    person_field = getattr(Action, "person", None)
    if person_field is None or not entries:
        return None
    row = Action.select(person_field).where(Action.id.in_(entries)).order_by(Action.id.desc()).tuples().first()
    return str(row[0]) if row and row[0] is not None else None


__all__ = ["JournalMark", "JournalNews", "journal_fingerprint", "journal_mark", "news_since"]
