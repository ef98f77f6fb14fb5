"""The change-request forms: log a request, assess its impact, read its detail.

Logging and assessing are the generated form on the change request's fields
(`domain/fields.py`: CHANGE, and ASSESSMENT for hours, days and cost), so
their ranges and words are the domain's and the importer's; the assessment
shows its cost as it is typed. The detail is read-only.
"""

from __future__ import annotations

from typing import Callable

import pendulum
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from clientdesk import clock
from clientdesk.domain.changes import ChangeView, change_cost
from clientdesk.domain.clients import InteractionView
from clientdesk.domain.errors import InputError
from clientdesk.domain.fields import ASSESSMENT, CHANGE, with_fields
from clientdesk.tui.text import hours, short_date


def money(value: float | None) -> str:
    """1080 -> '1,080.00'; None -> '—'."""
    return "—" if value is None else f"{value:,.2f}"


def number(value: float) -> str:
    """90.0 -> '90', 87.5 -> '87.5', 1200 -> '1,200'."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def cost_line(hours_text: str, cost_text: str, rate: float | None) -> Text:
    """The live 'cost = 12h × 90 = 1,080.00' line of the assess form (read by the fields' own rules)."""
    try:
        h = ASSESSMENT["impact_hours"].parse(hours_text) if hours_text.strip() else None
    except InputError as exc:
        return Text(str(exc), style="dim")
    if cost_text.strip():
        try:
            cost = ASSESSMENT["impact_cost"].parse(cost_text)
        except InputError as exc:
            return Text(str(exc), style="dim")
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


def assess_flow(app, change: ChangeView, then: Callable[[ChangeView], None] | None = None) -> None:
    """Hours, days and an optional cost set by hand (the assessment's fields), the cost shown as it is typed."""
    from clientdesk.domain.changes import assess_change
    from clientdesk.tui import flows

    values = {"impact_hours": change.impact_hours, "impact_days": change.impact_days or 0,
              "impact_cost": change.impact_cost if change.cost_overridden else None}
    flows.form_flow(app, f"Assess {change.title}", ASSESSMENT.fields, values,
                    lambda v: assess_change(change.id, **v),
                    lambda v: f"assessed '{v.title}': {hours(v.impact_hours)}, +{v.impact_days or 0}d, "
                              f"cost {v.money(v.impact_cost)}; y approves · u undoes",
                    note=f"{change.client} / {change.project}", then=then,
                    live=lambda typed: cost_line(typed["impact_hours"], typed["impact_cost"], change.hourly_rate))


#: the request form: which project, then the request's own fields
REQUEST_FIELDS = ("title", "description", "requested_by", "received_on")


def log_change_flow(app, options: list[tuple[str, int]], project_id: int | None,
                    then: Callable[[ChangeView], None] | None = None) -> None:
    """Log a new request on one of `options` ("Client / Project", project id), received today unless said."""
    from clientdesk.domain.changes import ChangeInput, create_change
    from clientdesk.tui import flows

    ids = [value for _, value in options]
    values = CHANGE.defaults() | {"received_on": clock.today(), "project_id": project_id if project_id in ids else ids[0]}
    flows.form_flow(app, "New change request", flows.with_project(with_fields(CHANGE, REQUEST_FIELDS).fields),
                    {k: values[k] for k in ("project_id", *REQUEST_FIELDS)},
                    lambda v: create_change(ChangeInput(**v)), lambda v: f"logged '{v.title}' for {v.client}; e assesses it",
                    options={"project_id": options}, then=then)


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
