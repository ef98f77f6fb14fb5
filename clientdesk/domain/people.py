"""The people of a desk: who you are on it, teammates, their weekly capacity.

A person is known by name, compared by `names.name_key` ('Bob' and 'BOB' are
one person). The person at the keyboard (`identity.current_user()`) gets a
row the first time they write anything, so a desk never needs setting up
before a teammate joins it.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import IntegrityError

from clientdesk import identity, limits
from clientdesk.domain.errors import InputError, NotFound
from clientdesk.domain.names import name_key
from clientdesk.models import Person, database
from clientdesk.safe_text import terminal_safe

DEFAULT_CAPACITY_HOURS = 40.0


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    capacity_hours: float
    active: bool

    def as_json(self) -> dict:
        return {"name": self.name, "capacity_hours": self.capacity_hours, "active": self.active}


def _view(p: Person) -> PersonView:
    return PersonView(p.id, p.name, float(p.capacity_hours), bool(p.active))


def _checked_name(name: str) -> str:
    text = (name or "").strip().lstrip("@").strip()
    if not text:
        raise InputError("a person needs a name")
    limits.check_length(text, "person name")
    if any(ch.isspace() for ch in text):
        raise InputError(f"a person's name is one word (it is written @name in quick-add): "
                         f"{terminal_safe(limits.shown(text), newlines=False)}")
    return text


def _capacity(hours: float | None) -> float:
    if hours is None:
        return DEFAULT_CAPACITY_HOURS
    return float(limits.check_range(hours, "weekly capacity (hours)", 0, 168))


def person_row(name: str) -> Person | None:
    return Person.get_or_none(Person.key == name_key(name))


def ensure_person(name: str) -> int:
    """The id of the person of that name, creating the row when missing (inside the caller's transaction)."""
    found = person_row(name)
    if found is not None:
        return found.id
    text = (name or "").strip()[:limits.MAX_NAME_CHARS] or "me"
    try:
        with database.atomic():  # a savepoint: a teammate creating the same name at once costs nothing
            return Person.create(name=text, key=name_key(text), capacity_hours=DEFAULT_CAPACITY_HOURS).id
    except IntegrityError:
        again = person_row(text)
        if again is None:
            raise
        return again.id


def me() -> int:
    """The current person's id (created on the first write)."""
    return ensure_person(identity.current_user())


def my_id_if_known() -> int | None:
    """The current person's id without writing anything (None before their first write)."""
    row = person_row(identity.current_user())
    return row.id if row is not None else None


def add_person(name: str, capacity_hours: float | None = None) -> PersonView:
    """A teammate joins the desk; a name already there (in any case or spelling) is refused."""
    text = _checked_name(name)
    hours = _capacity(capacity_hours)
    with database.atomic():
        existing = person_row(text)
        if existing is not None:
            raise InputError(f"there is already a person named {terminal_safe(existing.name, newlines=False)}")
        return _view(Person.create(name=text, key=name_key(text), capacity_hours=hours))


def set_capacity(name: str, capacity_hours: float) -> PersonView:
    hours = _capacity(capacity_hours)
    with database.atomic():
        p = find_person_row(name)
        Person.update(capacity_hours=hours, version=Person.version + 1).where(Person.id == p.id).execute()
        return _view(Person.get_by_id(p.id))


def find_person_row(name: str) -> Person:
    found = person_row(name)
    if found is None:
        raise NotFound(unknown_person_text(name))
    return found


def assignable_id(name: str) -> int:
    """The id of a person a task can be given to: a person of the desk, or you (your row made now)."""
    if name_key(name.lstrip("@")) == name_key(identity.current_user()):
        return me()
    return find_person_row(name.lstrip("@")).id


def team_names() -> list[str]:
    """Everyone a task can be assigned to: the desk's people and you, even before your first write."""
    names = [p.name for p in list_people()]
    mine = identity.current_user()
    if all(name_key(n) != name_key(mine) for n in names):
        names.append(mine)
    return sorted(names, key=name_key)


def find_person(name: str) -> PersonView:
    return _view(find_person_row(name))


def unknown_person_text(name: str) -> str:
    """'no person named zed (there are: alice, bob)' — the line an unknown @name gets."""
    names = [p.name for p in Person.select(Person.name).where(Person.active == True).order_by(Person.key)]  # noqa: E712
    there = ", ".join(terminal_safe(n, newlines=False) for n in names[:12]) or "nobody yet: clientdesk person add NAME"
    if len(names) > 12:
        there += f", and {len(names) - 12} more"
    return f"no person named {terminal_safe(limits.shown(name.lstrip('@')), newlines=False)} (there are: {there})"


def list_people(*, include_inactive: bool = False) -> list[PersonView]:
    q = Person.select().order_by(Person.key)
    if not include_inactive:
        q = q.where(Person.active == True)  # noqa: E712
    return [_view(p) for p in q]


def names_by_id(ids) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {p.id: p.name for p in Person.select(Person.id, Person.name).where(Person.id.in_(list(wanted)))}


__all__ = [
    "PersonView", "add_person", "assignable_id", "team_names", "ensure_person", "find_person", "find_person_row", "list_people", "me",
    "my_id_if_known", "names_by_id", "person_row", "set_capacity", "unknown_person_text", "DEFAULT_CAPACITY_HOURS",
]
