"""The command line that makes things, for scripts: `add client|project|task|milestone|risk`,
`template save|list|rename|delete`, `undo`, `redo`.

Each command is one domain action (one transaction, journaled, so `clientdesk
undo` takes it back) and checks its values with the same field specification
as the app's forms: a refusal is one line on stderr naming the field, and a
non-zero exit. What was made is said on stderr; `template list` writes to stdout.
"""

from __future__ import annotations

import click

from clientdesk import clock
from clientdesk.cli import DeskGroup, _open, common
from clientdesk.domain.errors import InputError
from clientdesk.safe_text import terminal_safe


def _say(text: str) -> None:
    click.echo(terminal_safe(text, newlines=False), err=True)


def _date(value: str | None, what: str):
    """A date option as the forms read it: 2026-12-15, fri, +2w, 15 dec."""
    if value is None:
        return None
    from clientdesk.domain.fields import Field, parse_day

    return parse_day(value, clock.today(), Field("date", name=what, label=what))


@click.group(cls=DeskGroup)
def add() -> None:
    """Add a client, project, task, milestone or risk."""


@add.command("client")
@common
@click.argument("name")
@click.option("--channel", default=None, help="email, phone, chat or meeting.")
@click.option("--every", "every", type=float, default=None, help="Days between check-ins.")
@click.option("--language", default=None, help="Language for reports (en, fr, tr, zh ...).")
@click.option("--timezone", default=None, help="Time zone (Europe/Paris).")
@click.option("--currency", default=None, help="ISO 4217 currency (EUR, USD ...).")
@click.option("--rate", type=float, default=None, help="Hourly rate.")
@click.option("--budget-hours", type=float, default=None, help="Hours budgeted per month.")
@click.option("--target-hours", type=float, default=None, help="Hours to plan per week.")
@click.pass_context
def add_client(ctx, name, channel, every, language, timezone, currency, rate, budget_hours, target_hours):
    """Add a client NAME (unique, case and accents aside)."""
    from clientdesk.domain.clients import create_client
    from clientdesk.domain.fields import CLIENT

    given = {"name": name, "channel": channel, "checkin_every_days": every, "language": language,
             "timezone": timezone, "currency": currency, "hourly_rate": rate, "budget_hours_month": budget_hours,
             "weekly_target_hours": target_hours}
    if currency is not None and "currency" not in CLIENT:
        raise InputError("--currency: this version of clientdesk keeps no currency per client")
    values = CLIENT.defaults() | {k: v for k, v in given.items() if v is not None}
    _open(ctx)
    client = create_client(values)
    _say(f"added client '{client.name}'")


def _client(name: str):
    from clientdesk.domain.clients import find_client

    return find_client(name)


@add.command("project")
@common
@click.argument("client_name", metavar="CLIENT")
@click.argument("name")
@click.option("--deadline", default=None, help="Deadline (2026-12-15, +4w, 15 dec).")
@click.option("--start", default=None, help="Start date (default: none; today with --template).")
@click.option("--budget-hours", type=float, default=None, help="Hours budgeted.")
@click.option("--budget-amount", type=float, default=None, help="Money budgeted, in the client's currency.")
@click.option("--rate", type=float, default=None, help="Hourly rate for this project (overrides the client's).")
@click.option("--scope", default=None, help="What is in the project.")
@click.option("--template", "template_name", default=None, help="Start from this template's tasks.")
@click.pass_context
def add_project(ctx, client_name, name, deadline, start, budget_hours, budget_amount, rate, scope, template_name):
    """Add a project NAME to CLIENT, optionally from a template."""
    from clientdesk.domain.fields import PROJECT
    from clientdesk.domain.projects import create_project
    from clientdesk.domain.templates import create_project_from_template

    if rate is not None and "hourly_rate" not in PROJECT:
        raise InputError("--rate: this version of clientdesk keeps no rate per project")
    given = {"name": name, "deadline": _date(deadline, "--deadline"), "start": _date(start, "--start"),
             "budget_hours": budget_hours, "budget_amount": budget_amount, "hourly_rate": rate, "scope": scope}
    values = {k: v for k, v in given.items() if v is not None}
    _open(ctx)
    client = _client(client_name)
    if template_name:
        project = create_project_from_template(client.id, values, template_name)
    else:
        project = create_project(client.id, values)
    _say(f"added project '{project.name}' to {client.name}" + (f" from template '{template_name}'" if template_name else ""))


@add.command("task")
@common
@click.argument("client_name", metavar="CLIENT")
@click.argument("text", metavar="QUICK-ADD TEXT")
@click.pass_context
def add_task(ctx, client_name, text):
    """Add a task to CLIENT from a quick-add line: 'Hero copy p1 due:fri 2h #writing +Website'."""
    from clientdesk.domain.clients import list_projects
    from clientdesk.domain.people import team_names
    from clientdesk.domain.quickadd import parse_quick_add
    from clientdesk.domain.tasks import TaskInput, create_task

    _open(ctx)
    client = _client(client_name)
    projects = list_projects(client.id)
    parsed = parse_quick_add(text, clock.today(), projects, team_names())
    project_id = parsed.project_id
    if project_id is None:
        active = [p for p in projects if p.status == "active"] or projects
        if not active:
            raise InputError(f"{client.name} has no project yet: `clientdesk add project` adds one")
        project_id = active[0].id
    task = create_task(TaskInput(title=parsed.title, project_id=project_id, priority=parsed.priority or 3,
                                 due=parsed.due, estimate_minutes=parsed.estimate_minutes, tags=parsed.tags,
                                 assignee=parsed.assignee))
    due = f", due {task.due.to_date_string()}" if task.due else ""
    who = f", @{task.assignee}" if task.assignee else ""
    _say(f"added task '{task.title}' to {client.name} / {task.project} (p{task.priority}{due}{who})")


def _project(client_name: str, project_name: str):
    from clientdesk.domain.projects import find_project

    client = _client(client_name)
    return client, find_project(client.id, project_name)


@add.command("milestone")
@common
@click.argument("client_name", metavar="CLIENT")
@click.argument("project_name", metavar="PROJECT")
@click.argument("name")
@click.option("--due", required=True, help="Due date (2026-12-15, fri, +2w).")
@click.pass_context
def add_milestone(ctx, client_name, project_name, name, due):
    """Add a milestone NAME to a client's project."""
    from clientdesk.domain.projects import create_milestone

    day = _date(due, "--due")
    _open(ctx)
    client, project = _project(client_name, project_name)
    create_milestone(project.id, {"name": name, "due": day})
    _say(f"added milestone '{name.strip()}' to {client.name} / {project.name}, due {day.to_date_string()}")


@add.command("risk")
@common
@click.argument("client_name", metavar="CLIENT")
@click.argument("project_name", metavar="PROJECT")
@click.argument("title")
@click.option("--likelihood", type=float, required=True, help="1 (rare) .. 5 (almost sure).")
@click.option("--impact", type=float, required=True, help="1 (minor) .. 5 (severe).")
@click.option("--mitigation", default="", help="What you do about it.")
@click.pass_context
def add_risk(ctx, client_name, project_name, title, likelihood, impact, mitigation):
    """Add a risk TITLE to a client's project; its score is likelihood × impact."""
    from clientdesk.domain.fields import RISK
    from clientdesk.domain.projects import create_risk

    values = RISK.validate({"title": title, "likelihood": likelihood, "impact": impact, "mitigation": mitigation})
    _open(ctx)
    client, project = _project(client_name, project_name)
    create_risk(project.id, values)
    _say(f"added risk '{values['title']}' to {client.name} / {project.name}, score "
         f"{values['likelihood']}×{values['impact']}={values['likelihood'] * values['impact']}")


@click.group(cls=DeskGroup)
def template() -> None:
    """Templates: a project's tasks kept for the next client."""


@template.command("save")
@common
@click.argument("client_name", metavar="CLIENT")
@click.argument("project_name", metavar="PROJECT")
@click.argument("name")
@click.pass_context
def template_save(ctx, client_name, project_name, name):
    """Save a client's PROJECT as the template NAME."""
    from clientdesk.domain.templates import save_template

    _open(ctx)
    _client_ref, project = _project(client_name, project_name)
    view = save_template(project.id, name)
    _say(f"template '{view.name}' saved: {view.words()}")


@template.command("list")
@common
@click.pass_context
def template_list(ctx):
    """Every template, with its tasks and span."""
    from clientdesk.domain.templates import list_templates

    _open(ctx, must_exist=True)
    templates = list_templates()
    if not templates:
        _say("no template yet: `clientdesk template save CLIENT PROJECT NAME` keeps one")
    for t in templates:
        click.echo(f"{terminal_safe(t.name, newlines=False)}  ({t.words()})")


@template.command("rename")
@common
@click.argument("name")
@click.argument("new_name")
@click.pass_context
def template_rename(ctx, name, new_name):
    """Rename the template NAME."""
    from clientdesk.domain.templates import find_template, rename_template

    _open(ctx)
    view = rename_template(find_template(name).id, new_name)
    _say(f"template renamed to '{view.name}'")


@template.command("delete")
@common
@click.argument("name")
@click.pass_context
def template_delete(ctx, name):
    """Delete the template NAME (`clientdesk undo` brings it back)."""
    from clientdesk.domain.templates import delete_template, find_template

    _open(ctx)
    _say(f"deleted template '{delete_template(find_template(name).id)}'")


@click.command()
@common
@click.pass_context
def undo(ctx):
    """Undo your last change (the app's u); a teammate's stay theirs."""
    from clientdesk.domain import journal

    _open(ctx)
    _say(f"undone: {journal.undo()}")


@click.command()
@common
@click.pass_context
def redo(ctx):
    """Redo your change undone last (the app's U)."""
    from clientdesk.domain import journal

    _open(ctx)
    _say(f"redone: {journal.redo()}")
