"""Board (2): one client's tasks as kanban columns backlog → done, triaged with single keys.

Separation is the point: only one client is in view; `c` picks another, `(`
and `)` step through the active clients without leaving the board. Filters
narrow it by project (`p`), tag (`t`) and words (`/`). `a` opens the
quick-add line, which shows how it reads the line before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from clientdesk import clock
from clientdesk.db import DATABASE_ERRORS
from clientdesk.domain.burn import logged_minutes_by_task
from clientdesk.domain import tasks as task_rules
from clientdesk.domain.clients import ClientRef, ProjectRef, list_clients, list_projects
from clientdesk.domain.people import team_names
from clientdesk.domain.errors import InputError
from clientdesk.domain.quickadd import QuickAdd, parse_quick_add
from clientdesk.domain.tasks import OPEN_STATUSES, TaskInput, TaskView
from clientdesk.tui.base import FilteredDeskScreen
from clientdesk.tui.keys import MINE_BINDING, TRIAGE_BINDINGS
from clientdesk.tui.messages import DataChanged
from clientdesk.tui.modals.pickers import PickerModal
from clientdesk.tui.text import literal, minutes_label, short_date
from clientdesk.tui.widgets.board_column import BoardColumn, CardList, CardStyle
from clientdesk.tui.widgets.key_bar import KeyBar
from clientdesk.tui.widgets.view_header import ViewHeader

TASK_STATUSES = (*OPEN_STATUSES, "done")  # the columns, left to right
BOARD_TABLES = ("task", "project", "client")  # what a change must touch for the board to read again
DONE_SHOWN = 30  # the done column shows the most recently finished cards only
DONE_LOADED = 300  # ...and the text filter searches the latest few hundred, not years of history
DIVIDERS_FROM_HEIGHT = 36  # on tall screens a thin rule separates the cards
QUICK_ADD_HINT = "Title p1 due:fri 2h #dev +Project @name · enter saves · esc cancels"


@dataclass
class BoardData:
    """What the board shows, read in a worker thread."""

    client: ClientRef | None
    clients: list[ClientRef] = field(default_factory=list)
    projects: list[ProjectRef] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    tasks: list[TaskView] = field(default_factory=list)
    done_total: int = 0
    logged: dict[int, int] = field(default_factory=dict)  # task id -> minutes logged (cards: logged/estimate)
    people: list[str] = field(default_factory=list)  # the names @name can assign


def _done_order(task: TaskView):
    """The done column's order: the most recently finished first."""
    return task.completed is None, -(task.completed.timestamp() if task.completed else 0), -task.id


def text_matches(task: TaskView, needle: str) -> bool:
    """Every word of the filter appears in the title, the project or a tag."""
    hay = " ".join((task.title, task.project, *(f"#{t}" for t in task.tags))).casefold()
    return all(word in hay for word in needle.casefold().split())


def describe_quick_add(parsed: QuickAdd, project: str, status: str, today) -> Text:
    """'→ 'Title' · p1 · due Fri 27 Nov · 2h · #dev · project Website · into todo'."""
    line = Text("→ ", style="bold")
    line.append("'")
    line.append(parsed.title, style="bold")
    line.append("'")
    sep = (" · ", "dim")
    line.append(*sep)
    line.append(f"p{parsed.priority or 3}", style="bold" if parsed.priority else "dim")
    if parsed.due is not None:
        line.append(*sep)
        line.append(f"due {short_date(parsed.due, today)}", style="bold #e05252" if parsed.due < today else "bold")
    if parsed.estimate_minutes:
        line.append(*sep)
        line.append(minutes_label(parsed.estimate_minutes), style="bold")
    if parsed.tags:
        line.append(*sep)
        line.append(" ".join(f"#{t}" for t in parsed.tags), style="bold #b48ead")
    if parsed.assignee:
        line.append(*sep)
        line.append(f"@{parsed.assignee}", style="bold")
    line.append(*sep)
    line.append("project ", style="dim")
    line.append(project, style="bold" if parsed.project_id else "")
    line.append(*sep)
    line.append(f"into {status}", style="dim")
    return line


def filters_active(board) -> bool:
    return board.project_filter is not None or bool(board.tag_filter) or bool(board.filter_text) or board.mine


class BoardScreen(FilteredDeskScreen):
    """Kanban columns of one client's tasks; every triage key works on the card or the marked cards."""

    FILTER_PLACEHOLDER = "filter cards by words in title, project, #tag (esc clears)"

    VIEW_TITLE = "Board"
    AUTO_FOCUS = ""  # nothing takes focus: keys go to the screen, which keeps the current column
    CSS_PATH = "../styles/board.tcss"

    BINDINGS = [
        Binding("enter", "open", "Open", id="open"),
        Binding("a", "quick_add", "Add", id="add"),
        Binding("A", "add_form", "Add (form)", id="add-form", show=False),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("P", "new_project", "New project", id="new-project"),
        Binding("delete", "delete", "Delete", id="delete"),
        *TRIAGE_BINDINGS,
        Binding("b", "block_time", "Block time", id="block-time"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("p", "project_filter", "Project", id="filter-project"),
        Binding("g", "tag_filter", "Tag", id="filter-tag"),  # t is the timer, everywhere
        MINE_BINDING,
        Binding("c", "pick_client", "Client", id="pick-client"),
        Binding("left_parenthesis", "client(-1)", "Prev client", id="client-prev", key_display="("),
        Binding("right_parenthesis", "client(1)", "Next client", id="client-next", key_display=")"),
        Binding("ctrl+left", "client(-1)", "Prev client", id="client-prev-ctrl", show=False),
        Binding("ctrl+right", "client(1)", "Next client", id="client-next-ctrl", show=False),
        Binding("K", "reorder(-1)", "Card up", id="card-up", show=False),
        Binding("J", "reorder(1)", "Card down", id="card-down", show=False),
        Binding("escape", "escape", "Close / clear", id="board-escape", show=False),
        Binding("left,h", "column(-1)", "Column left", id="board-column-left", show=False),
        Binding("right,l", "column(1)", "Column right", id="board-column-right", show=False),
        Binding("up,k", "cursor('cursor_up')", "Card above", id="board-up", show=False),
        Binding("down,j", "cursor('cursor_down')", "Card below", id="board-down", show=False),
        Binding("home", "cursor('first')", "First card", id="board-first", show=False),
        Binding("end", "cursor('last')", "Last card", id="board-last", show=False),
        Binding("pageup", "cursor('page_up')", "Page up", id="board-page-up", show=False),
        Binding("pagedown", "cursor('page_down')", "Page down", id="board-page-down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.client_id: int | None = None
        self.data = BoardData(None)
        self.project_filter: int | None = None
        self.tag_filter: str | None = None
        self.mine = False  # only the cards assigned to you (m)
        self.filter_text = ""
        self.marked: set[int] = set()
        self.current_status = "todo"
        self._follow: int | None = None  # the card the highlight should find after the next reload
        self._fresh_client = True  # a new client: highlights start at the top
        self._dividers = False
        self._quick_status = "todo"
        self._patch_ids: list[int] | None = None  # the cards the action running now acts on
        self._shown_token = 0  # the load token whose data is on screen (behind _load_token: a read is running)
        self._patching = False  # show() is putting patched cards in, not a fresh read
        self._bar_drawn: Text | None = None

    def compose(self) -> ComposeResult:
        yield ViewHeader("Board", id="view-header")
        yield Label("", id="board-bar")
        with Horizontal(id="columns"):
            for status in TASK_STATUSES:
                yield BoardColumn(status, id=f"column-{status}", current=status == self.current_status)
        with Vertical(id="quick-add"):
            yield Label("", id="qa-preview")
            yield Input(placeholder=QUICK_ADD_HINT, id="qa-input")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        # DeskScreen's handler runs right after this one and reads again unless a read is running.
        app_client = getattr(self.app, "client_id", None)
        if app_client is not None and app_client != self.client_id:
            self._adopt_client(app_client)
            self.reload()  # not the read of the previous client that may be running

    # -- client ----------------------------------------------------------------------
    def set_client(self, client_id: int) -> None:
        """Show this client's board (filters and marks belong to the previous one and are cleared)."""
        self._adopt_client(client_id)
        if self.is_mounted:
            self.reload()

    def _adopt_client(self, client_id: int) -> None:
        if client_id != self.client_id:
            self.project_filter = None
            self.tag_filter = None
            self.filter_text = ""
            self.marked.clear()
            self._follow = None
            self._fresh_client = True
            if self.is_mounted and (box := self.filter_box()) is not None:
                box.value = ""
                box.display = False
        self.client_id = client_id
        self.app.client_id = client_id

    # -- data ------------------------------------------------------------------------
    def load(self) -> BoardData:
        clients = list_clients(include_inactive=True)
        wanted = self.client_id
        if wanted is None:  # no client chosen yet: the first active one
            wanted = next((c.id for c in clients if c.status == "active"), None)
        client = next((c for c in clients if c.id == wanted), None)
        if client is None:
            return BoardData(None, clients)
        assignee = None
        if self.mine:
            from clientdesk.domain.people import my_id_if_known

            assignee = my_id_if_known() or 0  # before your first write nothing is yours
        tasks = task_rules.board_tasks(client.id, project_id=self.project_filter, tag=self.tag_filter,
                                       done_limit=DONE_LOADED, scored=False, assignee_id=assignee)  # no score
        return BoardData(
            people=team_names(),
            client=client,
            clients=clients,
            projects=list_projects(client.id),
            tags=task_rules.all_tags(client.id),
            tasks=tasks,
            done_total=task_rules.board_done_count(client.id, project_id=self.project_filter, tag=self.tag_filter,
                                                   assignee_id=assignee),
            logged=logged_minutes_by_task([t.id for t in tasks]),
        )

    def reload(self, early=None) -> None:
        """After a triage key, re-read only the cards it acted on; else read the whole board (in a worker)."""
        ids, self._patch_ids = self._patch_ids, None
        if ids is not None and self._patch(ids):
            return
        super().reload(early)

    def data_changed(self, change: DataChanged) -> None:
        """Only task rows changed: patch those cards (a card not on the board makes it a full read)."""
        if not change.touches(*BOARD_TABLES):
            return
        if not change.everything and change.tables == {"task"}:
            self._patch_ids = sorted(change.ids["task"])
        self.reload()

    def _triage(self, fn, ids: list[int], *args, **kwargs) -> None:
        """Run a triage action on these cards; the change it reports patches just them."""
        self.perform(fn, ids, *args, **kwargs)

    def _patch(self, ids: list[int]) -> bool:
        """Put the acted-on cards, read again (~1 ms, on the UI thread), into the board; False: read it all.

        Priority and status changes touch only those rows. What they cannot
        say is left to the full read: a finished recurring task's next
        occurrence (a new card), a card not on the board, a read still running.
        """
        data = self.data
        if not (self.loaded and data.client is not None and data.client.id == self.client_id
                and self._shown_token == self._load_token):
            return False
        wanted = set(ids)
        before = {t.id: t for t in data.tasks if t.id in wanted}
        if len(before) != len(wanted):
            return False
        try:
            fresh = {t.id: t for t in task_rules.tasks_by_ids(ids)}
        except DATABASE_ERRORS:
            return False
        for task_id, old in before.items():
            new = fresh.get(task_id)
            if new is not None and new.recurrence and new.status == "done" and old.status != "done":
                return False
        kept = {i: t for i, t in fresh.items() if self._in_filters(t)}
        tasks = [kept.get(t.id, t) for t in data.tasks if t.id not in wanted or t.id in kept]
        opened = sorted((t for t in tasks if t.status != "done"), key=lambda t: (t.position, t.id))
        done = sorted((t for t in tasks if t.status == "done"), key=_done_order)
        done_total = (data.done_total + sum(1 for t in kept.values() if t.status == "done")
                      - sum(1 for t in before.values() if t.status == "done"))
        self._patching = True
        try:
            self.show(replace(data, tasks=opened + done, done_total=max(0, done_total)))
        finally:
            self._patching = False
        return True

    def _in_filters(self, task: TaskView) -> bool:
        """Whether the loaded board (client, project and tag filters) takes this task."""
        return (self.data.client is not None and task.client_id == self.data.client.id
                and (not self.mine or (task.assignee_id is not None and task.assignee_id == self._my_id()))
                and (self.project_filter is None or task.project_id == self.project_filter)
                and (not self.tag_filter or self.tag_filter.lstrip("#").lower() in task.tags))

    def _my_id(self) -> int | None:
        from clientdesk.domain.people import my_id_if_known

        return my_id_if_known()

    def action_mine(self) -> None:
        """Only the cards assigned to you, or everyone's again."""
        self.mine = not self.mine
        self.notify("Board: your cards only (m: everyone's)" if self.mine else "Board: everyone's cards", markup=False)
        self.reload()

    def show(self, payload: BoardData) -> None:
        self._shown_token = self._load_token
        self.data = payload
        if self.client_id is None and payload.client is not None:  # the one load() took
            self.client_id = self.app.client_id = payload.client.id
        header = self.query_one("#view-header", ViewHeader)
        context = payload.client.name if payload.client else ""
        if not (self._patching and header.context == context):  # a patch: same client, nothing to redraw there
            header.set_context(context)
        present = {t.id for t in payload.tasks}
        self.marked &= present
        self.render_columns()
        self.render_bar()

    def column(self, status: str) -> BoardColumn:
        return self.query_one(f"#column-{status}", BoardColumn)

    def visible_tasks(self) -> dict[str, tuple[list[TaskView], int]]:
        """Each column's cards after the text filter, with its full count (the done column is cut)."""
        by_status: dict[str, list[TaskView]] = {s: [] for s in TASK_STATUSES}
        for task in self.data.tasks:
            if self.filter_text and not text_matches(task, self.filter_text):
                continue
            by_status.setdefault(task.status, []).append(task)
        out = {s: (cards, len(cards)) for s, cards in by_status.items()}
        done = sorted(by_status["done"], key=_done_order)
        total = len(done) if self.filter_text else max(len(done), self.data.done_total)
        out["done"] = (done[:DONE_SHOWN], total)
        return out

    def render_columns(self) -> None:
        logged = self.data.logged
        style = CardStyle(today=clock.today(),
                          show_project=self.project_filter is None and len(self.data.projects) > 1,
                          logged=logged, logged_key=frozenset(logged.items()))
        follow, self._follow = self._follow, None
        fresh, self._fresh_client = self._fresh_client, False
        self._dividers = self.size.height >= DIVIDERS_FROM_HEIGHT
        marked = frozenset(self.marked)
        landed = None
        for status, (cards, total) in self.visible_tasks().items():
            col = self.column(status)
            keep = follow if follow is not None and any(t.id == follow for t in cards) else None
            if keep is not None:
                landed = status
            col.set_tasks(cards, style, marked=marked, total=total if status == "done" else None, keep=keep,
                          dividers=self._dividers, reset=fresh)
        if landed is not None:
            self.set_current(landed)

    def render_bar(self) -> None:
        data = self.data
        bar = Text(" ")
        if data.client is None:
            if data.clients:
                bar.append("Choose a client: c", style="bold")
            else:
                bar.append("No client yet: N adds the first one", style="bold")
            self._update_bar(bar)
            return
        bar.append_text(literal(data.client.name, "bold"))
        if data.client.status != "active":
            bar.append(f" ({data.client.status})", style="italic #d4a017")
        open_tasks = [t for t in data.tasks if t.status != "done"]
        late = sum(1 for t in open_tasks if t.overdue_on(clock.today()))
        if not data.projects:
            bar.append("  no project yet: P adds one, then a adds its tasks", style="bold #d4a017")
        elif not data.tasks and not filters_active(self):
            bar.append("  no task yet: a adds one (quick-add), A with the full form", style="bold #d4a017")
        bar.append(f"  {len(open_tasks)} open", style="dim")
        if late:
            bar.append(f" · {late} late", style="bold #e05252")
        filters = []
        if self.project_filter is not None:
            name = next((p.name for p in data.projects if p.id == self.project_filter), f"#{self.project_filter}")
            filters.append(("project ", name))
        if self.tag_filter:
            filters.append(("tag #", self.tag_filter))
        if self.filter_text:
            filters.append(("words ", self.filter_text))
        if self.mine:
            filters.append(("", "mine (m: everyone's)" if data.tasks else "mine: nothing here is assigned to you "
                                 "(@name in quick-add assigns; m: everyone's)"))
        if filters:
            bar.append("   filter: ", style="italic")
            for n, (label, value) in enumerate(filters):
                if n:
                    bar.append(" · ", style="dim")
                bar.append(label, style="italic")
                bar.append(value, style="bold italic")
        if self.marked:
            bar.append(f"   {len(self.marked)} marked", style="bold magenta")
            bar.append(" (the next triage key acts on all)", style="magenta")
        self._update_bar(bar)

    def _update_bar(self, bar: Text) -> None:
        """Draw the bar when it changed; it is one line across (CSS), so no layout pass is needed for it."""
        if bar == self._bar_drawn:
            return
        first = self._bar_drawn is None
        self._bar_drawn = bar
        self.query_one("#board-bar", Label).update(bar, layout=first)

    def on_resize(self) -> None:
        if self.loaded and (self.size.height >= DIVIDERS_FROM_HEIGHT) != self._dividers:
            self.render_columns()

    # -- where the cursor is -------------------------------------------------------
    def set_current(self, status: str) -> None:
        """Make a column the current one (its header and highlighted card are lit)."""
        if status == self.current_status:
            return
        self.column(self.current_status).set_current(False)
        self.current_status = status
        self.column(status).set_current(True)

    def action_column(self, step: int) -> None:
        i = TASK_STATUSES.index(self.current_status) + step
        if 0 <= i < len(TASK_STATUSES):
            self.set_current(TASK_STATUSES[i])

    def action_cursor(self, action: str) -> None:
        getattr(self.current_cards(), f"action_{action}")()

    def _blur_inputs(self) -> None:
        self.set_focus(None)

    def current_cards(self) -> CardList:
        return self.column(self.current_status).cards

    def current_task(self) -> TaskView | None:
        task_id = self.current_cards().current_id
        return next((t for t in self.data.tasks if t.id == task_id), None)

    def timer_target(self) -> tuple[int, int | None] | None:
        """The highlighted card, for `t` and `T`."""
        task = self.current_task()
        return (task.client_id, task.id) if task is not None else None

    def _targets(self) -> list[int]:
        """The marked cards (then unmarked), else the highlighted one."""
        if self.marked:
            ids = sorted(self.marked)
            self.marked.clear()
            return ids
        task = self.current_task()
        if task is None:
            self.notify("no card here", severity="warning")
            return []
        return [task.id]

    # -- triage keys -------------------------------------------------------------------
    def action_priority(self, step: int) -> None:
        if ids := self._targets():
            self._triage(task_rules.change_priority, ids, step)

    def action_move(self, step: int) -> None:
        ids = self._targets()
        if not ids:
            return
        if len(ids) == 1:
            self._follow = ids[0]  # the card travels; the highlight goes with it
        self._triage(task_rules.move_task, ids, step)

    def action_block_time(self) -> None:
        task = self.current_task()
        if task is not None:
            self.block_time(task.id)

    def action_done(self) -> None:
        if ids := self._targets():
            self._triage(task_rules.mark_done, ids, done=f"{len(ids)} done" if len(ids) > 1 else "done")

    def action_mark(self) -> None:
        task = self.current_task()
        if task is None:
            return
        self.marked ^= {task.id}
        column = self.column(self.current_status)
        cards = column.cards
        column.set_marked(frozenset(self.marked))
        if cards.highlighted is not None and cards.highlighted < cards.card_count - 1:
            cards.highlighted += 1
        self.render_bar()

    def action_reorder(self, step: int) -> None:
        task = self.current_task()
        if task is None:
            return
        if task.status == "done":
            self.notify("the done column is ordered by when cards were finished", severity="warning")
            return
        self._follow = task.id
        self.perform(task_rules.reorder_task, task.id, step)

    def on_card_list_selected(self, event: CardList.Selected) -> None:
        """A card clicked: its column becomes current and the card opens."""
        event.stop()
        column = event.card_list.parent
        if isinstance(column, BoardColumn):
            self.set_current(column.status)
        self.app.open_task(event.task_id)

    def action_open(self) -> None:
        task = self.current_task()
        if task is not None:
            self.app.open_task(task.id)

    def action_edit(self) -> None:
        task = self.current_task()
        if task is None:
            self.notify("no card here", severity="warning")
            return
        from clientdesk.tui.modals.task_form import edit_task_flow

        edit_task_flow(self.app, task.id, on_saved=self._follow_card)

    def action_new_project(self) -> None:
        """P: a project for this board's client (optionally from a template)."""
        if self.data.client is None:
            self.notify("no client yet: N adds one", severity="warning")
            return
        from clientdesk.tui import flows

        flows.new_project(self.app, self.data.client.id)

    def action_delete(self) -> None:
        task = self.current_task()
        if task is None:
            self.notify("no card here", severity="warning")
            return
        from clientdesk.tui import flows

        flows.delete_task(self.app, task.id)

    def context_client(self) -> int | None:
        return self.data.client.id if self.data.client is not None else None

    def context_project(self) -> tuple[int, str] | None:
        """The project the board is filtered to, else the current card's."""
        if self.project_filter is not None:
            chosen = next((p for p in self.data.projects if p.id == self.project_filter), None)
            if chosen is not None:
                return chosen.id, chosen.name
        task = self.current_task()
        return (task.project_id, task.project) if task is not None else None

    def _follow_card(self, view: TaskView) -> None:
        self._follow = view.id

    def action_add_form(self) -> None:
        if self.data.client is None:
            self.notify("choose a client first (c)", severity="warning")
            return
        from clientdesk.tui.modals.task_form import add_task_flow

        add_task_flow(self.app, self.data.client.id, status=self._add_status(),
                      project_id=self.project_filter, on_saved=self._follow_card)

    def _add_status(self) -> str:
        return "todo" if self.current_status == "done" else self.current_status

    # -- quick add ---------------------------------------------------------------------
    def action_quick_add(self) -> None:
        if self.data.client is None:
            self.notify("choose a client first (c)", severity="warning")
            return
        if (box := self.filter_box()) is not None:
            box.display = False
        self._quick_status = self._add_status()
        box = self.query_one("#quick-add")
        box.display = True
        field_ = self.query_one("#qa-input", Input)
        field_.value = ""
        self._preview("")
        field_.focus()

    def _default_project(self) -> ProjectRef | None:
        projects = self.data.projects
        if self.project_filter is not None:
            chosen = next((p for p in projects if p.id == self.project_filter), None)
            if chosen is not None:
                return chosen
        active = [p for p in projects if p.status == "active"]
        return (active or projects or [None])[0]

    def _read_quick_add(self, text: str) -> tuple[QuickAdd, ProjectRef]:
        parsed = parse_quick_add(text, clock.today(), self.data.projects, self.data.people)
        if parsed.project_id is not None:
            project = next(p for p in self.data.projects if p.id == parsed.project_id)
        else:
            project = self._default_project()
            if project is None:
                raise InputError("this client has no project yet: esc, then P adds one")
        return parsed, project

    def _preview(self, text: str) -> None:
        label = self.query_one("#qa-preview", Label)
        label.remove_class("-error")
        if not text.strip():
            label.update(Text(f"Add to {self._quick_status}: {QUICK_ADD_HINT}", style="dim"))
            return
        try:
            parsed, project = self._read_quick_add(text)
        except InputError as exc:
            label.add_class("-error")
            label.update(Text(f"✗ {exc}"))
            return
        label.update(describe_quick_add(parsed, project.name, self._quick_status, clock.today()))

    @on(Input.Changed, "#qa-input")
    def _quick_changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    @on(Input.Submitted, "#qa-input")
    def _quick_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            parsed, project = self._read_quick_add(event.value)
        except InputError as exc:
            label = self.query_one("#qa-preview", Label)
            label.add_class("-error")
            label.update(Text(f"✗ {exc}"))
            return
        data = TaskInput(title=parsed.title, project_id=project.id, status=self._quick_status,
                         priority=parsed.priority or 3, due=parsed.due, estimate_minutes=parsed.estimate_minutes,
                         tags=parsed.tags, assignee=parsed.assignee)
        # refused: the notification says why, the line stays for fixing
        self.perform(task_rules.create_task, data, then=self._quick_added)

    def _quick_added(self, created: TaskView) -> None:
        self._follow = created.id
        if self.filter_text and not text_matches(created, self.filter_text) or (
                self.tag_filter and self.tag_filter not in created.tags):
            self.notify("added, but the filter hides it", severity="warning")
        else:
            self.notify(f"added to {created.status}", markup=False)
        self._close_quick_add()

    def _close_quick_add(self) -> None:
        self.query_one("#quick-add").display = False
        self._blur_inputs()

    # -- filters ---------------------------------------------------------------------------
    def action_filter(self) -> None:
        self.query_one("#quick-add").display = False
        super().action_filter()

    def apply_filter(self) -> None:
        if self.loaded:
            self.render_columns()
            self.render_bar()

    def action_project_filter(self) -> None:
        if self.data.client is None:
            return
        items = [(0, Text("all projects", style="italic"))]
        items += [(p.id, Text(p.name) if p.status == "active" else Text.assemble(p.name, (f"  {p.status}", "dim")))
                  for p in self.data.projects]

        def chosen(project_id) -> None:
            if project_id is None:
                return
            self.project_filter = project_id or None
            self.reload()

        self.app.push_screen(PickerModal(f"Project of {self.data.client.name}", items,
                                         current=self.project_filter or 0), chosen)

    def action_tag_filter(self) -> None:
        if self.data.client is None:
            return
        items = [("", Text("all tags", style="italic"))] + [(t, Text(f"#{t}")) for t in self.data.tags]

        def chosen(tag) -> None:
            if tag is None:
                return
            self.tag_filter = tag or None
            self.reload()

        self.app.push_screen(PickerModal("Tag", items, current=self.tag_filter or ""), chosen)

    def _clients(self) -> list[ClientRef]:
        """The clients as loaded; before the first load, read now (one small query) so `c` never says 'none'."""
        return self.data.clients if self.loaded else list_clients(include_inactive=True)

    def action_pick_client(self) -> None:
        clients = sorted(self._clients(), key=lambda c: (c.status != "active", c.name.casefold()))
        if not clients:
            self.notify("no client yet", severity="warning")
            return
        items = [(c.id, Text(c.name) if c.status == "active" else Text.assemble(c.name, (f"  {c.status}", "dim")))
                 for c in clients]

        def chosen(client_id) -> None:
            if client_id is not None:
                self.set_client(client_id)

        self.app.push_screen(PickerModal("Client", items, current=self.client_id), chosen)

    def action_client(self, step: int) -> None:
        ring = [c for c in self._clients() if c.status == "active" or c.id == self.client_id]
        ring.sort(key=lambda c: c.name.casefold())
        if not ring:
            return
        ids = [c.id for c in ring]
        if self.client_id in ids:
            target = ids[(ids.index(self.client_id) + step) % len(ids)]
        else:
            target = ids[0] if step > 0 else ids[-1]
        self.set_client(target)

    # -- escape ---------------------------------------------------------------------------
    def action_escape(self) -> None:
        """Close the quick-add line or the filter; else unmark; else drop the filters."""
        quick = self.query_one("#quick-add")
        box = self.filter_box()
        if quick.display:
            self._close_quick_add()
        elif box is not None and box.display:
            self.close_filter()
        elif self.marked:
            self.marked.clear()
            self.render_columns()
            self.render_bar()
        elif self.project_filter or self.tag_filter or self.filter_text:
            self.project_filter = self.tag_filter = None
            self.filter_text = ""
            self.reload()
