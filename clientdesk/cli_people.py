"""`clientdesk person add NAME [--capacity H]` and `person list [--format json]`: the desk's people.

Who you are is `$CLIENTDESK_USER`, else the config's `user`, else the login
name; your own row is made on your first write, a teammate's here (or by the
interchange import).
"""

from __future__ import annotations

import json

import click

from clientdesk.cli import DeskGroup, _open, common
from clientdesk.safe_text import terminal_safe


@click.group(cls=DeskGroup)
def person() -> None:
    """The people of the desk (assignees, per-person undo, the Planner's weeks)."""


@person.command("add")
@common
@click.argument("name")
@click.option("--capacity", "capacity", type=float, default=None, help="Hours a week (default 40).")
@click.pass_context
def person_add(ctx, name, capacity):
    """Add a teammate NAME (one word: @NAME assigns in quick-add)."""
    from clientdesk.domain.people import add_person

    _open(ctx)
    p = add_person(name, capacity)
    click.echo(terminal_safe(f"added {p.name} ({p.capacity_hours:g} h a week)", newlines=False), err=True)


@person.command("list")
@common
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def person_list(ctx, fmt):
    """Every person, with their weekly capacity; you are marked *."""
    from clientdesk.domain.names import name_key
    from clientdesk.domain.people import list_people
    from clientdesk.identity import current_user

    _open(ctx, must_exist=True)
    people = list_people()
    me = name_key(current_user())
    if fmt == "json":
        click.echo(json.dumps([p.as_json() | {"me": name_key(p.name) == me} for p in people], ensure_ascii=False))
        return
    if not people:
        click.echo("nobody yet: `clientdesk person add NAME` adds a teammate (you are added on your first change)")
        return
    for p in people:
        mark = "*" if name_key(p.name) == me else " "
        click.echo(terminal_safe(f"{mark} {p.name:<20} {p.capacity_hours:>6g} h/week", newlines=False))


COMMANDS = [person]
