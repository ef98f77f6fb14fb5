"""One Board column: a header and an OptionList of cards.

A card is one option whose prompt is a two- or three-line Rich Text (title, then
"p1 · due Fri 27 Nov · 2h · #dev"), not a container of widgets: an OptionList
renders only the lines on screen, so a column of a thousand cards costs about
what a column of ten does. Lines are fitted to the column's width by cell
width, so wide characters (青禾, emoji) never push the layout out of line.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

import pendulum
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from clientdesk.domain.tasks import TaskView
from clientdesk.tui.text import minutes_label, short_date

PRIORITY_STYLE = {1: "bold #e05252", 2: "#d4a017", 3: "#5fafd7", 4: "grey50"}
OVERDUE_STYLE = "bold #e05252"
TODAY_STYLE = "bold #d4a017"
MARK = "▶ "
BAR = "▌"
COMPACT_BELOW = 26  # cards narrower than this drop the words "due" and the weekday
PROJECT_FROM = 34  # cards at least this wide also name the project (when the board shows several)

_CONSOLE = Console(width=500, file=io.StringIO(), color_system=None, legacy_windows=False)


@dataclass(frozen=True)
class CardStyle:
    """How the cards of one column are drawn (given by the screen, the same for every card)."""

    today: pendulum.Date
    show_project: bool = False


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
    if task.estimate_minutes:
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

    An OptionList asks every option for its height to size its scroll area;
    a card answers from `card_height` (one `cell_len`), and builds its Text
    only when rendered, so a column of thousands of cards costs little more
    than the cards on screen.
    """

    def __init__(self, task: TaskView, width: int, style: CardStyle, marked: bool) -> None:
        self.task = task
        self.width = width
        self.style = style
        self.marked = marked
        self.height = card_height(task, width, marked=marked)
        self._content: Content | None = None

    @property
    def content(self) -> Content:
        if self._content is None:
            self._content = Content.from_rich_text(card_prompt(self.task, self.width, self.style, marked=self.marked))
        return self._content

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        strips = self.content.render_strips(width, None, style, options)[: self.height]
        while len(strips) < self.height:  # never the case for a well-formed card; keeps the layout exact anyway
            strips.append(Strip.blank(width, style.rich_style))
        return strips

    def get_optimal_width(self, rules, container_width: int) -> int:
        return self.width

    def get_height(self, rules, width: int) -> int:
        return self.height


class CardList(OptionList, can_focus=False):
    """The cards of one column; option ids are task ids.

    It never takes focus: the Board's keys move a cursor between columns, so
    stepping from column to column changes a CSS class, not the focus (a focus
    change rebuilds the footer, ~80 ms each time).
    """

    @property
    def card_width(self) -> int:
        """Cells a card may use: the list's content width less the option padding."""
        padding = self.get_component_styles("option-list--option").padding
        return max(4, self.scrollable_content_region.width - padding.width)

    @property
    def current_id(self) -> int | None:
        option = self.highlighted_option
        return int(option.id) if option is not None and option.id is not None else None


class BoardColumn(Vertical):
    """A status column: the header line and its cards. The screen gives it tasks; it never queries."""

    def __init__(self, status: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.status = status
        self.tasks: list[TaskView] = []
        self.card_style: CardStyle | None = None
        self.marked: frozenset[int] = frozenset()
        self.header_parts: tuple[int, int | None, int] = (0, None, 0)  # shown, total (when cut), minutes
        self._drawn_width = 0
        self._dividers = False

    def compose(self) -> ComposeResult:
        yield Static("", classes="column-header")
        yield CardList(id=f"cards-{self.status}", classes="cards")

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
        new_ids = [str(t.id) for t in self.tasks]
        same_shape = (new_ids == [o.id for o in cards.options] and dividers == self._dividers
                      and width == self._drawn_width and card_style == old_style)
        self._drawn_width = width
        if same_shape:  # same cards in the same order: redraw only those that changed
            for index, (old, new) in enumerate(zip(old_tasks, self.tasks)):
                if old != new or (old.id in old_marked) != (new.id in marked):
                    cards.replace_option_prompt_at_index(index, CardVisual(new, width, card_style, new.id in marked))
            if keep is not None and str(keep) in new_ids:
                cards.highlighted = new_ids.index(str(keep))
            return
        self._dividers = dividers
        options: list[Option | None] = []
        for n, task in enumerate(self.tasks):
            if dividers and n:
                options.append(None)  # a rule under the previous card
            options.append(Option(CardVisual(task, width, card_style, task.id in marked), id=str(task.id)))
        cards.set_options(options)
        if not self.tasks:
            return
        if keep is not None and str(keep) in new_ids:
            cards.highlighted = new_ids.index(str(keep))
        else:
            cards.highlighted = min(previous_index or 0, len(new_ids) - 1)

    def set_marked(self, marked: frozenset[int]) -> None:
        """Redraw the cards whose mark changed."""
        if self.card_style is None:
            return
        width = self.cards.card_width
        for index, task in enumerate(self.tasks):
            if (task.id in marked) != (task.id in self.marked):
                self.cards.replace_option_prompt_at_index(index, CardVisual(task, width, self.card_style, task.id in marked))
        self.marked = marked

    def highlight(self, task_id: int) -> bool:
        """Put the highlight on a card; False when it is not in this column."""
        try:
            self.cards.highlighted = self.cards.get_option_index(str(task_id))
        except Exception:
            return False
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
        options: list[Option | None] = []
        for n, task in enumerate(self.tasks):
            if self._dividers and n:
                options.append(None)
            options.append(Option(CardVisual(task, width, self.card_style, task.id in self.marked), id=str(task.id)))
        self.cards.set_options(options)
        if highlighted is not None and self.tasks:
            self.cards.highlighted = min(highlighted, len(self.tasks) - 1)

    def on_resize(self) -> None:
        self.redraw()

    def _render_header(self) -> None:
        shown, total, minutes = self.header_parts
        width = self.size.width or 30
        line = Text(f" {self.status.upper()} ", style="bold")
        if total is not None and total > shown:
            line.append(f"last {shown} of {total}" if width >= 24 else f"{shown}/{total}", style="")
        else:
            line.append(str(shown))
        if minutes:
            line.append(f" · {minutes_label(minutes)}")
        self.query_one(".column-header", Static).update(fit(line, max(4, width)))
