"""Timesheet (5): the week's time per client and day (enter opens a client into
its tasks), billable and non-billable apart, totals against the weekly
targets, and the week's entries below to edit, delete or uninvoice."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from clientdesk import clock
from clientdesk.domain import time_entries as entries_rules
from clientdesk.domain.money import amount_for, format_money
from clientdesk.domain.parse import iso_week_label
from clientdesk.domain.periods import week_start
from clientdesk.domain.time_entries import SheetRow, Timesheet, hours_text
from clientdesk.tui.base import DeskScreen
from clientdesk.tui.text import WEEKDAYS, day_month, literal
from clientdesk.tui.widgets.key_bar import KeyBar
from clientdesk.tui.widgets.keyed_table import KeyedTable
from clientdesk.tui.widgets.view_header import ViewHeader

WEEK_KEYS = Binding.Group("week", compact=True)
TOTAL_KEYS = {"billable": -(2 * 10**9) - 1, "nonbillable": -(2 * 10**9) - 2, "total": -(2 * 10**9) - 3}
CONFIRM_SECONDS = 3.0


@dataclass
class SheetPayload:
    sheet: Timesheet


class TimesheetScreen(DeskScreen):
    """One week of logged time; `[ ]` weeks, `T` logs, `e` edits, `delete` deletes, `t` the timer."""

    VIEW_TITLE = "Timesheet"
    RELOAD_ON = frozenset({"time_entry", "invoice", "timer", "task", "project", "client"})
    DEFAULT_CSS = """
    TimesheetScreen #sheet-panel { height: auto; max-height: 60%; min-height: 6; }
    TimesheetScreen #sheet { height: auto; max-height: 100%; }
    TimesheetScreen #entries-panel { height: 1fr; min-height: 5; border-top: solid $primary-darken-2; }
    TimesheetScreen #sheet-title, TimesheetScreen #entries-title { height: 1; padding: 0 1; }
    TimesheetScreen KeyedTable { border-left: blank; }
    TimesheetScreen KeyedTable:focus { border-left: outer $accent; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "week(-1)", "Previous week", id="timesheet-prev-week", group=WEEK_KEYS),
        Binding("right_square_bracket", "week(1)", "Next week", id="timesheet-next-week", group=WEEK_KEYS),
        Binding("w", "this_week", "This week", id="timesheet-this-week", show=False),
        Binding("enter", "open", "Open / close", id="timesheet-open"),
        Binding("e", "edit", "Edit", id="timesheet-edit"),
        Binding("delete", "delete", "Delete", id="timesheet-delete"),
        Binding("ctrl+u", "uninvoice", "Uninvoice", id="timesheet-uninvoice"),
        Binding("I", "invoice", "Invoice", id="timesheet-invoice"),
        Binding("tab", "app.focus_next", "Next list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.monday = week_start(clock.today())
        self.sheet: Timesheet | None = None
        self.expanded: set[int] = set()
        self._armed: tuple[int, float] | None = None  # (entry id, when) of a first `delete`

    def compose(self) -> ComposeResult:
        yield ViewHeader("Timesheet", id="view-header")
        with Vertical(id="sheet-panel"):
            yield Label("", id="sheet-title")
            yield KeyedTable(id="sheet")
        with Vertical(id="entries-panel"):
            yield Label("", id="entries-title")
            yield KeyedTable(id="entries")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#sheet", KeyedTable).focus()

    # -- data -----------------------------------------------------------------
    def load(self) -> SheetPayload:
        return SheetPayload(entries_rules.timesheet(self.monday))

    def show(self, payload: SheetPayload) -> None:
        self.sheet = payload.sheet
        self.render_sheet()
        self.render_entries()

    def render_sheet(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        today = clock.today()
        days = sheet.days
        # the name takes what the day and total columns leave (they fit 120 columns with a 20-cell name)
        name_width = max(14, min(32, (self.size.width or 120) - 100))
        columns = [("Client", name_width)] + [(f"{WEEKDAYS[d.weekday()]} {d.day}", 6) for d in days]
        columns += [("Billable", 8), ("Non-bill", 8), ("Total", 6), ("Target", 11)]
        rows = []
        for row in sheet.clients:
            rows.append((row.key, self._row_cells(row, today, days, opened=row.client_id in self.expanded)))
            if row.client_id in self.expanded:
                for sub in sheet.tasks.get(row.client_id, []):
                    rows.append((sub.key, self._row_cells(sub, today, days)))
        total = SheetRow(TOTAL_KEYS["total"], 0, "Total", 0, billable=list(sheet.day_billable),
                         nonbillable=list(sheet.day_nonbillable), target_minutes=sheet.target_minutes or None)
        billable = SheetRow(TOTAL_KEYS["billable"], 0, "  billable", 1, billable=list(sheet.day_billable))
        nonbillable = SheetRow(TOTAL_KEYS["nonbillable"], 0, "  non-billable", 1, nonbillable=list(sheet.day_nonbillable))
        for extra in (total, billable, nonbillable):
            rows.append((extra.key, self._row_cells(extra, today, days, summary=True)))
        self.query_one("#sheet", KeyedTable).set_rows(columns, rows)
        sunday = days[-1]
        title = Text.assemble(("Week ", "bold"), (iso_week_label(self.monday)[-2:], "bold"),
                              (f" · {day_month(self.monday)} – {day_month(sunday, 'YYYY')}", "bold"))
        title.append(f"   logged {hours_text(sheet.total)}", style="")
        if sheet.target_minutes:
            title.append(f" of {hours_text(sheet.target_minutes)} target", style="dim")
        title.append(f"   billable {hours_text(sum(sheet.day_billable))} · non-billable {hours_text(sum(sheet.day_nonbillable))}",
                     style="dim")
        if not sheet.clients:
            title.append("   no time this week: T logs time, t on a client starts the timer", style="italic")
        else:
            title.append("   enter opens a client's tasks", style="dim italic")
        self.query_one("#sheet-title", Label).update(title)

    @staticmethod
    def _row_cells(row: SheetRow, today: pendulum.Date, days: list[pendulum.Date], summary: bool = False,
                   opened: bool = False) -> list[Text]:
        if summary:
            label = literal(row.label, "bold" if row.level == 0 else "dim")
        elif row.level == 0:
            label = literal(("▾ " if opened else "▸ ") + row.label, "bold")
        else:
            label = literal("    " + row.label)
        cells: list[Text] = [label]
        for i, d in enumerate(days):
            minutes = row.day(i)
            style = "bold" if d == today else ""
            cells.append(Text(hours_text(minutes) if minutes else "·", justify="right",
                              style=style if minutes else "dim"))
        cells.append(Text(hours_text(row.total_billable), justify="right"))
        cells.append(Text(hours_text(row.total_nonbillable), justify="right",
                          style="" if row.total_nonbillable else "dim"))
        cells.append(Text(hours_text(row.total), justify="right", style="bold"))
        if row.target_minutes:
            share = row.total / row.target_minutes
            style = "#3c9a5f" if 0.9 <= share <= 1.1 else ("#d4a017" if share < 0.9 else "#b03a2e")
            cells.append(Text(f"/{hours_text(row.target_minutes)} {share:>4.0%}", justify="right", style=style))
        else:
            cells.append(Text("—", justify="right", style="dim"))
        return cells

    def render_entries(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        table = self.query_one("#entries", KeyedTable)
        width = self.size.width
        columns = [("Day", 10), ("Start", 5), ("Client", 20), ("Task", 28), ("Time", 6), ("Amount", 12),
                   ("Bill", 4), ("Invoice", 14)]
        used = sum(w + 2 for _, w in columns) + 4
        columns.append(("Note", max(10, width - used - 2)))
        # A week holds hundreds of entries that share days, clients, tasks and amounts: each
        # cell is made once per distinct value (a Text costs ~15 us, a Babel amount ~30 us),
        # and the table sees the same object again, which it compares at once.
        made: dict[tuple, Text] = {}

        def cell(kind: str, value, build) -> Text:
            key = (kind, value)
            found = made.get(key)
            if found is None:
                found = made[key] = build()
            return found

        rows = []
        for e in sheet.entries:
            local = e.local_start
            day = local.date()
            billable = e.billable and e.rate is not None
            rows.append((e.id, [
                cell("day", day, lambda: Text(f"{WEEKDAYS[day.weekday()]} {day_month(day)}")),
                cell("start", (local.hour, local.minute), lambda: Text(f"{local.hour:02d}:{local.minute:02d}", style="dim")),
                cell("client", e.client, lambda: literal(e.client, "bold")),
                cell("task", e.task, lambda: literal(e.task or "(no task)", "" if e.task else "dim")),
                cell("time", e.minutes, lambda: Text(hours_text(e.minutes), justify="right")),
                cell("amount", (e.minutes, e.rate, e.currency, e.language, e.invoiced) if billable else None,
                     lambda: Text(format_money(amount_for(e.minutes, e.rate, e.currency), e.currency, e.language)
                                  if billable else "", justify="right", style="dim" if e.invoiced else "")),
                cell("bill", e.billable, lambda: Text("yes" if e.billable else "no", style="" if e.billable else "dim")),
                cell("invoice", e.invoice_ref if e.invoiced else None,
                     lambda: literal(("🔒 " + (e.invoice_ref or "invoiced")) if e.invoiced else "", "#d4a017")),
                cell("note", e.note, lambda: literal(e.note, "italic")),
            ]))
        table.set_rows(columns, rows)
        title = Text.assemble(("Entries ", "bold"), (f"{len(rows)} this week", "dim"))
        if not rows:
            title.append("   none yet: T logs time by hand", style="italic")
        else:
            title.append("   e edits · delete deletes · ctrl+u uninvoices", style="dim italic")
        self.query_one("#entries-title", Label).update(title)

    def on_resize(self) -> None:
        if self.loaded:
            self.render_sheet()
            self.render_entries()

    # -- where the cursor is ---------------------------------------------------
    def _sheet_row(self) -> SheetRow | None:
        table = self.query_one("#sheet", KeyedTable)
        key = table.current_key
        if self.sheet is None or key is None:
            return None
        for row in self.sheet.clients:
            if row.key == key:
                return row
            for sub in self.sheet.tasks.get(row.client_id, []):
                if sub.key == key:
                    return sub
        return None

    def _entry(self):
        table = self.query_one("#entries", KeyedTable)
        key = table.current_key
        if self.sheet is None or key is None or self.focused is not table:
            return None
        return next((e for e in self.sheet.entries if e.id == key), None)

    def timer_target(self) -> tuple[int, int | None] | None:
        """The client or task under the cursor, for `t` and `T`."""
        entry = self._entry()
        if entry is not None:
            return entry.client_id, entry.task_id
        row = self._sheet_row()
        if row is None:
            return None
        return row.client_id, row.task_id

    def log_day(self) -> pendulum.Date:
        """The day `T` proposes: today in this week, else the shown week's Monday."""
        today = clock.today()
        return today if self.monday <= today < self.monday.add(days=7) else self.monday

    # -- actions --------------------------------------------------------------
    def action_week(self, step: int) -> None:
        self.monday = self.monday.add(weeks=step)
        self.reload()

    def action_this_week(self) -> None:
        self.monday = week_start(clock.today())
        self.reload()

    @on(KeyedTable.RowSelected, "#sheet")
    def _row_selected(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    @on(KeyedTable.RowSelected, "#entries")
    def _entry_selected(self, event: KeyedTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_open(self) -> None:
        if self.focused is self.query_one("#entries", KeyedTable):
            self.action_edit()
            return
        row = self._sheet_row()
        if row is None or row.level != 0:
            return
        self.expanded ^= {row.client_id}
        self.render_sheet()

    def action_edit(self) -> None:
        entry = self._entry()
        if entry is None:
            self.notify("e edits an entry of the list below (tab to it)", severity="warning")
            return
        if entry.invoiced:
            self.notify(f"this entry is invoiced ({entry.invoice_ref}): ctrl+u uninvoices it first",
                        severity="warning", markup=False)
            return
        from clientdesk.tui.time_actions import open_entry_form

        open_entry_form(self, entry=entry)

    def action_delete(self) -> None:
        entry = self._entry()
        if entry is None:
            self.notify("delete removes an entry of the list below (tab to it)", severity="warning")
            return
        now = time.monotonic()
        if self._armed and self._armed[0] == entry.id and now - self._armed[1] < CONFIRM_SECONDS:
            self._armed = None
            self.perform(entries_rules.delete_entry, entry.id, done="time entry deleted (u undoes)")
            return
        self._armed = (entry.id, now)
        self.notify(f"press delete again to delete {hours_text(entry.minutes)} on {entry.client}",
                    severity="warning", markup=False)

    def action_uninvoice(self) -> None:
        entry = self._entry()
        if entry is None:
            self.notify("ctrl+u uninvoices an entry of the list below (tab to it)", severity="warning")
            return
        self.perform(entries_rules.uninvoice_entry, entry.id, done="uninvoiced: the entry can be edited again")

    def action_invoice(self) -> None:
        from clientdesk.tui.time_actions import invoice_flow

        target = self.timer_target()
        invoice_flow(self.app, target[0] if target else None, self.monday.add(days=3))
