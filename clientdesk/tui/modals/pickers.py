"""Pick one item from a list, typing to narrow it: a client, a project, a tag."""

from __future__ import annotations

from typing import Any, Hashable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

PickItem = tuple[Hashable, "str | Text"]


def matches(needle: str, label: str) -> bool:
    """Every word typed appears in the label, in any order, ignoring case."""
    hay = label.casefold()
    return all(word in hay for word in needle.casefold().split())


class PickerModal(ModalScreen[Any]):
    """Returns the id of the chosen item, or None when cancelled. Labels are shown literally."""

    DEFAULT_CSS = """
    PickerModal { align: center middle; }
    PickerModal #picker-box {
        width: 60; max-width: 95%; height: auto; max-height: 85%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    PickerModal #picker-title { text-style: bold; height: 1; margin-bottom: 1; }
    PickerModal #picker-filter { margin-bottom: 1; }
    PickerModal #picker-list { height: auto; max-height: 18; border: none; padding: 0; }
    PickerModal #picker-hint { color: $text-muted; height: 1; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker-cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
    ]

    def __init__(self, title: str, items: Sequence[PickItem], *, current: Hashable | None = None,
                 placeholder: str = "type to filter", hint: str = "↑↓ choose · enter picks · esc cancels") -> None:
        super().__init__()
        self.title_text = title
        self.items = list(items)
        self.current = current
        self.placeholder = placeholder
        self.hint = hint
        self._shown: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(Text(self.title_text), id="picker-title")
            yield Input(placeholder=self.placeholder, id="picker-filter", compact=True)
            yield OptionList(id="picker-list", compact=True)
            yield Label(Text(self.hint), id="picker-hint")

    def on_mount(self) -> None:
        self._refill("")
        self.query_one("#picker-filter", Input).focus()

    @staticmethod
    def _plain(label: str | Text) -> str:
        return label.plain if isinstance(label, Text) else str(label)

    def _refill(self, needle: str) -> None:
        options = self.query_one("#picker-list", OptionList)
        self._shown = [n for n, (_, label) in enumerate(self.items) if matches(needle, self._plain(label))]
        options.set_options(
            Option(label if isinstance(label, Text) else Text(str(label)), id=str(n))
            for n, (_, label) in ((n, self.items[n]) for n in self._shown)
        )
        if not self._shown:
            return
        start = 0
        if not needle and self.current is not None:
            start = next((i for i, n in enumerate(self._shown) if self.items[n][0] == self.current), 0)
        options.highlighted = start

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._refill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.query_one("#picker-list", OptionList).highlighted)

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self._shown):
            self.notify("nothing matches", severity="warning")
            return
        self.dismiss(self.items[self._shown[index]][0])

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-list", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_page(self, step: int) -> None:
        options = self.query_one("#picker-list", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step * 10))

    def action_cancel(self) -> None:
        self.dismiss(None)
