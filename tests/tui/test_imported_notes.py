"""A task's notes (a Trello card's description and checklists) shown in its detail, literally."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from clientdesk.domain.imports import import_translation
from clientdesk.domain.tasks import get_task
from clientdesk.importers import ImportOptions, translate
from clientdesk.models import Task
from clientdesk.tui.modals.task_detail import task_detail_renderable

BOARD = Path(__file__).resolve().parent.parent / "fixtures" / "importers" / "trello_board.json"


def test_trello_checklist_shows_in_the_task_detail(db):
    options = ImportOptions(client="Acme", timezone="Europe/Paris", mapping=(("Waiting on client", "review"),))
    import_translation(translate(BOARD, options))
    task_id = Task.get(Task.title == "Homepage wireframe").id
    console = Console(width=100, record=True, color_system=None)
    console.print(task_detail_renderable(get_task(task_id)))
    text = console.export_text()
    assert "Notes" in text and "Three variants" in text and "[x] Hero" in text and "[ ] Pricing" in text
