"""Planner (3): the week's time blocks per client on a grid, with conflicts, each client's
planned-vs-target hours, each day's capacity, the week's check-ins, routines, and
"fill my week" shown as ghost blocks to accept (all or some) or discard.

The grid is one widget drawn line by line (widgets/week_grid.py). Everything
the screen shows comes from one read in a worker thread (`load`); every key
that changes the plan is one domain call through `perform`, so `u` undoes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from clientdesk import clock
from clientdesk.config import Settings
from clientdesk.db import DATABASE_ERRORS, read_session
from clientdesk.domain.busy import BusyView, week_busy
from clientdesk.domain.clients import list_clients
from clientdesk.domain.errors import ClientdeskError
from clientdesk.domain.people import PersonView, list_people, my_id_if_known
from clientdesk.domain.fill import FillProposal, accept_fill, propose_fill
from clientdesk.domain.periods import week_start
from clientdesk.domain.planner import (
    BlockView, CheckinView, Conflict, WeekLoad, checkin_to_block, checkins_in_week, conflicts, create_block,
    delete_block, move_block, resize_block, update_block, week_blocks, week_load,
)
from clientdesk.domain.routines import RoutineView, create_routine, delete_routine, list_routines
from clientdesk.domain.tasks import today_list
from clientdesk.safe_text import terminal_safe
from clientdesk.tui.base import DeskScreen
from clientdesk.tui.modals.block_form import BlockForm, BlockInput, CheckinPicker, hhmm
from clientdesk.tui.modals.routines import RoutineForm, RoutineInput, RoutineRequest, RoutinesModal
from clientdesk.tui.notices import say_refusal
from clientdesk.tui.text import bar, hours
from clientdesk.tui.widgets.key_bar import KeyBar
from clientdesk.tui.widgets.view_header import ViewHeader
from clientdesk.tui.widgets.week_grid import GridDay, GridItem, GridModel, WeekGrid, client_colour, fit

NARROW_BELOW = 110  # narrower than this, the side panel hides behind `p`
WIDE_FROM = 170  # from this width, the side panel grows
CHECKIN_MINUTES = 30
TASKS_IN_FORM = 100
CONFLICT_LABEL = {"overlap": "overlap", "outside_hours": "off hours", "paused_client": "paused", "after_due": "after due",
                  "busy": "busy"}
LEFT_OUT_LISTED = 5
# Why tasks were left out of a proposal, as a sentence says it ("3 tasks: the week is full").
LEFT_OUT_WORDS = {
    "week_full": "the week is full", "no_slot": "no free slot long enough", "due": "no free slot before their due date",
    "no_time": "not enough free time", "target": "their client's weekly target is reached",
}


def nothing_to_propose(left_out_by_reason: dict[str, int]) -> str:
    """'nothing to propose for this week: 58 tasks left out, the week is full'."""
    if not left_out_by_reason:
        return "nothing to propose for this week: no open task to plan"
    parts = [f"{n} task{'s' if n != 1 else ''} left out, {LEFT_OUT_WORDS.get(code, code.replace('_', ' '))}"
             for code, n in left_out_by_reason.items()]
    return "nothing to propose for this week: " + "; ".join(parts)


def accepted_fill_text(chosen: int, proposed: int, hours_planned: float) -> str:
    """In the proposal's own terms: '24 of 24 proposed blocks planned (31 h)'; a batch
    is written as one block per task, but the user chose blocks, not rows."""
    return f"{chosen} of {proposed} proposed block{'s' if proposed != 1 else ''} planned ({hours(hours_planned)}) · u removes them"


SHORT_REASON = {"target": "target", "no_slot": "no slot", "due": "due date", "no_time": "no time", "week_full": "week full"}
RED = "#e05252"
GREEN = "#3c9a5f"
WEEK_KEYS = Binding.Group("week", compact=True)


@dataclass
class PlannerData:
    monday: pendulum.Date
    blocks: list[BlockView]
    conflicts: list[Conflict]
    load: WeekLoad
    checkins: list[CheckinView]
    clients: list[tuple[int, str]] = field(default_factory=list)  # active clients, for the forms
    busy: list[BusyView] = field(default_factory=list)  # imported calendar events of the week
    person: PersonView | None = None  # whose week is shown (None: a desk without people yet, everyone's)
    people: list[PersonView] = field(default_factory=list)


def heading(text: str, style: str) -> Text:
    """A Text that starts with `text` in `style` (a Text's own style would colour all that is appended)."""
    out = Text()
    out.append(text, style=style)
    return out


def clip(line: Text, width: int) -> Text:
    """One line of at most `width` cells, '…' where it was cut (wide characters counted as two)."""
    line.truncate(max(1, width), overflow="ellipsis")
    return line


def block_segments(start: pendulum.DateTime, end: pendulum.DateTime, monday: pendulum.Date) -> list[tuple[int, int, int]]:
    """(weekday index, start minute, end minute) of a block on each local day of the week it touches."""
    out = []
    first, last = start.date(), end.date()
    for i in range(7):
        day = monday.add(days=i)
        if day < first or day > last:
            continue
        s = start.hour * 60 + start.minute if day == first else 0
        e = end.hour * 60 + end.minute if day == last else 1440
        if e > s:
            out.append((i, s, e))
    return out


def _load_open_tasks(client_id: int) -> list[tuple[int, str]]:
    """A client's open tasks, best triage score first (runs in the form's worker thread)."""
    with read_session():
        return [(t.id, t.title) for t in today_list(TASKS_IN_FORM, client_id=client_id)]


class PlannerScreen(DeskScreen):
    """The week grid, its side panel (load, days, conflicts, check-ins, a fill proposal) and a status line."""

    VIEW_TITLE = "Planner"
    RELOAD_ON = frozenset({"time_block", "routine", "routine_skip", "busy_time", "task", "client", "project",
                           "interaction"})
    CSS_PATH = "../styles/planner.tcss"

    BINDINGS = [
        Binding("left_square_bracket", "week(-1)", "Previous week", id="planner-prev-week", group=WEEK_KEYS),
        Binding("right_square_bracket", "week(1)", "Next week", id="planner-next-week", group=WEEK_KEYS),
        Binding("t", "this_week", "This week", id="planner-this-week", show=False),
        Binding("a", "add", "Add", id="planner-add"),
        Binding("e", "edit", "Edit", id="planner-edit"),
        Binding("enter", "open", "Edit / accept", id="planner-open", show=False),
        Binding("d,delete", "delete", "Delete", id="planner-delete"),
        Binding("plus,equals_sign", "resize(1)", "Longer", id="planner-longer", show=False),
        Binding("minus", "resize(-1)", "Shorter", id="planner-shorter", show=False),
        Binding("f", "fill", "Fill week", id="planner-fill"),
        # shown in the status line while a proposal is on the grid (the footer would overflow)
        Binding("y", "accept_fill", "Accept the proposal", id="planner-accept", show=False),
        Binding("space", "toggle_ghost", "Proposed block in/out", id="planner-toggle-ghost", show=False),
        Binding("escape", "discard", "Discard the proposal", id="planner-discard", show=False),
        Binding("c", "checkin", "Check-in", id="planner-checkin"),
        Binding("R", "routines", "Routines", id="planner-routines"),
        Binding("p", "panel", "Panel", id="planner-panel"),
        Binding("W", "person", "Whose week", id="planner-person",
                tooltip="The next person's week: their blocks, capacity and fill my week"),
        Binding("w", "weekend", "Weekend", id="planner-weekend", show=False),
        Binding("o", "other", "Next block here", id="planner-other", show=False),
        Binding("left,h", "cursor(-1, 0)", "Day left", id="planner-left", show=False),
        Binding("right,l", "cursor(1, 0)", "Day right", id="planner-right", show=False),
        Binding("up,k", "cursor(0, -1)", "Slot up", id="planner-up", show=False),
        Binding("down,j", "cursor(0, 1)", "Slot down", id="planner-down", show=False),
        Binding("shift+up,K", "move(0, -1)", "Move block earlier", id="planner-move-earlier", show=False),
        Binding("shift+down,J", "move(0, 1)", "Move block later", id="planner-move-later", show=False),
        Binding("shift+left,H", "move(-1, 0)", "Move block a day back", id="planner-move-back", show=False),
        Binding("shift+right,L", "move(1, 0)", "Move block a day on", id="planner-move-on", show=False),
    ]

    class ProposalReady(Message):
        """The fill worker's proposal for a week."""

        def __init__(self, proposal: FillProposal) -> None:
            super().__init__()
            self.proposal = proposal

    class RoutinesLoaded(Message):
        def __init__(self, routines: list[RoutineView], current: int | None) -> None:
            super().__init__()
            self.routines = routines
            self.current = current

    def __init__(self) -> None:
        super().__init__()
        today = clock.today()
        self.monday = week_start(today)
        self.cursor_date = today
        self.cursor_minute: int | None = None  # None: the first working slot, once the week is known
        self.pinned: tuple[str, int] | None = None  # the item the cursor acts on when several share a cell
        self.proposal: FillProposal | None = None
        self.chosen: set[int] = set()
        self.person_id: int | None = None  # whose week (W); None: yours
        self.panel_choice: bool | None = None  # None: by width
        self.weekend = False
        self.proposing = False
        self.data: PlannerData | None = None
        self.client_id: int | None = None
        self._model = GridModel()
        self._days: list[int] = []  # weekday index of each visible column
        self._blocks: dict[int, BlockView] = {}
        self._block_conflicts: dict[int, list[Conflict]] = {}

    def compose(self) -> ComposeResult:
        yield ViewHeader("Planner", id="view-header")
        with Horizontal(id="planner-body"):
            with Vertical(id="grid-pane"):
                yield WeekGrid(id="week-grid")
                yield Static("", id="planner-status")
            with VerticalScroll(id="side-panel", can_focus=False):
                yield Static("", id="fill-summary")
                yield Static("", id="client-load")
                yield Static("", id="day-load")
                yield Static("", id="conflict-list")
                yield Static("", id="checkin-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#fill-summary").display = False
        self._apply_panel()
        self.query_one(WeekGrid).focus()

    @property
    def settings(self) -> Settings:
        return getattr(self.app, "settings", None) or Settings()

    @property
    def grid(self) -> WeekGrid:
        return self.query_one(WeekGrid)

    def set_client(self, client_id: int) -> None:
        """The app's current client: the default in the block form."""
        self.client_id = client_id

    # -- data -------------------------------------------------------------------
    def load(self) -> PlannerData:
        monday, settings = self.monday, self.settings
        people = list_people()
        wanted = self.person_id if self.person_id is not None else my_id_if_known()
        person = next((p for p in people if p.id == wanted), None)
        blocks = week_blocks(monday, person_id=person.id if person else None)
        busy = week_busy(monday)
        return PlannerData(
            person=person,
            people=people,
            monday=monday,
            blocks=blocks,
            conflicts=conflicts(monday, settings, blocks=blocks, busy=busy),
            load=week_load(monday, settings, blocks=blocks, busy=busy),
            checkins=checkins_in_week(monday),
            clients=[(c.id, c.name) for c in list_clients()],
            busy=busy,
        )

    def show(self, payload: PlannerData) -> None:
        if payload.monday != self.monday:
            return  # a read for a week no longer shown
        people_before = len(self.data.people) if self.data is not None else 0
        self.data = payload
        if len(payload.people) != people_before:
            self.refresh_bindings()  # W comes with a second person
        self._blocks = {b.id: b for b in payload.blocks}
        self._block_conflicts = {}
        for c in payload.conflicts:
            for bid in c.block_ids:
                self._block_conflicts.setdefault(bid, []).append(c)
        self.render_all()

    def render_all(self) -> None:
        self._build_grid()
        self._place_cursor()
        self._render_panel()
        self._render_header()

    # -- the grid model -----------------------------------------------------------
    def _ghosts(self) -> list:
        if self.proposal is None or self.proposal.monday != self.monday:
            return []
        return self.proposal.blocks

    def _build_grid(self) -> None:
        data, settings, monday = self.data, self.settings, self.monday
        if data is None:
            return
        today = clock.today()
        raw: list[tuple[int, int, int, dict]] = []  # (weekday, start, end, item fields)
        for b in data.blocks:
            colour = client_colour(b.colour, b.client_id)
            second = b.task or (b.note if b.note else b.kind)
            lines = (("↻ " if b.is_routine else "") + b.client, second,
                     f"{b.start.format('HH:mm')}–{b.end.format('HH:mm')}")
            for i, s, e in block_segments(b.start, b.end, monday):
                raw.append((i, s, e, dict(key=("block", b.id), lines=lines, colour=colour,
                                          conflict=b.id in self._block_conflicts)))
        for ev in data.busy:
            lines = (terminal_safe(ev.summary, newlines=False), f"{ev.start.format('HH:mm')}–{ev.end.format('HH:mm')} busy",
                     terminal_safe(ev.calendar, newlines=False))
            for i, s, e in block_segments(ev.start, ev.end, monday):
                raw.append((i, s, e, dict(key=("busy", ev.id), lines=lines, colour="", busy=True)))
        for g in self._ghosts():
            colour = client_colour(g.colour, g.client_id)
            lines = (g.client, g.label, f"{g.start.format('HH:mm')}–{g.end.format('HH:mm')} proposed")
            for i, s, e in block_segments(g.start, g.end, monday):
                raw.append((i, s, e, dict(key=("ghost", g.index), lines=lines, colour=colour, ghost=True,
                                          chosen=g.index in self.chosen)))
        busy = {i for i, *_ in raw}
        days = [i for i in range(7) if self.weekend or settings.spans(i) or i in busy]
        if not days:
            days = list(range(5))
        self._days = days
        slot = settings.slot_minutes
        starts = [a for i in days for a, _ in settings.spans(i)] + [s for i, s, _, _ in raw if i in days]
        ends = [z for i in days for _, z in settings.spans(i)] + [e for i, _, e, _ in raw if i in days]
        first = min(starts) // slot * slot if starts else 9 * 60
        last = -(-max(ends) // slot) * slot if ends else 18 * 60
        if last <= first:
            first, last = 9 * 60, 18 * 60
        loads = {d.date: d for d in data.load.days}
        grid_days = []
        for i in days:
            date = monday.add(days=i)
            dl = loads.get(date)
            load = ""
            if dl is not None and (dl.working_hours or dl.planned_hours):
                load = f"{hours(dl.planned_hours + dl.busy_hours)[:-1]}/{hours(dl.capacity_hours)}"
            grid_days.append(GridDay(date, settings.spans(i), load, bool(dl and dl.overbooked), date == today))
        column = {weekday: n for n, weekday in enumerate(days)}
        items = tuple(GridItem(day=column[i], start=s, end=e, **fields) for i, s, e, fields in raw if i in column)
        self._model = GridModel(tuple(grid_days), items, slot, first, last)
        self._clamp_cursor()
        self.grid.set_model(self._model)

    def _clamp_cursor(self) -> None:
        model, monday = self._model, self.monday
        if not self._days:
            return
        if not monday <= self.cursor_date <= monday.add(days=6):
            self.cursor_date = monday.add(days=self.cursor_date.weekday())
        weekday = self.cursor_date.weekday()
        if weekday not in self._days:
            weekday = min(self._days, key=lambda d: (abs(d - weekday), d))
            self.cursor_date = monday.add(days=weekday)
        if self.cursor_minute is None:
            spans = self.settings.spans(weekday)
            self.cursor_minute = spans[0][0] if spans else model.first
        slot = model.slot
        minute = (self.cursor_minute - model.first) // slot * slot + model.first
        self.cursor_minute = max(model.first, min(model.last - slot, minute))

    # -- the cursor -----------------------------------------------------------------
    @property
    def cursor_column(self) -> int:
        weekday = self.cursor_date.weekday()
        return self._days.index(weekday) if weekday in self._days else 0

    def items_at_cursor(self) -> list[GridItem]:
        model = self._model
        if not model.days or self.cursor_minute is None:
            return []
        row = (self.cursor_minute - model.first) // model.slot
        column = self.cursor_column
        found = []
        for item in model.items:
            if item.day != column:
                continue
            r0 = (item.start - model.first) // model.slot
            r1 = max(r0 + 1, -(-(item.end - model.first) // model.slot))
            if r0 <= row < r1:
                found.append(item)
        return sorted(found, key=lambda it: (it.start, it.key))

    def selected_item(self) -> GridItem | None:
        items = self.items_at_cursor()
        if not items:
            return None
        return next((it for it in items if it.key == self.pinned), items[0])

    def block_at_cursor(self) -> BlockView | None:
        item = self.selected_item()
        if item is None or item.key[0] != "block":
            return None
        return self._blocks.get(item.key[1])

    def ghost_at_cursor(self):
        item = self.selected_item()
        if item is None or item.key[0] != "ghost" or self.proposal is None:
            return None
        return self.proposal.blocks[item.key[1]]

    def cursor_start(self) -> pendulum.DateTime:
        d, m = self.cursor_date, self.cursor_minute or 0
        return pendulum.datetime(d.year, d.month, d.day, m // 60, m % 60, tz=clock.local_tz())

    def _place_cursor(self) -> None:
        if self.data is None or self.cursor_minute is None:
            return
        item = self.selected_item()
        self.grid.set_cursor(self.cursor_column, self.cursor_minute, item.key if item else None)
        self._render_status()

    def action_cursor(self, days: int, slots: int) -> None:
        if self.data is None or not self._days:
            return
        if self.has_class("-panel-only"):
            self.query_one("#side-panel").scroll_relative(y=slots * 3, animate=False)
            return
        if days:
            column = max(0, min(len(self._days) - 1, self.cursor_column + days))
            self.cursor_date = self.monday.add(days=self._days[column])
        if slots:
            model = self._model
            self.cursor_minute = max(model.first, min(model.last - model.slot, (self.cursor_minute or 0) + slots * model.slot))
        self.pinned = None
        self._place_cursor()

    @on(WeekGrid.CellClicked)
    def _clicked(self, event: WeekGrid.CellClicked) -> None:
        event.stop()
        if 0 <= event.day < len(self._days):
            self.cursor_date = self.monday.add(days=self._days[event.day])
            self.cursor_minute = event.minute
            self.pinned = None
            self._place_cursor()

    def action_other(self) -> None:
        """Several blocks share the cell (an overlap): act on the next one."""
        items = self.items_at_cursor()
        if len(items) < 2:
            return
        current = self.selected_item()
        index = items.index(current) if current in items else -1
        self.pinned = items[(index + 1) % len(items)].key
        self._place_cursor()

    # -- weeks ----------------------------------------------------------------------
    def _go_to_week(self, monday: pendulum.Date, cursor_date: pendulum.Date) -> None:
        if self.proposal is not None and self.proposal.monday != monday:
            self.proposal = None
            self.chosen = set()
            self.notify("fill proposal discarded (another week)")
        self.monday = monday
        self.cursor_date = cursor_date
        self.pinned = None
        self.data = None
        self._render_header()
        self.reload()

    def action_week(self, step: int) -> None:
        self._go_to_week(self.monday.add(weeks=step), self.cursor_date.add(weeks=step))

    def action_this_week(self) -> None:
        today = clock.today()
        self._go_to_week(week_start(today), today)

    # -- blocks ---------------------------------------------------------------------
    def _needs_block(self) -> BlockView | None:
        block = self.block_at_cursor()
        if block is None:
            self.notify("no block under the cursor", severity="warning")
        return block

    def _clients_for_form(self, extra: BlockView | None = None) -> list[tuple[int, str]]:
        clients = list(self.data.clients if self.data else [])
        if extra is not None and all(cid != extra.client_id for cid, _ in clients):
            clients.append((extra.client_id, extra.client))
        return clients

    def action_add(self) -> None:
        if self.data is None:
            return
        under = self.block_at_cursor()
        default_client = under.client_id if under else (self.client_id or getattr(self.app, "client_id", None))

        def save(result: BlockInput | None) -> None:
            if result is None:
                return
            self.perform(create_block, result.client_id, result.start, result.end, result.kind, result.task_id,
                         result.note, person_id=self._person_id(), done=lambda b: f"added {b.client} {b.start.format('ddd HH:mm')}–{b.end.format('HH:mm')}",
                         then=self._follow)

        self.app.push_screen(
            BlockForm(self._clients_for_form(), self.cursor_date, self.cursor_minute or 0, tasks=_load_open_tasks,
                      client_id=default_client, minutes=60),
            save,
        )

    def action_open(self) -> None:
        if self.proposal is not None:
            self.action_accept_fill()
        else:
            self.action_edit()

    def action_edit(self) -> None:
        block = self._needs_block()
        if block is None:
            return
        initial = BlockInput(block.client_id, block.task_id, block.kind, block.start, block.minutes, block.note)

        def save(result: BlockInput | None) -> None:
            if result is None:
                return
            self.perform(update_block, block.id, client_id=result.client_id, task_id=result.task_id,
                         kind=result.kind, start=result.start, end=result.end, note=result.note,
                         done=lambda b: f"saved {b.client} {b.start.format('ddd HH:mm')}–{b.end.format('HH:mm')}",
                         then=self._follow)

        start = block.start
        self.app.push_screen(
            BlockForm(self._clients_for_form(block), start.date(), start.hour * 60 + start.minute,
                      tasks=_load_open_tasks, initial=initial, task_title=block.task,
                      title=f"Edit block #{block.id}"),
            save,
        )

    def _follow(self, block: BlockView) -> None:
        """Put the cursor on a block just written (the reload shows it there)."""
        self.pinned = ("block", block.id)
        start = block.start
        self.cursor_date = start.date()
        self.cursor_minute = start.hour * 60 + start.minute
        if week_start(start.date()) != self.monday:
            self._go_to_week(week_start(start.date()), start.date())

    def action_move(self, days: int, slots: int) -> None:
        block = self._needs_block()
        if block is None:
            return
        minutes = days * 1440 + slots * self.settings.slot_minutes
        self.perform(move_block, block.id, minutes, then=lambda _: self._moved(block.id, days, slots))

    def _moved(self, block_id: int, days: int, slots: int) -> None:
        """The cursor follows a moved block."""
        self.pinned = ("block", block_id)
        if days:
            self.cursor_date = self.cursor_date.add(days=days)
            if week_start(self.cursor_date) != self.monday:
                self._go_to_week(week_start(self.cursor_date), self.cursor_date)
                self.pinned = ("block", block_id)
        else:
            self.cursor_minute = (self.cursor_minute or 0) + slots * self.settings.slot_minutes

    def action_resize(self, step: int) -> None:
        block = self._needs_block()
        if block is None:
            return
        self.perform(resize_block, block.id, step * self.settings.slot_minutes,
                     then=lambda _: setattr(self, "pinned", ("block", block.id)))

    def action_delete(self) -> None:
        block = self._needs_block()
        if block is None:
            return
        self.perform(delete_block, block.id, done=f"deleted {block.client} {block.start.format('ddd HH:mm')} · u undoes")
        self.pinned = None

    # -- fill my week -----------------------------------------------------------------
    def action_fill(self) -> None:
        if self.proposing:
            return
        self.proposing = True
        self._render_status()
        self._propose(self.monday, self.settings, self._person_id())

    @work(thread=True, exclusive=True, group="fill", exit_on_error=False)
    def _propose(self, monday: pendulum.Date, settings: Settings, person_id: int | None = None) -> None:
        try:
            with read_session():
                proposal = propose_fill(monday, settings, person_id=person_id)
        except (ClientdeskError, *DATABASE_ERRORS) as exc:
            self.app.call_from_thread(self._proposal_failed, str(exc))
            return
        self.post_message(self.ProposalReady(proposal))

    def _proposal_failed(self, message: str) -> None:
        self.proposing = False
        say_refusal(self, message, title="No proposal")
        self._render_status()

    @on(ProposalReady)
    def _proposal_ready(self, message: ProposalReady) -> None:
        message.stop()
        self.proposing = False
        proposal = message.proposal
        if proposal.monday != self.monday:
            self._render_status()
            return
        if not proposal.blocks:
            self.notify(nothing_to_propose(proposal.left_out_by_reason), severity="warning")
            self._render_status()
            return
        self.proposal = proposal
        self.chosen = {b.index for b in proposal.blocks}
        first = proposal.blocks[0]
        if not any(it.key[0] == "ghost" for it in self.items_at_cursor()):
            self.cursor_date = first.start.date()
            self.cursor_minute = first.start.hour * 60 + first.start.minute
        self.pinned = None
        self.render_all()

    def _person_id(self) -> int | None:
        """Whose week the keys act on: the one shown, else yours (made on the first write)."""
        if self.data is not None and self.data.person is not None:
            return self.data.person.id
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """W is there when the desk has someone else's week to show (a desk of one keeps its footer)."""
        if action == "person":
            return self.data is not None and len(self.data.people) > 1
        return True

    def action_person(self) -> None:
        """The next person's week (W): their blocks, capacity and fill my week."""
        people = self.data.people if self.data is not None else []
        if len(people) < 2:
            self.notify("one person on this desk: `clientdesk person add NAME` adds a teammate", severity="warning")
            return
        current = self.data.person.id if self.data.person is not None else None
        ids = [p.id for p in people]
        nxt = ids[(ids.index(current) + 1) % len(ids)] if current in ids else ids[0]
        self.person_id = nxt
        self.proposal = None
        self.chosen = set()
        name = next(p.name for p in people if p.id == nxt)
        self.notify(f"{name}'s week", markup=False)
        self.reload()

    def action_accept_fill(self) -> None:
        proposal = self.proposal
        if proposal is None:
            self.notify("no proposal to accept: f proposes one", severity="warning")
            return
        if not self.chosen:
            self.notify("nothing chosen: space puts a ghost block back in", severity="warning")
            return
        every = len(self.chosen) == len(proposal.blocks)
        indices = None if every else sorted(self.chosen)
        chosen = [b for b in proposal.blocks if b.index in self.chosen]
        said = accepted_fill_text(len(chosen), len(proposal.blocks), sum(b.minutes for b in chosen) / 60)
        self.perform(accept_fill, proposal, indices, done=said,
                     then=lambda _: self._fill_accepted(proposal))

    def _fill_accepted(self, proposal: FillProposal) -> None:
        if self.proposal is proposal:
            self.proposal = None
            self.chosen = set()
            self.render_all()

    def action_toggle_ghost(self) -> None:
        ghost = self.ghost_at_cursor()
        if ghost is None:
            self.notify("no proposed block under the cursor" if self.proposal else "no proposal: f proposes one",
                        severity="warning")
            return
        self.chosen ^= {ghost.index}
        self.render_all()

    def action_discard(self) -> None:
        if self.proposal is None:
            return
        self.proposal = None
        self.chosen = set()
        self.notify("fill proposal discarded")
        self.render_all()

    # -- check-ins --------------------------------------------------------------------
    def action_checkin(self) -> None:
        if self.data is None:
            return
        checkins = self.data.checkins
        if not checkins:
            self.notify("no check-ins due this week", severity="warning")
            return
        ordered = sorted(checkins, key=lambda c: (c.block_id is not None, c.due, c.client))
        items = [(c.client_id, self._checkin_line(c)) for c in ordered]
        start = self.cursor_start()

        def book(client_id: int | None) -> None:
            if client_id is None:
                return
            self.perform(checkin_to_block, client_id, start, CHECKIN_MINUTES,
                         done=lambda b: f"check-in with {b.client} booked {b.start.format('ddd HH:mm')}",
                         then=lambda b: setattr(self, "pinned", ("block", b.id)))

        self.app.push_screen(
            CheckinPicker(f"Book a check-in at {start.format('ddd D MMM HH:mm')} ({CHECKIN_MINUTES} min meeting)",
                          items, current=ordered[0].client_id),
            book,
        )

    def _checkin_line(self, c: CheckinView) -> Text:
        line = heading(c.due.format("ddd D").ljust(7), "bold")
        if c.block_id is not None:
            line.append("✔ ", style=f"bold {GREEN}")
        line.append(c.client)
        if c.late:
            line.append(" late", style=f"bold {RED}")
        if c.never_contacted:
            line.append(" never contacted", style="italic")
        line.append(f" · {c.channel}", style="dim")
        if c.block_id is not None:
            line.append(" · booked", style=GREEN)
        return line

    # -- routines -----------------------------------------------------------------------
    def action_routines(self, current: int | None = None) -> None:
        self._read_routines(current)

    @work(thread=True, exclusive=True, group="routines", exit_on_error=False)
    def _read_routines(self, current: int | None) -> None:
        try:
            with read_session():
                routines = list_routines()
        except (ClientdeskError, *DATABASE_ERRORS) as exc:
            self.app.call_from_thread(say_refusal, self, exc, title="Cannot read")
            return
        self.post_message(self.RoutinesLoaded(routines, current))

    @on(RoutinesLoaded)
    def _routines_loaded(self, message: RoutinesLoaded) -> None:
        message.stop()
        self.app.push_screen(RoutinesModal(message.routines, current=message.current), self._routine_request)

    def _routine_request(self, request: RoutineRequest | None) -> None:
        if request is None:
            return
        if request.what == "delete" and request.routine_id is not None:
            self.perform(delete_routine, request.routine_id, done="routine deleted · u undoes",
                         then=lambda _: self.action_routines(), refused=lambda _: self.action_routines())
            return
        if request.what == "add":
            under = self.block_at_cursor()

            def save(result: RoutineInput | None) -> None:
                if result is not None:
                    self.perform(create_routine, result.client_id, result.weekday, result.start_time,
                                 result.minutes, result.every_weeks, self.monday, result.kind,
                                 note=result.note, done=lambda r: f"routine added: {r.label}",
                                 then=lambda r: self.action_routines(r.id), refused=lambda _: self.action_routines())
                else:
                    self.action_routines()

            self.app.push_screen(
                RoutineForm(self._clients_for_form(), client_id=under.client_id if under else self.client_id,
                            weekday=self.cursor_date.weekday(), start_minute=self.cursor_minute or 9 * 60),
                save,
            )

    # -- layout toggles -------------------------------------------------------------------
    def _apply_panel(self) -> None:
        narrow = self.size.width < NARROW_BELOW if self.size.width else False
        shown = (not narrow) if self.panel_choice is None else self.panel_choice
        self.set_class(not shown, "-panel-hidden")
        self.set_class(shown and narrow, "-panel-only")
        self.set_class(self.size.width >= WIDE_FROM, "-wide")

    def action_panel(self) -> None:
        narrow = self.size.width < NARROW_BELOW
        shown = (not narrow) if self.panel_choice is None else self.panel_choice
        self.panel_choice = not shown
        self._apply_panel()
        self.call_after_refresh(self._render_panel)

    def action_weekend(self) -> None:
        self.weekend = not self.weekend
        self.render_all()

    def on_resize(self) -> None:
        self._apply_panel()
        if self.data is not None:
            self.call_after_refresh(self.render_all)

    # -- the side panel --------------------------------------------------------------------
    def _panel_width(self) -> int:
        width = self.query_one("#side-panel").scrollable_content_region.width  # the scrollbar's gutter is kept
        return width if width > 10 else 38

    def _render_panel(self) -> None:
        if self.data is None:
            return
        width = self._panel_width()
        self._render_fill(width)
        self._render_client_load(width)
        self._render_day_load(width)
        self._render_conflicts(width)
        self._render_checkins(width)

    def _render_fill(self, width: int) -> None:
        box = self.query_one("#fill-summary", Static)
        proposal = self.proposal
        if proposal is None or proposal.monday != self.monday:
            box.display = False
            return
        box.display = True
        width = max(12, width - 4)  # the box's border and padding
        chosen = [b for b in proposal.blocks if b.index in self.chosen]
        out = heading("Fill my week · proposal", "bold #5fafd7")
        out.append(f"\n{len(chosen)} of {len(proposal.blocks)} blocks chosen · {hours(sum(b.minutes for b in chosen) / 60)}")
        by_client: dict[int, float] = {}
        for b in chosen:
            by_client[b.client_id] = by_client.get(b.client_id, 0.0) + b.minutes / 60
        name_w = max(6, min(30, width - 16))
        for c in proposal.clients:
            if not c.proposed_hours:
                continue
            added = by_client.get(c.client_id, 0.0)
            out.append("\n")
            out.append(fit(c.client, name_w), style="bold" if added else "dim")
            out.append(f" +{hours(added):<5}", style=GREEN if added else "dim")
            target = f"/{hours(c.target_hours)}" if c.target_hours else ""
            out.append(f" {hours(c.planned_hours + added)[:-1] if target else hours(c.planned_hours + added)}{target}",
                       style="dim")
        if proposal.left_out_count:
            reasons = ", ".join(f"{SHORT_REASON.get(code, code)} {n}" for code, n in proposal.left_out_by_reason.items())
            out.append("\n")
            out.append(f"Left out {proposal.left_out_count}", style="bold")
            out.append(f": {reasons}", style="dim")
            for note in proposal.left_out[:LEFT_OUT_LISTED]:
                line = Text()
                line.append(f"{SHORT_REASON.get(note.code, note.code):<9} ", style="dim italic")
                line.append(note.title)
                out.append("\n")
                out.append_text(clip(line, width))
        for note in proposal.assumed[:2]:
            line = Text()
            line.append(f"{'ⓘ ' + note.code:<9} ", style="dim italic")
            line.append(note.title, style="dim")
            out.append("\n")
            out.append_text(clip(line, width))
        out.append("\n")
        out.append_text(clip(Text("y accept, space in/out, esc discard", style="italic #5fafd7"), width))
        box.update(out)

    def _render_client_load(self, width: int) -> None:
        load = self.data.load
        out = heading("Clients · planned / target", "bold")
        out.append("\n")
        name_w = max(8, min(30, width - 24))
        shown = 0
        for c in load.clients:
            if not c.target_hours and not c.planned_hours:
                continue
            shown += 1
            out.append(fit(c.client, name_w), style="bold" if c.status == "active" else "dim")
            out.append(" ")
            out.append_text(bar(c.share, width=6) if c.target_hours else Text("—".ljust(11), style="dim"))
            figure = f"{hours(c.planned_hours)[:-1]}/{hours(c.target_hours)}" if c.target_hours else hours(c.planned_hours)
            out.append(f" {figure:>9}")
            if c.starved:
                out.append("\n" + " " * 2)
                out.append("▼ starved", style=f"bold {RED}")
                out.append(f" {hours(c.remaining_hours)} to plan", style="dim")
            out.append("\n")
        if not shown:
            out.append("no active client has a weekly target\n", style="dim")
        if load.judged_on is None:
            out.append("future week: starved is judged from Wednesday", style="dim italic")
        else:
            starved = sum(1 for c in load.clients if c.starved)
            out.append(f"{starved} starved" if starved else "nobody starved", style=f"bold {RED}" if starved else "dim")
            out.append(f" (judged {load.judged_on.format('ddd D MMM')})", style="dim")
        self.query_one("#client-load", Static).update(out)

    def _render_day_load(self, width: int) -> None:
        with_busy = any(d.busy_hours for d in self.data.load.days)  # the column shows once a calendar is imported
        out = heading("Days".ljust(7) + "capacity".rjust(8) + "planned".rjust(8) + ("busy".rjust(7) if with_busy else "")
                      + "free".rjust(7), "bold")
        out.append("\n")
        today = clock.today()
        for d in self.data.load.days:
            if not d.working_hours and not d.planned_hours:
                continue
            out.append(d.date.format("ddd D").ljust(7), style="bold #5fafd7" if d.date == today else "bold")
            if not d.working_hours:
                out.append(f"{'off':>8}", style="dim")
            else:
                out.append(f"{hours(d.capacity_hours):>8}")
            out.append(f"{hours(d.planned_hours):>8}", style=f"bold {RED}" if d.overbooked else "")
            if with_busy:
                out.append(f"{hours(d.busy_hours):>7}", style="dim" if not d.busy_hours else "")
            out.append(f"{hours(d.free_hours):>7}", style="dim" if not d.free_hours else GREEN)
            if d.overbooked:
                out.append(" overbooked", style=f"bold {RED}")
            out.append("\n")
        out.append(f"buffer kept free: {self.settings.buffer_share:.0%} of working hours", style="dim italic")
        self.query_one("#day-load", Static).update(out)

    def _conflict_text(self, c: Conflict) -> str:
        """A conflict in one short line: when, who, what (the status line gives the whole message)."""
        blocks = [self._blocks[i] for i in c.block_ids if i in self._blocks]
        if not blocks:
            return c.message
        b = blocks[-1] if c.kind == "overlap" else blocks[0]
        when = b.start.format("ddd HH:mm")
        if c.kind == "overlap" and len(blocks) > 1:
            return f"{when} {blocks[0].client} ↔ {blocks[1].client}"
        if c.kind == "outside_hours":
            return f"{when} {b.client}, outside {self.settings.hours_label(b.start.weekday())}"
        if c.kind == "paused_client":
            return f"{when} {b.client} is {b.client_status}"
        if c.kind == "after_due" and b.task_due is not None:
            return f"{when} {b.task} (due {b.task_due.format('ddd D MMM')})"
        if c.kind == "busy":
            return terminal_safe(f"{when} {b.client} over {c.message.split('busy time: ', 1)[-1]}", newlines=False)
        return c.message

    def _render_conflicts(self, width: int) -> None:
        found = self.data.conflicts
        box = self.query_one("#conflict-list", Static)
        if not found:
            box.update(heading("Conflicts · none ✔", f"bold {GREEN}"))
            return
        out = heading(f"Conflicts · {len(found)}", f"bold {RED}")
        for c in found:
            line = Text()
            line.append("! ", style=f"bold {RED}")
            line.append(CONFLICT_LABEL.get(c.kind, c.kind).ljust(10), style="bold")
            line.append(self._conflict_text(c))
            out.append("\n")
            out.append_text(clip(line, width))
        box.update(out)

    def _render_checkins(self, width: int) -> None:
        checkins = self.data.checkins
        box = self.query_one("#checkin-list", Static)
        if not checkins:
            box.update(heading("Check-ins · none due this week", "bold dim"))
            return
        out = heading("Check-ins this week", "bold")
        out.append(" · c books one", style="dim")
        for c in checkins:
            out.append("\n")
            out.append_text(clip(self._checkin_line(c), width))
        box.update(out)

    # -- header and status line ----------------------------------------------------------------
    def _render_header(self) -> None:
        monday = self.monday
        sunday = monday.add(days=6)
        weeks = (monday - week_start(clock.today())).days // 7
        when = "this week" if weeks == 0 else (f"in {weeks} week{'s' if weeks > 1 else ''}" if weeks > 0
                                               else f"{-weeks} week{'s' if weeks < -1 else ''} ago")
        span = f"{monday.format('D MMM')}–{sunday.format('D MMM YYYY')}"
        context = f"Week {monday.isocalendar()[1]} · {span} · {when}"
        person = self.data.person if self.data is not None else None
        if person is not None and len(self.data.people) > 1:  # a desk of one: its week is yours, said by nothing
            planned = sum((b.end - b.start).total_seconds() for b in self.data.blocks) / 3600
            context += f" · {person.name}'s week, {planned:.1f}h of {person.capacity_hours:g}h"
        if self.proposal is not None:
            context += " · fill proposal"
        self.query_one(ViewHeader).set_context(context)

    def _render_status(self) -> None:
        status = self.query_one("#planner-status", Static)
        if self.data is None or self.cursor_minute is None:
            status.update(Text("reading the week…", style="dim"))
            return
        out = Text()
        if self.proposing:
            out.append("proposing… ", style="bold italic #5fafd7")
        if self.proposal is not None:
            chosen = [b for b in self.proposal.blocks if b.index in self.chosen]
            out.append(" PROPOSAL ", style="bold black on #5fafd7")
            out.append(f" {len(chosen)}/{len(self.proposal.blocks)} blocks · {hours(sum(b.minutes for b in chosen) / 60)}",
                       style="bold")
            out.append(" · enter/y accept · space in/out · esc discard   ", style="italic")
        out.append(f"{self.cursor_date.format('ddd D MMM')} {hhmm(self.cursor_minute)}", style="bold")
        items = self.items_at_cursor()
        item = self.selected_item()
        if item is not None and item.key[0] == "block" and item.key[1] in self._blocks:
            b = self._blocks[item.key[1]]
            out.append(" · ")
            out.append(b.client, style="bold")
            if b.task:
                out.append(": ")
                out.append(b.task)
            out.append(f" {b.start.format('HH:mm')}–{b.end.format('HH:mm')} {b.kind}", style="dim")
            if b.is_routine:
                out.append(" ↻ routine", style="dim")
            for c in self._block_conflicts.get(b.id, []):
                out.append(f" ! {CONFLICT_LABEL.get(c.kind, c.kind)}", style=f"bold {RED}")
        elif item is not None and item.key[0] == "busy" and self.data is not None:
            ev = next((e for e in self.data.busy if e.id == item.key[1]), None)
            if ev is not None:
                out.append(" · busy: ", style="italic")
                out.append(terminal_safe(ev.summary, newlines=False), style="bold")
                out.append(f" {ev.start.format('HH:mm')}–{ev.end.format('HH:mm')} "
                           f"({terminal_safe(ev.calendar, newlines=False)})", style="dim")
        elif item is not None and item.key[0] == "ghost" and self.proposal is not None:
            g = self.proposal.blocks[item.key[1]]
            out.append(" · ghost: ", style="italic")
            out.append(g.client, style="bold")
            out.append(": ")
            out.append(g.label)
            out.append(" (in)" if g.index in self.chosen else " (out)", style="bold" if g.index in self.chosen else "dim")
        else:
            out.append(" · free", style="dim")
        if len(items) > 1:
            out.append(f"  [{items.index(item) + 1}/{len(items)} here, o: next]", style="dim")
        out.no_wrap = True
        out.overflow = "ellipsis"
        status.update(out)


__all__ = ["PlannerScreen", "PlannerData", "block_segments"]
