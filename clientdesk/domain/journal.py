"""One user action = one transaction = one journal entry that can undo and redo it.

Every write a domain function makes goes through an `ActionRecorder`, which
applies it and keeps the row before and after. `undo()` puts the rows back
exactly, in reverse order, and refuses when a row changed since (someone
else's edit is never overwritten silently); `redo()` applies them again.
The journal lives in the database, so undo works across restarts and sees
changes made by another process.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, TypeVar

import peewee

from clientdesk import clock
from clientdesk.domain import changeset
from clientdesk.domain.errors import RuleError, StaleEdit
from clientdesk.models import ALL_MODELS, Action, Routine, TimeBlock, database

JOURNAL_KEEP = 500
_MODELS_BY_TABLE = {m._meta.table_name: m for m in ALL_MODELS}


def _row(instance: peewee.Model) -> dict[str, Any]:
    """The stored values of a row, keyed by field name (JSON-safe)."""
    fields = type(instance)._meta.fields
    out = {}
    for name, field in fields.items():
        value = instance.__data__.get(name)
        out[name] = field.db_value(value) if value is not None else None
    return out


def _current(model: type[peewee.Model], pk: int) -> dict[str, Any] | None:
    try:
        return _row(model.get_by_id(pk))
    except model.DoesNotExist:
        return None


# A model class in, an instance of that class out: the caller keeps its row's fields.
M = TypeVar("M", bound=peewee.Model)


@dataclass
class ActionSummary:
    id: int
    label: str
    undone: bool


class ActionRecorder:
    """Applies writes inside an action and remembers how to reverse them."""

    def __init__(self, label: str):
        self.label = label
        self.changes: list[dict[str, Any]] = []

    def create(self, model: type[M], **fields) -> M:
        instance = model.create(**fields)
        instance = model.get_by_id(instance.id)
        self.changes.append({"op": "insert", "table": model._meta.table_name, "id": instance.id, "after": _row(instance)})
        return instance

    def update(self, instance: M, **fields) -> M:
        model = type(instance)
        before = _row(instance)
        if "version" in model._meta.fields and "version" not in fields:
            fields["version"] = (instance.version or 0) + 1
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.save(only=[model._meta.fields[n] for n in fields])
        fresh = model.get_by_id(instance.id)
        after = _row(fresh)
        changed = {k for k in after if after[k] != before[k]}
        if changed:
            self.changes.append(
                {
                    "op": "update",
                    "table": model._meta.table_name,
                    "id": instance.id,
                    "before": {k: before[k] for k in changed},
                    "after": {k: after[k] for k in changed},
                }
            )
        instance.__data__.update(fresh.__data__)
        return instance

    def update_many(self, model: type[peewee.Model], ids: list[int], **fields) -> int:
        """The same values on many rows in one UPDATE, each row's before and after recorded
        exactly as `update` records them (an invoice marks 2,000 entries at once)."""
        if "version" in model._meta.fields and "version" not in fields:
            fields["version"] = model.version + 1  # each row's own, as `update` does
        changed_rows = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            befores = {row.id: _row(row) for row in model.select().where(model.id.in_(chunk))}
            model.update(**fields).where(model.id.in_(list(befores))).execute()
            for row in model.select().where(model.id.in_(list(befores))):
                before, after = befores[row.id], _row(row)
                changed = {k for k in after if after[k] != before[k]}
                if changed:
                    changed_rows += 1
                    self.changes.append({"op": "update", "table": model._meta.table_name, "id": row.id,
                                         "before": {k: before[k] for k in changed},
                                         "after": {k: after[k] for k in changed}})
        return changed_rows

    def delete(self, instance: peewee.Model) -> None:
        model = type(instance)
        # Rows that the database would cascade-delete or null are recorded first,
        # so that undo brings them back too.
        for fk in model._meta.backrefs:
            rel_model = fk.model
            for child in rel_model.select().where(fk == instance.id):
                if fk.on_delete == "SET NULL":
                    self.update(child, **{fk.name: None})
                else:
                    self.delete(child)
        before = _row(model.get_by_id(instance.id))
        model.delete_by_id(instance.id)
        self.changes.append({"op": "delete", "table": model._meta.table_name, "id": instance.id, "before": before})


def _drop_derived(model: type[peewee.Model], pk: int) -> None:
    """Remove the rows made from this one outside the journal, before undo removes it.

    A routine's occurrences are laid as blocks when a week is first shown (not
    an action of their own): left behind, the database would keep them as plain
    blocks (SET NULL) and a redo would lay them a second time. Later edits of
    them were journaled after the routine, so undo has taken those back already.
    """
    if model is Routine:
        TimeBlock.delete().where(TimeBlock.routine == pk).execute()


def _insert(model, values):
    model.insert(**{k: v for k, v in values.items()}).execute()


def _apply(changes: list[dict[str, Any]], *, reverse: bool) -> None:
    """Replay changes forwards (redo) or backwards (undo), checking each row first."""
    steps = reversed(changes) if reverse else changes
    for change in steps:
        model = _MODELS_BY_TABLE[change["table"]]
        pk, op = change["id"], change["op"]
        current = _current(model, pk)
        name = model.__name__.lower()
        if reverse:
            if op == "insert":
                if current is None:
                    continue
                if current != change["after"]:
                    raise StaleEdit(f"{name} {pk} was changed since; not undone")
                _drop_derived(model, pk)
                model.delete_by_id(pk)
            elif op == "delete":
                if current is not None:
                    raise StaleEdit(f"{name} {pk} exists again; not undone")
                _insert(model, change["before"])
            else:
                if current is None:
                    raise StaleEdit(f"{name} {pk} was deleted since; not undone")
                if any(current[k] != v for k, v in change["after"].items()):
                    raise StaleEdit(f"{name} {pk} was changed since; not undone")
                model.update(**change["before"]).where(model.id == pk).execute()
        else:
            if op == "insert":
                if current is not None:
                    raise StaleEdit(f"{name} {pk} already exists; not redone")
                _insert(model, change["after"])
            elif op == "delete":
                if current is None:
                    continue
                if current != change["before"]:
                    raise StaleEdit(f"{name} {pk} was changed since; not redone")
                model.delete_by_id(pk)
            else:
                if current is None:
                    raise StaleEdit(f"{name} {pk} was deleted since; not redone")
                if any(current[k] != v for k, v in change["before"].items()):
                    raise StaleEdit(f"{name} {pk} was changed since; not redone")
                model.update(**change["after"]).where(model.id == pk).execute()


@contextmanager
def action(label: str, *, journal: bool = True) -> Iterator[ActionRecorder]:
    """Run one user action in one transaction and journal it for undo."""
    recorder = ActionRecorder(label)
    with database.atomic():
        yield recorder
        if journal and recorder.changes:
            Action.delete().where(Action.undone == True).execute()  # noqa: E712 - a new action ends redo
            Action.create(label=label, at=clock.now(), changes=json.dumps(recorder.changes))
            oldest_kept = Action.select(Action.id).order_by(Action.id.desc()).offset(JOURNAL_KEEP).limit(1).scalar()
            if oldest_kept:
                Action.delete().where(Action.id <= oldest_kept).execute()
    changeset.note(_touched(recorder.changes))


def _touched(changes: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(c["table"], c["id"]) for c in changes]


def undo() -> str:
    """Reverse the last action; returns its label. Raises RuleError when nothing is left."""
    with database.atomic():
        last = Action.select().where(Action.undone == False).order_by(Action.id.desc()).first()  # noqa: E712
        if last is None:
            raise RuleError("nothing to undo")
        changes = json.loads(last.changes)
        _apply(changes, reverse=True)
        last.undone = True
        last.save()
    changeset.note(_touched(changes))
    return last.label


def redo() -> str:
    """Apply again the action undone last; returns its label."""
    with database.atomic():
        nxt = Action.select().where(Action.undone == True).order_by(Action.id).first()  # noqa: E712
        if nxt is None:
            raise RuleError("nothing to redo")
        changes = json.loads(nxt.changes)
        _apply(changes, reverse=False)
        nxt.undone = False
        nxt.save()
    changeset.note(_touched(changes))
    return nxt.label


def history(limit: int = 20) -> list[ActionSummary]:
    """The latest actions, newest first."""
    rows = Action.select().order_by(Action.id.desc()).limit(limit)
    return [ActionSummary(a.id, a.label, a.undone) for a in rows]
