"""`clientdesk import FILE`: interchange JSON, another tool's export, or a calendar as busy time.

The format is recognised by content (`--from NAME` forces it). A summary of
what will be created and what is skipped goes to stderr before anything is
written, and what was written after; `--dry-run` stops after the first.
"""

from __future__ import annotations

import sys

import click

from clientdesk.cli import _open, _progress, common
from clientdesk.domain.errors import InputError
from clientdesk.importers import FORMATS
from clientdesk.safe_text import terminal_safe


def _mapping(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        left, sep, right = value.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise click.BadParameter(f"expected FROM=TO, got {terminal_safe(value, newlines=False)!r}",
                                     param_hint="--map")
        pairs.append((left.strip(), right.strip()))
    return tuple(pairs)


def _reading(file: str) -> None:
    """On a terminal, say that a large file is being read (100,000 rows take a few seconds before the summary)."""
    import os

    try:
        size = os.path.getsize(file)
    except OSError:
        return
    if size > 1_000_000 and sys.stderr.isatty():
        click.echo(terminal_safe(f"reading {file} ({size / 1e6:.1f} MB)…", newlines=False), err=True)


def _say(lines: list[str], prefix: str = "") -> None:
    for line in lines:
        click.echo(terminal_safe(prefix + line, newlines=False), err=True)


@click.command("import")
@common
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--from", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="The file's format (default: recognised by its content).")
@click.option("--merge", is_flag=True, help="Interchange JSON: update clients that already exist instead of refusing them.")
@click.option("--dry-run", is_flag=True, help="Show what would be imported; write nothing.")
@click.option("--client", "client_name", default=None,
              help="The client for a source without clients (Watson, Timewarrior, Taskwarrior, Trello).")
@click.option("--timezone", "zone_name", default=None,
              help="The zone of times written without one (default: the config's, else the system's).")
@click.option("--map", "mapping", multiple=True, metavar="FROM=TO",
              help="A project's client (\"Website=Acme\"), or a Trello list's status (\"Doing=doing\"); repeatable.")
@click.pass_context
def import_cmd(ctx, file, fmt, merge, dry_run, client_name, zone_name, mapping):
    """Import FILE, all or nothing: interchange JSON, a Toggl, Clockify or Harvest CSV, a Timewarrior, Watson,
    Taskwarrior or Trello export, or an .ics calendar (as busy time). Importing the same file again adds nothing."""
    from clientdesk import clock
    from clientdesk.config import apply_settings, load_settings
    from clientdesk.importers import ImportOptions, translate
    from clientdesk.importers.ical import CalendarTranslation

    apply_settings(load_settings())  # the config's time zone is the default for local times
    options = ImportOptions(
        client=client_name.strip() if client_name and client_name.strip() else None,
        timezone=zone_name or clock.local_tz().name,
        mapping=_mapping(mapping),
    )
    _reading(file)
    translation = translate(file, options, fmt, today=clock.today())
    _open(ctx)
    if isinstance(translation, CalendarTranslation):
        from clientdesk.domain.busy import sync_calendar

        _say(sync_calendar(translation, dry_run=True).lines(), f"{file}: ")
        if dry_run:
            click.echo("dry run: nothing written", err=True)
            return
        report = sync_calendar(translation)
        click.echo(terminal_safe(f"imported {file}: {report.lines()[1]}", newlines=False), err=True)
        return

    from clientdesk.domain.imports import import_translation

    def before(report) -> None:
        _say(report.lines(), f"{file}: ")

    try:
        report = import_translation(translation, dry_run=dry_run, merge=merge, before=before,
                                    progress=None if dry_run else _progress("import"))
    except InputError as exc:
        raise InputError(f"{file}: {exc}") from None
    if dry_run:
        if translation.format == "json":
            _say(report.lines(), f"{file}: ")
        click.echo("dry run: nothing written", err=True)
        return
    if translation.format == "json":
        click.echo(terminal_safe(f"imported {file}: {report.interchange}", newlines=False), err=True)
    else:
        click.echo(terminal_safe(f"imported {file}: {report.lines()[1]} in {report.seconds:.1f} s", newlines=False),
                   err=True)
    sys.stderr.flush()
