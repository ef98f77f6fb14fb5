"""The one form every entity is created and edited in, generated from its field specification.

`EntityForm` draws one row per field (`domain/fields.py`: label, kind,
choices, placeholder), opens focused on the first (the name or title), parses
what was typed with the field's own rules, and shows each refusal beside its
field. A date or a time zone says what it reads as it is typed (`fri → Fri
27 Nov`, `Berlin → Europe/Berlin`),
and a caller's `live` line can follow the typing (the assessment's cost).
`ctrl+s` (or enter in a text box) saves, `esc` cancels. It writes
nothing: it dismisses with a dict of field values (or None), and the caller
saves through the domain; when the domain refuses, the caller opens the form
again with what was typed and the reason beside the field.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select

from clientdesk.domain.errors import ClientdeskError
from clientdesk.domain.fields import Field, FieldError
from clientdesk.tui.modals.form_base import CheckedForm

#: the kinds of field that say under them what they read as they are typed
READ_AS_TYPED = ("date", "tz")
#: a choice field's options given by the caller: (label shown, value returned)
Options = Sequence[tuple[str, Any]]


def _widget_id(name: str) -> str:
    return "f-" + name.replace("_", "-")


class EntityForm(CheckedForm[dict | None]):
    """Add or edit one row of any entity; returns {field name: value} or None when cancelled."""

    CSS_PATH = "../styles/forms.tcss"
    ERROR_LABEL = "#entity-form-error"

    def __init__(self, title: str, fields: Sequence[Field], values: dict | None = None, *,
                 options: dict[str, Options] | None = None, check: Callable[[dict], Any] | None = None,
                 error: FieldError | ClientdeskError | str | None = None, note: str = "",
                 live: Callable[[dict[str, str]], Text] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.values = dict(values or {})
        self.options = dict(options or {})
        self.check = check
        self.initial_error = error
        self.note = note
        self.live = live  # the typed texts by field name -> a line shown under the fields
        self._refused: dict[str, Any] = {}  # field -> the value it was refused with

    # -- drawing ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="entity-form-box"):
            yield Label(Text(self.title_text, style="bold"), id="entity-form-title")
            if self.note:
                yield Label(Text(self.note), id="entity-form-note")
            with VerticalScroll(id="entity-form-fields", can_focus=False):  # tab goes field to field, no hidden stop
                for f in self.fields:
                    with Horizontal(classes="entity-row"):
                        yield Label(Text(f.label), classes="entity-label")
                        with Vertical(classes="entity-cell"):
                            yield self._input(f)
                            yield Label("", id=f"{_widget_id(f.name)}-error", classes="entity-error")
                            if f.kind in READ_AS_TYPED:
                                yield Label("", id=f"{_widget_id(f.name)}-reads", classes="entity-reads")
            if self.live is not None:
                yield Label("", id="entity-form-live")
            yield Label("", id="entity-form-error")
            yield Label(Text("ctrl+s saves · enter saves from a text box · tab next field · esc cancels"),
                        id="entity-form-hint")

    def _input(self, f: Field):
        value = self.values.get(f.name, f.default)
        if f.kind == "choice" or f.name in self.options or f.shown:
            choices = self.options.get(f.name) or (f.shown_choices() if f.shown else [(c, c) for c in f.choices])
            known = [v for _, v in choices]
            return Select([(Text(str(label)), v) for label, v in choices],
                          value=value if value in known else (Select.NULL if f.nullable or not known else known[0]),
                          allow_blank=f.nullable or not known, prompt="none", id=_widget_id(f.name), compact=True)
        return Input(f.format(value), placeholder=f.placeholder, id=_widget_id(f.name), compact=True)

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#{_widget_id(self.fields[0].name)}").focus()
        error = self.initial_error
        if isinstance(error, FieldError) and any(f.name == error.field for f in self.fields):
            self._mark(error)
        elif error:
            self.query_one("#entity-form-error", Label).update(Text(str(error)))
        self._show_live()

    # -- as it is typed ------------------------------------------------------------------
    def typed(self) -> dict[str, str]:
        """What each text box holds now, by field name."""
        return {f.name: self.query_one(f"#{_widget_id(f.name)}").value for f in self.fields
                if isinstance(self.query_one(f"#{_widget_id(f.name)}"), Input)}

    def _show_live(self) -> None:
        if self.live is not None:
            self.query_one("#entity-form-live", Label).update(self.live(self.typed()))

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        name = (event.input.id or "")[2:].replace("-", "_")
        spec = next((f for f in self.fields if f.name == name), None)
        if spec is not None and spec.kind in READ_AS_TYPED:
            self._show_reading(spec, event.value)
        self._show_live()

    def _show_reading(self, spec: Field, text: str) -> None:
        """'fri' → 'Fri 27 Nov' under a date, 'Berlin' → 'Europe/Berlin' under a time zone, as it is
        typed; nothing for an empty or unfinished one, or a zone typed as it is stored."""
        from clientdesk import clock
        from clientdesk.tui.text import short_date

        label = self.query_one(f"#{_widget_id(spec.name)}-reads", Label)
        try:
            value = spec.parse(text) if text.strip() else None
        except FieldError:
            value = None
        if spec.kind == "date" and value is not None:
            value = short_date(value, clock.today())
        elif value == text.strip():
            value = None
        label.update(Text(f"→ {value}") if value is not None else "")
        label.set_class(value is not None, "-shown")

    # -- reading -----------------------------------------------------------------------
    def _mark(self, error: FieldError) -> None:
        widget = self.query_one(f"#{_widget_id(error.field)}")
        widget.add_class("-invalid")
        self._refused[error.field] = getattr(widget, "value", None)
        label = self.query_one(f"#{_widget_id(error.field)}-error", Label)
        label.update(Text(error.reason))
        label.add_class("-shown")

    def _clear(self, name: str) -> None:
        self.query_one(f"#{_widget_id(name)}").remove_class("-invalid")
        label = self.query_one(f"#{_widget_id(name)}-error", Label)
        label.update("")
        label.remove_class("-shown")

    def read(self) -> dict:
        """Every field parsed; raises the first FieldError after marking every bad field."""
        values: dict[str, Any] = {}
        errors: list[FieldError] = []
        for f in self.fields:
            widget = self.query_one(f"#{_widget_id(f.name)}")
            self._clear(f.name)
            try:
                if isinstance(widget, Select):
                    raw = None if widget.value is Select.NULL else widget.value
                    values[f.name] = raw if f.name in self.options and raw is not None else f.check(raw)
                    if raw is None and f.required:
                        raise f.refuse("choose one")
                else:
                    values[f.name] = f.parse(widget.value)
            except FieldError as exc:
                errors.append(exc)
        if not errors and self.check is not None:
            try:
                self.check(values)
            except FieldError as exc:
                errors.append(exc)
        for exc in errors:
            if any(f.name == exc.field for f in self.fields):
                self._mark(exc)
        if errors:
            first = errors[0]
            if any(f.name == first.field for f in self.fields):
                self.query_one(f"#{_widget_id(first.field)}").focus()
            raise first
        return values

    def field_edited(self, field: Input, value: str) -> None:
        """The reason stays while the refused value does; edited since, it goes until the next save."""
        name = (field.id or "")[2:].replace("-", "_")
        if field.has_class("-invalid") and self._refused.get(name) != value:
            self._clear(name)


__all__ = ["EntityForm", "Options"]
