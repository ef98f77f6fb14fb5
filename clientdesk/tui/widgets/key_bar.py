"""The footer of every view: the keys that work here, on one line.

Textual's Footer mounts a widget per key and styles each one: ~100 ms when a
view first paints and ~80 ms again on every focus change (it recomposes).
KeyBar draws the same line as one Text, redrawn when the screen's bindings
change, and keeps `?` (every key, with its id) and the palette key in view at
the right however narrow the terminal: what does not fit ends in `…`.
A click on a key presses it, as on Textual's Footer.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

HELP_ACTION = "help"  # the app's `?`: kept at the right with the palette key

#: a piece of the line: its text, the key a click on it presses (None: not a key), enabled
Fragment = tuple[Text, str | None, bool]


class KeyBar(Widget):
    """The screen's shown bindings as `key description` pairs; disabled ones dim."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .key-bar--description { color: $footer-description-foreground; background: $footer-description-background; }
        & > .key-bar--disabled { text-style: dim; }
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # where each key is drawn: (first cell, past the last cell, key to press, enabled)
        self._hits: list[tuple[int, int, str, bool]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def entries(self) -> tuple[list[tuple[Binding, bool]], list[tuple[Binding, bool]]]:
        """(the view's keys, the keys kept at the right), one per action, in binding order."""
        left: list[tuple[Binding, bool]] = []
        right: list[tuple[Binding, bool]] = []
        seen: set[str] = set()
        active = self.screen.active_bindings
        palette = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        for key, (_node, binding, enabled, _tooltip) in active.items():
            if key == palette or not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            (right if binding.action == HELP_ACTION else left).append((binding, enabled))
        if palette is not None and palette in active:
            _node, binding, enabled, _tooltip = active[palette]
            right.append((binding, enabled))
        return left, right

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        text_style = self.get_component_rich_style("key-bar--description", partial=True)
        dim = self.get_component_rich_style("key-bar--disabled", partial=True)
        left, right = self.entries()

        def fragment(text: str, style: Style | None, binding: Binding | None = None, enabled: bool = True) -> Fragment:
            label = Text(text, style=style or "")
            if not enabled:
                label.stylize(dim)
            return label, (binding.key.split(",")[0] if binding else None), enabled

        def item(binding: Binding, enabled: bool) -> list[Fragment]:
            return [fragment(self.app.get_key_display(binding), key_style, binding, enabled),
                    fragment(" " + binding.description, text_style, binding, enabled)]

        # The view's keys, an item each; consecutive keys of one Binding.Group as
        # their keys then the group's name (`[] week`), as Textual's Footer draws them.
        items: list[list[Fragment]] = []
        i = 0
        while i < len(left):
            group, j = left[i][0].group, i + 1
            while group is not None and j < len(left) and left[j][0].group is group:
                j += 1
            if j - i > 1:
                items.append([fragment(self.app.get_key_display(b), key_style, b, e) for b, e in left[i:j]]
                             + [fragment(" " + group.description, text_style)])
            else:
                items.append(item(*left[i]))
            i = j
        # the right end: `? Keys`, a bar, the palette key
        tail: list[Fragment] = []
        for binding, enabled in right:
            if tail:
                tail.append(fragment(" ▏" if binding.key == self.app.COMMAND_PALETTE_BINDING else " ", dim))
            tail.extend(item(binding, enabled))
        return self._lay_out(items, tail, dim)

    def _lay_out(self, items: list[list[Fragment]], tail: list[Fragment], dim: Style) -> Text:
        """The items from the left, as many as fit whole, then the tail flush right."""

        def length(fragments: list[Fragment]) -> int:
            return sum(label.cell_len for label, _, _ in fragments)

        width = self.size.width
        room = max(0, width - length(tail) - 1)
        fits = sum(map(length, items)) + max(0, len(items) - 1) <= room
        parts: list[Fragment] = []
        for fragments in items:
            gap: list[Fragment] = [(Text(" "), None, True)] if parts else []
            if not fits and length(parts) + len(gap) + length(fragments) + 2 > room:  # room for " …"
                parts.append((Text(" …" if parts else "…", style=dim), None, True))
                break
            parts += gap + fragments
        parts.append((Text(" " * max(1, width - length(parts) - length(tail))), None, True))
        parts += tail

        line = Text(no_wrap=True, overflow="crop", end="")
        hits: list[tuple[int, int, str, bool]] = []
        for label, key, enabled in parts:
            start = line.cell_len
            line.append_text(label)
            if key is not None:
                if hits and hits[-1][2] == key and hits[-1][1] == start:  # the key and its description
                    hits[-1] = (hits[-1][0], line.cell_len, key, enabled)
                else:
                    hits.append((start, line.cell_len, key, enabled))
        self._hits = hits
        return line

    def key_at(self, x: int) -> tuple[str, bool] | None:
        """The key drawn at cell x, and whether it is enabled."""
        for start, end, key, enabled in self._hits:
            if start <= x < end:
                return key, enabled
        return None

    def on_click(self, event: events.Click) -> None:
        hit = self.key_at(event.x)
        if hit is None:
            return
        event.stop()
        key, enabled = hit
        if enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
