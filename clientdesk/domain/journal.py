"""One user action = one transaction = one journal entry that can undo and redo it.

Every write a domain function makes goes through an `ActionRecorder`, which
applies it and keeps the row before and after. `undo()` puts the rows back
exactly, in reverse order, and refuses when a row changed since (someone
else's edit is never overwritten silently); `redo()` applies them again.
The journal lives in the database, so undo works across restarts and sees
changes made by another process.

On a desk shared by a team every action records its person: `undo()` and
`redo()` act on the current person's own history only (a teammate's action
neither clears your redo nor counts against your trim), and a refusal names
who changed what since ("Bob changed the title of 'Draft invoice' at 10:42;
undo refused"). Every update of a row with a `version` is written as
`UPDATE ... SET ..., version = version + 1 WHERE id = ? AND version = ?`
inside the action's transaction; no row matched means someone changed it
since it was read, and `RowConflict` says who and which fields.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Callable, Iterator, TypeVar

import peewee
import pendulum

from clientdesk import clock
from clientdesk.domain import changeset
from clientdesk.domain.errors import RuleError, StaleEdit
from clientdesk.models import ALL_MODELS, Action, Person, Routine, SchemaVersion, TimeBlock, database
from clientdesk.safe_text import terminal_safe

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
    person: str = ""


# ---------------------------------------------------------------- who changed what

#: columns a person does not "change" by hand: bookkeeping that moves with every edit
_QUIET = {"version", "updated", "completed", "position"}
_FIELD_WORDS = {"due": "due date", "estimate_minutes": "estimate", "budget_hours": "budget hours",
                "budget_amount": "money budget", "budget_hours_month": "monthly budget", "hourly_rate": "rate",
                "checkin_every_days": "check-in interval", "weekly_target_hours": "weekly target",
                "impact_hours": "impact hours", "impact_days": "impact days", "impact_cost": "impact cost",
                "decision_note": "decision note", "change_request": "change request", "on": "date",
                "capacity_hours": "capacity", "invoice_ref": "invoice reference"}
_NAME_FIELDS = ("title", "name", "summary", "reference", "note", "comment")


@dataclass(frozen=True)
class RowChange:
    """One journaled change of one row: who made it, when, what it did."""

    person: str
    at: pendulum.DateTime
    op: str  # insert, update, delete
    fields: tuple[str, ...]
    after: dict
    label: str

    def words(self, what: str = "it") -> str:
        """'moved it to review', 'changed the title and due date of it', 'added it', 'deleted it'."""
        if self.op == "insert":
            return f"added {what}"
        if self.op == "delete":
            return f"deleted {what}"
        shown = [f for f in self.fields if f not in _QUIET]
        if shown == ["status"]:
            return f"moved {what} to {self.after.get('status')}"
        if shown == ["priority"]:
            return f"set {what} to p{self.after.get('priority')}"
        if shown == ["assignee"]:
            return f"assigned {what}" if self.after.get("assignee") else f"unassigned {what}"
        if not shown:
            return f"reordered {what}" if "position" in self.fields else f"touched {what}"
        names = [_FIELD_WORDS.get(f, f.replace("_", " ")) for f in shown]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"changed the {listed}" if what == "it" else f"changed the {listed} of {what}"

    def when(self) -> str:
        """10:42 today, else 'Mon 23 Nov 10:42', in the desk's local time."""
        local = self.at.in_timezone(clock.local_tz())
        if local.date() == clock.today():
            return local.format("HH:mm")
        return local.format("ddd D MMM HH:mm")

    def line(self) -> str:
        """'Alice moved it to review, 10:42' (person and text terminal-safe)."""
        return f"{terminal_safe(self.person, newlines=False)} {self.words()}, {self.when()}"


class RowConflict(StaleEdit):
    """A row changed since it was read; carries the row's version now, to overwrite on purpose."""

    def __init__(self, message: str, *, table: str, row_id: int, version: int | None, changes: list[RowChange]):
        super().__init__(message)
        self.table = table
        self.row_id = row_id
        self.version = version
        self.changes = changes


def _row_title(model: type[peewee.Model], row: dict | None) -> str:
    for name in _NAME_FIELDS:
        if row and row.get(name):
            return f"'{terminal_safe(str(row[name]), newlines=False)[:60]}'"
    return f"{model.__name__.lower()} {row.get('id') if row else ''}".strip()


def _needle(table: str, row_id: int) -> str:
    return json.dumps({"table": table, "id": row_id})[1:-1] + ","  # as json.dumps writes it inside an entry


def row_history(table: str, row_id: int, *, after_action: int | None = None, since_version: int | None = None,
                limit: int = 50) -> list[RowChange]:
    """The journaled changes of one row, newest first (undone actions left out).

    `after_action`: only actions after that one; `since_version`: only the changes
    that took the row past that version (what a form opened at it has not seen).
    """
    q = (Action.select(Action, Person).join(Person, peewee.JOIN.LEFT_OUTER)
         .where(Action.changes.contains(_needle(table, row_id)), Action.undone == False)  # noqa: E712
         .order_by(Action.id.desc()).limit(limit))
    if after_action is not None:
        q = q.where(Action.id > after_action)
    out: list[RowChange] = []
    for a in q:
        person = a.person.name if a.person_id is not None else "someone"
        for change in reversed(json.loads(a.changes)):
            if change["table"] != table or change["id"] != row_id:
                continue
            after = change.get("after") or {}
            if since_version is not None and change["op"] == "update":
                if not isinstance(after.get("version"), int) or after["version"] <= since_version:
                    continue
            fields = tuple(after) if change["op"] == "update" else ()
            out.append(RowChange(person, a.at, change["op"], fields, after, a.label))
    return out


def _merged(changes: list[RowChange]) -> RowChange:
    """The newest change, naming every field the changes touched together."""
    newest = changes[0]
    if len(changes) == 1 or newest.op != "update":
        return newest
    fields: list[str] = []
    for c in reversed(changes):
        for f in c.fields:
            if f not in fields:
                fields.append(f)
    return RowChange(newest.person, newest.at, "update", tuple(fields), newest.after, newest.label)


def _refusal(model: type[peewee.Model], pk: int, row: dict | None, changes: list[RowChange], ending: str,
             fallback: str) -> str:
    if not changes:
        return fallback
    c = _merged(changes)
    return f"{terminal_safe(c.person, newlines=False)} {c.words(_row_title(model, row))} at {c.when()}; {ending}"


def conflict(model: type[peewee.Model], pk: int, seen_version: int | None) -> RowConflict:
    """The error for an update made against `seen_version` of a row that has moved on."""
    table = model._meta.table_name
    current = _current(model, pk)
    changes = row_history(table, pk, since_version=seen_version) if current is not None else row_history(table, pk)
    name = _row_title(model, current)
    if current is None:
        message = _refusal(model, pk, None, changes, "not saved", f"{name} was deleted elsewhere; not saved")
    else:
        message = _refusal(model, pk, current, changes, "not saved",
                           f"{name} was changed elsewhere since you read it; not saved")
    return RowConflict(message, table=table, row_id=pk, version=(current or {}).get("version"), changes=changes)


# ---------------------------------------------------------------- versions a form has seen

_expected: ContextVar[dict[tuple[str, int], int] | None] = ContextVar("clientdesk_expected_versions", default=None)


def _expected_versions() -> dict[tuple[str, int], int]:
    return _expected.get() or {}


def is_versioned(model: type[peewee.Model]) -> bool:
    return "version" in model._meta.fields and model is not SchemaVersion


@contextmanager
def expecting(table: str, row_id: int, version: int | None) -> Iterator[None]:
    """Within this block, an update of that row is refused unless it is still at `version`
    (the version a form was opened at). None expects nothing."""
    if version is None:
        yield
        return
    token = _expected.set({**_expected_versions(), (table, row_id): int(version)})
    try:
        yield
    finally:
        _expected.reset(token)


def saved_over(table: str, row_id: int, version: int | None, fn: Callable[..., Any], *args, **kwargs) -> Any:
    """`fn(*args)` as a save of a form opened at `version` of that row."""
    with expecting(table, row_id, version):
        return fn(*args, **kwargs)


def row_version(table: str, row_id: int) -> int | None:
    """The row's version now (a form keeps it when it opens); None when the row is gone."""
    model = _MODELS_BY_TABLE[table]
    return model.select(model.version).where(model.id == row_id).scalar()


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

    def update(self, instance: M, *, expect_version: int | None = None, **fields) -> M:
        """Write `fields` on the row; for a versioned row only if it is still at the version
        read (`expect_version`, else the one a form expects, else the instance's), bumping it.

        The compare is in the UPDATE's WHERE, inside the action's transaction: two
        processes saving over one version, exactly one matches a row.
        """
        model = type(instance)
        table = model._meta.table_name
        before = _row(instance)
        fields.pop("version", None)
        where = model.id == instance.id
        values = dict(fields)
        if is_versioned(model):
            seen = expect_version
            if seen is None:
                seen = _expected_versions().get((table, instance.id), instance.version)
            where &= model.version == seen
            values["version"] = model.version + 1
        if model.update(**values).where(where).execute() == 0:
            raise conflict(model, instance.id, seen if is_versioned(model) else None)
        fresh = model.get_by_id(instance.id)
        expected = _expected.get()
        if expected and (table, instance.id) in expected:  # a second write of the row in this action: its own
            expected[(table, instance.id)] = fresh.version
        after = _row(fresh)
        changed = {k for k in after if after[k] != before[k]}
        if changed:
            self.changes.append(
                {
                    "op": "update",
                    "table": table,
                    "id": instance.id,
                    "before": {k: before[k] for k in changed},
                    "after": {k: after[k] for k in changed},
                }
            )
        instance.__data__.update(fresh.__data__)
        return instance

    def update_many(self, model: type[peewee.Model], ids: list[int], **fields) -> int:
        """The same values on many rows, each row's before and after recorded exactly as
        `update` records them (an invoice marks 2,000 entries at once).

        Rows are read and written inside the action's transaction; each UPDATE
        also compares the versions read, so a row changed in between is refused.
        """
        fields.pop("version", None)
        versioned = is_versioned(model)
        values = dict(fields, version=model.version + 1) if versioned else dict(fields)
        changed_rows = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            befores = {row.id: _row(row) for row in model.select().where(model.id.in_(chunk))}
            if versioned:
                by_version: dict[int, list[int]] = {}
                for pk, seen_row in befores.items():
                    by_version.setdefault(seen_row["version"], []).append(pk)
                for version, pks in by_version.items():
                    n = model.update(**values).where(model.id.in_(pks), model.version == version).execute()
                    if n != len(pks):
                        moved = next(pk for pk in pks if (_current(model, pk) or {}).get("version") != version)
                        raise conflict(model, moved, version)
            else:
                model.update(**values).where(model.id.in_(list(befores))).execute()
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


def _apply(changes: list[dict[str, Any]], *, reverse: bool, action_id: int | None = None) -> None:
    """Replay changes forwards (redo) or backwards (undo), checking each row first.

    A row that is not as this action left it (or found it) is refused, naming
    the person and change that moved it since, when the journal knows them.
    """
    steps = reversed(changes) if reverse else changes
    verb = "undo refused" if reverse else "redo refused"

    def refuse(model, pk, current, fallback):
        known = row_history(model._meta.table_name, pk, after_action=action_id) if action_id is not None else []
        row = current if current is not None else None
        raise StaleEdit(_refusal(model, pk, row, known, verb, fallback))

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
                    refuse(model, pk, current, f"{name} {pk} was changed since; not undone")
                _drop_derived(model, pk)
                model.delete_by_id(pk)
            elif op == "delete":
                if current is not None:
                    raise StaleEdit(f"{name} {pk} exists again; not undone")
                _insert(model, change["before"])
            else:
                if current is None:
                    refuse(model, pk, change["after"] | change["before"], f"{name} {pk} was deleted since; not undone")
                if any(current[k] != v for k, v in change["after"].items()):
                    refuse(model, pk, current, f"{name} {pk} was changed since; not undone")
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
                    refuse(model, pk, current, f"{name} {pk} was changed since; not redone")
                model.delete_by_id(pk)
            else:
                if current is None:
                    refuse(model, pk, change["before"], f"{name} {pk} was deleted since; not redone")
                if any(current[k] != v for k, v in change["before"].items()):
                    refuse(model, pk, current, f"{name} {pk} was changed since; not redone")
                model.update(**change["after"]).where(model.id == pk).execute()


def _mine():
    """The current person's entries, and the journal's entries from before people (anyone's)."""
    from clientdesk.domain.people import my_id_if_known

    me = my_id_if_known()
    return (Action.person == me) | Action.person.is_null() if me is not None else Action.person.is_null()


@contextmanager
def action(label: str, *, journal: bool = True) -> Iterator[ActionRecorder]:
    """Run one user action in one transaction and journal it, as the current person's, for undo."""
    from clientdesk.domain.people import me

    recorder = ActionRecorder(label)
    entry = None
    with database.atomic():
        yield recorder
        if journal and recorder.changes:
            person = me()  # created on the first write
            mine = (Action.person == person) | Action.person.is_null()
            Action.delete().where(Action.undone == True, mine).execute()  # noqa: E712 - your new action ends your redo
            entry = Action.create(label=label, at=clock.now(), changes=json.dumps(recorder.changes), person=person).id
            oldest_kept = (Action.select(Action.id).where(Action.person == person).order_by(Action.id.desc())
                           .offset(JOURNAL_KEEP).limit(1).scalar())
            if oldest_kept:
                Action.delete().where(Action.id <= oldest_kept, mine).execute()
    changeset.note(_touched(recorder.changes), entry=entry)


def _touched(changes: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(c["table"], c["id"]) for c in changes]


def undo() -> str:
    """Reverse your last action; returns its label. Raises RuleError when nothing of yours is left."""
    with database.atomic():
        last = Action.select().where(Action.undone == False, _mine()).order_by(Action.id.desc()).first()  # noqa: E712
        if last is None:
            raise RuleError("nothing to undo")
        changes = json.loads(last.changes)
        _apply(changes, reverse=True, action_id=last.id)
        if Action.update(undone=True).where(Action.id == last.id, Action.undone == False).execute() != 1:  # noqa: E712
            raise StaleEdit(f"'{last.label}' was undone elsewhere at the same moment")
    changeset.note(_touched(changes), entry=last.id)
    return last.label


def redo() -> str:
    """Apply again your action undone last; returns its label."""
    with database.atomic():
        nxt = Action.select().where(Action.undone == True, _mine()).order_by(Action.id).first()  # noqa: E712
        if nxt is None:
            raise RuleError("nothing to redo")
        changes = json.loads(nxt.changes)
        _apply(changes, reverse=False, action_id=nxt.id)
        if Action.update(undone=False).where(Action.id == nxt.id, Action.undone == True).execute() != 1:  # noqa: E712
            raise StaleEdit(f"'{nxt.label}' was redone elsewhere at the same moment")
    changeset.note(_touched(changes), entry=nxt.id)
    return nxt.label


def history(limit: int = 20, *, everyone: bool = False) -> list[ActionSummary]:
    """The latest actions, newest first: yours (and the journal's from before people), or everyone's."""
    q = Action.select(Action, Person).join(Person, peewee.JOIN.LEFT_OUTER).order_by(Action.id.desc()).limit(limit)
    if not everyone:
        q = q.where(_mine())
    return [ActionSummary(a.id, a.label, a.undone, a.person.name if a.person_id else "") for a in q]
