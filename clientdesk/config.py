"""The user's settings file: working hours, buffer, slot size, time zone, keys, theme.

The file is TOML, at ``platformdirs.user_config_dir("clientdesk")/config.toml``
unless the environment variable ``CLIENTDESK_CONFIG`` names another path.
A missing file means the defaults; a bad one raises ``InputError`` with one
line naming the file and the key. Every key is optional::

    buffer_share = 0.15          # share of each day's working hours kept free
    slot_minutes = 30            # planner grid (divides a day; 5..240)
    timezone = "Europe/Paris"    # overrides the machine's zone
    theme = "textual-dark"       # any of Textual's themes: textual-light, nord, gruvbox, dracula, ...
    user = "alice"               # who you are on a shared desk (else $CLIENTDESK_USER, else the login)
    rounding_minutes = 1         # a stopped timer's entry is rounded to this many minutes (1..60)
    rounding = "nearest"         # ... to the nearest multiple, or always "up" or "down"
    currency = "EUR"             # ISO 4217: the currency of clients that name none
    export_dir = "~/clients/out" # where exports and reports go (default: <documents>/clientdesk)

    [issuer]                     # who bills: printed at the top of every invoice
    name = "Alice Martin EI"
    address = ["12 rue des Lilas", "75011 Paris"]
    email = "alice@example.com"
    tax_id = "FR 12 345678901"
    payment = "IBAN FR76 3000 6000 0112 3456 7890 189"

    [working_hours]              # mon..sun; a range, a list of ranges, or "off"
    mon = "09:00-18:00"
    tue = ["09:00-12:30", "13:30-18:00"]   # a lunch break
    sat = "off"

    [keymap]                     # binding id (the `?` screen shows them) -> keys
    planner-prev-week = "["
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum
import platformdirs

from clientdesk.domain.errors import InputError

APP_NAME = "clientdesk"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_DAY = ((9 * 60, 18 * 60),)
DEFAULT_WORKING_HOURS: dict[int, tuple[tuple[int, int], ...]] = {
    0: DEFAULT_DAY, 1: DEFAULT_DAY, 2: DEFAULT_DAY, 3: DEFAULT_DAY, 4: DEFAULT_DAY, 5: (), 6: (),
}
KNOWN_KEYS = ("working_hours", "buffer_share", "slot_minutes", "timezone", "keymap", "theme", "user",
              "rounding_minutes", "rounding", "currency", "export_dir", "issuer")
ISSUER_KEYS = ("name", "address", "email", "tax_id", "payment")
_MAX_ISSUER_TEXT = 200
ROUNDINGS = ("nearest", "up", "down")
_RANGE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$", re.ASCII)  # ASCII digits only
_OFF = ("off", "none", "")
_MAX_CONFIG_BYTES = 1024 * 1024


def _fmt(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class Settings:
    """Everything the user can set. Times are minutes after local midnight.

    working_hours maps a weekday (Monday = 0) to its working spans, sorted and
    disjoint, e.g. ((540, 750), (810, 1080)) for 09:00-12:30 and 13:30-18:00;
    an empty tuple is a day off.
    """

    working_hours: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=lambda: dict(DEFAULT_WORKING_HOURS))
    buffer_share: float = 0.15
    slot_minutes: int = 30
    timezone: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    theme: str = "textual-dark"
    user: str = ""
    rounding_minutes: int = 1
    rounding: str = "nearest"
    currency: str = "EUR"
    export_dir: str = ""  # where exports and reports go; empty: <documents>/clientdesk
    issuer: tuple[tuple[str, str], ...] = ()  # (key, text) in ISSUER_KEYS order; address lines joined by newlines
    path: Path | None = None  # the file these came from, None for defaults

    def spans(self, weekday: int) -> tuple[tuple[int, int], ...]:
        """The working spans of a weekday (Monday = 0), in minutes after midnight."""
        return self.working_hours.get(weekday, ())

    def working_minutes(self, weekday: int) -> int:
        return sum(end - start for start, end in self.spans(weekday))

    def capacity_minutes(self, weekday: int) -> float:
        """Working minutes of the day less the buffer share kept free."""
        return self.working_minutes(weekday) * (1 - self.buffer_share)

    def hours_label(self, weekday: int) -> str:
        """The day's working hours as the user writes them: '09:00-12:30, 13:30-18:00' or 'off'."""
        spans = self.spans(weekday)
        return ", ".join(f"{_fmt(a)}-{_fmt(b)}" for a, b in spans) if spans else "off"


def config_path() -> Path:
    """$CLIENTDESK_CONFIG, else config.toml in the user's config directory."""
    env = os.environ.get("CLIENTDESK_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def _bad(path: Path, key: str, problem: str) -> InputError:
    return InputError(f"config file {path}: {key}: {problem}")


def _parse_range(text: Any, path: Path, key: str) -> tuple[int, int]:
    if not isinstance(text, str):
        raise _bad(path, key, f"not a time range (HH:MM-HH:MM): {text!r}")
    m = _RANGE_RE.match(text)
    if not m:
        raise _bad(path, key, f"not a time range (HH:MM-HH:MM): {text!r}")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise _bad(path, key, f"not a time of day: {text!r}")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end <= start:
        raise _bad(path, key, f"the range ends before it starts: {text!r}")
    return start, end


def _parse_day(value: Any, path: Path, key: str) -> tuple[tuple[int, int], ...]:
    if isinstance(value, bool) and value is False:
        return ()
    if isinstance(value, str):
        if value.strip().lower() in _OFF:
            return ()
        items = [value]
    elif isinstance(value, list):
        items = value
    else:
        raise _bad(path, key, f"expected a range, a list of ranges or \"off\": {value!r}")
    spans = sorted(_parse_range(item, path, f"{key}[{i}]" if isinstance(value, list) else key) for i, item in enumerate(items))
    for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
        if a2 < b1:
            raise _bad(path, key, f"ranges overlap: {_fmt(a1)}-{_fmt(b1)} and {_fmt(a2)}-{_fmt(b2)}")
    return tuple(spans)


def parse_settings(data: dict[str, Any], path: Path) -> Settings:
    """Settings from a parsed TOML document; InputError names the first bad key."""
    for key in data:
        if key not in KNOWN_KEYS:
            raise _bad(path, key, f"unknown setting (known: {', '.join(KNOWN_KEYS)})")
    kwargs: dict[str, Any] = {"path": path}

    hours = dict(DEFAULT_WORKING_HOURS)
    if "working_hours" in data:
        table = data["working_hours"]
        if not isinstance(table, dict):
            raise _bad(path, "working_hours", "expected a table of weekdays (mon = \"09:00-18:00\")")
        given: dict[int, str] = {}
        for day_key, value in table.items():
            name = day_key.strip().lower()
            if name in WEEKDAYS:
                weekday = WEEKDAYS.index(name)
            elif name in _LONG_WEEKDAYS:
                weekday = _LONG_WEEKDAYS.index(name)
            else:
                raise _bad(path, f"working_hours.{day_key}", "not a weekday (mon, tue, wed, thu, fri, sat, sun)")
            if weekday in given:  # `mon` and `monday` both: which one was meant?
                raise _bad(path, f"working_hours.{day_key}", f"the same day as working_hours.{given[weekday]}; keep one")
            given[weekday] = day_key
            hours[weekday] = _parse_day(value, path, f"working_hours.{day_key}")
    kwargs["working_hours"] = hours

    if "buffer_share" in data:
        value = data["buffer_share"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
            raise _bad(path, "buffer_share", f"expected a share from 0 to below 1 (0.15 = 15%): {value!r}")
        kwargs["buffer_share"] = float(value)

    if "slot_minutes" in data:
        value = data["slot_minutes"]
        if isinstance(value, bool) or not isinstance(value, int) or not 5 <= value <= 240 or 1440 % value:
            raise _bad(path, "slot_minutes", f"expected whole minutes from 5 to 240 that divide a day (15, 30, 60): {value!r}")
        kwargs["slot_minutes"] = value

    if "timezone" in data:
        value = data["timezone"]
        if not isinstance(value, str):
            raise _bad(path, "timezone", f"expected a time zone name like \"Europe/Paris\": {value!r}")
        if value.strip():
            try:
                pendulum.timezone(value.strip())
            except Exception:
                raise _bad(path, "timezone", f"unknown time zone: {value}") from None
            kwargs["timezone"] = value.strip()

    if "keymap" in data:
        table = data["keymap"]
        if not isinstance(table, dict):
            raise _bad(path, "keymap", "expected a table of binding ids to keys (quit = \"q\")")
        for binding, keys in table.items():
            if not isinstance(keys, str) or not keys.strip():
                raise _bad(path, f"keymap.{binding}", f"expected keys as a string like \"ctrl+s\": {keys!r}")
        kwargs["keymap"] = {str(k): v.strip() for k, v in table.items()}

    if "theme" in data:
        value = data["theme"]
        if not isinstance(value, str) or not value.strip():
            raise _bad(path, "theme", f"expected a theme name: {value!r}")
        kwargs["theme"] = value.strip()

    if "user" in data:
        value = data["user"]
        if not isinstance(value, str) or not value.strip():
            raise _bad(path, "user", f"expected your name as text (user = \"alice\"): {value!r}")
        kwargs["user"] = value.strip()

    if "rounding_minutes" in data:
        value = data["rounding_minutes"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60:
            raise _bad(path, "rounding_minutes", f"expected whole minutes from 1 to 60 (6 = tenths of an hour): {value!r}")
        kwargs["rounding_minutes"] = value

    if "rounding" in data:
        value = data["rounding"]
        if not isinstance(value, str) or value.strip().lower() not in ROUNDINGS:
            raise _bad(path, "rounding", f"expected one of {', '.join(ROUNDINGS)}: {value!r}")
        kwargs["rounding"] = value.strip().lower()

    if "currency" in data:
        from clientdesk.domain.money import check_currency

        value = data["currency"]
        try:
            kwargs["currency"] = check_currency(value if isinstance(value, str) else repr(value))
        except InputError as exc:
            raise _bad(path, "currency", str(exc)) from None
    if "export_dir" in data:
        value = data["export_dir"]
        if not isinstance(value, str) or not value.strip():
            raise _bad(path, "export_dir", f"expected a folder as text (export_dir = \"~/Documents/clients\"): {value!r}")
        folder = Path(value.strip()).expanduser()
        if folder.exists() and not folder.is_dir():
            raise _bad(path, "export_dir", f"not a folder: {folder}")
        kwargs["export_dir"] = str(folder)

    if "issuer" in data:
        kwargs["issuer"] = _parse_issuer(data["issuer"], path)

    return Settings(**kwargs)


def _parse_issuer(table: Any, path: Path) -> tuple[tuple[str, str], ...]:
    """The [issuer] table: short lines of text (an address may be a list of lines)."""
    if not isinstance(table, dict):
        raise _bad(path, "issuer", "expected a table (name = \"...\", address = [\"...\"], email, tax_id, payment)")
    given: dict[str, str] = {}
    for key, value in table.items():
        if key not in ISSUER_KEYS:
            raise _bad(path, f"issuer.{key}", f"unknown (known: {', '.join(ISSUER_KEYS)})")
        lines = value if isinstance(value, list) and key == "address" else [value]
        if not lines or not all(isinstance(line, str) for line in lines):
            raise _bad(path, f"issuer.{key}", "expected text" + (" or a list of lines" if key == "address" else ""))
        text = "\n".join(line.strip() for line in lines).strip()
        if not text:
            raise _bad(path, f"issuer.{key}", "is empty; leave the key out instead")
        if any(len(line) > _MAX_ISSUER_TEXT for line in text.split("\n")) or text.count("\n") > 8:
            raise _bad(path, f"issuer.{key}", f"too long (at most 9 lines of {_MAX_ISSUER_TEXT} characters)")
        given[key] = text
    return tuple((key, given[key]) for key in ISSUER_KEYS if key in given)


def load_settings(path: str | os.PathLike | None = None) -> Settings:
    """The user's settings from `path` (else $CLIENTDESK_CONFIG, else the default place).

    A missing file gives the defaults; an unreadable or bad one raises InputError.
    """
    target = Path(path).expanduser() if path is not None else config_path()
    if not target.exists():
        return Settings()
    if target.is_dir():
        raise InputError(f"config file {target}: is a folder, not a file")
    try:
        with open(target, "rb") as fh:
            raw = fh.read(_MAX_CONFIG_BYTES + 1)
        if len(raw) > _MAX_CONFIG_BYTES:
            raise InputError(f"config file {target}: larger than {_MAX_CONFIG_BYTES // 1024} KB; not a clientdesk config")
    except OSError as exc:
        raise InputError(f"config file {target}: cannot read it: {exc.strerror}") from None
    import tomllib  # only when there is a file to read (launch time)

    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # a BOM, as Windows editors write, is dropped
    except UnicodeDecodeError:
        raise InputError(f"config file {target}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config file {target}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"config file {target}: nested too deeply to be a clientdesk config") from None
    return parse_settings(data, target)


_applied: Settings | None = None


def current_settings() -> Settings:
    """The settings `apply_settings` made current (the defaults before), for
    rules that depend on them outside a screen: working days for check-ins."""
    return _applied or Settings()


def apply_settings(settings: Settings) -> None:
    """Make the settings current: their time zone (if any) clientdesk's local
    zone, their user the current person."""
    global _applied
    from clientdesk import identity

    _applied = settings

    identity.set_user(settings.user or None)
    from clientdesk.domain import money

    money.set_default_currency(settings.currency)
    if settings.timezone:
        from clientdesk import clock

        clock.set_timezone(settings.timezone)


__all__ = ["Settings", "load_settings", "parse_settings", "config_path", "apply_settings", "current_settings", "WEEKDAYS"]
