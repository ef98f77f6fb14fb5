"""The `clientdesk` entry point: the app opens without loading the command line.

`clientdesk`, `clientdesk --db FILE` and `clientdesk --today DATE` (the ways to
open the app) are read here and the app starts at once, reading the Overview
while Textual loads. Everything else (a command, --help,
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
    """Open the database, start reading the Overview, run the app."""
    from clientdesk.config import apply_settings, load_settings
    from clientdesk.db import open_database

    from clientdesk import clock

    apply_settings(load_settings())
    clock.check_environment()
    open_database(db)
    early = _read_overview_early()
    from clientdesk.tui.app import run_app

    run_app(early_overview=early)


def _read_overview_early():
    """Start reading the Overview's data while Textual is imported: a Future of it.

    On Linux the read runs in a forked child process: it is mostly SQLite in C
    on the other core, but a thread still takes the GIL back for each of its
    ~400 rows, each time from the main thread busy importing Textual, and the
    first frame came ~50 ms later (benchmarks/README.md). Elsewhere, or if the
    fork fails, a thread reads.

    The Future carries `change_stamp`: the database's change stamp on this
    (the UI's) thread, taken before the read began, so that the Overview can
    tell on its first return whether anything was committed since.
    """
    if sys.platform == "linux":
        try:
            return _read_in_child()
        except OSError:
            pass
    from concurrent.futures import ThreadPoolExecutor

    stamp = _stamp()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="early-overview")
    future = pool.submit(_overview)
    pool.shutdown(wait=False)
    future.change_stamp = stamp
    return future


def _stamp():
    from clientdesk.db import DATABASE_ERRORS, change_stamp

    try:
        return change_stamp()
    except DATABASE_ERRORS:
        return None


def _overview():
    from clientdesk.db import read_session
    from clientdesk.domain.overview import overview_data

    with read_session():
        return overview_data()


def _read_in_child():
    """Fork a child that reads the Overview on its own connection and sends it back pickled.

    Fork is safe here: the process has one thread, and no SQLite connection is
    open (closed first: the child starts with no SQLite state of the parent's,
    and opens the database as any other process would). The child never
    returns: it writes its answer, or the reason it has none, and `_exit`s.
    """
    import pickle
    import threading
    from concurrent.futures import Future

    from clientdesk.db import close_database

    close_database()  # the app reconnects on its first query
    readable, writable = os.pipe()
    go_read, go_write = os.pipe()  # the child reads once the parent has taken its change stamp
    try:
        pid = os.fork()
    except OSError:
        for fd in (readable, writable, go_read, go_write):
            os.close(fd)
        raise
    if pid == 0:  # the child
        status = 1
        try:
            os.close(readable)
            os.close(go_write)
            os.read(go_read, 1)
            os.close(go_read)
            try:
                answer = {"data": _overview()}
            except BaseException as exc:  # reported in the app, which then reads itself
                answer = {"error": f"{type(exc).__name__}: {exc}"}
            payload = memoryview(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
            while payload:
                payload = payload[os.write(writable, payload):]
            status = 0
        finally:
            os._exit(status)
    os.close(writable)
    os.close(go_read)
    future: Future = Future()
    future.change_stamp = _stamp()  # before the child reads: a commit after it moves the stamp
    os.write(go_write, b"g")
    os.close(go_write)

    def collect() -> None:
        chunks = []
        try:
            while chunk := os.read(readable, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(readable)
            os.waitpid(pid, 0)
        try:
            answer = pickle.loads(b"".join(chunks))
        except Exception as exc:  # the child died before answering
            answer = {"error": f"the early read gave no answer ({type(exc).__name__})"}
        if "data" in answer:
            future.set_result(answer["data"])
        else:
            future.set_exception(RuntimeError(answer["error"]))

    threading.Thread(target=collect, name="early-overview", daemon=True).start()
    return future


def exit_for(exc: BaseException) -> int | None:
    """Say an expected failure in one line on stderr and give the exit status;
    None for anything else. The command line (`cli.main`) uses it too."""
    from clientdesk.db import DATABASE_ERRORS, describe
    from clientdesk.domain.errors import ClientdeskError
    from clientdesk.safe_text import terminal_safe

    if isinstance(exc, ClientdeskError):  # user values in the message: shown, never obeyed, one line
        print(terminal_safe(f"clientdesk: {exc}", newlines=False), file=sys.stderr)
        return EXIT_ERROR
    if isinstance(exc, DATABASE_ERRORS):
        print(terminal_safe(f"clientdesk: database error: {describe(exc)}", newlines=False), file=sys.stderr)
        return EXIT_ERROR
    if isinstance(exc, KeyboardInterrupt):
        print("clientdesk: interrupted", file=sys.stderr)
        return 130
    if isinstance(exc, BrokenPipeError):
        return EXIT_ERROR
    return None


def main(argv: list[str] | None = None) -> None:
    """Open the app, or hand the arguments to the command line."""
    args = sys.argv[1:] if argv is None else list(argv)
    if "status" in args and "track" in args:  # shell prompts call it on every line: the short way first
        from clientdesk.track_status import main as track_status

        if track_status(args):
            return
    options = app_options(args)
    if options is not None and options.get("db") and os.path.isdir(options["db"]):
        options = None  # the command line words it
    if options is not None and "today" in options:
        from clientdesk import clock
        from clientdesk.domain.errors import ClientdeskError

        try:
            clock.set_today(options["today"])
        except ClientdeskError:  # the command line words it as for any other option
            options = None
    if options is None:
        from clientdesk.cli import main as command_line

        command_line(args)
        return
    try:
        open_desk(options.get("db"))
    except (Exception, KeyboardInterrupt) as exc:
        status = exit_for(exc)
        if status is None:
            raise
        sys.exit(status)


if __name__ == "__main__":
    main()
