"""Triage actions through the journal: each one transaction, each undoable."""

from __future__ import annotations

import pytest

from clientdesk.domain import journal, tasks
from clientdesk.domain.errors import InputError, RuleError, StaleEdit
from clientdesk.models import Action, Task, TimeBlock
from tests import factories as f
from tests.conftest import TODAY


@pytest.fixture
def board(db):
    c = f.client("Acme")
    p = f.project(c)
    return c, p


def test_priority_moves_and_done_with_undo_redo(board):
    _, p = board
    t = f.task(p, "Write copy", priority=3, status="todo")
    tasks.change_priority(t.id, -1)
    assert Task.get_by_id(t.id).priority == 2
    tasks.change_priority([t.id], -5)
    assert Task.get_by_id(t.id).priority == 1
    tasks.move_task(t.id, +1)
    assert Task.get_by_id(t.id).status == "doing"
    tasks.mark_done(t.id)
    done = Task.get_by_id(t.id)
    assert done.status == "done" and done.completed is not None
    journal.undo()
    back = Task.get_by_id(t.id)
    assert back.status == "doing" and back.completed is None
    journal.redo()
    assert Task.get_by_id(t.id).status == "done"
    with pytest.raises(RuleError, match="nothing to redo"):
        journal.redo()


def test_marked_tasks_move_together_in_one_action(board):
    _, p = board
    ids = [f.task(p, status="todo").id for _ in range(3)]
    before = Action.select().count()
    tasks.move_task(ids, +1)
    assert Action.select().count() == before + 1
    assert {Task.get_by_id(i).status for i in ids} == {"doing"}
    journal.undo()
    assert {Task.get_by_id(i).status for i in ids} == {"todo"}


def test_recurring_task_comes_back_when_done(board):
    _, p = board
    t = f.task(p, "Invoice", recurrence="monthly", due=TODAY.end_of("month"))
    tasks.mark_done(t.id)
    nxt = Task.select().where(Task.title == "Invoice", Task.status == "todo").get()
    assert nxt.due.to_date_string() == "2026-12-30"  # a month after the 30th
    journal.undo()
    assert Task.select().where(Task.title == "Invoice").count() == 1


def test_delete_and_undo_restore_links(board):
    c, p = board
    t = f.task(p, "Design")
    import pendulum

    b = f.block(c, pendulum.datetime(2026, 11, 24, 9), 2, task=t)
    tasks.delete_task(t.id)
    assert TimeBlock.get_by_id(b.id).task_id is None
    journal.undo()
    assert TimeBlock.get_by_id(b.id).task_id == t.id
    assert Task.get_by_id(t.id).title == "Design"


def test_stale_edit_is_detected(board):
    _, p = board
    t = f.task(p, "Draft")
    view = tasks.get_task(t.id)
    tasks.change_priority(t.id, -1)  # someone else's change
    data = tasks.TaskInput(title="Draft v2", project_id=p.id)
    with pytest.raises(StaleEdit):
        tasks.update_task(t.id, data, expect_version=view.version)
    assert Task.get_by_id(t.id).title == "Draft"


def test_bad_task_input_changes_nothing(board):
    _, p = board
    before = Task.select().count()
    for bad in (
        tasks.TaskInput(title="  ", project_id=p.id),
        tasks.TaskInput(title="x", project_id=p.id, priority=7),
        tasks.TaskInput(title="x", project_id=p.id, status="later"),
        tasks.TaskInput(title="x", project_id=p.id, estimate_minutes=-5),
    ):
        with pytest.raises(InputError):
            tasks.create_task(bad)
    assert Task.select().count() == before


def test_markup_in_titles_is_stored_verbatim(board):
    _, p = board
    view = tasks.create_task(tasks.TaskInput(title="[bold]x[/]", project_id=p.id, tags=("#Dev", "dev", "SEO")))
    assert view.title == "[bold]x[/]" and view.tags == ("dev", "seo")


def test_undo_with_empty_journal(db):
    with pytest.raises(RuleError, match="nothing to undo"):
        journal.undo()


def test_ids_are_not_reused_so_undo_of_a_delete_still_works(board):
    _, p = board
    first = f.task(p, "First")
    tasks.delete_task(first.id)
    second = tasks.create_task(tasks.TaskInput(title="Second", project_id=p.id))
    assert second.id != first.id
    journal.undo()  # the add
    journal.undo()  # the delete
    assert Task.get_by_id(first.id).title == "First"


def test_today_list_orders_ties_with_and_without_due_dates(board):
    import pendulum

    _, p = board
    f.task(p, "Far", priority=3, due=pendulum.date(2027, 6, 1))
    f.task(p, "Undated", priority=3)
    assert [t.title for t in tasks.today_list(5, today=TODAY)] == ["Far", "Undated"]


def test_board_keeps_open_tasks_and_only_the_latest_done(board):
    import pendulum

    c, p = board
    f.task(p, "Open one", status="todo")
    for day in range(1, 6):
        f.task(p, f"Done {day}", status="done", completed=pendulum.datetime(2026, 11, day, 12))
    rows = tasks.board_tasks(c.id, done_limit=2)
    assert [t.title for t in rows] == ["Open one", "Done 5", "Done 4"]
    assert tasks.count_done(c.id) == 5


def test_saving_an_unchanged_task_records_nothing(board):
    _, p = board
    t = f.task(p, "Same", priority=2)
    before = Action.select().count()
    tasks.update_task(t.id, tasks.TaskInput(title="Same", project_id=p.id, priority=2, status="todo"))
    assert Action.select().count() == before


def _unscored(views):
    from dataclasses import replace

    return [repr(replace(v, score=None)) for v in views]


def test_board_tasks_unscored_are_the_same_views_without_the_score(board):
    import pendulum

    c, p = board
    other = f.project(c, "Other")
    f.task(p, "Due soon", status="todo", priority=1, due=pendulum.date(2026, 11, 25), estimate_minutes=90,
           tags="dev seo")
    f.task(other, "Doing", status="doing", position=2.5)
    f.task(p, "Recurring", status="review", recurrence="weekly")
    for day in range(1, 5):
        f.task(p if day % 2 else other, f"Done {day}", status="done", tags="dev",
               completed=pendulum.datetime(2026, 11, day, 12, 30, 15))
    for kwargs in ({}, {"done_limit": 2}, {"tag": "dev"}, {"project_id": other.id}, {"text": "Do"},
                   {"tag": "#DEV", "project_id": p.id, "done_limit": 1}):
        scored = tasks.board_tasks(c.id, **kwargs)
        plain = tasks.board_tasks(c.id, scored=False, **kwargs)
        assert plain == scored and _unscored(plain) == _unscored(scored), kwargs
        assert all(v.score is None for v in plain)
        assert [type(v.created) for v in plain] == [type(v.created) for v in scored]
        assert [type(v.completed) for v in plain] == [type(v.completed) for v in scored]
        assert [type(v.due) for v in plain] == [type(v.due) for v in scored]


def test_board_done_count_is_count_done(board):
    import pendulum

    c, p = board
    other = f.project(c, "Other")
    f.task(p, "Open", status="todo", tags="dev")
    for day in range(1, 6):
        f.task(p if day % 2 else other, f"Done {day}", status="done", tags="dev" if day < 3 else "",
               completed=pendulum.datetime(2026, 11, day, 12))
    f.task(f.project(f.client("Someone else")), "Not theirs", status="done", completed=pendulum.datetime(2026, 11, 3))
    for kwargs in ({}, {"tag": "dev"}, {"project_id": other.id}, {"project_id": p.id, "tag": "dev"},
                   {"text": "Done 4"}):
        assert tasks.board_done_count(c.id, **kwargs) == tasks.count_done(c.id, **kwargs), kwargs
    assert tasks.board_done_count(c.id) == 5


def test_tasks_by_ids_reads_these_cards_in_the_order_given(board):
    c, p = board
    a, b, d = (f.task(p, name, status="todo") for name in ("A", "B", "D"))
    tasks.change_priority(b.id, -1)
    views = tasks.tasks_by_ids([d.id, b.id, 999_999, a.id, b.id])
    assert [v.title for v in views] == ["D", "B", "A"]  # unknown ids left out, repeats once
    by_board = {v.id: v for v in tasks.board_tasks(c.id)}
    assert views == [by_board[v.id] for v in views] and _unscored(views) == _unscored(by_board[v.id] for v in views)
    assert views[1].priority == 2 and all(v.score is None for v in views)
    assert tasks.tasks_by_ids([]) == []
