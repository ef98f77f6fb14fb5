"""The `?` screen: every key of the view below it and of the app, then the
keys of every other view, so the whole key contract can be learnt from any
screen (`y` approves a change request, though `?` was pressed on the Overview)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from clientdesk.tui.keys import format_key


DOES_WIDTH = 50  # the help box is 112 wide: room left for where and the id


def _does(binding: Binding) -> str:
    """What a key does, in full: the footer shows the short description, the
    help its tooltip when it has one ('Mark or unmark, then move down ...')."""
    return binding.tooltip or binding.description


def _own_bindings(cls) -> list[Binding]:
    """A screen class's bindings declared in clientdesk (not Textual's own)."""
    return [b for klass in cls.__mro__ if klass.__module__.startswith("clientdesk.")
            for b in klass.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


class HelpScreen(ModalScreen[None]):
    """Lists the bindings active on `target` (the view) and the app's own."""

    CSS_PATH = "../styles/help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help-close")]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        title = getattr(self.target, "VIEW_TITLE", "") or type(self.target).__name__
        with Vertical(id="help-box"):
            yield Label(Text(f"Keys · {title}", style="bold"), id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Label(Text("esc closes · keys can be rebound by id in config.toml [keymap]", style="dim"), id="help-hint")

    def on_mount(self) -> None:
        """The view's own keys first, then the app's, then moving around."""
        table = self.query_one(DataTable)
        table.add_column("Key")
        table.add_column("Does", width=DOES_WIDTH)
        table.add_columns("Where", "Id")
        view_name = getattr(self.target, "VIEW_TITLE", "") or "this view"
        sections: dict[str, list] = {"view": [], "app": [], "nav": []}
        for key, active in self.target.active_bindings.items():
            binding = active.binding
            if not binding.description:
                continue
            if active.node is self.app:
                section, where = "app", "everywhere"
            elif binding.id:
                section, where = "view", view_name
            else:
                section, where = "nav", f"{view_name}: {type(active.node).__name__}" if active.node is not self.target else view_name
            sections[section].append((format_key(binding.key_display or key), _does(binding), where, binding.id or ""))
        # a key the view hides where it does not apply (Restore on an active client) is listed all the same
        listed = {row[3] for rows in sections.values() for row in rows}
        keymap = getattr(self.app, "user_keymap", {}) or {}
        for binding in _own_bindings(type(self.target)):
            if binding.description and binding.id and binding.id not in listed:
                listed.add(binding.id)
                key = keymap.get(binding.id, binding.key_display or binding.key)
                sections["view"].append((format_key(key), f"{_does(binding)} (when it applies)", view_name, binding.id))
        titles = {"view": f"{view_name}", "app": "Everywhere", "nav": "Moving around"}
        groups = [(titles[section], rows) for section, rows in sections.items()]
        groups += self._other_views()
        for heading, rows in groups:
            if not rows:
                continue
            table.add_row(Text(heading, style="bold underline"), Text(""), Text(""), Text(""))
            for key, does, where, binding_id in rows:
                table.add_row(Text(key, style="bold"), Text(does, overflow="ellipsis", no_wrap=True),
                              Text(where, style="dim"), Text(binding_id, style="dim"))
        table.focus()

    def _other_views(self) -> list[tuple[str, list]]:
        """The keys of every view but the one below, from their classes (as the
        user's keymap rebinds them), each group headed by the view and its key."""
        from clientdesk.tui.views import OTHER_SCREENS, VIEWS, screen_class

        keymap = getattr(self.app, "user_keymap", {}) or {}
        targets = [(f"{v.title} ({v.key})", v.title, v.screen) for v in VIEWS]
        targets += [(title, title, path) for title, path in OTHER_SCREENS]
        groups = []
        for heading, where, path in targets:
            cls = screen_class(path)
            if isinstance(self.target, cls):
                continue
            seen: set[str] = set()
            rows = []
            for binding in _own_bindings(cls):
                if not isinstance(binding, Binding) or not binding.description or binding.id in seen:
                    continue
                seen.add(binding.id or binding.key)
                key = keymap.get(binding.id, binding.key_display or binding.key) if binding.id else binding.key
                rows.append((format_key(key), _does(binding), where, binding.id or ""))
            groups.append((heading, rows))
        return groups
