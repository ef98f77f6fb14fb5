"""Keys that must reach what the user sees: view keys from anywhere, list
ends, marks on the highlighted rows, priority at its ends, the `?` contract."""

from __future__ import annotations

from clientdesk.domain.tasks import get_task
from clientdesk.models import Task
from clientdesk.tui.screens.changes import ChangesScreen
from clientdesk.tui.screens.client import ClientScreen
from clientdesk.tui.screens.help import HelpScreen
from clientdesk.tui.screens.overview import OverviewScreen
from clientdesk.tui.views import VIEWS
from clientdesk.tui.widgets.keyed_table import KeyedTable
from tests.tui.helpers import create_app, press, settle


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_view_keys_leave_the_client_detail_for_their_view(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "i")
        assert isinstance(app.screen, ClientScreen)
        await press(pilot, "4")
        assert app.current_mode == "changes" and isinstance(app.screen, ChangesScreen)
        await press(pilot, "1")
        assert app.current_mode == "overview" and isinstance(app.screen, OverviewScreen)

        await press(pilot, "4")
        app.screen.query_one("#changes", KeyedTable).focus()
        await press(pilot, "i")
        assert isinstance(app.screen, ClientScreen)
        await press(pilot, "4")  # the mode it is already in
        assert isinstance(app.screen, ChangesScreen)


async def test_view_keys_do_nothing_under_a_modal(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "3")
        assert isinstance(app.screen, HelpScreen) and app.current_mode == "overview"


def test_every_view_has_its_key_binding_and_palette_command():
    from clientdesk.tui.app import ClientdeskApp

    keys = {b.id: b.key for b in ClientdeskApp.BINDINGS}
    assert [keys[f"go-{v.mode}"] for v in VIEWS] == [v.key for v in VIEWS]
    assert set(ClientdeskApp.MODES) == {v.mode for v in VIEWS}


async def test_home_end_and_pages_move_the_highlight_that_v_marks(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#today", KeyedTable)
        today.focus()
        assert today.row_count > 4
        await press(pilot, "down", "down", "down")
        assert today.cursor_row == 3
        await press(pilot, "home")
        assert today.cursor_row == 0
        await press(pilot, "end")
        assert today.cursor_row == today.row_count - 1
        await press(pilot, "pageup")
        assert 0 <= today.cursor_row < today.row_count - 1
        await press(pilot, "pagedown")
        assert today.cursor_row == today.row_count - 1

        await press(pilot, "home")
        first_two = [int(today.coordinate_to_cell_key((i, 0)).row_key.value) for i in (0, 1)]
        await press(pilot, "v", "v")
        assert sorted(today.marked) == sorted(first_two)
        await press(pilot, "x")
        assert all(get_task(i).status == "done" for i in first_two)


async def test_home_and_end_in_the_changes_queue(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "4")
        queue = app.screen.query_one("#changes", KeyedTable)
        queue.focus()
        await press(pilot, "end")
        assert queue.cursor_row == queue.row_count - 1 > 0
        await press(pilot, "home")
        assert queue.cursor_row == 0


async def test_priority_at_its_ends_says_so(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#today", KeyedTable)
        today.focus()
        task_id = today.current_key
        title = Task.get_by_id(task_id).title
        Task.update(priority=1).where(Task.id == task_id).execute()
        await press(pilot, "plus")
        assert f"'{title}' is already p1, the highest priority" in messages(app)
        Task.update(priority=4).where(Task.id == task_id).execute()
        await press(pilot, "minus")
        assert f"'{title}' is already p4, the lowest priority" in messages(app)
        assert Task.get_by_id(task_id).priority == 4


async def test_help_lists_every_views_keys_from_the_first_screen(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        table = app.screen.query_one("#help-table")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        headings = [r[0] for r in rows if r[1] == ""]
        assert headings[:3] == ["Overview", "Everywhere", "Moving around"]
        assert headings[3:] == ["Board (2)", "Planner (3)", "Changes (4)", "Client detail"]
        assert any(r[0] == "y" and r[2] == "Changes" and "pprove" in r[1] for r in rows)
        assert any(r[0] == "home" and r[1] == "First row" for r in rows)
        assert any(r[0] == "v" and r[1].startswith("Mark or unmark, then move down") for r in rows)


async def test_the_filtered_overview_header_counts_what_the_filter_shows(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        title = app.screen.query_one("#clients-title")
        everyone = str(title.render())
        assert "of" not in everyone.split("active")[0]
        await press(pilot, "slash")
        await pilot.press(*"moreau")
        await settle(pilot)
        table = app.screen.query_one("#clients", KeyedTable)
        assert table.row_count == 1
        header = str(title.render())
        total = everyone.split("Clients ")[1].split(" active")[0]
        assert f"Clients 1 of {total} active" in header
        counts = [int(header.split(word)[0].split()[-1]) for word in (" red", " amber", " green")]
        assert sum(counts) == 1


async def test_the_due_prompt_names_the_task_shows_its_date_and_previews_what_is_typed(demo_db):
    from clientdesk.tui.modals.prompt import PromptModal

    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#today", KeyedTable)
        today.focus()
        task = get_task(today.current_key)
        await press(pilot, "d")
        prompt = app.screen
        assert isinstance(prompt, PromptModal)
        question = str(prompt.query_one("#prompt-question").render())
        now = task.due.format("ddd D MMM") if task.due else "none"
        assert question == f"Due date of “{task.title}” · now {now}"
        placeholder = prompt.query_one("#prompt-input").placeholder
        example = placeholder.split(", ")[3].split(";")[0]
        assert example > "2026-11-23"  # an example in the future
        await pilot.press(*"fri")
        await settle(pilot)
        assert str(prompt.query_one("#prompt-preview").render()) == "fri → Fri 27 Nov"
        await pilot.press("backspace", "backspace", "backspace", *"+3d")
        await settle(pilot)
        assert str(prompt.query_one("#prompt-preview").render()) == "+3d → Thu 26 Nov"
        await pilot.press("enter")
        await settle(pilot)
        assert get_task(task.id).due.to_date_string() == "2026-11-26"
