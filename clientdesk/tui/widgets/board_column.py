"""One Board column: a header and a list of cards drawn line by line.

A card is a two- or three-line Rich Text (title, then "p1 · due Fri 27 Nov ·
2h · #dev"), not a container of widgets: the list draws only the lines on
screen, so a column of a thousand cards costs about what a column of ten does. Lines are fitted to the column's width by cell
width, so wide characters (青禾, emoji) never push the layout out of line.
"""

from __future__ import annotations

import io
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import ClassVar, Sequence

import pendulum
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, RenderOptions, Visual
from textual.widgets import Static

from clientdesk.domain.tasks import TaskView
from clientdesk.tui.text import minutes_label, short_date

PRIORITY_STYLE = {1: "bold #e05252", 2: "#d4a017", 3: "#5fafd7", 4: "grey50"}
OVERDUE_STYLE = "bold #e05252"
TODAY_STYLE = "bold #d4a017"
MARK = "▶ "
BAR = "▌"
SPLICE_MAX = 8  # more cards than this came or went in a column: set its options again instead
COMPACT_BELOW = 26  # cards narrower than this drop the words "due" and the weekday
PROJECT_FROM = 34  # cards at least this wide also name the project (when the board shows several)

_CONSOLE = Console(width=500, file=io.StringIO(), color_system=None, legacy_windows=False)


@dataclass(frozen=True)
class CardStyle:
    """How the cards of one column are drawn (given by the screen, the same for every card)."""

    today: pendulum.Date
    show_project: bool = False
    #: minutes logged per task id (cards show "1h30/2h"); compared through `logged_key`
    logged: dict = field(default_factory=dict, compare=False, hash=False)
    logged_key: frozenset = frozenset()


def fit(text: Text, width: int) -> Text:
    """One line of at most `width` cells, ending in '…' when something was cut."""
    line = text.copy()
    line.no_wrap = True
    if cell_len(line.plain) <= width:
        return line
    line.truncate(max(0, width - 1))
    line.rstrip()
    line.append("…")
    return line


def wrap_title(title: str, width: int, style: str, max_lines: int = 2) -> list[Text]:
    """The title wrapped on words (and inside long words, by cells) into at most `max_lines` lines."""
    width = max(2, width)
    lines = [_stripped(line) for line in Text(title, style=style).wrap(_CONSOLE, width, overflow="fold")]
    lines = [line for line in lines if line.plain] or [Text("", style=style)]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        if cell_len(last.plain) + 1 > width:
            last.truncate(width - 1)
            last.rstrip()
        last.append("…", style=style)
    return [fit(line, width) for line in lines]


def _stripped(line: Text) -> Text:
    out = line.copy()
    out.rstrip()
    return out


def meta_line(task: TaskView, style: CardStyle, width: int) -> Text:
    """'p1 · due Fri 27 Nov · 2h · #dev #seo' (the due date red when overdue), fitted to `width`."""
    compact = width < COMPACT_BELOW
    sep = " " if compact else " · "
    parts: list[Text] = [Text(f"p{task.priority}", style=PRIORITY_STYLE.get(task.priority, ""))]
    today = style.today
    if task.status == "done":
        if task.completed is not None:
            day = task.completed.date()
            parts.append(Text(day.format("D MMM") if compact else f"done {short_date(day, today)}", style="dim"))
    elif task.due is not None:
        if compact:
            label = task.due.format("D MMM") if task.due.year == today.year else task.due.format("D MMM YY")
        else:
            label = f"due {short_date(task.due, today)}"
        if task.overdue_on(today):
            parts.append(Text(label, style=OVERDUE_STYLE))
        elif task.due == today:
            parts.append(Text("today" if compact else "due today", style=TODAY_STYLE))
        else:
            parts.append(Text(label))
    spent = style.logged.get(task.id)
    if spent and task.estimate_minutes:
        over = spent > task.estimate_minutes
        parts.append(Text(f"{minutes_label(spent)}/{minutes_label(task.estimate_minutes)}",
                          style="bold #b03a2e" if over else "#8fbcbb"))
    elif spent:
        parts.append(Text(f"{minutes_label(spent)} logged", style="#8fbcbb"))
    elif task.estimate_minutes:
        parts.append(Text(minutes_label(task.estimate_minutes), style="#8fbcbb"))
    if task.tags:
        parts.append(Text(" ".join(f"#{t}" for t in task.tags), style="#b48ead"))
    line = Text(sep, style="dim").join(parts)
    if style.show_project and width >= PROJECT_FROM:
        with_project = Text(sep, style="dim").join([*parts, Text(task.project, style="dim italic")])
        if cell_len(with_project.plain) <= width:  # the project only when it fits whole
            line = with_project
    return fit(line, width)


def one_line(title: str) -> str:
    """A title as one line of single spaces (newlines and tabs would break the card's shape)."""
    return " ".join(title.split())


def card_height(task: TaskView, width: int, *, marked: bool = False) -> int:
    """The lines `card_prompt` draws, known without drawing: one or two for the title, one for the rest."""
    first_width = max(2, max(4, width) - 2 - (cell_len(MARK) if marked else 0))
    return (1 if cell_len(one_line(task.title)) <= first_width else 2) + 1


def card_prompt(task: TaskView, width: int, style: CardStyle, *, marked: bool = False) -> Text:
    """The card as one Text: a priority-coloured bar, the title (two lines at most), the meta line."""
    width = max(4, width)
    bar = Text(BAR, style=PRIORITY_STYLE.get(task.priority, ""))
    inner = width - 2
    title_style = "dim" if task.status == "done" else "bold"
    first_width = inner - (cell_len(MARK) if marked else 0)
    title_lines = wrap_title(one_line(task.title), first_width, title_style)
    lines: list[Text] = []
    for n, line in enumerate(title_lines):
        row = Text.assemble(bar.copy(), " ")
        if marked:
            row.append(MARK if n == 0 else " " * cell_len(MARK), style="bold magenta")
        row.append_text(line)
        lines.append(row)
    lines.append(Text.assemble(bar.copy(), " ", meta_line(task, style, inner)))
    prompt = Text("\n").join(lines)
    prompt.no_wrap = True
    return prompt


class CardVisual(Visual):
    """A card that is drawn only when it scrolls into view.

    The list sizes its scroll area from every card's height; a card answers
    from `card_height` (one `cell_len`), and builds its Text only when
    rendered, so a column of thousands of cards costs little more than the
    cards on screen.
    """

    def __init__(self, task: TaskView, width: int, style: CardStyle, marked: bool) -> None:
        self.task = task
        self.width = width
        self.style = style
        self.marked = marked
        self.height = card_height(task, width, marked=marked)
        self.built: Content | None = None  # the card's Content, once it was on screen

    @property
    def content(self) -> Content:
        if self.built is None:
            self.built = Content.from_rich_text(card_prompt(self.task, self.width, self.style, marked=self.marked))
        return self.built

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        strips = self.content.render_strips(width, None, style, options)[: self.height]
        while len(strips) < self.height:  # never the case for a well-formed card; keeps the layout exact anyway
            strips.append(Strip.blank(width, style.rich_style))
        return strips

    def get_optimal_width(self, rules, container_width: int) -> int:
        return self.width

    def get_height(self, rules, width: int) -> int:
        return self.height


class CardList(ScrollView, can_focus=False):
    """The cards of one column on Textual's Line API: row `y` is found in the cards by their heights.

    Each card knows its height without being drawn (`card_height`), so the
    list keeps the first row of every card (`_tops`, a running sum) and finds
    the card under a row by bisection; a card is drawn when a row of it is on
    screen, once per look (width, style), and kept. Inserting or removing a
    card is a list operation on the cards this class owns: the highlight is an
    index into those same cards, so `x` acts on the card that is lit.

    It never takes focus: the Board's keys move a cursor between columns, so
    stepping from column to column lights another list (`lit`), not the focus
    (a focus change rebuilds the footer, ~80 ms each time). It is styled with
    OptionList's component classes, so it looks like the option list it was.
    """

    DEFAULT_CSS = """
    CardList {
        height: auto; max-height: 100%; color: $foreground; overflow-x: hidden;
        border: tall $border-blurred; padding: 0 1; background: $surface;
        & > .option-list--option-highlighted {
            color: $foreground; background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .option-list--separator { color: $foreground 15%; }
        & > .option-list--option-hover { background: $block-hover-background; }
        & > .card-list--option-lit {
            color: $block-cursor-foreground; background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "option-list--option",
        "option-list--option-highlighted",
        "option-list--option-hover",
        "option-list--separator",
        "card-list--option-lit",
    }
    """`option-list--option-highlighted`: the highlighted card of another column; `card-list--option-lit`:
    the highlighted card of the current column. A flag, not a CSS class on the list: restyling costs ~1 ms."""

    highlighted: reactive[int | None] = reactive(None)
    """The index of the highlighted card (None when there are no cards)."""

    class Selected(Message):
        """A card was clicked."""

        def __init__(self, card_list: CardList, task_id: int) -> None:
            super().__init__()
            self.card_list = card_list
            self.task_id = task_id

        @property
        def control(self) -> CardList:
            return self.card_list

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.cards: list[CardVisual] = []
        self.dividers = False  # a rule under every card but the last
        self.lit = False  # the current column's list: its highlighted card is lit
        self._tops: list[int] = []  # the first row of each card
        self._rows = 0
        self._hover: int | None = None
        # Drawn cards by (visual, style, padding, width): they outlive inserts and removals around them.
        self._drawn_cards: LRUCache[tuple, list[Strip]] = LRUCache(maxsize=1024)

    # -- the cards -------------------------------------------------------------------------------------
    def set_cards(self, cards: Sequence[CardVisual], *, dividers: bool) -> None:
        """Show these cards (the highlight is the caller's to set again)."""
        self.cards = list(cards)
        self.dividers = dividers
        self._hover = None
        self.set_reactive(CardList.highlighted, None)
        self._count_rows()

    def insert_card(self, index: int, card: CardVisual) -> None:
        """Put a card at `index` (clamped to the ends); the highlight stays on the card it was on."""
        index = max(0, min(index, len(self.cards)))
        self.cards.insert(index, card)
        if self.highlighted is not None and self.highlighted >= index:
            self.set_reactive(CardList.highlighted, self.highlighted + 1)
        self._hover = None
        self._count_rows()

    def remove_card(self, index: int) -> None:
        """Take the card at `index` away; the highlight stays on its card, or moves to the next one."""
        del self.cards[index]
        highlighted = self.highlighted
        if highlighted is not None:
            if not self.cards:
                highlighted = None
            elif highlighted > index or highlighted == len(self.cards):
                highlighted -= 1
            self.set_reactive(CardList.highlighted, highlighted)
        self._hover = None
        self._count_rows()

    def replace_card(self, index: int, card: CardVisual) -> None:
        """Draw the card at `index` anew (a task changed, or its mark)."""
        height = self.cards[index].height
        self.cards[index] = card
        if card.height != height:
            self._count_rows()
        else:
            self.refresh()

    def index_of(self, task_id: int) -> int | None:
        return next((n for n, card in enumerate(self.cards) if card.task.id == task_id), None)

    @property
    def card_count(self) -> int:
        return len(self.cards)

    @property
    def current_id(self) -> int | None:
        """The highlighted card's task id."""
        index = self.highlighted
        return self.cards[index].task.id if index is not None and index < len(self.cards) else None

    @property
    def card_width(self) -> int:
        """Cells a card may use: the list's content width less the option padding."""
        padding = self.get_component_styles("option-list--option").padding
        return max(4, self.scrollable_content_region.width - padding.width)

    def card_rows(self, index: int) -> tuple[int, int]:
        """The first row of a card and the rows it takes (its rule included)."""
        last = index == len(self.cards) - 1
        return self._tops[index], self.cards[index].height + (1 if self.dividers and not last else 0)

    def card_at(self, row: int) -> int | None:
        """The index of the card drawn on `row` of the whole list, or None past the end."""
        if not 0 <= row < self._rows:
            return None
        return bisect_right(self._tops, row) - 1

    def _count_rows(self) -> None:
        tops, row = [], 0
        rule = 1 if self.dividers else 0
        for card in self.cards:
            tops.append(row)
            row += card.height + rule
        self._tops = tops
        self._rows = row - rule if self.cards else 0
        self.virtual_size = Size(self.scrollable_content_region.width, self._rows)
        self.refresh()

    # -- the highlight ----------------------------------------------------------------------------------
    def set_lit(self, lit: bool) -> None:
        """Light the highlighted card (this is the current column) or not."""
        if lit != self.lit:
            self.lit = lit
            self.refresh()

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self.cards:
            return None
        return max(0, min(highlighted, len(self.cards) - 1))

    def watch_highlighted(self, highlighted: int | None) -> None:
        self.scroll_to_highlight()

    def scroll_to_highlight(self) -> None:
        """Bring the highlighted card into view."""
        if self.highlighted is None or not self.is_mounted:
            return
        top, height = self.card_rows(self.highlighted)
        self.scroll_to_region(Region(0, top, self.scrollable_content_region.width, height),
                              force=True, animate=False, immediate=True)

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def action_cursor_up(self) -> None:
        """The card above (from the first, the last)."""
        if self.cards:
            index = self.highlighted
            self.highlighted = len(self.cards) - 1 if index is None else (index - 1) % len(self.cards)

    def action_cursor_down(self) -> None:
        """The card below (from the last, the first)."""
        if self.cards:
            index = self.highlighted
            self.highlighted = 0 if index is None else (index + 1) % len(self.cards)

    def action_first(self) -> None:
        if self.cards:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.cards:
            self.highlighted = len(self.cards) - 1

    def _move_page(self, direction: int) -> None:
        if not self.cards:
            return
        top, _ = self.card_rows(self.highlighted or 0)
        row = max(0, min(self._rows - 1, top + direction * self.scrollable_content_region.height))
        self.highlighted = self.card_at(row)

    def action_page_up(self) -> None:
        """A screenful up (from no highlight, the first card)."""
        if self.highlighted is None:
            self.action_first()
        else:
            self._move_page(-1)

    def action_page_down(self) -> None:
        """A screenful down (from no highlight, the last card)."""
        if self.highlighted is None:
            self.action_last()
        else:
            self._move_page(1)

    # -- the mouse --------------------------------------------------------------------------------------
    def _card_under(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        return None if offset is None else self.card_at(offset.y + round(self.scroll_y))

    def on_click(self, event: events.Click) -> None:
        index = self._card_under(event)
        if index is not None:
            self.highlighted = index
            self.post_message(self.Selected(self, self.cards[index].task.id))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._card_under(event)
        if index != self._hover:
            self._hover = index
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_resize(self) -> None:
        self._drawn_cards.clear()
        self._count_rows()

    # -- drawing ----------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.card_at(self.scroll_offset.y + y)
        if index is None:
            return Strip.blank(width, self.get_visual_style("option-list--option").rich_style)
        if index == self.highlighted:
            style = self.get_visual_style("option-list--option",
                                          "card-list--option-lit" if self.lit else "option-list--option-highlighted")
        elif index == self._hover:
            style = self.get_visual_style("option-list--option", "option-list--option-hover")
        else:
            style = self.get_visual_style("option-list--option")
        strips = self._card_strips(index, style, width)
        offset = self.scroll_offset.y + y - self._tops[index]
        if offset < len(strips):
            return strips[offset]
        if self.dividers and index < len(self.cards) - 1:
            rule = self.get_visual_style("option-list--separator")
            return Strip([Segment("─" * width, rule.rich_style)], width)
        return Strip.blank(width, self.get_visual_style("option-list--option").rich_style)

    def _card_strips(self, index: int, style: Style, width: int) -> list[Strip]:
        """A card's lines in a style, padded as OptionList pads an option, drawn once per look."""
        card = self.cards[index]
        padding = self.get_component_styles("option-list--option").padding
        key = (card, style, padding, width)
        if (body := self._drawn_cards.get(key)) is None:
            shown = Padding(card, padding) if padding else card
            body = [strip.extend_cell_length(width, style.rich_style)
                    for strip in Visual.to_strips(self, shown, width, None, style)]
            self._drawn_cards[key] = body
        return body


class BoardColumn(Vertical):
    """A status column: the header line and its cards. The screen gives it tasks; it never queries.

    The current column's header carries the class `-current` and its card list
    is lit (`CardList.lit`); the column itself has no class for it: restyling a
    column restyles all it holds, ~1.3 ms a column at each step.
    """

    def __init__(self, status: str, *, current: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.status = status
        self.current = current
        self.tasks: list[TaskView] = []
        self.card_style: CardStyle | None = None
        self.marked: frozenset[int] = frozenset()
        self.header_parts: tuple[int, int | None, int] = (0, None, 0)  # shown, total (when cut), minutes
        self._header_drawn: tuple | None = None
        self._drawn_width = 0
        self._dividers = False

    def compose(self) -> ComposeResult:
        yield Static("", classes="column-header -current" if self.current else "column-header")
        cards = CardList(id=f"cards-{self.status}", classes="cards")
        cards.lit = self.current
        yield cards

    def set_current(self, current: bool) -> None:
        """Light (or not) the header and the highlighted card."""
        if current == self.current:
            return
        self.current = current
        if self.is_mounted:
            self.query_one(".column-header", Static).set_class(current, "-current")
            self.cards.set_lit(current)

    @property
    def cards(self) -> CardList:
        return self.query_one(CardList)

    def set_tasks(self, tasks: Sequence[TaskView], card_style: CardStyle, *, marked: frozenset[int] = frozenset(),
                  total: int | None = None, keep: int | None = None, dividers: bool = False,
                  reset: bool = False) -> None:
        """Show these tasks; the highlight stays on `keep`, else on the same card, else at the same place
        (`reset`: at the top, for another client's board). Cards that did not change are not redrawn."""
        cards = self.cards
        previous_index = None if reset else cards.highlighted
        if keep is None and not reset:
            keep = cards.current_id
        old_tasks, old_marked, old_style = self.tasks, self.marked, self.card_style
        self.tasks = list(tasks)
        self.card_style = card_style
        self.marked = marked
        minutes = sum(t.estimate_minutes or 0 for t in self.tasks)
        self.header_parts = (len(self.tasks), total, minutes)
        self._render_header()
        width = cards.card_width
        new_ids = [t.id for t in self.tasks]
        same_look = (not reset and dividers == self._dividers and width == self._drawn_width
                     and card_style == old_style and [t.id for t in old_tasks] == [c.task.id for c in cards.cards])
        self._drawn_width = width
        if same_look and self._splice(old_tasks, old_marked, width, card_style, marked, dividers):
            # the same cards but those that came, went or changed: only those are drawn again
            if not self.tasks:
                return
            if keep is not None and keep in new_ids:
                cards.highlighted = new_ids.index(keep)
            else:
                cards.highlighted = min(previous_index or 0, len(new_ids) - 1)
            return
        self._dividers = dividers
        cards.set_cards([CardVisual(task, width, card_style, task.id in marked) for task in self.tasks],
                        dividers=dividers)
        if not self.tasks:
            return
        if keep is not None and keep in new_ids:
            cards.highlighted = new_ids.index(keep)
        else:
            cards.highlighted = min(previous_index or 0, len(new_ids) - 1)

    def _splice(self, old_tasks: list[TaskView], old_marked: frozenset[int], width: int, card_style: CardStyle,
                marked: frozenset[int], dividers: bool) -> bool:
        """Turn the drawn cards into `self.tasks` by removing, inserting and redrawing single cards.

        False (nothing touched) when the cards that stay changed order, or when
        so much changed that setting all the options again is as cheap.
        """
        if old_tasks == self.tasks and old_marked == marked:  # the same views (a patch keeps them): nothing to do
            return True
        new_ids = {t.id for t in self.tasks}
        old_ids = {t.id for t in old_tasks}
        if [t.id for t in old_tasks if t.id in new_ids] != [t.id for t in self.tasks if t.id in old_ids]:
            return False
        gone = [n for n, t in enumerate(old_tasks) if t.id not in new_ids]
        came = [n for n, t in enumerate(self.tasks) if t.id not in old_ids]
        if len(gone) + len(came) > max(SPLICE_MAX, len(self.tasks) // 4):
            return False
        cards = self.cards
        for index in reversed(gone):
            cards.remove_card(index)
        for index in came:
            task = self.tasks[index]
            cards.insert_card(index, CardVisual(task, width, card_style, task.id in marked))
        before = {t.id: t for t in old_tasks}
        for index, task in enumerate(self.tasks):
            old = before.get(task.id)
            if old is None:
                continue
            if (old is not task and old != task) or (task.id in old_marked) != (task.id in marked):
                cards.replace_card(index, CardVisual(task, width, card_style, task.id in marked))
        return True

    def set_marked(self, marked: frozenset[int]) -> None:
        """Redraw the cards whose mark changed."""
        if self.card_style is None:
            return
        width = self.cards.card_width
        for index, task in enumerate(self.tasks):
            if (task.id in marked) != (task.id in self.marked):
                self.cards.replace_card(index, CardVisual(task, width, self.card_style, task.id in marked))
        self.marked = marked

    def highlight(self, task_id: int) -> bool:
        """Put the highlight on a card; False when it is not in this column."""
        index = self.cards.index_of(task_id)
        if index is None:
            return False
        self.cards.highlighted = index
        return True

    def redraw(self) -> None:
        """Draw the cards again at the current width (after a resize)."""
        if self.card_style is None:
            return
        width = self.cards.card_width
        if width == self._drawn_width:
            return
        self._drawn_width = width
        self._render_header()
        highlighted = self.cards.highlighted
        self.cards.set_cards([CardVisual(task, width, self.card_style, task.id in self.marked) for task in self.tasks],
                             dividers=self._dividers)
        if highlighted is not None and self.tasks:
            self.cards.highlighted = min(highlighted, len(self.tasks) - 1)

    def on_resize(self) -> None:
        self.redraw()

    def _render_header(self) -> None:
        shown, total, minutes = self.header_parts
        width = self.size.width or 30
        if self._header_drawn == (self.header_parts, width):
            return
        self._header_drawn = (self.header_parts, width)
        line = Text(f" {self.status.upper()} ", style="bold")
        if total is not None and total > shown:
            line.append(f"last {shown} of {total}" if width >= 24 else f"{shown}/{total}", style="")
        else:
            line.append(str(shown))
        if minutes:
            line.append(f" · {minutes_label(minutes)}")
        # one line whatever it says (CSS height 1, width 100%): no layout pass for it
        self.query_one(".column-header", Static).update(fit(line, max(4, width)), layout=False)
