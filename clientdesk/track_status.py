"""`clientdesk track status`: the running timer, for shell prompts and status bars.

A prompt calls it on every line, so the whole process must take well under
0.2 s: this module reads the timer with the standard library alone
(clientdesk.db.quick: read-only, no migration, no Peewee, no pendulum, no click). `launch.main`
sends `track status` here first; an unusual case (a database that is missing
or older than the timer) falls back to the full command line, which words it.
The command line's own `track status` prints through `render` too, so both
paths write the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys

TIMER_SCHEMA = 3  # the first schema with the timer table


class FallBack(Exception):
    """This case is for the full command line (it migrates, reports, explains)."""


def parse_args(args: list[str]) -> tuple[str | None, str, str | None] | None:
    """(db, format, today) for `[--db PATH] [--today DATE] track status [--format table|json] [--db PATH]`
    (options before or after the command, as the command line takes them); None for anything else."""
    db = today = None
    fmt, rest, seen = "table", list(args), False
    while rest:
        arg = rest.pop(0)
        if not seen and arg == "track" and rest[:1] == ["status"]:
            rest.pop(0)
            seen = True
            continue
        name, sep, value = arg.partition("=")
        if name not in ("--db", "--format", "--today") or (name == "--format" and not seen):
            return None
        if not sep:
            if not rest:
                return None
            value = rest.pop(0)
        if name == "--db":
            db = value
        elif name == "--today":
            today = value
        elif value in ("table", "json"):
            fmt = value
        else:
            return None
    return (db, fmt, today) if seen else None


def _local_zone():
    name = os.environ.get("CLIENTDESK_TZ")
    if name:
        from zoneinfo import ZoneInfo

        try:
            return ZoneInfo(name)
        except Exception:
            raise FallBack from None
    return _dt.datetime.now().astimezone().tzinfo


def now_utc(zone, today: str | None = None) -> _dt.datetime:
    """clientdesk.clock.now() without pendulum: $CLIENTDESK_NOW, else the real time on the pinned day
    (`today`, the --today option, else $CLIENTDESK_TODAY)."""
    pinned_now = os.environ.get("CLIENTDESK_NOW")
    if pinned_now:
        try:
            value = _dt.datetime.fromisoformat(pinned_now.strip())
        except ValueError:
            raise FallBack from None
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(_dt.timezone.utc)
    real = _dt.datetime.now(zone)
    pinned = today or os.environ.get("CLIENTDESK_TODAY")
    if pinned:
        try:
            day = _dt.date.fromisoformat(pinned.strip())
        except ValueError:
            raise FallBack from None
        real = real.replace(year=day.year, month=day.month, day=day.day)
    return real.astimezone(_dt.timezone.utc)


def _db_path(db: str | None) -> str:
    path = db or os.environ.get("CLIENTDESK_DB")
    if not path:
        import platformdirs

        path = os.path.join(platformdirs.user_data_dir("clientdesk", appauthor=False), "clientdesk.db")
    path = os.path.expanduser(path)
    if "://" in path or not os.path.isfile(path):  # a server's desk: the full command line reads it
        raise FallBack
    return path


def _person() -> str:
    """identity.current_user(), reading the config's `user` only if the file exists."""
    env = os.environ.get("CLIENTDESK_USER", "").strip()
    if env:
        return env
    config = os.environ.get("CLIENTDESK_CONFIG")
    if not config:
        import platformdirs

        config = os.path.join(platformdirs.user_config_dir("clientdesk", appauthor=False), "config.toml")
    config = os.path.expanduser(config)
    if os.path.exists(config):
        import tomllib

        try:
            with open(config, "rb") as fh:
                user = tomllib.load(fh).get("user")
        except Exception:
            raise FallBack from None  # the command line says what is wrong with the file
        if isinstance(user, str) and user.strip():
            return user.strip()
    from clientdesk.identity import current_user

    return current_user()


def read_status(db: str | None, today: str | None = None) -> dict:
    """The status object of DESIGN's `track status --format json`."""
    from clientdesk.db.quick import Unavailable, read_timer

    zone = _local_zone()
    path = _db_path(db)
    try:
        row = read_timer(path, _person(), TIMER_SCHEMA)
    except Unavailable:
        raise FallBack from None
    if row is None:
        return stopped_status()
    client, task, started = row
    start = _dt.datetime.fromisoformat(started[:19]).replace(tzinfo=_dt.timezone.utc)
    return running_status(client, task, start, now_utc(zone, today), zone)


def stopped_status() -> dict:
    return {"running": False, "client": None, "task": None, "started": None, "elapsed_seconds": 0}


def running_status(client: str, task: str | None, started: _dt.datetime, now: _dt.datetime, zone) -> dict:
    """`started` and `now` aware datetimes; `started` is written in the local zone with its offset."""
    elapsed = max(0, int((now - started).total_seconds()))
    return {"running": True, "client": client, "task": task,
            "started": started.astimezone(zone).isoformat(timespec="seconds"), "elapsed_seconds": elapsed}


def clock_text(seconds: int) -> str:
    """Elapsed time as 'H:MM:SS'."""
    h, rest = divmod(max(0, int(seconds)), 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}"


def render(status: dict, fmt: str) -> str:
    """The status as JSON, or one line for people."""
    if fmt == "json":  # the same JSON-safe path as every JSON output (output.json_safe)
        from clientdesk.safe_text import json_safe

        return json_safe(json.dumps(status, ensure_ascii=False))
    if not status["running"]:
        return "no timer running"
    from clientdesk.safe_text import terminal_safe

    on = f"{status['task']} · {status['client']}" if status["task"] else status["client"]
    return f"{clock_text(status['elapsed_seconds'])} {terminal_safe(on, newlines=False)} (since {status['started'][11:16]})"


def main(args: list[str]) -> bool:
    """Print the status if `args` ask for it and the fast read can answer; False: use the command line."""
    parsed = parse_args(args)
    if parsed is None:
        return False
    try:
        status = read_status(parsed[0], parsed[2])
    except FallBack:
        return False
    try:
        sys.stdout.write(render(status, parsed[1]) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    return True
