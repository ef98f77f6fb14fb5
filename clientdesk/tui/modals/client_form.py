"""The client profile form, and the one-letter picker behind "l" (log an entry in two keys).

Both return values and write nothing; the client detail screen saves.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from clientdesk.domain.clients import CHANNELS, CLIENT_STATUSES, ClientInput, ClientProfile, validate_client
from clientdesk.domain.parse import parse_number
from clientdesk.tui.modals.form_base import CheckedForm

#: the second key after `l`, and the kind of entry it logs
LOG_KIND_KEYS = {"c": "call", "e": "email", "m": "meeting", "i": "check-in", "n": "note", "d": "decision"}


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


class LogKindPicker(ModalScreen[str | None]):
    """`l` opened this: one letter picks the kind of log entry, esc cancels."""

    CSS_PATH = "../styles/client.tcss"
    BINDINGS = [Binding("escape,l", "dismiss(None)", "Cancel", id="log-kind-cancel")] + [
        Binding(key, f"dismiss('{kind}')", kind.capitalize(), id=f"log-kind-{kind}") for key, kind in LOG_KIND_KEYS.items()
    ]

    def compose(self) -> ComposeResult:
        line = Text.assemble(("Log a ", "bold"))
        for i, (key, kind) in enumerate(LOG_KIND_KEYS.items()):
            if i:
                line.append(" · ", style="dim")
            line.append(key, style="bold #5fafd7")
            line.append(f" {kind}")
        line.append("   esc cancels", style="dim")
        with Vertical(id="log-kind-box"):
            yield Label(line)


class ClientForm(CheckedForm[ClientInput | None]):
    ERROR_LABEL = "#client-form-error"

    """Edit a client's profile; validated by the domain's own rules before it returns."""

    CSS_PATH = "../styles/client.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]

    FIELDS = (
        ("name", "Name"), ("status", "Status"), ("contact", "Contact"), ("channel", "Channel"),
        ("checkin_every_days", "Check-in every"), ("language", "Language"), ("timezone", "Time zone"),
        ("hourly_rate", "Hourly rate"), ("budget_hours_month", "Hours / month"),
        ("weekly_target_hours", "Hours / week"), ("weight", "Weight"), ("colour", "Colour"), ("notes", "Notes"),
    )
    PLACEHOLDERS = {
        "contact": "name, e-mail or phone", "checkin_every_days": "days between check-ins",
        "language": "en, fr, tr, zh ...", "timezone": "Europe/Paris", "hourly_rate": "empty: none",
        "budget_hours_month": "empty: no budget", "weekly_target_hours": "empty: no target",
        "weight": "1 = normal; more pulls its tasks up the triage", "colour": "#5fafd7 (optional)",
    }

    def __init__(self, profile: ClientProfile) -> None:
        super().__init__()
        self.profile = profile

    def compose(self) -> ComposeResult:
        p = self.profile
        with Vertical(id="client-form-box", classes="form-box"):
            title = Text("Edit client ", style="bold")
            title.append(p.name, style="bold")
            yield Label(title, classes="form-title")
            with Grid(classes="form-grid"):
                for name, label in self.FIELDS:
                    yield Label(label, classes="form-label")
                    if name == "status":
                        yield Select([(s, s) for s in CLIENT_STATUSES], value=p.status, allow_blank=False,
                                     id="client-status", compact=True)
                    elif name == "channel":
                        yield Select([(c, c) for c in CHANNELS], value=p.channel if p.channel in CHANNELS else CHANNELS[0],
                                     allow_blank=False, id="client-channel", compact=True)
                    else:
                        value = getattr(p, name)
                        text = _num(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else (value or "")
                        yield Input(value=text, placeholder=self.PLACEHOLDERS.get(name, ""), id=f"client-{name.replace('_', '-')}",
                                    compact=True)
            yield Label("", id="client-form-error", classes="form-error")
            yield Label("enter or ctrl+s saves · tab next field · esc cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#client-contact", Input).focus()

    def _text(self, name: str) -> str:
        return self.query_one(f"#client-{name.replace('_', '-')}", Input).value.strip()

    def _optional_number(self, name: str, label: str) -> float | None:
        text = self._text(name)
        return float(parse_number(text, label)) if text else None

    def read(self) -> ClientInput:
        """A validated ClientInput, or an error naming the first bad field."""
        checkin = self._text("checkin_every_days")
        weight = self._text("weight")
        data = ClientInput(
            name=self._text("name"),
            status=str(self.query_one("#client-status", Select).value),
            contact=self._text("contact"),
            channel=str(self.query_one("#client-channel", Select).value),
            checkin_every_days=int(parse_number(checkin, "check-in every", minimum=1, integer=True)) if checkin else 0,
            language=self._text("language") or "en",
            timezone=self._text("timezone") or "UTC",
            hourly_rate=self._optional_number("hourly_rate", "hourly rate"),
            budget_hours_month=self._optional_number("budget_hours_month", "hours / month"),
            weekly_target_hours=self._optional_number("weekly_target_hours", "hours / week"),
            weight=float(parse_number(weight, "weight")) if weight else 1.0,
            colour=self._text("colour"),
            notes=self._text("notes"),
        )
        validate_client(data)
        return data

