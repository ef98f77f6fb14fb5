"""Changes (4): the change-request queue, priced in hours, days and money before anyone says yes.

Every request across clients, open ones first, oldest first; `f` cycles the
status filter and `/` filters by text. `a` logs a request, `e` assesses it,
`y` approves at once (saying what changed; `u` undoes), `n` rejects with a
reason, `d` marks an approved one done. `v` marks rows for `y`/`n`/`d`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label, Static

from clientdesk import clock
from clientdesk.db import DATABASE_ERRORS, read_session
from clientdesk.domain.changes import (
    OPEN_CHANGE_STATUSES,
    ChangeView,
    approve_change,
    change_queue,
    complete_change,
    get_change,
    reject_change,
)
from clientdesk.domain.clients import ClientRef, InteractionView, ProjectRef, interactions, list_clients, list_projects
from clientdesk.domain.errors import ClientdeskError, InputError
from clientdesk.domain.status import CHANGE_WAIT_DAYS, WAITING_CHANGE_STATUSES
from clientdesk.tui.base import FilteredDeskScreen
from clientdesk.tui.modals.change_forms import STATUS_STYLE, ChangeDetailModal, assess_flow, decision_words, log_change_flow
from clientdesk.tui.modals.prompt import PromptModal
from clientdesk.tui.screens.overview import rest_width
from clientdesk.tui.text import hours, literal, short_date
from clientdesk.tui.widgets.key_bar import KeyBar
from clientdesk.tui.widgets.keyed_table import KeyedTable
from clientdesk.tui.widgets.view_header import ViewHeader
from clientdesk.tui.writer import Batch, each, refusal_text

#: what `f` cycles through; "open" is new, assessing and approved
STATUS_FILTERS = ("open", "all", "new", "assessing", "approved", "rejected", "done")
WAIT_STYLE = "bold #d4a017"


@dataclass
class ChangesData:
    changes: list[ChangeView] = field(default_factory=list)


def waiting_too_long(change: ChangeView) -> bool:
    """DESIGN: a request waiting (new or assessing) more than 3 days turns its client amber."""
    return change.status in WAITING_CHANGE_STATUSES and change.age_days > CHANGE_WAIT_DAYS


def require_reason(text: str) -> str:
    """The rejection prompt's parser: an empty reason is refused inline."""
    if not text.strip():
        raise InputError("a rejection needs a reason: it goes to the client's log")
    return text.strip()


def quoted(views: list[ChangeView]) -> str:
    return ", ".join(f"'{v.title}'" for v in views)


class ChangesScreen(FilteredDeskScreen):
    """The queue across clients; decisions are single keys, each one undoable."""

    VIEW_TITLE = "Changes"
    FILTER_HOME = "#changes"
    FILTER_PLACEHOLDER = "filter by title, client, project, who asked (esc clears)"
    CSS_PATH = "../styles/changes.tcss"

    BINDINGS = [
        # priority: above the table's own enter, so that it shows in the footer and the `?` screen
        Binding("enter", "open", "Detail", id="open", tooltip="The request in full, with its log entries", priority=True),
        Binding("a", "add", "Add", id="add", tooltip="Log a new change request"),
        Binding("e", "assess", "Assess", id="assess", tooltip="Impact in hours and days; cost from the rate"),
        Binding("y", "approve", "Approve", id="approve", tooltip="Approve at once: budget, deadline, task, log (u undoes)"),
        Binding("n", "reject", "Reject", id="reject", tooltip="Reject with a reason, logged for the client"),
        Binding("d", "complete", "Done", id="change-done", tooltip="Mark an approved request done"),
        Binding("f", "cycle_status", "Status", id="status-filter", tooltip="Cycle open / all / new / ... / done"),
        Binding("slash", "filter", "Filter", id="filter", tooltip="Filter by text"),
        Binding("v", "mark", "Mark", id="mark", tooltip="Mark and move down (y / n / d act on all marked)"),
        Binding("i", "client_detail", "Client", id="client-detail", tooltip="The requesting client's detail"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data = ChangesData()
        self.status_filter = "open"
        self.client_id: int | None = None
        self._visible: dict[int, ChangeView] = {}
        self._focus_key: int | None = None
        self._drawn_width = 0  # the width the queue was laid out for
        # each request's cells, kept while the request (a frozen view), the day and the width class are the
        # same: a reload then rebuilds only the rows that changed, and the table sees the very same cells
        self._row_cache: dict[ChangeView, dict[str, Text]] = {}
        self._row_cache_for: tuple = ()

    def compose(self) -> ComposeResult:
        yield ViewHeader("Changes", id="view-header")
        yield Label("", id="changes-title")
        yield KeyedTable(id="changes", markable=True)
        yield Static("", id="change-preview")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#changes", KeyedTable).focus()

    def set_client(self, client_id: int) -> None:
        """The queue stays across clients; the client only preselects the add form."""
        self.client_id = client_id

    # -- data -----------------------------------------------------------------
    def load(self) -> ChangesData:
        # list_changes read as plain rows, each view with its client's hourly rate (no read per client);
        # the clients and projects the add form offers are read when it opens (`a`), not after every decision
        return ChangesData(change_queue())

    def show(self, payload: ChangesData) -> None:
        self.data = payload
        self.render_queue()

    def _matches(self, c: ChangeView) -> bool:
        if self.status_filter == "open":
            if c.status not in OPEN_CHANGE_STATUSES:
                return False
        elif self.status_filter != "all" and c.status != self.status_filter:
            return False
        if self.filter_text:
            needle = self.filter_text.casefold()
            haystack = " ".join((c.title, c.client, c.project, c.requested_by, c.description)).casefold()
            if needle not in haystack:
                return False
        return True

    def _columns(self, width: int) -> list[tuple[str, int | None]]:
        if width >= 150:
            columns = [("Status", 9), ("Age", 4), ("Received", 10), ("Client", 18), ("Project", 16),
                       ("Hours", 6), ("Days", 4), ("Cost", 11), ("Requested by", 16)]
        elif width >= 110:
            grow = max(0, min(6, (width - 120) // 3))  # wider screens: names before the title gets all of it
            columns = [("Status", 9), ("Age", 4), ("Client", 16 + grow), ("Project", 14 + grow), ("Hours", 6), ("Days", 4),
                       ("Cost", 11)]
        else:  # 80 columns: what a decision needs
            columns = [("Status", 9), ("Age", 4), ("Client", 12), ("Hours", 5), ("Cost", 9)]
        at = next(i for i, (name, _) in enumerate(columns) if name == "Hours")
        columns.insert(at, ("Title", rest_width(width - 3, columns)))
        return columns

    def _cells(self, c: ChangeView, wide: bool, today) -> dict[str, Text]:
        """All of a row's cells, built once per row (the columns pick from them)."""
        age = Text(f"{c.age_days}d", justify="right", style="dim" if c.status not in WAITING_CHANGE_STATUSES else "")
        if waiting_too_long(c):
            age = Text(f"{c.age_days}d!", justify="right", style=WAIT_STYLE)
        if c.assessed:
            hours_cell = Text(hours(c.impact_hours), justify="right")
            days_cell = Text(f"+{c.impact_days or 0}d", justify="right", style="" if c.impact_days else "dim")
        else:
            hours_cell = Text("?" if c.status in WAITING_CHANGE_STATUSES else "—", justify="right", style="dim")
            days_cell = Text("—", justify="right", style="dim")
        cost = Text(c.money(c.impact_cost) if c.impact_cost is not None else "—", justify="right",
                    style="" if c.impact_cost is not None else "dim")
        if wide and c.cost_overridden:
            cost.append("*", style="dim")
        return {
            "Status": Text(c.status, style=STATUS_STYLE.get(c.status, "")),
            "Age": age,
            "Received": Text(short_date(c.received_on, today), style="dim"),
            "Client": literal(c.client, "bold"),
            "Project": literal(c.project, "dim"),
            "Title": literal(c.title),
            "Hours": hours_cell,
            "Days": days_cell,
            "Cost": cost,
            "Requested by": literal(c.requested_by, "dim"),
        }

    def render_queue(self) -> None:
        table = self.query_one("#changes", KeyedTable)
        width = self._drawn_width = self.size.width or 120
        wide = width >= 110
        columns = self._columns(width)
        names = [name for name, _ in columns]
        visible = [c for c in self.data.changes if self._matches(c)]
        self._visible = {c.id: c for c in visible}
        before_key, before_row = table.current_key, table.cursor_row
        today = clock.today()
        if self._row_cache_for != (today, wide):
            self._row_cache, self._row_cache_for = {}, (today, wide)
        cache, rows = {}, []
        for c in visible:
            cells = self._row_cache.get(c)
            if cells is None:
                cells = self._cells(c, wide, today)
            cache[c] = cells
            rows.append((c.id, [cells[n] for n in names]))
        self._row_cache = cache
        table.set_rows(columns, rows)
        if self._focus_key is not None and self._focus_key in self._visible:
            table.move_cursor(row=table.get_row_index(str(self._focus_key)), animate=False)
        elif before_key is not None and before_key not in self._visible and table.row_count:
            # the request left this filter (decided, done): stay where it was, on its neighbour
            table.move_cursor(row=min(before_row, table.row_count - 1), animate=False)
        self._focus_key = None
        self._render_title(len(visible))
        self.render_preview()

    def _render_title(self, shown: int) -> None:
        waiting = sum(1 for c in self.data.changes if waiting_too_long(c))
        n_open = sum(1 for c in self.data.changes if c.status in OPEN_CHANGE_STATUSES)
        title = Text.assemble(("Change requests ", "bold"), (f"{shown} shown", ""), (f" · {n_open} open", "dim"))
        if waiting:
            title.append(f" · {waiting} waiting > {CHANGE_WAIT_DAYS}d", style=WAIT_STYLE)
        if self.size.width < 110:  # the header's context is cut on narrow screens
            title.append(f"   status: {self.status_filter}", style="italic")
        if self.filter_text:
            title.append("   filter: ", style="italic")
            title.append(self.filter_text, style="italic")
        marked = len(self.query_one("#changes", KeyedTable).marked)
        if marked:
            title.append(f"   {marked} marked", style="bold magenta")
        if self.size.width >= 110 and any(c.cost_overridden for c in self._visible.values()):
            title.append("   * cost set by hand", style="dim")
        self.query_one("#changes-title", Label).update(title)
        context = f"status: {self.status_filter}" + (f" · filter: {self.filter_text}" if self.filter_text else "")
        self.query_one("#view-header", ViewHeader).set_context(context)

    def render_preview(self) -> None:
        """Under the table: the highlighted request's who, what and where it stands."""
        preview = self.query_one("#change-preview", Static)
        preview.set_class(self.size.height < 20, "-hidden")
        c = self.current
        if c is None:
            hint = "No change request here"
            if self.status_filter != "all" or self.filter_text:
                hint += f" (status: {self.status_filter}{', filter: ' + self.filter_text if self.filter_text else ''})"
            preview.update(Text(hint + ". f cycles the status filter · a adds a request", style="dim"))
            return
        today = clock.today()
        line1 = Text.assemble((c.title, "bold"), (f"  {c.client} / {c.project}", "dim"))
        line1.append(f" · received {short_date(c.received_on, today)}", style="dim")
        if c.requested_by:
            line1.append(" by ", style="dim")
            line1.append(c.requested_by, style="dim")
        line2 = Text(c.description or "no description", style="" if c.description else "dim italic", no_wrap=True,
                     overflow="ellipsis")
        if c.decided_on is not None:
            line3 = Text.assemble((decision_words(c, today), STATUS_STYLE.get(c.status, "")))
            if c.decision_note:
                line3.append(": ")
                line3.append(c.decision_note)
        elif c.assessed:
            line3 = Text(f"impact {hours(c.impact_hours)} · deadline +{c.impact_days or 0}d · cost {c.money(c.impact_cost)}")
            if c.cost_overridden:
                line3.append("  (set by hand)", style="dim")
            elif c.hourly_rate is not None:
                line3.append(f"  ({hours(c.impact_hours)} × {c.money(c.hourly_rate)}/h)", style="dim")
            line3.append("   y approves · n rejects", style="dim")
        else:
            line3 = Text("not assessed: e assesses hours and days before it can be approved", style="italic #d4a017")
        text = Text("\n").join([line1, line2, line3])
        text.no_wrap, text.overflow = True, "ellipsis"
        preview.update(text)

    @on(DataTable.RowHighlighted, "#changes")
    def _row_highlighted(self) -> None:
        if self.loaded:
            self.render_preview()

    def on_resize(self) -> None:
        if self.loaded and (self.size.width or 120) != self._drawn_width:  # a new width, not each layout pass
            self.render_queue()

    # -- helpers ----------------------------------------------------------------
    @property
    def current(self) -> ChangeView | None:
        key = self.query_one("#changes", KeyedTable).current_key
        return self._visible.get(key) if key is not None else None

    def _targets(self) -> list[ChangeView]:
        """The marked requests (still shown), or the one under the cursor."""
        table = self.query_one("#changes", KeyedTable)
        return [self._visible[k] for k in table.targets() if k in self._visible]

    def _say(self, message: str, *, severity: str = "information", title: str = "") -> None:
        """Notifications quote user text: never read it as markup."""
        self.notify(message, title=title, severity=severity, markup=False)

    def _clear_marks(self) -> None:
        self.query_one("#changes", KeyedTable).marked.clear()

    # -- actions --------------------------------------------------------------
    def action_open(self) -> None:
        box = self.filter_box()
        if box is not None and self.focused is box:  # enter in the filter box: back to the queue
            self._filter_done()
        elif (c := self.current) is not None:
            self._open_detail(c.id)

    @on(DataTable.RowSelected, "#changes")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _open_detail(self, change_id: int) -> None:
        try:
            with read_session():
                view = get_change(change_id)
                log = [i for i in interactions(view.client_id) if i.change_request_id == change_id]
        except (ClientdeskError, *DATABASE_ERRORS) as exc:
            self.app.call_from_thread(self._say, str(exc), severity="error", title="Cannot read")
            return
        self.app.call_from_thread(self._show_detail, view, log)

    def _show_detail(self, view: ChangeView, log: list[InteractionView]) -> None:
        def after(choice: str | None) -> None:
            if choice == "assess":
                self._assess(view)
            elif choice == "approve":
                self._approve([view])
            elif choice == "reject":
                self._reject([view])

        self.app.push_screen(ChangeDetailModal(view, log, view.hourly_rate, clock.today()), after)

    def action_add(self) -> None:
        current = self.current
        client_id = current.client_id if current else (self.client_id or getattr(self.app, "client_id", None))
        self._open_add_form(client_id, current.project_id if current else None)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _open_add_form(self, client_id: int | None, project_id: int | None) -> None:
        try:
            with read_session():
                clients = list_clients()
                projects = list_projects(active_only=True)
        except (ClientdeskError, *DATABASE_ERRORS) as exc:
            self.app.call_from_thread(self._say, str(exc), severity="error", title="Cannot read")
            return
        self.app.call_from_thread(self._show_add_form, clients, projects, client_id, project_id)

    def _show_add_form(self, clients: list[ClientRef], projects: list[ProjectRef], client_id: int | None,
                       project_id: int | None) -> None:
        names = {c.id: c.name for c in clients}
        mine = [p for p in projects if p.client_id in names]
        if not mine:
            self._say("No active project to log a change request for: P on a client's board adds one", severity="warning")
            return
        mine.sort(key=lambda p: (names[p.client_id].casefold(), p.name.casefold()))
        if project_id is None:  # the row's client: its first project
            project_id = next((p.id for p in mine if p.client_id == client_id), None)

        def logged(view: ChangeView) -> None:
            self._focus_key = view.id
            if not self._matches(view):
                self.status_filter = "open"
                self.filter_text = ""
                if (box := self.filter_box()) is not None:
                    box.value = ""

        log_change_flow(self.app, [(f"{names[p.client_id]} / {p.name}", p.id) for p in mine], project_id, then=logged)

    def action_assess(self) -> None:
        if (c := self.current) is not None:
            self._assess(c)

    def _assess(self, c: ChangeView) -> None:
        if c.status not in WAITING_CHANGE_STATUSES:
            self._say(f"'{c.title}' is {c.status}; only new or assessing requests can be assessed",
                      severity="warning", title="Not done")
            return
        assess_flow(self.app, c)

    def action_approve(self) -> None:
        if targets := self._targets():
            self._approve(targets)

    def _approve(self, views: list[ChangeView]) -> None:
        if len(views) > 1:
            decided = [v for v in views if v.status not in WAITING_CHANGE_STATUSES]
            unassessed = [v for v in views if v.status in WAITING_CHANGE_STATUSES and not v.assessed]
            problems = []
            if unassessed:
                verb = "has" if len(unassessed) == 1 else "have"
                problems.append(f"{quoted(unassessed)} {verb} no assessed impact (e assesses)")
            if decided:
                problems.append("; ".join(f"'{v.title}' is already {v.status}" for v in decided))
            if problems:
                self._say(f"none of the {len(views)} approved: " + "; ".join(problems), severity="error", title="Not done")
                return
        self.perform(each, approve_change, [v.id for v in views], then=self._approved)

    def _approved(self, batch: Batch) -> None:
        self._say_refusal(batch)
        results = batch.results
        if results:
            self._clear_marks()
            lines = [r.describe() for r in results]
            if len(results) > 1:
                lines.append(f"{len(results)} approved; u undoes them one at a time")
            else:
                lines.append("u undoes it")
            self._say("\n".join(lines), title="Approved")

    def action_reject(self) -> None:
        if targets := self._targets():
            self._reject(targets)

    def _reject(self, views: list[ChangeView]) -> None:
        decided = [v for v in views if v.status not in WAITING_CHANGE_STATUSES]
        if decided:
            self._say("; ".join(f"'{v.title}' is already {v.status}" for v in decided) + ": nothing rejected",
                      severity="error", title="Not done")
            return
        question = f"Reject '{views[0].title}': why?" if len(views) == 1 else f"Reject {len(views)} requests: why?"

        def apply(reason: str | None) -> None:
            if reason is None:
                return
            self.perform(each, reject_change, [v.id for v in views], reason, then=lambda batch: rejected(batch, reason))

        def rejected(batch: Batch, reason: str) -> None:
            self._say_refusal(batch)
            done = views[:len(batch.results)]
            if done:
                self._clear_marks()
                self._say(f"rejected {quoted(done)}: {reason} (logged; u undoes)", title="Rejected")

        self.app.push_screen(PromptModal(question, placeholder="the reason, written to the client's log",
                                         parse=require_reason, hint="enter rejects · esc cancels"), apply)

    def action_complete(self) -> None:
        views = self._targets()
        if not views:
            return
        not_approved = [v for v in views if v.status != "approved"]
        if not_approved:
            self._say("; ".join(f"'{v.title}' is {v.status}" for v in not_approved)
                      + ": only approved requests can be marked done", severity="error", title="Not done")
            return

        def completed(batch: Batch) -> None:
            self._say_refusal(batch)
            done = views[:len(batch.results)]
            if done:
                self._clear_marks()
                self._say(f"done: {quoted(done)}")

        self.perform(each, complete_change, [v.id for v in views], then=completed)

    def _say_refusal(self, batch: Batch) -> None:
        """The refusal that stopped a batch, said as a refused single action is."""
        if batch.error is not None:
            self._say(refusal_text(batch.error), severity="error", title="Not done")

    def action_client_detail(self) -> None:
        if (c := self.current) is not None:
            self.app.open_client(c.client_id)

    def action_mark(self) -> None:
        table = self.query_one("#changes", KeyedTable)
        table.toggle_mark()
        self._render_title(len(self._visible))

    def action_cycle_status(self) -> None:
        self.status_filter = STATUS_FILTERS[(STATUS_FILTERS.index(self.status_filter) + 1) % len(STATUS_FILTERS)]
        self.render_queue()

    def apply_filter(self) -> None:
        self.render_queue()

    def action_clear_filter(self) -> None:
        self._clear_marks()
        self.close_filter()
