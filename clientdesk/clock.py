"""The one clock every "today" figure uses, so that output is reproducible.

`--today YYYY-MM-DD` (set through `set_today`) wins over the environment
variable `CLIENTDESK_TODAY`, which wins over the real date; `CLIENTDESK_NOW`
(an ISO date and time) pins the instant too, for exports and tests. The local time
zone (for showing time blocks and cutting weeks) comes from `set_timezone`,
then `CLIENTDESK_TZ`, then the machine's zone.
"""

from __future__ import annotations

import functools
import os

import pendulum

from clientdesk.domain.errors import InputError

_today_override: pendulum.Date | None = None
_tz_override: str | None = None


def parse_date(text: str, what: str = "date") -> pendulum.Date:
    """Parse a strict YYYY-MM-DD date or raise InputError naming the text."""
    from clientdesk.domain.parse import parse_date as _parse

    return _parse(text, what)


def set_today(value: str | pendulum.Date | None) -> None:
    """Pin today's date (None lets the environment or the real date speak)."""
    global _today_override
    if value is None or isinstance(value, pendulum.Date):
        _today_override = value
    else:
        _today_override = parse_date(value, "--today")


def set_timezone(name: str | None) -> None:
    """Pin the local time zone by IANA name (None: environment or machine)."""
    global _tz_override
    if name is not None:
        try:
            pendulum.timezone(name)
        except Exception as exc:  # pendulum raises several kinds
            raise InputError(f"unknown time zone: {name}") from exc
    _tz_override = name


def local_tz() -> pendulum.Timezone:
    """The zone blocks are shown in and weeks are cut in."""
    name = _tz_override or os.environ.get("CLIENTDESK_TZ")
    if name:
        try:
            return pendulum.timezone(name)
        except Exception as exc:
            raise InputError(f"CLIENTDESK_TZ: unknown time zone: {name}") from exc
    return pendulum.local_timezone()


def today() -> pendulum.Date:
    """Today's date under the override, the environment, or the real clock."""
    if _today_override is not None:
        return _today_override
    env = os.environ.get("CLIENTDESK_TODAY")
    if env:
        return _env_date(env)
    return pendulum.now(local_tz()).date()


@functools.lru_cache(maxsize=4)
def _env_date(text: str) -> pendulum.Date:
    """CLIENTDESK_TODAY parsed once (today() is called for every row drawn)."""
    return parse_date(text, "CLIENTDESK_TODAY")


def now() -> pendulum.DateTime:
    """The current instant: $CLIENTDESK_NOW if set (for reproducible plans),
    else on a pinned day that day at the real time of day."""
    env = os.environ.get("CLIENTDESK_NOW")
    if env:
        from clientdesk.domain.parse import parse_datetime

        return parse_datetime(env, "CLIENTDESK_NOW", tz=local_tz())
    real = pendulum.now(local_tz())
    pinned = today()
    if pinned == real.date():
        return real
    return real.set(year=pinned.year, month=pinned.month, day=pinned.day)


def check_environment() -> None:
    """Read CLIENTDESK_TODAY, CLIENTDESK_NOW and CLIENTDESK_TZ once, up front: a bad one is one line
    here rather than an error deep inside a screen (a blank app, a ScreenStackError)."""
    local_tz()
    today()
    if os.environ.get("CLIENTDESK_NOW"):
        now()
