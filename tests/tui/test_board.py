"""The Board driven with Pilot: every key of the contract, checked in the database afterwards."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pendulum
import pytest
from rich.cells import cell_len

from clientdesk.domain.clients import find_client, list_clients, list_projects
from clientdesk.domain.tasks import board_tasks, get_task
from clientdesk.tui.modals.pickers import PickerModal
from clientdesk.tui.modals.task_detail import TaskDetailModal
from clientdesk.tui.modals.entity_form import EntityForm as TaskForm
from clientdesk.tui.screens.board import BoardScreen
from tests.tui.helpers import create_app, press, settle

CLIENT = "Atelier Moreau"
FRIDAY = pendulum.date(2026, 11, 27)


@asynccontextmanager
async def board(client: str = CLIENT, size=(120, 40)):
    client_id = find_client(client).id
    app = create_app(mode="board", client_id=client_id)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        yield app, pilot, app.screen


async def type_text(pilot, text: str) -> None:
    """Fill the focused input as if typed (Input.Changed fires the same); one test types key by key."""
    field = pilot.app.focused
    field.value = text
    field.cursor_position = len(text)
    await settle(pilot)


async def type_keys(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))
    await settle(pilot)


def shown(screen: BoardScreen, status: str) -> list[int]:
    return [c.task.id for c in screen.column(status).cards.cards]


def tasks_by_id(client_id: int) -> dict[int, object]:
    return {t.id: t for t in board_tasks(client_id)}


# -- the board shows the domain's data -------------------------------------------------------------
async def test_columns_show_the_clients_tasks(demo_db):
    client_id = find_client(CLIENT).id
    async with board() as (app, pilot, screen):
        tasks = board_tasks(client_id)
        for status in ("backlog", "todo", "doing", "review"):
            assert shown(screen, status) == [t.id for t in tasks if t.status == status]
        done = [t for t in tasks if t.status == "done"]
        assert sorted(shown(screen, "done")) == sorted(t.id for t in done)[:30]
        assert screen.current_status == "todo" and screen.current_task().id == shown(screen, "todo")[0]


async def test_arrows_and_hjkl_move_between_and_within_columns(demo_db):
    async with board() as (app, pilot, screen):
        todo = shown(screen, "todo")
        await press(pilot, "j")
        assert screen.current_task().id == todo[1]
        await press(pilot, "k")
        assert screen.current_task().id == todo[0]
        await press(pilot, "l")
        assert screen.current_status == "doing"
        await press(pilot, "right", "right", "right")  # stops at done
        assert screen.current_status == "done"
        await press(pilot, "h", "left")
        assert screen.current_status == "doing"


# -- triage keys -------------------------------------------------------------------------------------
async def test_plus_and_minus_change_priority_and_u_U_undo_redo(demo_db):
    async with board() as (app, pilot, screen):
        await press(pilot, "j")
        task = screen.current_task()
        before = task.priority
        await press(pilot, "minus")
        assert get_task(task.id).priority == min(4, before + 1)
        await press(pilot, "plus", "plus")
        assert get_task(task.id).priority == max(1, before - 1)
        assert screen.current_task().id == task.id  # the highlight stays on the card
        await press(pilot, "u")
        assert get_task(task.id).priority == before
        await press(pilot, "U")
        assert get_task(task.id).priority == max(1, before - 1)


async def test_greater_and_less_move_the_card_and_the_highlight_follows(demo_db):
    async with board() as (app, pilot, screen):
        task = screen.current_task()
        await press(pilot, "greater_than_sign")
        assert get_task(task.id).status == "doing"
        assert screen.current_status == "doing" and screen.current_task().id == task.id
        await press(pilot, ">")
        assert get_task(task.id).status == "review"
        await press(pilot, "<", "<", "<")
        assert get_task(task.id).status == "backlog"
        assert task.id in shown(screen, "backlog")


async def test_x_marks_done_and_the_highlight_stays_in_the_column(demo_db):
    async with board() as (app, pilot, screen):
        todo = shown(screen, "todo")
        await press(pilot, "x")
        assert get_task(todo[0]).status == "done"
        assert get_task(todo[0]).completed is not None
        assert screen.current_status == "todo"
        assert screen.current_task().id == todo[1]
        assert todo[0] in shown(screen, "done")


async def test_x_acts_on_the_highlighted_card_after_cards_come_and_go_around_it(demo_db):
    """The highlight is an index into the list's own cards: inserts and removals above and below
    it keep it on its card, the lit line is that card's, and `x` finishes that card and no other."""
    from dataclasses import replace

    async with board() as (app, pilot, screen):
        screen.set_current("todo")
        column = screen.column("todo")
        cards, style = list(column.tasks), column.card_style
        assert len(cards) >= 4
        target = cards[2]
        assert column.highlight(target.id)
        extra = [replace(cards[0], id=900_000 + n, title=f"Visitor {n}") for n in range(3)]
        for tasks in ([cards[0], *cards[2:]],  # one gone above
                      [target, *cards[3:]],  # all gone above
                      [extra[0], extra[1], target, *cards[3:]],  # two came above
                      [extra[0], target, extra[2], *cards[3:]],  # one went above, one came below
                      [*cards[:2], extra[1], target, *cards[3:-1]]):  # the last gone, one came just above
            column.set_tasks(tasks, style)
            await settle(pilot)
            lists = column.cards
            index = lists.highlighted
            assert lists.current_id == target.id and lists.cards[index].task is target
            top, _ = lists.card_rows(index)
            lit = lists.get_visual_style("option-list--option", "card-list--option-lit").rich_style
            line = lists.render_line(top - lists.scroll_offset.y)
            assert any(seg.style is not None and seg.style.bgcolor == lit.bgcolor for seg in line)
            assert target.title[:10] in line.text
        column.set_tasks(cards, style)
        await settle(pilot)
        before = {t.id: t.status for t in board_tasks(find_client(CLIENT).id)}
        await press(pilot, "x")
        after = {t.id: t.status for t in board_tasks(find_client(CLIENT).id)}
        assert after[target.id] == "done"
        assert {i for i in before if before[i] != after.get(i)} == {target.id}


async def test_v_marks_and_the_next_triage_key_acts_on_all_marked_cards(demo_db):
    async with board() as (app, pilot, screen):
        todo = shown(screen, "todo")
        await press(pilot, "v")  # marks the first card and steps down
        assert screen.current_task().id == todo[1]
        await press(pilot, "l", "v")  # a card in another column too
        doing = shown(screen, "doing")
        assert screen.marked == {todo[0], doing[0]}
        await press(pilot, ">")
        assert get_task(todo[0]).status == "doing"
        assert get_task(doing[0]).status == "review"
        assert get_task(todo[1]).status == "todo"  # not marked: untouched
        assert screen.marked == set()  # marks are spent
        current = screen.current_task()
        others = {t.id: t.status for t in board_tasks(current.client_id) if t.id != current.id}
        await press(pilot, ">")  # now acts on the highlighted card only
        assert get_task(current.id).status != current.status
        assert {t.id: t.status for t in board_tasks(current.client_id) if t.id != current.id} == others


async def test_marked_cards_change_priority_together(demo_db):
    async with board() as (app, pilot, screen):
        todo = shown(screen, "todo")
        before = {i: get_task(i).priority for i in todo[:2]}
        await press(pilot, "v", "v", "minus")
        for task_id, priority in before.items():
            assert get_task(task_id).priority == min(4, priority + 1)


async def test_shift_k_and_j_reorder_inside_the_column(demo_db):
    client_id = find_client(CLIENT).id
    async with board() as (app, pilot, screen):
        todo = shown(screen, "todo")
        await press(pilot, "J")
        order = [t.id for t in board_tasks(client_id) if t.status == "todo"]
        assert order[:2] == [todo[1], todo[0]]
        assert shown(screen, "todo")[:2] == [todo[1], todo[0]]
        assert screen.current_task().id == todo[0]
        await press(pilot, "K")
        assert [t.id for t in board_tasks(client_id) if t.status == "todo"] == todo


# -- triage keys patch the board: only the cards acted on are read again ------------------------------------------
def assert_board_is_a_fresh_read(screen: BoardScreen) -> None:
    """What the board shows is what a full read would show: cards, order, separators, counts, headers."""
    fresh = screen.load()
    assert screen.data.tasks == fresh.tasks
    assert screen.data.done_total == fresh.done_total
    for status, (cards, total) in screen.visible_tasks().items():
        column = screen.column(status)
        assert [c.task.id for c in column.cards.cards] == [t.id for t in cards], status
        assert column.cards.dividers == screen._dividers
        assert column.tasks == cards
        assert column.header_parts == (len(cards), total if status == "done" else None,
                                       sum(t.estimate_minutes or 0 for t in cards))


@pytest.mark.parametrize("keys", [("j", "plus"), ("minus",), ("greater_than_sign",), ("less_than_sign",), ("x",),
                                  ("j", "x"), ("l", "greater_than_sign", "greater_than_sign"),
                                  ("v", "v", "l", "v", "greater_than_sign"), ("v", "v", "x")])
async def test_triage_keys_patch_the_board_without_reading_it_all(demo_db, keys):
    # (the first card is p1: "+" on it is refused, "already p1", and a refusal reads the board again)
    async with board() as (app, pilot, screen):
        token = screen._load_token
        await press(pilot, *keys)
        assert screen._load_token == token  # no full read: the acted-on cards were patched in
        assert_board_is_a_fresh_read(screen)


async def test_x_then_u_puts_the_card_back_where_it_was(demo_db):
    async with board() as (app, pilot, screen):
        await press(pilot, "j")
        todo, task = shown(screen, "todo"), screen.current_task()
        done_header = str(screen.column("done").query_one(".column-header").render())
        await press(pilot, "x")
        assert shown(screen, "done")[0] == task.id and task.id not in shown(screen, "todo")
        await press(pilot, "u")
        assert shown(screen, "todo") == todo and task.id not in shown(screen, "done")
        assert str(screen.column("done").query_one(".column-header").render()) == done_header
        assert_board_is_a_fresh_read(screen)


async def test_a_finished_recurring_card_brings_its_next_occurrence(demo_db):
    from clientdesk.domain.tasks import TaskInput, create_task

    client_id = find_client(CLIENT).id
    project = list_projects(client_id)[0]
    card = create_task(TaskInput(title="Send the invoice", project_id=project.id, recurrence="monthly", due=FRIDAY))
    async with board() as (app, pilot, screen):
        assert screen.column("todo").highlight(card.id)
        await press(pilot, "x")
        assert get_task(card.id).status == "done"
        again = [t for t in board_tasks(client_id) if t.title == "Send the invoice" and t.status == "todo"]
        assert len(again) == 1 and again[0].id in shown(screen, "todo")
        assert_board_is_a_fresh_read(screen)


async def test_x_counts_the_card_into_the_last_30(demo_db):
    from clientdesk.models import Project
    from tests import factories

    client_id = find_client(CLIENT).id
    project = Project.get_by_id(list_projects(client_id)[0].id)
    for n in range(32):
        factories.task(project, f"Old chore {n}", status="done", completed=pendulum.datetime(2026, 11, 2, 9, n))
    total = sum(1 for t in board_tasks(client_id) if t.status == "done")
    async with board() as (app, pilot, screen):
        task = screen.current_task()
        await press(pilot, "x")
        assert shown(screen, "done")[0] == task.id and len(shown(screen, "done")) == 30
        assert f"last 30 of {total + 1}" in str(screen.column("done").query_one(".column-header").render())
        assert_board_is_a_fresh_read(screen)
        await press(pilot, "l", "l", "l", "home", "less_than_sign")  # and back out of done
        assert get_task(task.id).status == "review"
        assert f"last 30 of {total}" in str(screen.column("done").query_one(".column-header").render())
        assert_board_is_a_fresh_read(screen)


async def test_a_column_splices_cards_in_and_out_like_a_rebuild(demo_db):
    from dataclasses import replace

    async with board() as (app, pilot, screen):
        column = screen.column("todo")
        cards, style = list(column.tasks), column.card_style
        extra = [replace(cards[0], id=900_000 + n, title=f"New {n}") for n in range(3)]
        variants = [cards[1:], cards[:-1], [extra[0], *cards], [*cards, extra[1]],
                    [*cards[:2], extra[2], *cards[3:]], [replace(cards[0], priority=1), *cards[1:]], [], cards]
        for dividers in (True, False):
            column.set_tasks(cards, style, dividers=dividers)
            for tasks in variants:
                column.set_tasks(tasks, style, dividers=dividers)
                await settle(pilot)
                cards_list = column.cards
                assert [c.task for c in cards_list.cards] == tasks
                assert cards_list.dividers == dividers
                assert all(cards_list.index_of(t.id) == n for n, t in enumerate(tasks))
                rows = sum(c.height for c in cards_list.cards) + (len(tasks) - 1 if dividers and tasks else 0)
                assert cards_list.virtual_size.height == rows
                # every row belongs to the card whose rows hold it, and no row past the end does
                row = 0
                for n, card in enumerate(cards_list.cards):
                    top, height = cards_list.card_rows(n)
                    assert top == row and height == card.height + (dividers and n < len(tasks) - 1)
                    assert {cards_list.card_at(r) for r in range(top, top + height)} == {n}
                    row += height
                assert cards_list.card_at(rows) is None
                assert (column.cards.highlighted is None) == (not tasks)


# -- open, edit, add ------------------------------------------------------------------------------------
async def test_enter_opens_the_detail_with_the_score_terms_and_e_there_edits(demo_db):
    async with board() as (app, pilot, screen):
        task = screen.current_task()
        await press(pilot, "enter")
        assert isinstance(app.screen, TaskDetailModal)
        assert app.screen.task_view.id == task.id
        assert {t.name for t in app.screen.task_view.score.terms} >= {"priority", "due", "overdue", "age", "client"}
        await press(pilot, "e")
        assert isinstance(app.screen, TaskForm)
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen)
        assert get_task(task.id).version == task.version  # cancelled: nothing written


async def test_e_edits_through_the_form(demo_db):
    async with board() as (app, pilot, screen):
        task = screen.current_task()
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, TaskForm)
        form.query_one("#f-title").value = "Intégrer la galerie v2"
        form.query_one("#f-due").value = "fri"
        form.query_one("#f-estimate-minutes").value = "1h30"
        form.query_one("#f-tags").value = "#dev, ux"
        form.query_one("#f-priority").value = 4
        form.query_one("#f-status").value = "review"
        await press(pilot, "ctrl+s")
        saved = get_task(task.id)
        assert saved.title == "Intégrer la galerie v2"
        assert (saved.due, saved.estimate_minutes, saved.tags, saved.priority) == (FRIDAY, 90, ("dev", "ux"), 4)
        assert saved.status == "review"
        assert isinstance(app.screen, BoardScreen)
        assert screen.current_status == "review" and screen.current_task().id == task.id


async def test_the_form_refuses_bad_fields_inline_and_writes_nothing(demo_db):
    async with board() as (app, pilot, screen):
        task = screen.current_task()
        await press(pilot, "e")
        form = app.screen
        form.query_one("#f-due").value = "31 feb"
        form.query_one("#f-title").value = "  "
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TaskForm)
        assert str(form.query_one("#f-due-error").render()) == "no such date: 31 feb"
        assert str(form.query_one("#f-title-error").render()) == "empty"  # every bad field says why at once
        assert form.query_one("#f-due").has_class("-invalid") and form.focused is form.query_one("#f-title")
        form.query_one("#f-title").value = "Hero"
        form.query_one("#f-due").value = "fri"
        await settle(pilot)
        assert str(form.query_one("#f-due-reads").render()) == "→ Fri 27 Nov"  # what the date reads as, as typed
        form.query_one("#f-recurrence").value = "sometimes"
        form.query_one("#f-estimate-minutes").value = "0m"
        await press(pilot, "ctrl+s")
        assert "sometimes" in str(form.query_one("#f-recurrence-error").render())
        assert str(form.query_one("#f-estimate-minutes-error").render()) == "must be more than zero: 0m"
        await press(pilot, "escape")
        assert get_task(task.id).version == task.version


async def test_a_quick_add_shows_the_parse_then_saves(demo_db):
    client_id = find_client(CLIENT).id
    first_active = list_projects(client_id, active_only=True)[0]
    async with board() as (app, pilot, screen):
        before = set(tasks_by_id(client_id))
        await press(pilot, "a")
        await type_keys(pilot, "Post p1 due:fri")  # typed key by key: the markers reach the line, not the board
        assert "'Post' · p1 · due Fri 27 Nov" in str(screen.query_one("#qa-preview").render())
        await type_text(pilot, "Write launch post p1 due:fri 2h #seo")
        preview = str(screen.query_one("#qa-preview").render())
        assert "'Write launch post'" in preview and "p1" in preview and "due Fri 27 Nov" in preview
        assert "2h" in preview and "#seo" in preview and first_active.name in preview
        assert set(tasks_by_id(client_id)) == before  # nothing written while typing
        await press(pilot, "enter")
        new = [t for i, t in tasks_by_id(client_id).items() if i not in before]
        assert len(new) == 1
        t = new[0]
        assert (t.title, t.priority, t.due, t.estimate_minutes, t.tags) == ("Write launch post", 1, FRIDAY, 120, ("seo",))
        assert (t.status, t.project_id) == ("todo", first_active.id)
        assert not screen.query_one("#quick-add").display
        assert screen.current_task().id == t.id  # the highlight lands on the new card


async def test_quick_add_project_hint_and_focused_column(demo_db):
    client_id = find_client(CLIENT).id
    projects = list_projects(client_id)
    target = projects[-1]
    hint = target.name.split()[0].lower()
    async with board() as (app, pilot, screen):
        await press(pilot, "l")  # doing column: the card goes there
        await press(pilot, "a")
        await type_text(pilot, f"Call the printer +{hint}")
        await press(pilot, "enter")
        t = next(t for t in board_tasks(client_id) if t.title == "Call the printer")
        assert (t.project_id, t.status, t.priority) == (target.id, "doing", 3)


async def test_quick_add_with_an_impossible_date_shows_an_error_and_writes_nothing(demo_db):
    client_id = find_client(CLIENT).id
    async with board() as (app, pilot, screen):
        before = set(tasks_by_id(client_id))
        await press(pilot, "a")
        await type_text(pilot, "Pay the rent due:31 feb")
        preview = screen.query_one("#qa-preview")
        assert "no such date: 31 feb" in str(preview.render()) and preview.has_class("-error")
        await press(pilot, "enter")
        assert set(tasks_by_id(client_id)) == before
        assert screen.query_one("#quick-add").display  # still open, for fixing
        assert "no such date" in str(preview.render())
        await press(pilot, "escape")
        assert not screen.query_one("#quick-add").display
        assert set(tasks_by_id(client_id)) == before


async def test_shift_a_adds_through_the_full_form(demo_db):
    client_id = find_client(CLIENT).id
    async with board() as (app, pilot, screen):
        await press(pilot, "A")
        form = app.screen
        assert isinstance(form, TaskForm)
        form.query_one("#f-title").value = "Book the photographer"
        form.query_one("#f-due").value = "+3d"
        await press(pilot, "enter")  # enter in a field saves too
        t = next(t for t in board_tasks(client_id) if t.title == "Book the photographer")
        assert (t.status, t.due) == ("todo", pendulum.date(2026, 11, 26))


# -- filters and clients -----------------------------------------------------------------------------------
async def test_slash_filters_by_words_and_escape_clears(demo_db):
    client_id = find_client(CLIENT).id
    async with board() as (app, pilot, screen):
        await press(pilot, "slash")
        await type_text(pilot, "galerie")
        expected = {t.id for t in board_tasks(client_id, text="galerie")}
        visible = {i for s in ("backlog", "todo", "doing", "review", "done") for i in shown(screen, s)}
        assert visible == expected and expected
        await press(pilot, "enter")  # back to the cards, filter kept
        assert screen.filter_text == "galerie"
        card = screen.current_task()
        if card is not None:  # a triage key works on the filtered board
            await press(pilot, "x")
            assert get_task(card.id).status == "done"
        await press(pilot, "slash", "escape")
        assert screen.filter_text == ""
        assert sum(len(shown(screen, s)) for s in ("backlog", "todo", "doing", "review")) == len(
            [t for t in board_tasks(client_id) if t.status != "done"])


async def test_p_and_t_filter_by_project_and_tag(demo_db):
    client_id = find_client(CLIENT).id
    project = list_projects(client_id)[0]
    async with board() as (app, pilot, screen):
        await press(pilot, "p")
        assert isinstance(app.screen, PickerModal)
        await type_text(pilot, project.name)
        await press(pilot, "enter")
        assert screen.project_filter == project.id
        open_shown = {i for s in ("backlog", "todo", "doing", "review") for i in shown(screen, s)}
        assert open_shown == {t.id for t in board_tasks(client_id, project_id=project.id) if t.status != "done"}
        await press(pilot, "g")
        await type_text(pilot, "dev")
        await press(pilot, "enter")
        assert screen.tag_filter == "dev"
        open_shown = {i for s in ("backlog", "todo", "doing", "review") for i in shown(screen, s)}
        assert open_shown == {t.id for t in board_tasks(client_id, project_id=project.id, tag="dev") if t.status != "done"}
        await press(pilot, "escape")  # drops the filters
        assert screen.project_filter is None and screen.tag_filter is None


async def test_client_switch_with_parentheses_and_the_picker(demo_db):
    active = sorted((c for c in list_clients() if c.status == "active"), key=lambda c: c.name.casefold())
    names = [c.name for c in active]
    start = names.index(CLIENT)
    async with board() as (app, pilot, screen):
        await press(pilot, "right_parenthesis")
        nxt = active[(start + 1) % len(active)]
        assert app.client_id == nxt.id == screen.client_id
        assert set(shown(screen, "todo")) == {t.id for t in board_tasks(nxt.id) if t.status == "todo"}
        await press(pilot, "left_parenthesis", "left_parenthesis")
        assert app.client_id == active[(start - 1) % len(active)].id
        await press(pilot, "c")
        assert isinstance(app.screen, PickerModal)
        await type_text(pilot, "qinghe")
        await press(pilot, "enter")
        qinghe = find_client("Qinghe").id
        assert app.client_id == qinghe
        assert {i for s in ("backlog", "todo", "doing", "review") for i in shown(screen, s)} == {
            t.id for t in board_tasks(qinghe) if t.status != "done"}
        await press(pilot, "c", "escape")  # cancelled: same client
        assert app.client_id == qinghe


async def test_narrow_terminal_still_shows_every_column(demo_db):
    async with board(size=(80, 24)) as (app, pilot, screen):
        for status in ("backlog", "todo", "doing", "review", "done"):
            column = screen.column(status)
            assert column.size.width >= 12
        await press(pilot, "x")
        assert screen.column("done").tasks


async def test_keys_on_a_board_without_clients_do_nothing_and_do_not_crash(db):
    app = create_app(mode="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ("a", "e", "plus", "x", "v", "enter", "p", "c", "right_parenthesis"):
            await press(pilot, key)
            assert isinstance(app.screen, BoardScreen)
        assert "No client yet" in str(app.screen.query_one("#board-bar").render())


async def test_done_column_shows_the_last_30_and_says_so(demo_db):
    from clientdesk.domain.tasks import TaskInput, create_task

    client_id = find_client(CLIENT).id
    project = list_projects(client_id)[0]
    for n in range(32):
        create_task(TaskInput(title=f"Old chore {n}", project_id=project.id, status="done"))
    total = sum(1 for t in board_tasks(client_id) if t.status == "done")
    async with board() as (app, pilot, screen):
        assert len(shown(screen, "done")) == 30
        header = str(screen.column("done").query_one(".column-header").render())
        assert f"last 30 of {total}" in header


async def test_the_highlight_survives_a_reload_from_elsewhere(demo_db):
    async with board() as (app, pilot, screen):
        await press(pilot, "j", "j")
        task = screen.current_task()
        app.data_changed()  # e.g. an undo on another view
        await settle(pilot)
        assert screen.current_task().id == task.id


# -- cards: cheap, exact, wide characters in line --------------------------------------------------------------
TITLES = ["Short", "Rédiger la page « À propos » du site", "青禾茶业新品包装设计和网站更新以及社交媒体", "a" * 80,
          "Mixed 青禾 and ASCII words that wrap", "tab\tand\nnewline in a title", "", "x"]


@pytest.mark.parametrize("width", [6, 13, 20, 26, 38, 60])
def test_card_height_is_what_the_prompt_draws_and_no_line_is_wider_than_the_card(width):
    from dataclasses import replace

    from clientdesk.tui.widgets.board_column import CardStyle, card_height, card_prompt

    base = _sample_task()
    style = CardStyle(today=pendulum.date(2026, 11, 23), show_project=True)
    for title in TITLES:
        for marked in (False, True):
            task = replace(base, title=title)
            prompt = card_prompt(task, width, style, marked=marked)
            lines = prompt.plain.split("\n")
            assert len(lines) == card_height(task, width, marked=marked), (title, width)
            assert all(cell_len(line) <= max(4, width) for line in lines), (title, width, lines)


def _sample_task():
    from clientdesk.domain.tasks import TaskView

    return TaskView(id=1, title="t", status="todo", priority=1, due=pendulum.date(2026, 11, 20), estimate_minutes=90,
                    tags=("dev", "seo"), position=1, project_id=1, project="Website", client_id=1, client="Acme",
                    change_request_id=None, recurrence="", created=pendulum.datetime(2026, 11, 1),
                    completed=None, version=1)


async def test_a_long_column_draws_only_the_cards_on_screen(demo_db):
    from dataclasses import replace

    async with board() as (app, pilot, screen):
        column = screen.column("todo")
        base = column.tasks[0]
        many = [replace(base, id=100_000 + n, title=f"Card {n}") for n in range(3000)]
        column.set_tasks(many, column.card_style)
        await settle(pilot)
        built = sum(1 for c in column.cards.cards if c.built is not None)
        assert column.cards.card_count == 3000
        assert 0 < built < 60
        await press(pilot, "end")
        assert column.cards.highlighted == 2999
