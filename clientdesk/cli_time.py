"""The command line for time and money: `track`, `log`, `timesheet`, `invoice`.

Registered on the main group in cli.py. `track status` normally never gets
here: launch.py answers it the short way (track_status.py) for shell prompts.
"""

from __future__ import annotations

import click

from clientdesk import clock
from clientdesk.cli import _open, common
from clientdesk.domain.errors import ClientdeskError, InputError
from clientdesk.safe_text import terminal_safe


def _settings():
    from clientdesk.config import load_settings

    return load_settings()


def _rounding() -> dict:
    s = _settings()
    return {"rounding_minutes": s.rounding_minutes, "rounding": s.rounding}


def _say(text: str) -> None:
    click.echo(terminal_safe(text), err=True)


def _client_id(name: str) -> int:
    from clientdesk.domain.clients import find_client

    return find_client(name).id


@click.group()
def track() -> None:
    """The timer: start it on a client or task, stop it, ask what runs."""


@track.command("start")
@common
@click.argument("client_name", metavar="CLIENT")
@click.argument("task_words", metavar="[TASK TITLE]", nargs=-1)
@click.pass_context
def track_start(ctx, client_name, task_words):
    """Start your timer on CLIENT (or one of its tasks); a running timer is stopped first."""
    from clientdesk.domain.time_entries import find_task
    from clientdesk.domain.timer import start_timer

    _open(ctx)
    client_id = _client_id(client_name)
    task_id = find_task(client_id, " ".join(task_words)) if task_words else None
    timer, stopped = start_timer(client_id, task_id, **_rounding())
    if stopped is not None:
        _say(f"stopped: {stopped.summary}")
    _say(f"timer started on {timer.label}")


@track.command("stop")
@common
@click.pass_context
def track_stop(ctx):
    """Stop your timer and log its time (rounded by the config's rounding_minutes)."""
    from clientdesk.domain.timer import stop_timer

    _open(ctx)
    stopped = stop_timer(**_rounding())
    _say(stopped.summary)


@track.command("status")
@common
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def track_status(ctx, fmt):
    """What your timer runs on, and for how long."""
    from clientdesk.domain.timer import running_timer
    from clientdesk.track_status import render, stopped_status

    _open(ctx)
    timer = running_timer()
    click.echo(render(timer.status() if timer else stopped_status(), fmt))


@click.command(context_settings={"ignore_unknown_options": True})
@common
@click.argument("duration")
@click.argument("client_name", metavar="CLIENT")
@click.option("--task", "task_title", default=None, help="A task of the client, by title.")
@click.option("--on", "on", default=None, help="The day (YYYY-MM-DD; default today).")
@click.option("--at", "at", default=None, help="The start time (HH:MM; default 09:00).")
@click.option("--note", default="", help="What was done.")
@click.option("--no-billable", "not_billable", is_flag=True, help="Not billable (internal time).")
@click.pass_context
def log(ctx, duration, client_name, task_title, on, at, note, not_billable):
    """Log DURATION (1h30, 90m, 1,5h) of work for CLIENT."""
    from clientdesk.domain.parse import parse_date, parse_time_spent
    from clientdesk.domain.time_entries import EntryInput, duration_text, find_task, log_time

    if duration.startswith("--"):
        raise InputError(f"no such option: {duration}")
    minutes = parse_time_spent(duration)
    day = parse_date(on, "--on") if on else clock.today()
    start_time = _parse_at(at) if at else None
    _open(ctx)
    client_id = _client_id(client_name)
    task_id = find_task(client_id, task_title) if task_title else None
    entry = log_time(EntryInput(client_id, minutes, day, task_id, note, not not_billable, start_time))
    on_what = f"{entry.task} · {entry.client}" if entry.task else entry.client
    _say(f"logged {duration_text(entry.minutes)} on {on_what}, {entry.local_start.to_date_string()}"
         + ("" if entry.billable else " (not billable)"))


def _parse_at(text: str) -> tuple[int, int]:
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) > 23 or int(parts[1]) > 59:
        raise InputError(f"--at: not a time of day (HH:MM): {text}")
    return int(parts[0]), int(parts[1])


@click.command()
@common
@click.option("--week", default=None, help="ISO week YYYY-Www (default: this week).")
@click.option("--month", default=None, help="A month YYYY-MM instead of a week.")
@click.option("--client", "client_name", default=None, help="Only this client.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.pass_context
def timesheet(ctx, week, month, client_name, fmt):
    """The time logged in a week (a grid per client and day) or a month, for people or scripts."""
    from clientdesk.domain.parse import parse_month, parse_week
    from clientdesk.domain.periods import local_day_bounds
    from clientdesk.domain.time_entries import entries_between
    from clientdesk.domain.time_entries import timesheet as week_sheet
    from clientdesk.formats.timesheet import entries_csv, entries_json, entries_table, week_table

    if week and month:
        raise InputError("--week and --month: give one or the other")
    monday = parse_week(week) if week else None
    period = parse_month(month) if month else None
    _open(ctx)
    client_id = _client_id(client_name) if client_name else None
    if period is not None:
        lo, _ = local_day_bounds(period[0])
        _, hi = local_day_bounds(period[1])
        entries = entries_between(lo, hi, client_id=client_id)
        sheet = None
    else:
        sheet = week_sheet(monday or clock.today(), client_id=client_id)
        entries = sheet.entries
    from clientdesk.output import json_safe

    if fmt == "json":
        click.echo(json_safe(entries_json(entries)), nl=False)
    elif fmt == "csv":
        click.echo(terminal_safe(entries_csv(entries)), nl=False)
    elif sheet is not None:
        click.echo(terminal_safe(week_table(sheet)), nl=False)
    else:
        click.echo(terminal_safe(entries_table(entries)), nl=False)


@click.command()
@common
@click.argument("client_name", metavar="CLIENT")
@click.option("--month", required=True, help="The month to invoice, YYYY-MM.")
@click.option("--ref", default=None, help="The invoice reference (default INV-YYYYMM-<client id>).")
@click.option("--format", "fmt", type=click.Choice(["html", "csv"]), default="html", show_default=True)
@click.option("--out", type=str, default=None,
              help="Output file, - for stdout (default: a new dated file in the export folder).")
@click.pass_context
def invoice(ctx, client_name, month, ref, fmt, out):
    """Invoice CLIENT's unbilled billable time of a month, under one reference, and write the timesheet."""
    from clientdesk.domain.invoices import create_invoice
    from clientdesk.domain.parse import parse_month
    from clientdesk.formats.invoice import render_invoice
    from clientdesk.output import STDOUT, check_out, write_output

    start, end = parse_month(month)
    if out is not None:
        check_out(out)
    _open(ctx)
    doc = create_invoice(_client_id(client_name), start, end, ref)
    from clientdesk.config import current_settings

    text = render_invoice(doc, fmt, current_settings().issuer)
    try:
        if out is None:
            from clientdesk.exports import slug, write_export

            try:
                target = str(write_export(f"invoice-{slug(doc.reference, 'invoice')}", fmt, text))
            except OSError as exc:
                raise ClientdeskError(f"cannot write the invoice: {exc.strerror}: {exc.filename}") from None
        else:
            where = write_output(out, text)
            target = out if out == STDOUT else str(where)
    except ClientdeskError as exc:
        raise ClientdeskError(f"{exc}; invoice {doc.reference} is recorded: write it again with "
                              f"--ref {doc.reference}") from None
    from clientdesk.domain.money import format_money

    verb = "written again (issued before; nothing marked)" if doc.reissued else "issued"
    _say(f"invoice {doc.reference} {verb}: {len(doc.lines)} {'entry' if len(doc.lines) == 1 else 'entries'}, "
         f"{format_money(doc.total, doc.currency, doc.language)}" + ("" if target == STDOUT else f", to {target}"))


COMMANDS = (track, log, timesheet, invoice)
__all__ = ["COMMANDS"]

