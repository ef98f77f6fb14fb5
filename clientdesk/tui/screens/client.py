"""Client detail: everything about one client on one screen, pushed over any view.

Profile and communication preferences (with the next check-in), the
interaction and decision log (newest first; `k` kind, `p` period), risks,
milestones and feedback with its trend. `l` then one letter logs an entry,
`f` adds feedback, `E` edits the profile, `z` pauses, `Z` archives and `R`
restores the client, `b` opens the board, `r` writes this week's report;
escape goes back. `s` switches the table between the
log, projects, milestones, risks and feedback, where `a` adds, `e` edits,
`x` closes (or marks done) and `delete` deletes the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum
from rich.color import Color, ColorParseError
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, Static

from clientdesk import clock
from clientdesk.domain.burn import Forecast, ProjectBurn, month_forecast, project_burn
from clientdesk.domain.money import format_rate
from clientdesk.domain.clients import (
    INTERACTION_KINDS,
    ClientProfile,
    FeedbackView,
    InteractionView,
    MilestoneView,
    RiskView,
    client_profile,
    feedback,
    interactions,
    milestones,
    risks,
)
from clientdesk.domain.errors import ClientdeskError
from clientdesk.domain.parse import iso_week_label
from clientdesk.domain.status import ClientStatus, client_statuses
from clientdesk.tui.base import DeskScreen
from clientdesk.tui.keys import CLIENT_STATUS_BINDINGS
from clientdesk.tui.modals.client_form import LogKindPicker
from clientdesk.tui.text import health_badge, hours, literal, short_date, sparkline
from clientdesk.tui.widgets.key_bar import KeyBar
from clientdesk.tui.widgets.keyed_table import KeyedTable
from clientdesk.tui.widgets.view_header import ViewHeader

KIND_FILTERS = ("all", *INTERACTION_KINDS)
SECTIONS = ("log", "projects", "milestones", "risks", "feedback")
PERIODS = ("all", "this week", "this month", "90 days")
KIND_STYLE = {"decision": "bold #d4a017", "call": "#5fafd7", "meeting": "#b07aa1", "check-in": "#3c9a5f",
              "email": "", "note": "dim"}
LATE = "bold #b03a2e"


@dataclass
class ClientData:
    profile: ClientProfile
    status: ClientStatus | None
    log: list[InteractionView]
    risks: list[RiskView] = field(default_factory=list)
    milestones: list[MilestoneView] = field(default_factory=list)
    feedback: list[FeedbackView] = field(default_factory=list)
    forecast: Forecast | None = None
    projects: list[ProjectBurn] = field(default_factory=list)


def period_start(period: str, today: pendulum.Date) -> pendulum.Date | None:
    """The first day a period filter keeps (None: everything)."""
    if period == "this week":
        return today.start_of("week")
    if period == "this month":
        return today.start_of("month")
    if period == "90 days":
        return today.subtract(days=90)
    return None




class ClientScreen(DeskScreen):
    """One client, every fact about them; the log is the table you act on."""

    VIEW_TITLE = "Client"
    CSS_PATH = "../styles/client.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back", id="client-back", tooltip="Back to the view below"),
        Binding("s", "section", "List", id="client-section",
                tooltip="The table shows: log / projects / milestones / risks / feedback"),
        Binding("a", "add", "Add", id="client-add", tooltip="Add to the list shown (a log entry, project, milestone ...)"),
        Binding("e", "edit", "Edit", id="client-edit", tooltip="Edit the row"),
        Binding("delete", "delete", "Delete", id="client-delete", tooltip="Delete the row, after a one-key confirmation"),
        Binding("x", "close_row", "Close", id="client-close",
                tooltip="Close or reopen a project or a risk; mark a milestone done (or not)"),
        Binding("P", "new_project", "New project", id="new-project", tooltip="A project for this client, from a template or not"),
        *CLIENT_STATUS_BINDINGS,
        Binding("l", "log_entry", "Log", id="log-entry", tooltip="Log an entry: then c call, e email, m meeting, ..."),
        Binding("k", "cycle_kind", "Kind", id="log-kind", tooltip="Filter the log by kind"),
        Binding("p", "cycle_period", "Period", id="log-period", tooltip="This week / this month / 90 days / all"),
        Binding("f", "add_feedback", "Feedback", id="add-feedback", tooltip="Add a feedback score and comment"),
        Binding("E", "edit_profile", "Profile", id="edit-client", tooltip="Edit the client's profile (status: pause, archive, restore)"),
        Binding("b", "board", "Board", id="client-board", tooltip="This client's board"),
        Binding("r", "report", "Report", id="client-report", tooltip="Write this week's report (Markdown or HTML)"),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.data: ClientData | None = None
        self.kind_filter = "all"
        self.period = "all"
        self.section = "log"

    def compose(self) -> ComposeResult:
        yield ViewHeader("Client", id="view-header")
        with Horizontal(id="client-top"):
            yield Static("", id="client-profile", classes="client-panel")
            yield Static("", id="client-contact", classes="client-panel")
        with Vertical(id="client-log-panel"):
            yield Label("", id="client-log-title")
            yield KeyedTable(id="client-log")
        with Horizontal(id="client-bottom"):
            yield Static("", id="client-risks", classes="client-panel")
            yield Static("", id="client-milestones", classes="client-panel")
            yield Static("", id="client-feedback", classes="client-panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#client-profile").border_title = "Profile"
        self.query_one("#client-contact").border_title = "Communication"
        self.query_one("#client-risks").border_title = "Risks"
        self.query_one("#client-milestones").border_title = "Milestones"
        self.query_one("#client-feedback").border_title = "Feedback"
        self.query_one("#client-log", KeyedTable).focus()

    # -- data -----------------------------------------------------------------
    def load(self) -> ClientData:
        today = clock.today()
        kinds = None if self.kind_filter == "all" else (self.kind_filter,)
        statuses = client_statuses(today, client_ids=[self.client_id])
        return ClientData(
            profile=client_profile(self.client_id),
            status=statuses[0] if statuses else None,
            log=interactions(self.client_id, kinds=kinds, since=period_start(self.period, today)),
            risks=risks(self.client_id),
            milestones=milestones(self.client_id),
            feedback=feedback(self.client_id),
            forecast=month_forecast(self.client_id, today),
            projects=project_burn(self.client_id),
        )

    def show(self, payload: ClientData) -> None:
        self.data = payload
        self.query_one("#view-header", ViewHeader).set_context(payload.profile.name)
        self.render_all()
        self.refresh_bindings()  # the status keys follow the client's status

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that apply are shown: no Pause on a paused client, the log's filters on the log,
        x on a list it closes."""
        if action == "client_status":
            return self.data is None or parameters[0] != self.data.profile.status
        if action in ("cycle_kind", "cycle_period"):
            return self.section == "log"
        if action == "close_row":
            return self.section not in ("log", "feedback")
        return True

    def render_all(self) -> None:
        if self.data is None:
            return
        self.query_one("#client-profile", Static).update(self._profile())
        self.query_one("#client-contact", Static).update(self._contact())
        self.render_log()
        self._size_bottom()
        self.query_one("#client-risks", Static).update(self._risks())
        self.query_one("#client-milestones", Static).update(self._milestones())
        self.query_one("#client-feedback", Static).update(self._feedback())

    def on_resize(self) -> None:
        if self.loaded:
            self.render_all()

    def _size_bottom(self) -> None:
        """Risks, milestones and feedback take the lines they need, up to a limit."""
        d = self.data
        risk_lines = sum(2 if r.mitigation and r.status == "open" else 1 for r in d.risks)
        fb_lines = 1 + min(4, len(d.feedback))
        need = max(1, risk_lines, len(d.milestones), fb_lines) + 2
        limit = 6 if self.size.height < 34 else 10
        self.query_one("#client-bottom").styles.height = max(4, min(limit, need))

    def _profile(self) -> Table:
        p = self.data.profile
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=3, overflow="ellipsis", no_wrap=True)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=2, overflow="ellipsis", no_wrap=True)
        name = literal(p.name, "bold")
        if p.colour:
            try:
                name = Text.assemble(("■ ", Style(color=Color.parse(p.colour))), name)
            except ColorParseError:  # a colour Rich cannot read is simply not shown
                pass
        if p.status != "active":
            name.append(f"  ({p.status})", style="italic #d4a017")
        budget = f"{hours(p.budget_hours_month)} / month" if p.budget_hours_month is not None else "—"
        target = f"{hours(p.weekly_target_hours)} / week" if p.weekly_target_hours is not None else "—"
        if (self.size.width or 120) < 110:  # two columns: the same facts, paired
            narrow = Table.grid(padding=(0, 1), expand=True)
            narrow.add_column(style="dim", no_wrap=True)
            narrow.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
            narrow.add_row("Client", name)
            narrow.add_row("Contact", literal(p.contact or "—"))
            narrow.add_row("Rate", Text(f"{format_rate(p.hourly_rate, p.currency, p.language)} · {budget} · {target}"))
            narrow.add_row("Channel", Text(f"{p.channel} every {p.checkin_every_days}d · weight {p.weight:g}"))
            narrow.add_row("Zone", literal(f"{p.timezone} · {p.language}"))
            narrow.add_row("Notes", literal(p.notes or "—"))
            return narrow
        grid.add_row("Client", name, "Rate", Text(format_rate(p.hourly_rate, p.currency, p.language)))
        grid.add_row("Contact", literal(p.contact or "—"), "Budget", Text(budget))
        grid.add_row("Channel", Text(p.channel), "Target", Text(target))
        grid.add_row("Check-in", Text(f"every {p.checkin_every_days} days"), "Weight", Text(f"{p.weight:g}"))
        grid.add_row("Language", literal(p.language), "Zone", literal(p.timezone))
        grid.add_row("Notes", literal(p.notes or "—"), "", "")
        return grid

    def _contact(self) -> Table:
        p, s = self.data.profile, self.data.status
        today = clock.today()
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(ratio=1)  # rows cut themselves (no_wrap); the health reasons wrap
        prefers = Text.assemble((p.channel, "bold"), f", every {p.checkin_every_days} days, in ")
        prefers.append(p.language or "—")
        grid.add_row("Prefers", prefers)
        prefers.no_wrap, prefers.overflow = True, "ellipsis"
        if s is None:
            grid.add_row("Check-in", Text("—", style="dim"))
            return grid
        last = Text(short_date(s.last_contact, today) if s.last_contact else "never", style="" if s.last_contact else "dim")
        if s.last_contact:
            last.append(f"  {(today - s.last_contact).days}d ago", style="dim")
        grid.add_row("Last contact", last)
        nxt = Text(short_date(s.next_checkin, today))
        if s.checkin_late:
            nxt = Text(f"{short_date(s.next_checkin, today)}  late {(today - s.next_checkin).days}d", style=LATE)
        elif s.next_checkin == today:
            nxt.append("  today", style="bold #d4a017")
        else:
            nxt.append(f"  in {(s.next_checkin - today).days}d", style="dim")
        grid.add_row("Next check-in", nxt)
        health = Text.assemble(health_badge(s.health), " ")
        health.append("; ".join(s.reasons), style="" if s.health != "green" else "dim")
        if (self.size.width or 120) < 110:  # narrow: one line, like every other row
            health.no_wrap, health.overflow = True, "ellipsis"
        grid.add_row("Health", health)
        work = Text(f"{s.open} open", style="")
        work.append(f" · {s.overdue} overdue", style=LATE if s.overdue else "dim")
        work.append(f" · {s.open_changes} change request{'s' if s.open_changes != 1 else ''} open", style="dim")
        grid.add_row("Work", work)
        week = Text(f"{hours(s.planned_hours_week)} planned")
        if s.weekly_target_hours:
            week.append(f" of {hours(s.weekly_target_hours)}", style="dim")
        week.append(f" · {hours(s.logged_hours_month)} logged this month", style="dim")
        if s.burn is not None:
            week.append(f" ({s.burn:.0%})", style=LATE if s.burn > 1 else ("bold #d4a017" if s.burn > 0.8 else "dim"))
        grid.add_row("Hours", week)
        extra = [week]
        if self.data.forecast is not None:
            fc = self.data.forecast
            line = Text(fc.sentence, style=LATE if fc.over_since or fc.over_on else "dim")
            line.append(f"  ({fc.rate_per_day:.1f}h a day, {fc.logged_hours:.1f}h of {fc.budget_hours:g}h)", style="dim")
            grid.add_row("Forecast", line)
            extra.append(line)
        if self.data.projects:
            line = Text()
            for i, pb in enumerate(self.data.projects):
                if i:
                    line.append(" · ", style="dim")
                line.append(pb.name)
                line.append(f" {hours(pb.logged_minutes / 60)}", style="bold")
                if pb.budget_hours:
                    line.append(f"/{hours(pb.budget_hours)}", style=LATE if (pb.share or 0) > 1 else "dim")
            grid.add_row("Projects", line)
            extra.append(line)
        for text in (prefers, last, nxt, work, *extra):
            text.no_wrap, text.overflow = True, "ellipsis"
        return grid

    def render_log(self) -> None:
        if self.section != "log":
            self.render_section()
            return
        table = self.query_one("#client-log", KeyedTable)
        today = clock.today()
        width = self.size.width or 120
        columns: list[tuple[str, int | None]] = [("Date", 10), ("Kind", 8)]
        if width >= 110:
            columns.append(("Change request", 24))
        used = sum(w + 2 for _, w in columns) + 4
        columns.insert(2, ("Summary", max(16, width - used)))
        names = [n for n, _ in columns]
        rows = []
        for entry in self.data.log:
            cells = {
                "Date": Text(short_date(entry.on, today), style="dim" if entry.on < today.subtract(days=30) else ""),
                "Kind": Text(entry.kind, style=KIND_STYLE.get(entry.kind, "")),
                "Summary": literal(entry.summary),
                "Change request": literal(entry.change_request or "", "dim"),
            }
            rows.append((entry.id, [cells[n] for n in names]))
        table.set_rows(columns, rows)
        if rows:
            title = Text.assemble(("Log ", "bold"), (f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}, newest first", "dim"),
                                  (f"   kind: {self.kind_filter}", "italic"), (f"   period: {self.period}", "italic"))
        elif self.kind_filter != "all" or self.period != "all":
            title = Text.assemble(("Log ", "bold"), ("nothing in this kind or period: k and p widen it", "dim"))
        else:
            title = Text.assemble(("Log ", "bold"), ("empty: l then c logs a call (e email, m meeting, i check-in, "
                                                     "n note, d decision), on any date", "dim"))
        self.query_one("#client-log-title", Label).update(title.append_text(self._section_tabs()))

    def _section_tabs(self) -> Text:
        tabs = Text("   s: ", style="dim")
        for i, name in enumerate(SECTIONS):
            if i:
                tabs.append(" · ", style="dim")
            tabs.append(name, style="bold reverse" if name == self.section else "dim")
        return tabs

    def render_section(self) -> None:
        """Projects, milestones, risks or feedback in the table, to add, edit, close and delete."""
        table = self.query_one("#client-log", KeyedTable)
        today = clock.today()
        width = self.size.width or 120
        d = self.data
        rows: list[tuple[int, list]] = []
        if self.section == "projects":
            fixed = [("Status", 9), ("Deadline", 10), ("Budget", 8)]
            columns = [("Project", max(16, width - sum(w + 2 for _, w in fixed) - 6)), *fixed]
            for p in d.profile.projects:
                rows.append((p.id, [literal(p.name, "bold" if p.status == "active" else "dim"), Text(p.status),
                                    Text(short_date(p.deadline, today) if p.deadline else "—"),
                                    Text(hours(p.budget_hours) if p.budget_hours is not None else "—")]))
            empty = "no project yet: a (or P) adds one, optionally from a template"
            what = f"{len(rows)} project{'s' if len(rows) != 1 else ''}   x closes or reopens"
        elif self.section == "milestones":
            fixed = [("Due", 10), ("Project", 18), ("Done", 10)]
            columns = [fixed[0], ("Milestone", max(16, width - sum(w + 2 for _, w in fixed) - 6)), *fixed[1:]]
            for m in d.milestones:
                late = m.done_on is None and m.due is not None and m.due < today
                rows.append((m.id, [Text(short_date(m.due, today) if m.due else "—", style=LATE if late else ""),
                                    literal(m.name, "dim" if m.done_on else ""), literal(m.project, "dim"),
                                    Text(short_date(m.done_on, today) if m.done_on else "", style="#3c9a5f")]))
            empty = "no milestone yet: a adds one"
            what = f"{len(rows)} milestone{'s' if len(rows) != 1 else ''}, by due date   x marks done"
        elif self.section == "risks":
            fixed = [("Score", 8), ("Project", 18), ("Status", 7)]
            columns = [fixed[0], ("Risk", max(16, width - sum(w + 2 for _, w in fixed) - 6)), *fixed[1:]]
            for r in d.risks:
                style = "bold #b03a2e" if r.exposure >= 15 else ("bold #d4a017" if r.exposure >= 8 else "")
                rows.append((r.id, [Text(f"{r.likelihood}×{r.impact}={r.exposure:>2}", style=style if r.status == "open" else "dim"),
                                    literal(r.title, "" if r.status == "open" else "dim"), literal(r.project, "dim"),
                                    Text(r.status, style="" if r.status == "open" else "dim")]))
            empty = "no risk recorded: a adds one (likelihood × impact, worst first)"
            what = f"{len(rows)} risk{'s' if len(rows) != 1 else ''}, worst first   x closes or reopens"
        else:
            columns = [("Date", 10), ("Score", 5), ("Comment", max(16, width - 27))]
            for f in reversed(d.feedback):
                rows.append((f.id, [Text(short_date(f.on, today), style="dim"), Text(f"{f.score}/5", style="bold"),
                                    literal(f.comment or "—")]))
            empty = "no feedback yet: a (or f) adds a score and a comment"
            what = f"{len(rows)} score{'s' if len(rows) != 1 else ''}, newest first"
        table.set_rows(columns, rows)
        title = Text.assemble((self.section.capitalize() + " ", "bold"), (what if rows else empty, "dim"))
        self.query_one("#client-log-title", Label).update(title.append_text(self._section_tabs()))

    def _risks(self) -> Table | Text:
        if not self.data.risks:
            return Text("no risk recorded", style="dim")
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        for r in self.data.risks:
            exposure = r.exposure
            style = "bold #b03a2e" if exposure >= 15 else ("bold #d4a017" if exposure >= 8 else "")
            if r.status != "open":
                style = "dim"
            head = Text(f"{r.likelihood}×{r.impact}={exposure:>2}", style=style)
            what = literal(r.title, "" if r.status == "open" else "dim")
            if r.status != "open":
                what.append(f" ({r.status})", style="dim")
            grid.add_row(head, what)
            if r.mitigation and r.status == "open":
                grid.add_row("", Text.assemble(("→ ", "dim"), (r.mitigation, "dim")))
        return grid

    def _milestones(self) -> Table | Text:
        if not self.data.milestones:
            return Text("no milestone", style="dim")
        today = clock.today()
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        for m in self.data.milestones:
            if m.done_on:
                mark, style = Text("✔", style="#3c9a5f"), "dim"
            elif m.due and m.due < today:
                mark, style = Text("!", style=LATE), LATE
            else:
                mark, style = Text("·", style="dim"), ""
            due = Text(short_date(m.due, today) if m.due else "—", style=style)
            what = literal(m.name)
            what.append(f"  {m.project}", style="dim")
            grid.add_row(mark, due, what)
        return grid

    def _feedback(self) -> Table | Text:
        fb = self.data.feedback
        if not fb:
            return Text("no feedback yet: f adds a score and a comment", style="dim")
        today = clock.today()
        scores = [f.score for f in fb]
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        trend = Text.assemble((sparkline(scores, lo=1, hi=5), "#5fafd7"))
        trend.append(f"  avg {sum(scores) / len(scores):.1f}/5 over {len(scores)}", style="dim")
        if len(scores) >= 2 and scores[-1] < scores[-2]:
            trend.append("  dropped ↓", style="bold #d4a017")
        grid.add_row(Text("trend", style="dim"), trend)
        for f in reversed(fb[-4:]):
            line = Text.assemble((f"{f.score}/5 ", "bold"), (f.comment or "—", "" if f.comment else "dim"))
            grid.add_row(Text(short_date(f.on, today), style="dim"), line)
        return grid

    # -- actions --------------------------------------------------------------
    def _say(self, message: str, *, severity: str = "information", title: str = "") -> None:
        """User text in a notification is shown as typed, never as markup."""
        self.notify(message, title=title, severity=severity, markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_log_entry(self) -> None:
        from clientdesk.tui import flows

        def chosen(kind: str | None) -> None:
            if kind is not None:
                flows.new_log_entry(self.app, self.client_id, kind)

        self.app.push_screen(LogKindPicker(), chosen)

    def action_client_status(self, status: str) -> None:
        """z pause, Z archive, R restore: one action each, that u takes back."""
        from clientdesk.tui import flows

        flows.set_client_status(self.app, self.client_id, status)

    def action_section(self) -> None:
        self.section = SECTIONS[(SECTIONS.index(self.section) + 1) % len(SECTIONS)]
        self.refresh_bindings()
        table = self.query_one("#client-log", KeyedTable)
        table.set_rows([], [])  # new columns: the table starts again from its first row
        self.render_log()
        table.focus()

    def _row(self) -> int | None:
        return self.query_one("#client-log", KeyedTable).current_key

    def context_client(self) -> int:
        return self.client_id

    def context_project(self) -> tuple[int, str] | None:
        """The project of the highlighted row (a project, milestone or risk), for the palette's commands."""
        key, d = self._row(), self.data
        if key is None or d is None:
            return None
        names = {p.id: p.name for p in d.profile.projects}
        if self.section == "projects" and key in names:
            return key, names[key]
        rows = d.milestones if self.section == "milestones" else d.risks if self.section == "risks" else []
        row = next((r for r in rows if r.id == key), None)
        return (row.project_id, names.get(row.project_id, row.project)) if row is not None else None

    def action_add(self) -> None:
        from clientdesk.tui import flows

        project = self.context_project()
        if self.section == "log":
            self.action_log_entry()
        elif self.section == "projects":
            flows.new_project(self.app, self.client_id)
        elif self.section == "milestones":
            flows.new_milestone(self.app, self.client_id, project[0] if project else None)
        elif self.section == "risks":
            flows.new_risk(self.app, self.client_id, project[0] if project else None)
        else:
            flows.new_feedback(self.app, self.client_id)

    def action_new_project(self) -> None:
        from clientdesk.tui import flows

        flows.new_project(self.app, self.client_id)

    def action_edit(self) -> None:
        from clientdesk.tui import flows

        key = self._row()
        if key is None or self.data is None:
            self._say(f"nothing to edit here: a adds to the {self.section}", severity="warning")
            return
        if self.section == "log":
            flows.edit_log_entry(self.app, key)
        elif self.section == "projects":
            flows.edit_project(self.app, key)
        elif self.section == "milestones":
            flows.edit_milestone(self.app, self.client_id, key)
        elif self.section == "risks":
            flows.edit_risk(self.app, self.client_id, key)
        else:
            f = next((f for f in self.data.feedback if f.id == key), None)
            if f is not None:
                flows.edit_feedback(self.app, key, {"score": f.score, "comment": f.comment, "on": f.on})

    def action_delete(self) -> None:
        from clientdesk.domain import clients, projects
        from clientdesk.tui import flows

        key = self._row()
        if key is None or self.data is None:
            return
        d = self.data
        if self.section == "projects":
            flows.delete_project(self.app, key)
            return
        if self.section == "log":
            e = next((e for e in d.log if e.id == key), None)
            question, detail, fn = f"Delete this {e.kind} of {e.on.to_date_string()}?", e.summary, clients.delete_interaction
        elif self.section == "milestones":
            m = next(m for m in d.milestones if m.id == key)
            question, detail, fn = f"Delete milestone '{m.name}'?", m.project, projects.delete_milestone
        elif self.section == "risks":
            r = next(r for r in d.risks if r.id == key)
            question, detail, fn = f"Delete risk '{r.title}'?", f"{r.project} · score {r.exposure}", projects.delete_risk
        else:
            f = next(f for f in d.feedback if f.id == key)
            question, detail, fn = f"Delete the feedback of {f.on.to_date_string()}?", f"{f.score}/5 {f.comment}", clients.delete_feedback
        flows.confirm_flow(self.app, question, detail, lambda: fn(key), "deleted · u undoes")

    def action_close_row(self) -> None:
        from clientdesk.domain import projects
        from clientdesk.tui import flows

        key = self._row()
        if key is None or self.data is None or self.section in ("log", "feedback"):
            self._say("x closes a project or a risk, or marks a milestone done (s shows them)", severity="warning")
            return
        if self.section == "projects":
            p = next(p for p in self.data.profile.projects if p.id == key)
            flows.toggle_project_closed(self.app, key, p.status)
        elif self.section == "milestones":
            flows.save_then(self.app, lambda: projects.toggle_milestone_done(key),
                            lambda done: f"milestone {'done' if done else 'open again'} · u undoes")
        else:
            flows.save_then(self.app, lambda: projects.toggle_risk_closed(key), lambda status: f"risk {status} · u undoes")

    def client_name(self) -> str:
        return self.data.profile.name if self.data else "this client"

    def action_cycle_kind(self) -> None:
        self.kind_filter = KIND_FILTERS[(KIND_FILTERS.index(self.kind_filter) + 1) % len(KIND_FILTERS)]
        self.reload()

    def action_cycle_period(self) -> None:
        self.period = PERIODS[(PERIODS.index(self.period) + 1) % len(PERIODS)]
        self.reload()

    def action_add_feedback(self) -> None:
        from clientdesk.tui import flows

        flows.new_feedback(self.app, self.client_id)

    def action_edit_profile(self) -> None:
        from clientdesk.tui import flows

        flows.edit_client(self.app, self.client_id)

    def action_board(self) -> None:
        client_id = self.client_id
        app = self.app
        app.pop_screen()
        app.open_board(client_id)

    def action_report(self) -> None:
        """This week's report, as Markdown (to paste into an email) or HTML (to print or attach)."""
        from clientdesk.tui.modals.pickers import PickerModal

        formats = [("md", "Markdown (.md): to paste into an email"), ("html", "HTML (.html): to print or attach")]
        self.app.push_screen(PickerModal(f"Report for {self.client_name()}: which format?", formats,
                                         placeholder="type to filter: md, html"), self._write_report)

    def _write_report(self, fmt: str | None) -> None:
        if fmt is None:
            return
        from clientdesk.exports import slug, write_export
        from clientdesk.formats.report import render_report

        name = self.client_name()
        week = iso_week_label(clock.today())
        try:
            text = render_report(name, None, fmt=fmt)
            path = write_export(f"report-{slug(name, 'client')}-{week}", fmt, text, self.app.settings)
        except ClientdeskError as exc:
            self._say(str(exc), severity="error", title="No report")
            return
        except OSError as exc:
            self._say(f"cannot write the report: {exc.strerror}: {exc.filename}", severity="error", title="No report")
            return
        self._say(f"report for {name}, week {week}, written to {path}", title="Report")

    @on(DataTable.RowSelected, "#client-log")
    def _entry_selected(self, event: DataTable.RowSelected) -> None:
        """enter on a log entry shows it whole (a long summary is cut in the table)."""
        event.stop()
        if self.data is None:
            return
        if self.section != "log":
            self.action_edit()
            return
        key = int(event.row_key.value)
        entry = next((e for e in self.data.log if e.id == key), None)
        if entry is not None:
            extra = f"\nchange request: {entry.change_request}" if entry.change_request else ""
            self._say(f"{entry.summary}{extra}", title=f"{entry.kind} · {short_date(entry.on, clock.today())}")
