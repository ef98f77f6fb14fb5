"""Overview (1): every active client's health at a glance, and the Today triage list."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from clientdesk import clock
from clientdesk.db import DATABASE_ERRORS
from clientdesk.domain import tasks as task_rules
from clientdesk.domain.errors import ClientdeskError
from clientdesk.domain.parse import parse_date
from clientdesk.domain.overview import (
    OVERVIEW_TABLES, TODAY_LIMIT, OverviewData, clients_of_rows, overview_data, patch_overview,
)
from clientdesk.domain.status import ClientStatus
from clientdesk.safe_text import terminal_safe
from clientdesk.tui.base import FilteredDeskScreen
from clientdesk.tui.keys import CLIENT_STATUS_BINDINGS, TRIAGE_BINDINGS
from clientdesk.tui.messages import DataChanged
from clientdesk.tui.modals.prompt import PromptModal
from clientdesk.tui.text import bar, day_month, health_badge, hours, literal, short_date
from clientdesk.tui.widgets.key_bar import KeyBar
from clientdesk.tui.widgets.keyed_table import KeyedTable, same_cell
from clientdesk.tui.widgets.view_header import ViewHeader

HEALTH_ORDER = {"red": 0, "amber": 1, "green": 2}
#: the keys that act on the Today list's tasks: shown in the footer while that list has the focus
TASK_ACTIONS = frozenset({"priority", "move", "done", "mark", "due", "block_time"})
SORTS = ("health", "client", "overdue", "burn", "check-in")


def parse_due(text: str):
    """'' clears the due date; otherwise a date (YYYY-MM-DD) or a word the quick-add understands."""
    text = text.strip()
    if not text:
        return ("clear", None)
    try:
        from clientdesk.domain.quickadd import parse_when

        return ("set", parse_when(text, clock.today()))
    except ImportError:
        return ("set", parse_date(text, "due"))


def due_preview(text: str, today) -> str:
    """What the due prompt will set, as it is typed: 'fri → Fri 27 Nov'."""
    if not text.strip():
        return "empty: clears the due date"
    try:
        _, day = parse_due(text)
    except ClientdeskError as exc:
        return f"not a date yet ({exc})" if len(text.strip()) > 2 else "…"
    return f"{text.strip()} → {day.format('ddd D MMM')}{'' if day.year == today.year else day.format(' YYYY')}"


def due_question(tasks: list, today) -> str:
    """'Due date of “Logo” · now Wed 18 Nov' (or of N tasks)."""
    if len(tasks) == 1:
        t = tasks[0]
        now = t.due.format("ddd D MMM YYYY" if t.due and t.due.year != today.year else "ddd D MMM") if t.due else "none"
        return f"Due date of “{terminal_safe(t.title, newlines=False)}” · now {now}"
    return f"Due date of {len(tasks)} tasks"


def rest_width(total: int, columns: list[tuple[str, int | None]]) -> int:
    """What is left of the width for the last flexible column (cells pad 1 each side)."""
    used = sum((w or 0) + 2 for _, w in columns) + 4
    return max(12, total - used)


class OverviewScreen(FilteredDeskScreen):
    """Clients by health (worst first) above the Today list; triage works in place."""

    VIEW_TITLE = "Overview"
    REREAD_ONLY_WHEN_CHANGED = True
    FILTER_HOME = "#clients"
    FILTER_PLACEHOLDER = "filter clients and tasks (esc clears)"
    # its rules (styles/overview.tcss) are read with the app's: see ClientdeskApp.CSS_PATH

    BINDINGS = [
        Binding("enter", "open", "Open", id="open"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("s", "sort", "Sort", id="sort"),
        Binding("tab", "app.focus_next", "Next list", show=False),
        *TRIAGE_BINDINGS,
        Binding("d", "due", "Due date", id="set-due"),
        Binding("b", "block_time", "Block time", id="block-time"),
        Binding("i", "client_detail", "Client", id="client-detail"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
        Binding("N", "app.new_client", "New client", id="new-client"),
        Binding("e", "edit", "Edit", id="edit"),
        *CLIENT_STATUS_BINDINGS[:2],  # every row here is active: restore is on the client detail and the palette
        Binding("delete", "delete", "Delete", id="delete", show=False),  # in ?; the footer is full here
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data = OverviewData([], [])
        self.sort_key = "health"
        self._drawn_width = 0  # the width the tables were laid out for
        #: client id -> (its status, its unbilled time, the names of the columns, the day, the cells drawn):
        #: a patch keeps the status objects it did not re-read, so at 500 clients only the touched row is built
        self._client_rows: dict[int, tuple] = {}

    def compose(self) -> ComposeResult:
        yield ViewHeader("Overview", id="view-header")
        yield Static("", id="welcome")
        with Vertical(id="clients-panel"):
            yield Label("", id="clients-title")
            yield KeyedTable(id="clients")
        with Vertical(id="today-panel"):
            yield Label("", id="today-title")
            yield KeyedTable(id="today", markable=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#clients", KeyedTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows what the focused list's keys do: a client row's (pause, archive) or a
        Today task's (the triage keys); the other list's keys are hidden and do nothing there."""
        on_clients = self.focused is not None and self.focused.id == "clients"
        if action == "client_status":
            return on_clients and self.query_one("#clients", KeyedTable).current_key is not None
        if action in TASK_ACTIONS:
            return not on_clients
        return True

    # -- data -----------------------------------------------------------------
    def load(self) -> OverviewData:
        return overview_data(clock.today(), TODAY_LIMIT)

    def early_read(self):
        """What the command line started reading while the UI loaded (launch time)."""
        early, self.app.early_overview = getattr(self.app, "early_overview", None), None
        return early

    def data_changed(self, change: DataChanged) -> None:
        """Tasks and per-client rows changed: patch those (a few ms, on the UI thread); else read it all.

        A client's or a project's own change (weight, status, name) moves many
        rows at once, and a change of unknown rows says nothing: both read everything.
        """
        if not change.touches(*OVERVIEW_TABLES):
            self.keep_in_step(change)  # nothing it shows
            return
        if not change.everything and not change.touches("client", "project"):
            try:
                clients = clients_of_rows(change.ids)
            except DATABASE_ERRORS:
                clients = None
            if clients is not None and self.patch_changes(task_ids=change.ids.get("task", ()), client_ids=clients):
                self.keep_in_step(change)
                return
        self.reload()

    def patch_changes(self, *, task_ids=(), client_ids=()) -> bool:
        """Put a change to these tasks and clients on screen, re-reading only them (on the UI thread).

        False when it cannot (nothing shown yet, a read running, or only a
        full read can tell, see `patch_overview`): the caller reads it all.
        """
        if not self.loaded or self.reading:
            return False
        try:
            patched = patch_overview(self.data, task_ids=task_ids, client_ids=client_ids, today=clock.today())
        except DATABASE_ERRORS:
            return False
        if patched is None:
            return False
        self.show(patched)
        return True

    def show(self, payload: OverviewData) -> None:
        self.data = payload
        self.render_welcome()
        self.render_clients()
        self.render_today()
        self.refresh_bindings()  # a first client row, or the last one gone: its keys come or go

    def render_welcome(self) -> None:
        """An empty desk says what clientdesk is for and which key adds the first client."""
        welcome = self.query_one("#welcome", Static)
        welcome.display = not self.data.statuses
        if self.data.statuses:
            return
        if self.data.inactive_clients:
            n = self.data.inactive_clients
            welcome.update(Text.assemble(
                ("No active client. ", "bold"),
                f"{n} client{'s are' if n != 1 else ' is'} paused or archived: ctrl+p → ",
                ("client: restore …", "bold"), " brings one back (", ("client: details of …", "bold"),
                " opens one; R there restores it). ",
                ("N", "bold reverse"), " adds a new client."))
            return
        welcome.update(Text.assemble(
            ("Welcome to clientdesk", "bold"), "\n",
            "One desk for every client you work for: each client's health at a glance, today's most urgent tasks "
            "across all of them, the week planned per client, and scope changes priced before anyone says yes.\n\n",
            ("Your desk is empty. Press ", ""), (" N ", "bold reverse"), (" to add your first client", "bold"),
            " (only the name is needed).\n\n",
            ("Then: ", "dim"), ("enter", "bold"), (" on the client opens its board, where ", "dim"), ("P", "bold"),
            (" adds a project and ", "dim"), ("a", "bold"), (" its tasks; ", "dim"), ("i", "bold"),
            (" opens its detail to log calls, milestones, risks and feedback. ", "dim"), ("ctrl+p", "bold"),
            (" lists every command, ", "dim"), ("?", "bold"), (" every key. Data elsewhere? ", "dim"),
            ("clientdesk import FILE", "bold"), (" on the command line.", "dim"),
        ))

    def context_client(self) -> int | None:
        """The client of the highlighted row (a client, or a Today task's), for N/P and the palette."""
        table = self._focused_table()
        if table is None or table.current_key is None:
            return None
        if table.id == "clients":
            return table.current_key
        return next((t.client_id for t in self.data.today_tasks if t.id == table.current_key), None)

    def _visible_statuses(self) -> list[ClientStatus]:
        rows = [s for s in self.data.statuses if self.filter_text.casefold() in s.client.casefold()]
        key = {
            "health": lambda s: (HEALTH_ORDER[s.health], -s.overdue, s.client.casefold()),
            "client": lambda s: s.client.casefold(),
            "overdue": lambda s: (-s.overdue, s.client.casefold()),
            "burn": lambda s: (-(s.burn if s.burn is not None else -1), s.client.casefold()),
            "check-in": lambda s: (s.next_checkin, s.client.casefold()),
        }[self.sort_key]
        return sorted(rows, key=key)

    def render_clients(self) -> None:
        table = self.query_one("#clients", KeyedTable)
        width = self._drawn_width = self.size.width
        wide = width >= 110
        today = clock.today()
        if wide:
            columns = [("Health", 9), ("Client", 20 if width < 150 else 28), ("Open", 4), ("Late", 4), ("Wk", 3),
                       ("Planned", 9), ("Burn", 11), ("Check-in", 11), ("CRs", 3), ("Unbilled", 11)]
        else:  # at 80 columns: what decides the day, and the reason
            columns = [("Health", 9), ("Client", 14), ("Late", 4), ("Burn", 5), ("Check-in", 11)]
        columns.append(("Why", rest_width(width, columns)))
        names = [name for name, _ in columns]
        rows = []
        visible = self._visible_statuses()
        drawn, self._client_rows = self._client_rows, {}
        shape = tuple(names)
        for s in visible:
            owed = self.data.unbilled.get(s.client_id)
            held = drawn.get(s.client_id)
            if held is not None and held[0] is s and held[1] is owed and held[2] == shape and held[3] == today:
                row = held[4]  # the very same cells: the table sees nothing to update
            else:
                cells = self._client_cells(s, wide, today)
                cells["Unbilled"] = self._unbilled_cell(owed)
                row = [cells[name] for name in names]
            self._client_rows[s.client_id] = (s, owed, shape, today, row)
            rows.append((s.client_id, row))
        table.set_rows(columns, rows)
        # the header counts what the list shows: under a filter, the matching clients
        counts = {h: sum(1 for s in visible if s.health == h) for h in HEALTH_ORDER}
        shown = f"{len(rows)} of {len(self.data.statuses)} active" if self.filter_text else f"{len(rows)} active"
        title = Text.assemble(
            ("Clients ", "bold"),
            (shown, ""),
            (f"   ● {counts['red']} red  ▲ {counts['amber']} amber  ✔ {counts['green']} green", "dim"),
            (f"   sort: {self.sort_key}", "dim italic"),
        )
        if self.filter_text:
            title.append("   filter: ", style="italic")
            title.append(self.filter_text, style="italic")
        self._set_title("#clients-title", title)

    def _set_title(self, selector: str, title: Text) -> None:
        """Update a title only when it reads differently: a Label's update asks for a layout of the whole
        screen (its width is its text's), which after a key cost more than the key's own change."""
        label = self.query_one(selector, Label)
        if not same_cell(getattr(label, "_drawn_title", None), title):
            label._drawn_title = title
            label.update(title)

    @staticmethod
    def _unbilled_cell(owed) -> Text:
        """The client's billable time not invoiced yet, in its money; '?' marks time without a rate."""
        if owed is None or not owed.minutes:
            return Text("—", justify="right", style="dim")
        from clientdesk.domain.money import format_money

        cell = Text(format_money(owed.amount, owed.currency, owed.language), justify="right")
        if owed.unrated_minutes:
            cell.append("?", style="bold #d4a017")
        return cell

    @staticmethod
    def _client_cells(s: ClientStatus, wide: bool, today) -> dict[str, Text]:
        planned = Text(hours(s.planned_hours_week))
        if s.weekly_target_hours:
            planned.append(f"/{hours(s.weekly_target_hours)}", style="dim")
        if wide:
            burn = bar(s.burn, width=5)
        else:
            level = s.burn or 0
            burn = Text("—" if s.burn is None else f"{s.burn:.0%}", justify="right",
                        style="#b03a2e" if level > 1 else ("#d4a017" if level > 0.8 else ""))
        checkin = Text(day_month(s.next_checkin, "" if s.next_checkin.year == today.year else "YY"))
        if s.checkin_late:
            checkin = Text(f"{checkin.plain} late", style="bold #b03a2e")
        why = Text("; ".join(s.reasons), style="" if s.health != "green" else "dim", no_wrap=True, overflow="ellipsis")
        if s.feedback_dropped:
            why.append("; feedback ↓", style="bold #d4a017")
        return {
            "Health": health_badge(s.health),
            "Client": literal(s.client, "bold"),
            "Open": Text(str(s.open), justify="right"),
            "Late": Text(str(s.overdue), justify="right", style="bold #b03a2e" if s.overdue else "dim"),
            "Wk": Text(str(s.due_week), justify="right"),
            "Planned": planned,
            "Burn": burn,
            "Check-in": checkin,
            "CRs": Text(str(s.open_changes), justify="right", style="" if s.open_changes else "dim"),
            "Why": why,
        }

    def render_today(self) -> None:
        table = self.query_one("#today", KeyedTable)
        today = clock.today()
        needle = self.filter_text.casefold()
        width = self.size.width
        wide = width >= 110
        if wide:
            columns = [("Score", 5), ("Why", 20), ("Client", 18), ("Due", 10), ("Status", 7), ("P", 2)]
        else:
            columns = [("Score", 5), ("Why", 16), ("Client", 10), ("Due", 6)]
        columns.insert(2, ("Task", rest_width(width - 3, columns)))
        names = [name for name, _ in columns]
        rows = []
        for t in self.data.today_tasks:
            if needle and needle not in t.title.casefold() and needle not in t.client.casefold():
                continue
            due = Text(short_date(t.due, today) if wide else (day_month(t.due) if t.due else ""),
                       style="bold #b03a2e" if t.overdue_on(today) else "")
            cells = {
                "Score": Text(f"{t.score.total:.1f}", justify="right", style="bold"),
                "Why": Text(t.score.explanation, style="italic", no_wrap=True, overflow="ellipsis"),
                "Task": literal(t.title),
                "Client": literal(t.client, "dim"),
                "Due": due,
                "Status": Text(t.status),
                "P": Text(f"p{t.priority}", style="bold #b03a2e" if t.priority == 1 else ""),
            }
            rows.append((t.id, [cells[name] for name in names]))
        table.set_rows(columns, rows)
        marked = len(table.marked)
        title = Text.assemble(("Today ", "bold"), (f"top {len(rows)} open tasks across clients, by triage score", "dim"))
        if not rows and not needle:
            title = Text.assemble(("Today ", "bold"), ("no open task yet: enter on a client opens its board, "
                                                       "where a adds one", "dim"))
        if marked:
            title.append(f"   {marked} marked", style="bold magenta")
        self._set_title("#today-title", title)

    def on_resize(self) -> None:
        # Textual sends several Resize events while it lays the screen out: only a new width re-lays the tables
        if self.loaded and self.size.width != self._drawn_width:
            self.render_clients()
            self.render_today()

    # -- actions --------------------------------------------------------------
    def _focused_table(self) -> KeyedTable | None:
        focused = self.focused
        return focused if isinstance(focused, KeyedTable) else None

    def _task_targets(self) -> list[int]:
        table = self.query_one("#today", KeyedTable)
        if self.focused is not table:
            self.notify("Triage keys act on the Today list (tab to it)", severity="warning")
            return []
        ids = table.targets()
        table.marked.clear()
        return ids

    @on(KeyedTable.RowSelected)
    def _row_selected(self, event: KeyedTable.RowSelected) -> None:
        """enter on a row (the table's own binding) opens it."""
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        table = self._focused_table()
        if table is None or table.current_key is None:
            return
        if table.id == "clients":
            self.app.open_board(table.current_key)
        else:
            self.app.open_task(table.current_key)

    def timer_target(self) -> tuple[int, int | None] | None:
        """The client row or the Today task under the cursor, for `t` and `T`."""
        table = self._focused_table()
        if table is None or table.current_key is None:
            return None
        if table.id == "clients":
            return table.current_key, None
        task = next((t for t in self.data.today_tasks if t.id == table.current_key), None)
        return (task.client_id, task.id) if task is not None else None

    def action_client_detail(self) -> None:
        table = self.query_one("#clients", KeyedTable)
        key = table.current_key
        if key is None:
            today = self.query_one("#today", KeyedTable)
            key = next((t.client_id for t in self.data.today_tasks if t.id == today.current_key), None)
        elif self.focused is self.query_one("#today", KeyedTable):
            key = next((t.client_id for t in self.data.today_tasks if t.id == self.focused.current_key), key)
        if key is not None:
            self.app.open_client(key)

    def action_edit(self) -> None:
        """e: the client form on a client row, the task form on a Today task."""
        table = self._focused_table()
        if table is None or table.current_key is None:
            self.notify("no row here to edit" if self.data.statuses else "no client yet: N adds one", severity="warning")
            return
        if table.id == "clients":
            from clientdesk.tui import flows

            flows.edit_client(self.app, table.current_key)
        else:
            self.app.edit_task(table.current_key)

    def action_client_status(self, status: str) -> None:
        """z / Z: pause or archive the client row (it leaves the Overview; the palette brings it back)."""
        from clientdesk.tui import flows

        table = self.query_one("#clients", KeyedTable)
        if self.focused is table and table.current_key is not None:
            flows.set_client_status(self.app, table.current_key, status)

    def action_delete(self) -> None:
        """delete: the client (and everything of theirs) or the Today task, after a one-key confirmation."""
        from clientdesk.tui import flows

        table = self._focused_table()
        if table is None or table.current_key is None:
            return
        if table.id == "clients":
            flows.delete_client(self.app, table.current_key)
        else:
            flows.delete_task(self.app, table.current_key)

    def action_priority(self, step: int) -> None:
        if ids := self._task_targets():
            self.perform(task_rules.change_priority, ids, step)

    def action_move(self, step: int) -> None:
        if ids := self._task_targets():
            self.perform(task_rules.move_task, ids, step)

    def action_done(self) -> None:
        if ids := self._task_targets():
            self.perform(task_rules.mark_done, ids, done=f"{len(ids)} done" if len(ids) > 1 else "done")

    def action_block_time(self) -> None:
        table = self.query_one("#today", KeyedTable)
        if self.focused is not table or table.current_key is None:
            self.notify("b blocks time for a task of the Today list (tab to it)", severity="warning")
            return
        self.block_time(table.current_key)

    def action_mark(self) -> None:
        table = self.query_one("#today", KeyedTable)
        if self.focused is table:
            table.toggle_mark()
            self.render_today()

    def action_due(self) -> None:
        ids = self._task_targets()
        if not ids:
            return

        def apply(result) -> None:
            if result is not None:
                self.perform(task_rules.set_due, ids, result[1])

        today = clock.today()
        tasks = [t for t in self.data.today_tasks if t.id in ids] if self.data else []
        example = today.add(days=14).to_date_string()
        self.app.push_screen(
            PromptModal(due_question(tasks, today) if tasks else "Due date",
                        placeholder=f"fri, tomorrow, +3d, {example}; empty clears", parse=parse_due,
                        preview=lambda text: due_preview(text, today), hint="enter saves · esc cancels"),
            apply,
        )

    def action_sort(self) -> None:
        self.sort_key = SORTS[(SORTS.index(self.sort_key) + 1) % len(SORTS)]
        self.render_clients()

    def apply_filter(self) -> None:
        self.render_clients()
        self.render_today()

    def action_clear_filter(self) -> None:
        self.close_filter()
