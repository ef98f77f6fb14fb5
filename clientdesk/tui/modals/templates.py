"""The template list (palette "templates"): each with its tasks and span; rename or delete one."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from clientdesk.domain.templates import TemplateView


@dataclass(frozen=True)
class TemplateRequest:
    """What the user asked for in the list: "rename" or "delete", and which template."""

    what: str
    template: TemplateView


class TemplatesModal(ModalScreen[TemplateRequest | None]):
    CSS_PATH = "../styles/forms.tcss"
    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="templates-close"),
        Binding("r,e", "request('rename')", "Rename", id="template-rename"),
        Binding("delete,d", "request('delete')", "Delete", id="template-delete"),
    ]

    def __init__(self, templates: list[TemplateView]) -> None:
        super().__init__()
        self.templates = templates

    def compose(self) -> ComposeResult:
        with Vertical(id="templates-box"):
            yield Label(Text(f"Templates ({len(self.templates)})"), id="templates-title")
            if self.templates:
                yield OptionList(*[Option(Text.assemble((t.name, "bold"), "  ", (t.words(), "dim")), id=str(t.id))
                                   for t in self.templates], id="templates-list")
            else:
                yield Label(Text("No template yet. Open a client (i), choose a project and press ctrl+p → "
                                 "\"new template from this project\" to keep its tasks for the next client."),
                            id="templates-empty")
            yield Label(Text("r rename · delete deletes · P on a board starts a project from one · esc closes"),
                        id="templates-hint")

    def action_request(self, what: str) -> None:
        if not self.templates:
            return
        index = self.query_one("#templates-list", OptionList).highlighted
        if index is None:
            return
        self.dismiss(TemplateRequest(what, self.templates[index]))
