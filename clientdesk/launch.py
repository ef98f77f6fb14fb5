"""The `clientdesk` entry point: the app opens without loading the command line.

`clientdesk`, `clientdesk --db FILE` and `clientdesk --today DATE` (the ways to
open the app) are read here and the app starts at once, reading the Overview
in a thread while Textual loads. Everything else (a command, --help,
--version, a malformed option) goes to the click command line in `cli.py`,
which gives its usual messages. click is not imported on the app's path: its
~30 ms are a tenth of the launch (benchmarks/README.md).
"""

from __future__ import annotations

import os
import sys

EXIT_ERROR = 1


def app_options(args: list[str]) -> dict[str, str] | None:
    """{'db': ..., 'today': ...} when `args` only open the app; None for anything else."""
    options: dict[str, str] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        name, sep, value = arg.partition("=")
        if name not in ("--db", "--today") or name[2:] in options:
            return None
        if not sep:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        if not value:
            return None
        options[name[2:]] = value
    return options


def open_desk(db: str | None) -> None:
    """Open the database, start reading the Overview in a thread, run the app."""
    from clientdesk.config import apply_settings, load_settings
    from clientdesk.db import open_database

    apply_settings(load_settings())
    open_database(db)
    early = _read_overview_early()
    from clientdesk.tui.app import run_app

    run_app(early_overview=early)


def _read_overview_early():
    """Start reading the Overview's data in a thread while Textual is imported."""
    from concurrent.futures import ThreadPoolExecutor

    from clientdesk.db import read_session
    from clientdesk.domain.overview import overview_data

    def read():
        with read_session():
            return overview_data()

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="early-overview")
    future = pool.submit(read)
    pool.shutdown(wait=False)
    return future


def main(argv: list[str] | None = None) -> None:
    """Open the app, or hand the arguments to the command line."""
    args = sys.argv[1:] if argv is None else list(argv)
    options = app_options(args)
    if options is None or (options.get("db") and os.path.isdir(options["db"])):
        from clientdesk.cli import main as command_line

        command_line(args)
        return
    from clientdesk import clock
    from clientdesk.domain.errors import ClientdeskError

    if "today" in options:
        try:
            clock.set_today(options["today"])
        except ClientdeskError:  # the command line words it as for any other option
            from clientdesk.cli import main as command_line

            command_line(args)
            return
    try:
        open_desk(options.get("db"))
    except ClientdeskError as exc:
        print(f"clientdesk: {exc}", file=sys.stderr)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        print("clientdesk: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:
        from clientdesk.db import DATABASE_ERRORS

        if isinstance(exc, DATABASE_ERRORS):
            print(f"clientdesk: database error: {exc}", file=sys.stderr)
            sys.exit(EXIT_ERROR)
        raise


if __name__ == "__main__":
    main()
