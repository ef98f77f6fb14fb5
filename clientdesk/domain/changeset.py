"""What a write changed: the tables and row ids a committed action touched.

The journal notes every row it writes; whoever ran the action (the app's
writer, the live feed) collects them to tell the views exactly what to read
again, instead of "something changed somewhere".
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable, Iterator


@dataclass(frozen=True)
class ChangeSet:
    """Rows changed, by table; `everything` when it is not known which (a reconnect, a foreign write)."""

    ids: dict[str, frozenset[int]] = field(default_factory=dict)
    person: str | None = None
    everything: bool = False

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self.ids)

    def touches(self, *tables: str) -> bool:
        """Whether rows of any of these tables changed (always, for `everything`)."""
        return self.everything or any(t in self.ids for t in tables)

    def __bool__(self) -> bool:
        return self.everything or bool(self.ids)

    @classmethod
    def of(cls, rows: Iterable[tuple[str, int]], person: str | None = None) -> "ChangeSet":
        ids: dict[str, set[int]] = {}
        for table, pk in rows:
            ids.setdefault(table, set()).add(pk)
        return cls({t: frozenset(v) for t, v in ids.items()}, person)

    @classmethod
    def unknown(cls) -> "ChangeSet":
        return cls(everything=True)

    def merged(self, other: "ChangeSet") -> "ChangeSet":
        if self.everything or other.everything:
            return ChangeSet(everything=True, person=self.person or other.person)
        ids = {t: self.ids.get(t, frozenset()) | other.ids.get(t, frozenset()) for t in {*self.ids, *other.ids}}
        return ChangeSet(ids, self.person or other.person)


class _Collector:
    def __init__(self) -> None:
        self.rows: list[tuple[str, int]] = []
        self.person: str | None = None
        self.entries: list[int] = []  # the journal entries the actions wrote or flipped

    def result(self) -> ChangeSet:
        return ChangeSet.of(self.rows, self.person)


_local = threading.local()


@contextmanager
def collecting() -> Iterator[_Collector]:
    """Collect the rows committed by the actions run inside (this thread only); `.result()` after."""
    outer = getattr(_local, "collector", None)
    collector = _Collector()
    _local.collector = collector
    try:
        yield collector
    finally:
        _local.collector = outer
        if outer is not None:
            outer.rows.extend(collector.rows)
            outer.entries.extend(collector.entries)
            outer.person = outer.person or collector.person


def note(rows: Iterable[tuple[str, int]], person: str | None = None, *, entry: int | None = None) -> None:
    """Record committed rows for the innermost `collecting()` of this thread, if any.

    `entry`: the journal entry written or flipped (undo, redo), so that the
    live watcher knows this app's own entries from a teammate's.
    """
    collector = getattr(_local, "collector", None)
    if collector is not None:
        collector.rows.extend(rows)
        collector.person = collector.person or person
        if entry is not None:
            collector.entries.append(entry)


__all__ = ["ChangeSet", "collecting", "note"]
