"""One Board column: a header and an OptionList of cards.

A card is one option whose prompt is a two- or three-line Rich Text (title, then
"p1 · due Fri 27 Nov · 2h · #dev"), not a container of widgets: an OptionList
renders only the lines on screen, so a column of a thousand cards costs about
what a column of ten does. Lines are fitted to the column's width by cell
width, so wide characters (青禾, emoji) never push the layout out of line.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import ClassVar, Sequence

import pendulum
from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.console import Console
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, RenderOptions, Visual
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

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


class CardScrollBar(ScrollBar):
    """A column's scroll bar, drawn again only when it changed, and then from rows it drew before.

    Textual repaints every scroll view's bars on each layout pass, ~2 ms a bar
    through Rich: five columns made a third of the frame after a triage key.
    The bar's look is what `render()` returns (sizes, position, colours): the
    same look at the same size gives the same lines, so the whole bar is kept
    and cut to each crop. When the look changes (a card came or went), each
    row of a vertical bar is one segment of `render_bar` (track above, thumb,
    track below, an end glyph) drawn the same wherever it is: rows are
    assembled from lines drawn before, and drawn through Textual when one is
    new.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._drawn: tuple | None = None
        self._drawn_lines: list[Strip] = []
        self._rows: dict[Segment, Strip] = {}  # a row's segment -> its line, in the setting below
        self._rows_setting: tuple | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()
        width, height = self.size
        setting = (type(bar), self.size, self.rich_style, tuple(map(id, self.get_line_filters())))
        key = (setting, getattr(bar, "virtual_size", None), getattr(bar, "window_size", None),
               getattr(bar, "position", None), getattr(bar, "thickness", None), getattr(bar, "vertical", None),
               str(getattr(bar, "style", "")))
        if key != self._drawn:
            if setting != self._rows_setting:
                self._rows.clear()
                self._rows_setting = setting
            rows = self._bar_rows(bar, width, height)
            lines = None
            if rows is not None and all(row in self._rows for row in rows):
                lines = [self._rows[row] for row in rows]
            if lines is None:
                lines = super().render_lines(Region(0, 0, width, height))
                if rows is not None and len(rows) == len(lines):
                    self._rows.update(zip(rows, lines))
            self._drawn_lines = lines
            self._drawn = key
        lines = self._drawn_lines[crop.y:crop.bottom]
        if crop.column_span != (0, width):
            lines = [line.crop(crop.x, crop.right) for line in lines]
        return lines

    @staticmethod
    def _bar_rows(bar, width: int, height: int) -> list[Segment] | None:
        """The segment of each row, as ScrollBarRender renders a vertical bar; None for anything else."""
        if not isinstance(bar, ScrollBarRender) or not bar.vertical or not isinstance(bar.style, RichStyle):
            return None
        segments = bar.render_bar(size=height, virtual_size=bar.virtual_size, window_size=bar.window_size,
                                  position=bar.position, thickness=width, vertical=True,
                                  back_color=bar.style.bgcolor or RichColor.parse("#555555"),
                                  bar_color=bar.style.color or RichColor.parse("bright_magenta"))
        rows = getattr(segments, "segments", None)
        return rows if isinstance(rows, list) and len(rows) == height else None


class CardList(OptionList, can_focus=False):
    """The cards of one column; option ids are task ids.

    It never takes focus: the Board's keys move a cursor between columns, so
    stepping from column to column lights another list (`lit`), not the focus
    (a focus change rebuilds the footer, ~80 ms each time).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | {"card-list--option-lit"}
    """`card-list--option-lit`: the highlighted card of the current column (in place of
    `option-list--option-highlighted`). A flag, not a CSS class on the list: restyling a list costs ~1 ms."""

    # Widget's virtual_size asks for a layout pass of the whole screen when it changes (a card comes or goes).
    # The list's place does not depend on how many cards it holds (CSS height 1fr), and a scroll view's
    # scroll bars are updated when its lines are counted (OptionList._update_lines), so a repaint will do.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_reactive(CardList.auto_links, False)  # cards hold no links: skip the per-line link styling
        # Drawn cards by (visual, style, padding, width, alignment), without the option index that OptionList
        # bakes into each line for the mouse: they outlive its cache, which every insert or removal empties.
        self._drawn_cards: LRUCache[tuple, list[Strip]] = LRUCache(maxsize=1024)
        self._look: tuple | None = None  # (padding, width, content alignment), read once per render
        self._render_region: Region | None = None
        self.lit = False  # the current column's list: its highlighted card is lit

    def set_lit(self, lit: bool) -> None:
        """Light the highlighted card (this is the current column) or not."""
        if lit != self.lit:
            self.lit = lit
            self.refresh()

    def get_visual_style(self, *component_classes: str, partial: bool = False) -> Style:
        if self.lit and "option-list--option-highlighted" in component_classes:
            component_classes = tuple("card-list--option-lit" if name == "option-list--option-highlighted" else name
                                      for name in component_classes)
        return super().get_visual_style(*component_classes, partial=partial)

    @property
    def scrollable_content_region(self) -> Region:
        # OptionList asks for it twice per line drawn (CSS lookups each time); a render does not move it
        if self._render_region is not None:
            return self._render_region
        return super().scrollable_content_region

    def render_lines(self, crop: Region) -> list[Strip]:
        self._look = None
        self._render_region = super().scrollable_content_region
        try:
            return super().render_lines(crop)
        finally:
            self._look = None
            self._render_region = None

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        """OptionList's drawing of an option (Textual 8.2.8), with the card itself drawn once.

        After a card comes or goes, OptionList draws every card below it again
        (their index, in the lines' meta, moved); here only the meta is put on
        again: a column's repaint takes about half the time.
        """
        look = self._look
        if look is None:
            look = (self.get_component_styles("option-list--option").padding,
                    self.scrollable_content_region.width - self._get_left_gutter_width(),
                    self.styles.content_align)
            if self._render_region is not None:  # inside render_lines: the same for every line
                self._look = look
        padding, width, _align = look
        cache_key = (option, style, padding)
        if (strips := self._option_render_cache.get(cache_key)) is not None:
            return strips
        visual = self._get_visual(option)
        if self.text_selection is not None or not isinstance(visual, CardVisual):
            return super()._get_option_render(option, style)
        drawn_key = (visual, style, *look)
        if (body := self._drawn_cards.get(drawn_key)) is None:
            shown = Padding(visual, padding) if padding else visual
            body = [strip.extend_cell_length(width, style.rich_style)
                    for strip in shown.to_strips(self, shown, width, None, style)]
            self._drawn_cards[drawn_key] = body
        meta = {"option": self._option_to_index[option]}
        strips = [strip.apply_meta(meta) for strip in body]
        if option._divider:
            rule_style = self.get_visual_style("option-list--separator")
            strips.append(Strip([Segment("─" * width, rule_style.rich_style)], width))
        self._option_render_cache[cache_key] = strips
        return strips

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scroll bar, a CardScrollBar (what Widget.vertical_scrollbar does, with that class)."""
        if self._vertical_scrollbar is None:
            self._vertical_scrollbar = bar = CardScrollBar(vertical=True, name="vertical",
                                                           thickness=self.scrollbar_size_vertical)
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    @property
    def card_width(self) -> int:
        """Cells a card may use: the list's content width less the option padding."""
        padding = self.get_component_styles("option-list--option").padding
        return max(4, self.scrollable_content_region.width - padding.width)

    @property
    def current_id(self) -> int | None:
        option = self.highlighted_option
        return int(option.id) if option is not None and option.id is not None else None

    # OptionList (Textual 8.2) can add options at the end and remove any, not insert one: these two
    # keep its index maps and its separators (an option's `_divider`: a rule under it) in step. The
    # lines are counted again when next needed (drawing, scrolling) or by `count_lines`.
    def insert_card(self, index: int, option: Option, *, divider: bool) -> None:
        """Insert a card at `index` (a rule under it when `divider` and another card follows)."""
        options = self._options
        index = max(0, min(index, len(options)))
        if index == len(options):
            if options:
                options[-1]._divider = divider
            option._divider = False
        else:
            option._divider = divider
            for later in options[index:]:
                self._option_to_index[later] += 1
        options.insert(index, option)
        self._option_to_index[option] = index
        if option.id is not None:
            self._id_to_option[option.id] = option
        self._mouse_hovering_over = None
        self._clear_caches()

    def remove_card(self, index: int) -> None:
        """Remove the card at `index` (the card above it loses its rule when it becomes the last)."""
        if 0 < index == len(self._options) - 1:
            self._options[index - 1]._divider = False
        self.remove_option_at_index(index)  # clears the caches

    def count_lines(self) -> None:
        """Count the lines now: the scroll bar takes the new height in the same frame."""
        self._update_lines()


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
        new_ids = [str(t.id) for t in self.tasks]
        same_look = (not reset and dividers == self._dividers and width == self._drawn_width
                     and card_style == old_style and [str(t.id) for t in old_tasks] == [o.id for o in cards.options])
        self._drawn_width = width
        if same_look and self._splice(old_tasks, old_marked, width, card_style, marked, dividers):
            # the same cards but those that came, went or changed: only those are drawn again
            if not self.tasks:
                return
            if keep is not None and str(keep) in new_ids:
                cards.highlighted = new_ids.index(str(keep))
            else:
                cards.highlighted = min(previous_index or 0, len(new_ids) - 1)
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
            cards.insert_card(index, Option(CardVisual(task, width, card_style, task.id in marked), id=str(task.id)),
                              divider=dividers)
        if gone or came:
            cards.count_lines()
        before = {t.id: t for t in old_tasks}
        for index, task in enumerate(self.tasks):
            old = before.get(task.id)
            if old is None:
                continue
            if (old is not task and old != task) or (task.id in old_marked) != (task.id in marked):
                cards.replace_option_prompt_at_index(index, CardVisual(task, width, card_style, task.id in marked))
        return True

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
