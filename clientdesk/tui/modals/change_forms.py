"""The change-request forms: log a request, assess its impact, read its detail.

Like every modal here they validate what was typed and return a dataclass (or
None when cancelled); the Changes screen saves it through the domain layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from clientdesk.domain.changes import ChangeInput, ChangeView, change_cost
from clientdesk.domain.clients import ClientRef, InteractionView, ProjectRef
from clientdesk.domain.errors import InputError
from clientdesk.domain.parse import parse_date, parse_number
from clientdesk.tui.modals.form_base import CheckedForm
from clientdesk.tui.text import hours, short_date


def money(value: float | None) -> str:
    """1080 -> '1,080.00'; None -> '—'."""
    return "—" if value is None else f"{value:,.2f}"


def number(value: float) -> str:
    """90.0 -> '90', 87.5 -> '87.5', 1200 -> '1,200'."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class AssessInput:
    """An assessed impact: hours and days; cost None means hours x the client's rate."""

    impact_hours: float
    impact_days: int
    impact_cost: float | None = None


def cost_line(hours_text: str, cost_text: str, rate: float | None) -> Text:
    """The live 'cost = 12h × 90 = 1,080.00' line of the assess form."""
    try:
        h = parse_number(hours_text, "hours") if hours_text.strip() else None
    except InputError:
        return Text("hours: not a number", style="dim")
    if cost_text.strip():
        try:
            cost = parse_number(cost_text, "cost")
        except InputError:
            return Text("cost: not a number", style="dim")
        line = Text.assemble(("cost = ", "bold"), (money(cost), "bold"), ("  set by hand", "italic"))
        computed = change_cost(h, None, rate)
        if computed is not None:
            line.append(f"  ({hours(h)} × {number(rate)} would be {money(computed)})", style="dim")
        return line
    if rate is None:
        return Text("no hourly rate for this client: the cost stays empty unless you set it", style="dim")
    if h is None:
        return Text(f"cost = hours × {number(rate)}", style="dim")
    return Text.assemble(("cost = ", "bold"), f"{hours(h)} × {number(rate)} = ", (money(change_cost(h, None, rate)), "bold"))


class AssessForm(CheckedForm[AssessInput | None]):
    ERROR_LABEL = "#assess-error"

    """Hours, days and an optional cost override, with the cost shown as you type."""

    CSS_PATH = "../styles/changes.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]

    def __init__(self, change: ChangeView, rate: float | None) -> None:
        super().__init__()
        self.change = change
        self.rate = rate

    def compose(self) -> ComposeResult:
        c = self.change
        with Vertical(id="assess-box", classes="form-box"):
            title = Text("Assess ", style="bold")
            title.append(c.title, style="bold")
            yield Label(title, classes="form-title")
            sub = Text(f"{c.client} / {c.project}", style="dim")
            yield Label(sub, classes="form-sub")
            with Grid(classes="form-grid"):
                yield Label("Hours", classes="form-label")
                yield Input(value=number(c.impact_hours) if c.impact_hours is not None else "", placeholder="e.g. 12",
                            id="assess-hours", compact=True)
                yield Label("Days", classes="form-label")
                yield Input(value=str(c.impact_days) if c.impact_days is not None else "0", placeholder="deadline moves by",
                            id="assess-days", compact=True)
                yield Label("Cost", classes="form-label")
                override = number(c.impact_cost) if c.cost_overridden and c.impact_cost is not None else ""
                yield Input(value=override, placeholder="empty: hours × rate", id="assess-cost", compact=True)
            yield Label("", id="assess-cost-line")
            yield Label("", id="assess-error", classes="form-error")
            yield Label("enter or ctrl+s saves · tab next field · esc cancels", classes="form-hint")

    def on_mount(self) -> None:
        self._update_cost()
        self.query_one("#assess-hours", Input).focus()

    @on(Input.Changed)
    def _update_cost(self) -> None:
        line = cost_line(self.query_one("#assess-hours", Input).value, self.query_one("#assess-cost", Input).value, self.rate)
        self.query_one("#assess-cost-line", Label).update(line)

    def read(self) -> AssessInput:
        """The typed values, or InputError naming the first bad field."""
        hours_text = self.query_one("#assess-hours", Input).value
        if not hours_text.strip():
            raise InputError("hours: enter the impact in hours (0 or more)")
        h = parse_number(hours_text, "hours")
        days_text = self.query_one("#assess-days", Input).value.strip() or "0"
        days = parse_number(days_text, "days", integer=True)
        cost_text = self.query_one("#assess-cost", Input).value.strip()
        cost = parse_number(cost_text, "cost") if cost_text else None
        return AssessInput(float(h), int(days), None if cost is None else float(cost))



class ChangeRequestForm(CheckedForm[ChangeInput | None]):
    ERROR_LABEL = "#request-error"

    """Log a new request: client, then one of its projects, title, who asked and when."""

    CSS_PATH = "../styles/changes.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]

    def __init__(self, clients: list[ClientRef], projects: list[ProjectRef], *, client_id: int | None,
                 today: pendulum.Date, project_id: int | None = None) -> None:
        super().__init__()
        self.clients = clients
        self.projects = projects
        ids = {c.id for c in clients}
        self.client_id = client_id if client_id in ids else (clients[0].id if clients else None)
        self.project_id = project_id
        self.today = today

    def _project_options(self, client_id: int | None) -> list[tuple[Text, int]]:
        return [(Text(p.name), p.id) for p in self.projects if p.client_id == client_id]

    def compose(self) -> ComposeResult:
        with Vertical(id="request-box", classes="form-box"):
            yield Label(Text("New change request", style="bold"), classes="form-title")
            with Grid(classes="form-grid"):
                yield Label("Client", classes="form-label")
                yield Select([(Text(c.name), c.id) for c in self.clients], value=self.client_id or Select.NULL,
                             allow_blank=self.client_id is None, id="request-client", compact=True)
                yield Label("Project", classes="form-label")
                options = self._project_options(self.client_id)
                ids = [value for _, value in options]
                first = self.project_id if self.project_id in ids else (ids[0] if ids else Select.NULL)
                yield Select(options, value=first, allow_blank=not options,
                             prompt="no active project", id="request-project", compact=True)
                yield Label("Title", classes="form-label")
                yield Input(placeholder="what is asked, in a few words", id="request-title", compact=True)
                yield Label("Description", classes="form-label")
                yield Input(placeholder="details (optional)", id="request-description", compact=True)
                yield Label("Requested by", classes="form-label")
                yield Input(placeholder="who asked (optional)", id="request-by", compact=True)
                yield Label("Received on", classes="form-label")
                yield Input(value=self.today.to_date_string(), placeholder="YYYY-MM-DD", id="request-received", compact=True)
            yield Label("", id="request-error", classes="form-error")
            yield Label("enter or ctrl+s saves · tab next field · esc cancels", classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#request-title", Input).focus()

    @on(Select.Changed, "#request-client")
    def _client_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.value == self.client_id:
            return
        self.client_id = event.value
        options = self._project_options(self.client_id)
        project = self.query_one("#request-project", Select)
        project.set_options(options)
        if options:
            project.value = options[0][1]

    def read(self) -> ChangeInput:
        """A ChangeInput, or InputError naming the first bad field."""
        project = self.query_one("#request-project", Select).value
        if self.client_id is None:
            raise InputError("client: choose a client")
        if project is Select.NULL or project is None:
            raise InputError("project: this client has no active project to change")
        title = self.query_one("#request-title", Input).value.strip()
        if not title:
            raise InputError("title: a change request needs a title")
        received_text = self.query_one("#request-received", Input).value.strip()
        received = parse_date(received_text, "received on") if received_text else self.today
        return ChangeInput(
            project_id=int(project),
            title=title,
            description=self.query_one("#request-description", Input).value.strip(),
            requested_by=self.query_one("#request-by", Input).value.strip(),
            received_on=received,
        )



STATUS_STYLE = {
    "new": "bold #5fafd7",
    "assessing": "bold #d4a017",
    "approved": "bold #3c9a5f",
    "rejected": "#b03a2e",
    "done": "dim",
}


def decision_words(change: ChangeView, today: pendulum.Date) -> str:
    """'approved on Fri 20 Nov', 'rejected on ...'; a done request was approved on that day."""
    verb = "approved" if change.status == "done" else change.status
    words = f"{verb} on {short_date(change.decided_on, today)}"
    return words + ", delivered (done)" if change.status == "done" else words


def change_detail_renderable(change: ChangeView, log: list[InteractionView], rate: float | None,
                             today: pendulum.Date) -> Table:
    """Every field of a request and the log entries linked to it; user text stays literal."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", justify="right", no_wrap=True)
    grid.add_column()
    grid.add_row("Request", Text(change.title, style="bold"))
    grid.add_row("Client", Text(f"{change.client} / {change.project}"))
    grid.add_row("Status", Text(change.status, style=STATUS_STYLE.get(change.status, "")))
    received = Text(short_date(change.received_on, today))
    received.append(f"  {change.age_days}d ago", style="dim")
    grid.add_row("Received", received)
    grid.add_row("Requested by", Text(change.requested_by or "—"))
    grid.add_row("Description", Text(change.description or "—"))
    if change.assessed:
        impact = Text(f"{hours(change.impact_hours)} · +{change.impact_days or 0}d · cost {money(change.impact_cost)}")
        if change.cost_overridden:
            impact.append("  set by hand", style="italic dim")
        elif rate is not None:
            impact.append(f"  ({hours(change.impact_hours)} × {number(rate)})", style="dim")
        grid.add_row("Impact", impact)
    else:
        grid.add_row("Impact", Text("not assessed yet: e assesses it", style="italic #d4a017"))
    if change.decided_on is not None:
        decision = Text(decision_words(change, today))
        if change.decision_note:
            decision.append(": ")
            decision.append(change.decision_note)
        grid.add_row("Decision", decision)
    grid.add_row("", "")
    if log:
        entries = Table.grid(padding=(0, 1))
        entries.add_column(no_wrap=True, style="dim")
        entries.add_column(no_wrap=True)
        entries.add_column()
        for entry in log:
            entries.add_row(short_date(entry.on, today), Text(entry.kind, style="bold"), Text(entry.summary))
        grid.add_row("Log", entries)
    else:
        grid.add_row("Log", Text("no log entry linked yet", style="dim"))
    return grid


class ChangeDetailModal(ModalScreen[str | None]):
    """One request in full; returns the action key the user pressed there, if any."""

    CSS_PATH = "../styles/changes.tcss"
    BINDINGS = [
        Binding("escape,enter,q", "dismiss(None)", "Close", id="detail-close"),
        Binding("e", "dismiss('assess')", "Assess", id="detail-assess"),
        Binding("y", "dismiss('approve')", "Approve", id="detail-approve"),
        Binding("n", "dismiss('reject')", "Reject", id="detail-reject"),
    ]

    def __init__(self, change: ChangeView, log: list[InteractionView], rate: float | None, today: pendulum.Date) -> None:
        super().__init__()
        self.change = change
        self.entries = log
        self.rate = rate
        self.today = today

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="change-detail"):
            yield Static(change_detail_renderable(self.change, self.entries, self.rate, self.today))
            yield Label(Text("e assess · y approve · n reject · esc close", style="dim"), classes="form-hint")
