"""The command line. click, because its nested commands, typed options and
testing runner are mature and it is already a dependency of nothing else we
would have to drag in (typer adds a layer over click for no gain here).

Data goes to stdout, diagnostics to stderr; every error the user can cause is
one line on stderr and a non-zero exit, never a traceback. The TUI is
imported lazily, only to run it or render it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from clientdesk import __version__, clock
from clientdesk.domain.errors import ClientdeskError
from clientdesk.safe_text import terminal_safe

EXIT_ERROR = 1


def _set_db(ctx: click.Context, _param, value):
    if value is not None:
        ctx.ensure_object(dict)["db"] = value
    return value


def _set_today(ctx: click.Context, _param, value):
    if value is not None:
        try:
            clock.set_today(value)
        except ClientdeskError as exc:
            raise click.BadParameter(str(exc).split(": ", 1)[-1]) from None
    return value


db_option = click.option("--db", "db", type=click.Path(dir_okay=False), default=None, expose_value=False,
                         callback=_set_db, is_eager=True, help="Database file (default: $CLIENTDESK_DB or the user data dir).")
today_option = click.option("--today", type=str, default=None, expose_value=False, callback=_set_today,
                            is_eager=True, help="Use this date (YYYY-MM-DD) as today.")


def common(f):
    return db_option(today_option(f))


def _open(ctx: click.Context, *, must_exist: bool = False):
    """The database of --db / $CLIENTDESK_DB; a read-only command passes must_exist (a typo creates nothing)."""
    from clientdesk.config import apply_settings, load_settings
    from clientdesk.db import open_database

    apply_settings(load_settings())
    clock.check_environment()
    path = (ctx.find_root().obj or {}).get("db")
    return open_database(path, must_exist=must_exist)


def _progress(label: str):
    """A progress callback that draws a bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    state = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state.get("done", 0))
        state["done"] = done
        if done >= total:
            state["bar"].__exit__(None, None, None)

    return update


class DeskGroup(click.Group):
    """Lists its commands with their first sentence whole, wrapped to the
    terminal (click's own cuts them at the width: "safe while the app is...")."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=DeskGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@common
@click.version_option(__version__, prog_name="clientdesk")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """clientdesk: one desk for every client. Without a command, opens the app."""
    ctx.ensure_object(dict)
    if ctx.invoked_subcommand is None:  # `clientdesk` alone usually starts in launch.py, without click
        from clientdesk.launch import open_desk

        open_desk((ctx.find_root().obj or {}).get("db"))


@cli.command()
@common
@click.option("--seed", type=int, default=7, show_default=True, help="Seed for the generated data.")
@click.pass_context
def demo(ctx, seed):
    """Fill the database with a realistic agency's week of demo data."""
    from clientdesk.db import close_database, default_db_path
    from clientdesk.domain.demo import fill_demo

    path = Path((ctx.find_root().obj or {}).get("db") or default_db_path()).expanduser()
    new = not path.exists()
    try:
        _open(ctx)
        summary = fill_demo(seed=seed, today=clock.today(), progress=_progress("demo"))
    except BaseException:
        if new:  # a demo that failed (a full disk) leaves no empty database behind
            close_database()
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
                try:
                    leftover.unlink(missing_ok=True)
                except OSError:  # its folder could not be made: there is nothing to remove
                    pass
        raise
    click.echo(f"demo data written: {summary}", err=True)


@cli.command("export-json")
@common
@click.argument("file", type=str)
@click.pass_context
def export_json(ctx, file):
    """Write every client and its work as interchange JSON to FILE (- for stdout)."""
    from clientdesk.domain.interchange import export_data
    from clientdesk.formats.interchange_json import dumps
    from clientdesk.output import check_out, json_safe, write_output

    check_out(file, "FILE")
    _open(ctx, must_exist=True)
    text = dumps(export_data()) + "\n"
    write_output(file, text, make_safe=json_safe, option="FILE")


@cli.command()
@common
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def status(ctx, fmt):
    """Every active client's figures and health, for people or scripts."""
    from clientdesk.domain.status import client_statuses
    from clientdesk.formats.status_table import status_table

    _open(ctx, must_exist=True)
    rows = client_statuses()
    if fmt == "json":
        from clientdesk.output import json_safe

        click.echo(json_safe(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2)))
    else:
        click.echo(status_table(rows), nl=False)


@cli.command()
@common
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def backup(ctx, file):
    """A consistent copy of the database, safe while the app is running."""
    from clientdesk.db import backup_database

    _open(ctx)
    target = backup_database(file)
    click.echo(f"backup written: {target}", err=True)


@cli.command()
@common
@click.argument("target", type=str)
@click.pass_context
def copy(ctx, target):
    """The whole desk into another, empty database: an SQLite file or a postgresql:// URL (every row and id)."""
    from clientdesk.db.copy import copy_desk

    _open(ctx, must_exist=True)
    copied = copy_desk(target, progress=_progress("copy"))
    click.echo(terminal_safe(f"copied {copied.total} rows of {len(copied.rows)} tables into {copied.target} "
                             "(every table's rows counted on both sides)", newlines=False), err=True)


@cli.command()
@common
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def restore(ctx, file):
    """Replace the database with a backup made by `clientdesk backup`."""
    from clientdesk.db import close_database, default_db_path, open_database, restore_database

    path = (ctx.find_root().obj or {}).get("db") or default_db_path()
    restored = restore_database(file, path)
    open_database(restored.path)
    close_database()
    kept = f"; the replaced desk is kept as {restored.kept}" if restored.kept else ""
    click.echo(terminal_safe(f"restored {file} into {restored.path}{kept}", newlines=False), err=True)


@cli.command()
@common
@click.argument("view", type=click.Choice(["overview", "board", "planner", "changes", "timesheet", "client"]))
@click.option("--client", "client_name", default=None, help="The client (board and client views).")
@click.option("--format", "fmt", type=click.Choice(["svg", "txt"]), default="svg", show_default=True)
@click.option("--out", type=str, default=None,
              help="Output file, - for stdout (default: a new dated file in the export folder).")
@click.option("--size", default="120x40", show_default=True, help="Terminal size WIDTHxHEIGHT.")
@click.pass_context
def export(ctx, view, client_name, fmt, out, size):
    """Render a view headlessly, exactly as the app draws it."""
    from clientdesk.output import STDOUT, check_out, write_output
    from clientdesk.tui.export import export_view, parse_size

    width, height = parse_size(size)
    target = check_out(out) if out is not None else None
    _open(ctx, must_exist=True)
    text = export_view(view, client_name=client_name, fmt=fmt, size=(width, height))
    if out is None:
        from clientdesk.exports import write_export

        try:
            where = write_export(f"clientdesk-{view}", fmt, text)
        except OSError as exc:
            raise ClientdeskError(f"cannot write the export: {exc.strerror}: {exc.filename}") from None
    else:
        where = write_output(target, text)
    if target != STDOUT:
        click.echo(f"{view} written to {where}", err=True)


@cli.command()
@common
@click.argument("client_name", metavar="CLIENT")
@click.option("--week", default=None, help="ISO week YYYY-Www (default: this week).")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("--lang", default=None, help="Language (en, fr, tr, zh; default: the client's).")
@click.option("--out", type=str, default="-", help="Output file, - for stdout (the default).")
@click.pass_context
def report(ctx, client_name, week, fmt, lang, out):
    """A weekly status report for one client, in the client's language."""
    from clientdesk.domain.parse import parse_week
    from clientdesk.formats.report import render_report
    from clientdesk.output import STDOUT, check_out, write_output

    check_out(out)
    monday = parse_week(week) if week else None
    _open(ctx, must_exist=True)
    text = render_report(client_name, week=monday, fmt=fmt, lang=lang)
    where = write_output(out, text)
    if out != STDOUT:
        click.echo(f"report written to {where}", err=True)


@cli.command()
@common
@click.option("--client", "client_name", default=None, help="Only this client's blocks.")
@click.option("--week", default=None, help="Only this ISO week YYYY-Www.")
@click.option("--out", type=str, required=True, help="The .ics file to write, - for stdout.")
@click.pass_context
def ics(ctx, client_name, week, out):
    """The time blocks as iCalendar, for any calendar app."""
    from clientdesk.domain.parse import parse_week
    from clientdesk.formats.ics import calendar_bytes
    from clientdesk.output import STDOUT, check_out, write_output

    check_out(out)
    monday = parse_week(week) if week else None
    _open(ctx, must_exist=True)
    data = calendar_bytes(client_name=client_name, week=monday)
    where = write_output(out, data)
    if out != STDOUT:
        click.echo(f"calendar written to {where}", err=True)


from clientdesk.cli_add import add, redo, template, undo  # noqa: E402 - the commands that make things

cli.add_command(add)
cli.add_command(template)
cli.add_command(undo)
cli.add_command(redo)

from clientdesk.cli_time import COMMANDS as _TIME_COMMANDS  # noqa: E402 - they use this module's helpers

for _command in _TIME_COMMANDS:
    cli.add_command(_command)

from clientdesk.cli_import import import_cmd  # noqa: E402  (the command needs the helpers above)

cli.add_command(import_cmd)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; turn every expected failure into one line on stderr."""
    from clientdesk.launch import exit_for

    try:
        cli.main(args=argv, prog_name="clientdesk", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("clientdesk: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        click.echo(terminal_safe(f"clientdesk: {exc.format_message()}", newlines=False), err=True)
        sys.exit(exc.exit_code)
    except (Exception, KeyboardInterrupt) as exc:
        status = exit_for(exc)
        if status is None:
            raise
        sys.exit(status)


if __name__ == "__main__":
    main()
