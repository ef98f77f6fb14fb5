"""One field specification per entity: the single place a field's label, kind, bounds and choices live.

The interchange importer checks a file's values against these fields, the
domain validates what a form or the command line gives with them, and the
generated form (`tui/modals/entity_form.py`) draws its inputs, parses what was
typed and formats stored values from them. So "priority is 1..4" or "a
likelihood is 1..5" is written once, here, and every layer says the same
thing in the same words.

A field refuses with `FieldError`, which names the field, so a form can put
the reason beside it and the command line can print "likelihood: must be
1..5: 9".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

import pendulum

from clientdesk import limits
from clientdesk.domain.errors import InputError
from clientdesk.domain.names import name_key

from clientdesk.models import Client, Project
from clientdesk.models.change import CHANGE_STATUSES
from clientdesk.models.client import CHANNELS, CLIENT_STATUSES
from clientdesk.models.interaction import INTERACTION_KINDS
from clientdesk.models.project import PROJECT_STATUSES, RISK_STATUSES
from clientdesk.models.work import PRIORITIES, TASK_STATUSES

#: what a typed amount may not exceed (a typo, not a budget)
LARGEST = 2**53
_LAST_WEEKDAY = re.compile(r"^last ([a-z]+)$")
_BACK_OFFSET = re.compile(r"^-([0-9]{1,4})([dw])$")


class FieldError(InputError):
    """A value one field refuses: `field` is its name, the message '<label>: <why>'."""

    def __init__(self, field_name: str, label: str, reason: str) -> None:
        super().__init__(f"{label}: {reason}")
        self.field = field_name
        self.reason = reason


@dataclass(frozen=True)
class Field:
    """How one field is checked, shown and typed.

    kind: text, name (text that must not be empty), choice, int, num,
    minutes (a whole number of minutes, typed as a duration: 90m, 2h, 1h30),
    date, tz, tags, rule (a recurrence) and, for the importer only, ref,
    instant, bool, clock, list, items.

    shown: for a small whole-number range, what a form's choice shows for
    each value from lo to hi ("p1 · highest" ...); the range stays lo..hi.
    """

    kind: str
    required: bool = False
    nullable: bool = False
    lo: float | None = None
    hi: float | None = None
    above: bool = False  # strictly greater than lo
    choices: tuple = ()
    name: str = ""
    label: str = ""
    placeholder: str = ""
    default: Any = None
    shown: tuple[str, ...] = ()

    def shown_choices(self) -> list[tuple[str, int]]:
        """(label, value) for every value of a `shown` range, lo to hi."""
        return [(label, int(self.lo) + i) for i, label in enumerate(self.shown)]

    # -- bounds, the one wording every layer uses --------------------------------
    def bounds_error(self, value: float) -> str | None:
        """Why a number is out of this field's range (without the value), or None."""
        if self.lo is not None:
            if self.above and value <= self.lo:
                return f"must be more than {self.lo:g}"
            if not self.above and value < self.lo:
                return "must be zero or more" if self.lo == 0 else f"must be at least {self.lo:g}"
        if self.hi is not None and value > self.hi:
            return f"must be {self.lo:g}..{self.hi:g}" if self.lo is not None else f"must be at most {self.hi:g}"
        return None

    def refuse(self, reason: str) -> FieldError:
        label = self.label or self.name.replace("_", " ")
        return FieldError(self.name, label[:1].lower() + label[1:], reason)

    # -- a Python value, from a form, the command line or a domain call ----------
    def check(self, value: Any) -> Any:
        """The value to store, or FieldError: None/'' on an optional field means none."""
        if isinstance(value, str) and self.kind not in ("text",):
            value = value.strip()
        if value is None or (value == "" and self.kind not in ("text", "tags", "rule")):
            if self.required or self.kind == "name":
                raise self.refuse("needed" if self.kind != "name" else "empty")
            if self.nullable:
                return None
            return self.default
        kind = self.kind
        if kind in ("text", "name"):
            if not isinstance(value, str):
                raise self.refuse(f"not a text: {limits.shown(repr(value))}")
            most = limits.MAX_NAME_CHARS if kind == "name" else limits.MAX_TEXT_CHARS
            if len(value) > most:
                raise self.refuse(f"too long ({len(value):,} characters; at most {most:,}): {limits.shown(value, 40)}")
            return value.strip()
        if kind == "choice":
            if value not in self.choices:
                raise self.refuse(f"one of {', '.join(self.choices)}: {value}")
            return value
        if kind in ("int", "num", "minutes"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.refuse(f"not a number: {value}")
            if isinstance(value, float) and not math.isfinite(value):
                raise self.refuse(f"not a number: {value}")
            if abs(value) > LARGEST:
                raise self.refuse(f"too large: {value:g}")
            if kind in ("int", "minutes"):
                if float(value) != int(value):
                    raise self.refuse(f"not a whole number: {value:g}")
                value = int(value)
            else:
                value = float(value)
            why = self.bounds_error(value)
            if why:
                raise self.refuse(f"{why}: {value:g}")
            return value
        if kind == "date":
            from clientdesk.domain.parse import parse_date

            try:
                day = value if isinstance(value, pendulum.Date) and not isinstance(value, pendulum.DateTime) \
                    else parse_date(value, self.label)
                return limits.check_year(day, self.label)
            except InputError as exc:
                raise self.refuse(str(exc).split(": ", 1)[-1]) from None
        if kind == "tz":
            from clientdesk.domain.parse import parse_timezone

            try:
                return parse_timezone(value)
            except InputError as exc:
                raise self.refuse(str(exc)) from None
        if kind == "tags":
            from clientdesk.domain.tasks import normalise_tags

            return normalise_tags(value)
        if kind == "currency":
            code = str(value).upper()
            if not re.fullmatch("[A-Z]{3}", code):
                raise self.refuse(f"not an ISO 4217 currency code (EUR, USD, TRY, CNY...): {value}")
            return code
        if kind == "rule":
            from clientdesk.domain.recurrence import validate_rule

            try:
                return validate_rule(value)
            except InputError as exc:
                raise self.refuse(str(exc).split(": ", 1)[-1]) from None
        return value

    # -- typed text, from a form's input -----------------------------------------
    def parse(self, text: str, today: pendulum.Date | None = None) -> Any:
        """What the user typed, as the value to store (FieldError when it cannot be)."""
        raw = (text or "").strip()
        if self.kind in ("int", "num"):
            if not raw:
                return self.check(None)
            from clientdesk.domain.parse import decimal_text

            try:
                number = float(decimal_text(raw.replace("_", ""), self.label))
            except InputError as exc:
                raise self.refuse(str(exc).split(": ", 1)[-1]) from None
            except ValueError:
                raise self.refuse(f"not a number: {raw}") from None
            if not math.isfinite(number):
                raise self.refuse(f"not a number: {raw}")
            return self.check(number)
        if self.kind == "minutes" and raw:
            from clientdesk.domain.quickadd import parse_estimate

            try:
                return self.check(parse_estimate(raw, self.label))
            except FieldError:
                raise
            except InputError as exc:
                raise self.refuse(str(exc).split(": ", 1)[-1]) from None
        if self.kind == "date" and raw:
            return self.check(parse_day(raw, today or _today(), self))
        if self.kind == "tz" and raw:  # typed by its city: 'Berlin' is Europe/Berlin when no other zone has it
            from clientdesk.domain.parse import city_timezone

            try:
                return self.check(raw)
            except FieldError:
                if (zone := city_timezone(raw)) is None:
                    raise
                return self.check(zone)
        if self.kind == "tags" and raw:
            return self.check(parse_tag_words(raw, self))
        return self.check(raw if self.kind != "text" else (text or "").strip())

    def format(self, value: Any) -> str:
        """A stored value as the form shows it for editing."""
        if value is None:
            return ""
        if self.kind in ("int", "num"):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return f"{value:g}" if isinstance(value, float) else str(value)
        if self.kind == "minutes":
            from clientdesk.domain.quickadd import minutes_text

            return minutes_text(value)
        if self.kind == "date":
            return value.to_date_string() if hasattr(value, "to_date_string") else str(value)[:10]
        if self.kind == "tags":
            return " ".join(value) if isinstance(value, (tuple, list)) else str(value)
        return str(value)


def _today() -> pendulum.Date:
    from clientdesk import clock

    return clock.today()


def parse_day(text: str, today: pendulum.Date, spec: Field) -> pendulum.Date:
    """A date as people type it: 2026-11-20, today, yesterday, fri, last fri, -3d, +2w, 25 dec."""
    from clientdesk.domain.quickadd import WEEKDAYS, WHEN_HELP, parse_when

    value = " ".join(text.lower().split())
    if m := _LAST_WEEKDAY.match(value):
        if m[1] in WEEKDAYS:
            back = (today.weekday() - WEEKDAYS[m[1]]) % 7 or 7
            return today.subtract(days=back)
    if m := _BACK_OFFSET.match(value):
        return today.subtract(days=int(m[1]) * (7 if m[2] == "w" else 1))
    try:
        return parse_when(value, today)
    except InputError as exc:
        reason = str(exc).split(": ", 1)[-1]
        if not reason.startswith("not a date"):  # a date that does not exist, or too far ahead: its own words
            raise spec.refuse(reason) from None
        raise spec.refuse(f"not a date: {text} (try 2026-11-20, yesterday, last fri, -3d, {WHEN_HELP})") from None


def parse_tag_words(text: str, spec: Field) -> tuple[str, ...]:
    """'dev seo', '#dev, #seo' -> ('dev', 'seo'); letters, digits, '-' and '_' only."""
    out: list[str] = []
    for word in text.replace(",", " ").split():
        tag = word.lstrip("#").lower()
        if tag and not all(ch.isalnum() or ch in "-_" for ch in tag):
            raise spec.refuse(f"letters, digits, '-' and '_' only: {word}")
        if tag and tag not in out:
            out.append(tag)
    return tuple(out)


@dataclass(frozen=True)
class Entity:
    """The fields of one kind of row, in the order forms show them."""

    name: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def __contains__(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def defaults(self) -> dict[str, Any]:
        return {f.name: f.default for f in self.fields}

    def validate(self, values: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
        """The values to store, each checked by its field; FieldError for the first bad one.

        `partial`: only the keys given are checked and returned (an edit of some
        fields); otherwise missing fields take their defaults and required ones
        are refused.
        """
        unknown = [k for k in values if k not in self]
        if unknown:
            raise InputError(f"{self.name}: unknown field: {unknown[0]}")
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.name in values:
                out[f.name] = f.check(values[f.name])
            elif not partial:
                out[f.name] = f.check(None)
        return out

    def json_spec(self) -> dict[str, Field]:
        """The fields as the interchange importer checks them (stored, not typed, values)."""
        return {f.name: f for f in self.fields}


def entity(name: str, *fields: Field) -> Entity:
    return Entity(name, tuple(fields))


def _f(name: str, kind: str, label: str, **kw) -> Field:
    return Field(kind, name=name, label=label, **kw)


# The bounds of clientdesk.limits, so forms, the domain and the importer refuse the same values.
_AMOUNT = dict(lo=0, hi=limits.MAX_AMOUNT, nullable=True)
_HOURS = dict(lo=0, hi=limits.MAX_HOURS, nullable=True)


def _if_stored(model, spec: Field) -> tuple[Field, ...]:
    """A field only where the schema has its column (the money columns arrive with time tracking)."""
    return (spec,) if spec.name in model._meta.fields else ()


CLIENT = entity(
    "client",
    _f("name", "name", "Name", required=True, placeholder="the client's name"),
    _f("status", "choice", "Status", choices=CLIENT_STATUSES, default="active"),
    _f("contact", "text", "Contact", default="", placeholder="name, e-mail or phone"),
    _f("channel", "choice", "Channel", choices=CHANNELS, default="email"),
    _f("checkin_every_days", "int", "Check-in every", lo=1, hi=limits.MAX_DAYS, default=14, placeholder="days between check-ins"),
    _f("language", "text", "Language", default="en", placeholder="en, fr, tr, zh ..."),
    _f("timezone", "tz", "Time zone", default="UTC", placeholder="Europe/Paris"),
    _f("hourly_rate", "num", "Hourly rate", **_AMOUNT, placeholder="empty: none"),
    _f("budget_hours_month", "num", "Hours / month", **_HOURS, placeholder="empty: no budget"),
    _f("weekly_target_hours", "num", "Hours / week", **_HOURS, placeholder="empty: no target"),
    _f("weight", "num", "Weight", lo=0, hi=1000, default=1.0, placeholder="1 = normal; more pulls its tasks up the triage"),
    _f("colour", "text", "Colour", default="", placeholder="#5fafd7 (optional)"),
    _f("notes", "text", "Notes", default=""),
    *_if_stored(Client, _f("currency", "currency", "Currency", nullable=True, placeholder="EUR, USD ...; empty: the default")),
)
PROJECT = entity(
    "project",
    _f("name", "name", "Name", required=True, placeholder="the project's name"),
    _f("status", "choice", "Status", choices=PROJECT_STATUSES, default="active"),
    _f("start", "date", "Start", nullable=True, placeholder="2026-12-01, today, mon; empty: none"),
    _f("deadline", "date", "Deadline", nullable=True, placeholder="2026-12-15, +4w, 15 dec; empty: none"),
    _f("budget_hours", "num", "Budget hours", **_HOURS, placeholder="empty: no budget"),
    _f("budget_amount", "num", "Budget money", **_AMOUNT, placeholder="in the client's currency; empty: none"),
    _f("scope", "text", "Scope", default="", placeholder="what is in (and out of) the project"),
    *_if_stored(Project, _f("hourly_rate", "num", "Hourly rate", **_AMOUNT, placeholder="empty: the client's rate")),
)
TASK = entity(
    "task",
    _f("title", "name", "Title", required=True, placeholder="what to do"),
    _f("status", "choice", "Status", choices=TASK_STATUSES, default="todo"),
    _f("priority", "int", "Priority", lo=min(PRIORITIES), hi=max(PRIORITIES), default=3,
       shown=("p1 · highest", "p2 · high", "p3 · normal", "p4 · low")),
    _f("due", "date", "Due", nullable=True, placeholder="fri, tomorrow, +3d, 25 dec, 2026-12-25; empty: none"),
    _f("estimate_minutes", "minutes", "Estimate", lo=0, above=True, hi=limits.MAX_MINUTES, nullable=True,
       placeholder="90m, 2h, 1h30; empty: none"),
    _f("tags", "tags", "Tags", default="", placeholder="dev seo (kinds of work)"),
    _f("recurrence", "rule", "Repeats", default="",
       placeholder="daily, weekly, every 2 weeks, monthly, monthly:last, yearly"),
)
MILESTONE = entity(
    "milestone",
    _f("name", "name", "Name", required=True, placeholder="what is delivered"),
    _f("due", "date", "Due", nullable=True, placeholder="2026-12-15, fri, +2w; empty: none"),
    _f("done_on", "date", "Done on", nullable=True, placeholder="empty: not done yet"),
)
RISK = entity(
    "risk",
    _f("title", "name", "Title", required=True, placeholder="what could go wrong"),
    _f("likelihood", "int", "Likelihood", lo=1, hi=5, default=3, placeholder="1 (rare) .. 5 (almost sure)"),
    _f("impact", "int", "Impact", lo=1, hi=5, default=3, placeholder="1 (minor) .. 5 (severe)"),
    _f("mitigation", "text", "Mitigation", default="", placeholder="what you do about it"),
    _f("status", "choice", "Status", choices=RISK_STATUSES, default="open"),
)
INTERACTION = entity(
    "interaction",
    _f("summary", "name", "Summary", required=True, placeholder="what was said or decided, in one line"),
    _f("kind", "choice", "Kind", choices=INTERACTION_KINDS, default="note"),
    _f("on", "date", "On", required=True, placeholder="today, yesterday, last fri, 2026-11-20"),
)
FEEDBACK = entity(
    "feedback",
    _f("score", "int", "Score", required=True, lo=1, hi=5, placeholder="1 (unhappy) .. 5 (delighted)"),
    _f("comment", "text", "Comment", default="", placeholder="what they said"),
    _f("on", "date", "On", required=True, placeholder="today, last fri, 2026-11-20"),
)
CHANGE = entity(
    "change request",
    _f("title", "name", "Title", required=True, placeholder="what is asked, in a few words"),
    _f("description", "text", "Description", default="", placeholder="details (optional)"),
    _f("requested_by", "text", "Requested by", default="", placeholder="who asked (optional)"),
    _f("received_on", "date", "Received on", required=True, placeholder="today, yesterday, last fri, 2026-11-20"),
    _f("status", "choice", "Status", choices=CHANGE_STATUSES, default="new"),
    _f("impact_hours", "num", "Hours", **_HOURS, placeholder="e.g. 12"),
    _f("impact_days", "int", "Days", lo=0, hi=limits.MAX_DAYS, nullable=True, placeholder="the deadline moves by"),
    _f("impact_cost", "num", "Cost", **_AMOUNT, placeholder="empty: hours × rate"),
    _f("decision_note", "text", "Decision note", default=""),
    _f("decided_on", "date", "Decided on", nullable=True),
)
#: what assessing a change request sets: its hours (needed), days (none is 0) and a cost set by hand
ASSESSMENT = Entity("assessment", (
    replace(CHANGE["impact_hours"], required=True, nullable=False),
    replace(CHANGE["impact_days"], nullable=False, default=0),
    CHANGE["impact_cost"],
))
TEMPLATE = entity(
    "template",
    _f("name", "name", "Name", required=True, placeholder="e.g. Website launch"),
)


def with_fields(spec: Entity, names: Iterable[str]) -> Entity:
    """The same entity limited to some fields, in the order given (a form's subset)."""
    return Entity(spec.name, tuple(spec[n] for n in names))


def relabel(spec: Entity, **labels: str) -> Entity:
    """The same entity with some labels changed (a form's wording)."""
    return Entity(spec.name, tuple(replace(f, label=labels.get(f.name, f.label)) for f in spec.fields))


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same name (case, Unicode forms, invisible characters)."""
    return name_key(a) == name_key(b)


__all__ = [
    "ASSESSMENT", "CHANGE", "CLIENT", "Entity", "FEEDBACK", "Field", "FieldError", "INTERACTION", "MILESTONE", "PROJECT", "RISK",
    "TASK", "TEMPLATE", "parse_day", "parse_tag_words", "relabel", "same_name", "with_fields",
]
