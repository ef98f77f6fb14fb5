"""The Changes queue driven with Pilot on the demo database; every key checked in the database."""

from __future__ import annotations

import pendulum

from clientdesk.domain import changes as cr
from clientdesk.domain.clients import client_profile, find_client, interactions, list_projects
from clientdesk.domain.tasks import board_tasks
from clientdesk.tui.modals.change_forms import ChangeDetailModal
from clientdesk.tui.modals.entity_form import EntityForm
from clientdesk.tui.modals.prompt import PromptModal
from clientdesk.tui.screens.changes import ChangesScreen
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle

UNASSESSED = "Loyalty points"  # new, Hudson & Pike Coffee / Subscription app (rate 110)
ASSESSED = "Ajouter une version anglaise"  # assessing 18h +6d, Atelier Moreau / Site vitrine
ASSESSED_2 = "Yakıt tüketimi raporu"  # assessing 16h +5d, waiting 9 days
APPROVED = "Two-factor by SMS"


def change(title: str) -> cr.ChangeView:
    return next(c for c in cr.list_changes() if c.title == title)


def project(project_id: int):
    return next(p for p in list_projects() if p.id == project_id)


def rows(app) -> list[list[str]]:
    table = app.screen.query_one("#changes")
    return [[str(getattr(cell, "plain", cell)) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def titles(app) -> list[str]:
    table = app.screen.query_one("#changes")
    index = [c.key.value for c in table.columns.values()].index("Title")
    return [row[index] for row in rows(app)]


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def goto(pilot, title: str) -> None:
    table = pilot.app.screen.query_one("#changes")
    table.move_cursor(row=table.get_row_index(str(change(title).id)), animate=False)
    await settle(pilot)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def open_queue(pilot) -> None:
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChangesScreen)


async def test_queue_shows_open_requests_with_impact_and_waiting_age(demo_db):
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        shown = titles(app)
        assert set(shown) == {c.title for c in cr.list_changes(statuses=("new", "assessing", "approved"))}
        assert "Page « Presse »" not in shown  # done
        table = app.screen.query_one("#changes")
        names = [c.key.value for c in table.columns.values()]
        for column in ("Status", "Age", "Client", "Project", "Title", "Hours", "Days", "Cost"):
            assert column in names
        row = table.get_row(str(change(ASSESSED_2).id))
        age = row[names.index("Age")]
        assert age.plain == "9d!" and "bold" in str(age.style)  # waiting more than 3 days
        assert row[names.index("Cost")].plain == "₺1.200,00"  # 16h x 75, in the Turkish client's lira
        assert table.get_row(str(change(UNASSESSED).id))[names.index("Hours")].plain == "?"


async def test_essential_columns_remain_at_80x24(demo_db):
    app = create_app(mode="changes")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(pilot)
        names = [c.key.value for c in app.screen.query_one("#changes").columns.values()]
        for column in ("Status", "Title", "Client", "Hours", "Cost"):
            assert column in names
        assert "Age" in names


async def test_status_filter_cycles_and_header_shows_it(demo_db):
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        header = app.screen.query_one("#view-header")
        assert "status: open" in header.context
        await press(pilot, "f")
        assert "status: all" in header.context
        assert len(titles(app)) == len(cr.list_changes())
        await press(pilot, "f")
        assert "status: new" in header.context
        assert set(titles(app)) == {c.title for c in cr.list_changes(statuses=("new",))}
        await press(pilot, "f", "f", "f")
        assert "status: rejected" in header.context
        assert set(titles(app)) == {c.title for c in cr.list_changes(statuses=("rejected",))}
        await press(pilot, "f", "f")
        assert "status: open" in header.context


async def test_text_filter_and_escape(demo_db):
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await press(pilot, "f")  # all
        await press(pilot, "slash")
        await type_text(pilot, "sms")
        await settle(pilot)
        assert sorted(titles(app)) == ["SMS ile müşteri bildirimi", "Two-factor by SMS"]
        assert "filter: sms" in app.screen.query_one("#view-header").context
        await press(pilot, "enter", "escape")
        assert len(titles(app)) == len(cr.list_changes())


async def test_add_request_with_form(demo_db):
    app = create_app(mode="changes")
    hudson = find_client("Hudson & Pike Coffee")
    before = len(cr.list_changes())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, UNASSESSED)
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, EntityForm) and "New change request" in form.title_text
        assert form.query_one("#f-project-id").value == change(UNASSESSED).project_id  # preselected from the row
        assert form.focused is form.query_one("#f-title")
        await press(pilot, "enter")  # no title yet: refused beside it
        assert isinstance(app.screen, EntityForm)
        assert str(form.query_one("#f-title-error").render()) == "empty"
        assert len(cr.list_changes()) == before
        # every active client's projects, each named with its client
        yildiz = find_client("Yıldız Tekstil")
        labels = [str(label) for label, _ in form.query_one("#f-project-id")._options]
        assert any(label.startswith("Yıldız Tekstil / ") for label in labels)
        assert "Hudson & Pike Coffee / Subscription app" in labels and yildiz
        await type_text(pilot, "Dark mode")
        form.query_one("#f-requested-by").value = "Dana [b]W[/b]"
        form.query_one("#f-description").value = "Whole app"
        form.query_one("#f-received-on").value = "31 feb"
        await press(pilot, "ctrl+s")
        assert "no such date" in str(form.query_one("#f-received-on-error").render())
        form.query_one("#f-received-on").value = "today"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ChangesScreen)
    added = [c for c in cr.list_changes() if c.title == "Dark mode"]
    assert len(cr.list_changes()) == before + 1 and len(added) == 1
    new = added[0]
    assert new.status == "new" and new.client == hudson.name and new.project == "Subscription app"
    assert new.received_on == TODAY and new.requested_by == "Dana [b]W[/b]" and new.description == "Whole app"


async def test_assess_shows_live_cost_and_saves(demo_db):
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, UNASSESSED)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, EntityForm) and form.focused is form.query_one("#f-impact-hours")
        await press(pilot, "ctrl+s")  # hours are needed
        assert str(form.query_one("#f-impact-hours-error").render()) == "needed"
        await type_text(pilot, "12")
        await press(pilot, "tab")
        form.query_one("#f-impact-days").value = "5"
        await settle(pilot)
        assert str(form.query_one("#entity-form-live").render()) == "cost = 12h × 110 = 1,320.00"
        await press(pilot, "enter")
        assert isinstance(app.screen, ChangesScreen)
        view = change(UNASSESSED)
        assert (view.status, view.impact_hours, view.impact_days, view.impact_cost, view.cost_overridden) == (
            "assessing", 12, 5, 1320, False)
        # again, with the cost set by hand; a bad number and a negative one are refused beside the field
        await press(pilot, "e")
        form = app.screen
        assert form.query_one("#f-impact-hours").value == "12"
        form.query_one("#f-impact-cost").value = "lots"
        await press(pilot, "enter")
        assert "not a number" in str(form.query_one("#f-impact-cost-error").render())
        form.query_one("#f-impact-cost").value = "-5"
        await press(pilot, "enter")
        assert str(form.query_one("#f-impact-cost-error").render()) == "must be zero or more: -5"
        form.query_one("#f-impact-cost").value = "1000"
        await settle(pilot)
        assert "set by hand" in str(form.query_one("#entity-form-live").render())
        await press(pilot, "ctrl+s")
        view = change(UNASSESSED)
        assert view.impact_cost == 1000 and view.cost_overridden
        await press(pilot, "u")  # the second assessment, taken back exactly
        view = change(UNASSESSED)
        assert (view.impact_cost, view.cost_overridden) == (1320, False)


async def test_approve_changes_project_task_log_and_undo_puts_all_back(demo_db):
    target = change(ASSESSED)
    p_before = project(target.project_id)
    log_before = interactions(target.client_id)
    tasks_before = board_tasks(target.client_id)
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, ASSESSED)
        await press(pilot, "y")
        view = change(ASSESSED)
        assert view.status == "approved" and view.decided_on == TODAY
        p = project(target.project_id)
        assert p.budget_hours == p_before.budget_hours + 18
        assert p.deadline == p_before.deadline.add(days=6) == pendulum.date(2026, 12, 23)
        new_tasks = [t for t in board_tasks(target.client_id) if t.change_request_id == target.id]
        assert len(new_tasks) == 1 and new_tasks[0].status == "backlog" and new_tasks[0].title == ASSESSED
        decisions = [i for i in interactions(target.client_id) if i.change_request_id == target.id]
        assert len(decisions) == 1 and decisions[0].kind == "decision" and decisions[0].on == TODAY
        said = "\n".join(messages(app))
        assert f"approved '{ASSESSED}'" in said and "budget 90h -> 108h" in said
        assert "deadline 2026-12-17 -> 2026-12-23" in said and "backlog task added" in said

        await press(pilot, "u")
        assert change(ASSESSED).status == "assessing" and change(ASSESSED).decided_on is None
        assert project(target.project_id) == p_before
        assert interactions(target.client_id) == log_before
        assert [t.id for t in board_tasks(target.client_id)] == [t.id for t in tasks_before]


async def test_approval_updates_the_queue_in_place_as_a_rebuild_would_show_it(demo_db):
    target = change(ASSESSED)
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, ASSESSED)
        screen = app.screen
        table = screen.query_one("#changes")
        cleared = []
        original_clear = table.clear
        table.clear = lambda *a, **k: (cleared.append(1), original_clear(*a, **k))[1]

        async def shown_as_rebuilt() -> list[list[str]]:
            now = rows(app)
            table._columns_spec = ()  # force the rebuild
            screen.render_queue()
            await settle(pilot)
            assert table.current_key == target.id  # the cursor stays on the request
            return now

        for key in ("y", "u"):
            await press(pilot, key)
            assert not cleared  # updated in place, not rebuilt
            assert table.current_key == target.id
            assert await shown_as_rebuilt() == rows(app)
            cleared.clear()
        preview = str(screen.query_one("#change-preview").render())
        assert client_profile(target.client_id).hourly_rate == 85
        assert "cost 1\u202f530,00\xa0€  (18h × 85,00\xa0€/h)" in preview  # the rate comes with the request, not a read per client


async def test_queue_reads_in_one_statement_whatever_the_number_of_clients(demo_db):
    from clientdesk.models import database

    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        statements = []
        execute_sql = database.obj.execute_sql

        def counting(sql, *args, **kwargs):
            statements.append(sql)
            return execute_sql(sql, *args, **kwargs)

        database.obj.execute_sql = counting
        try:
            data = app.screen.load()
        finally:
            del database.obj.execute_sql
        assert len({c.client_id for c in data.changes}) > 3
        assert len(statements) == 1 and data.changes == cr.list_changes()


async def test_unassessed_request_cannot_be_approved(demo_db):
    target = change(UNASSESSED)
    p_before = project(target.project_id)
    log_before = interactions(target.client_id)
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, UNASSESSED)
        await press(pilot, "y")
        assert any("no assessed impact" in m for m in messages(app))
        assert isinstance(app.screen, ChangesScreen)
    assert change(UNASSESSED) == target
    assert project(target.project_id) == p_before and interactions(target.client_id) == log_before


async def test_reject_needs_a_reason_and_logs_it(demo_db):
    target = change(UNASSESSED)
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, UNASSESSED)
        await press(pilot, "n")
        prompt = app.screen
        assert isinstance(prompt, PromptModal)
        await press(pilot, "space", "enter")  # empty reason: refused inline
        assert isinstance(app.screen, PromptModal)
        assert "needs a reason" in str(prompt.query_one("#prompt-error").render())
        assert change(UNASSESSED).status == "new"
        prompt.query_one("#prompt-input").value = "Out of scope [until Q2]"
        await press(pilot, "enter")
        assert isinstance(app.screen, ChangesScreen)
    view = change(UNASSESSED)
    assert view.status == "rejected" and view.decision_note == "Out of scope [until Q2]" and view.decided_on == TODAY
    logged = [i for i in interactions(target.client_id) if i.change_request_id == target.id]
    assert len(logged) == 1 and logged[0].kind == "decision" and "Out of scope [until Q2]" in logged[0].summary


async def test_escape_cancels_rejection(demo_db):
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, UNASSESSED)
        await press(pilot, "n", "escape")
        assert isinstance(app.screen, ChangesScreen)
    assert change(UNASSESSED).status == "new"


async def test_marked_approval_refuses_naming_unassessed_then_approves_assessed(demo_db):
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, UNASSESSED)
        await press(pilot, "v")
        await goto(pilot, ASSESSED)
        await press(pilot, "v")
        assert app.screen.query_one("#changes").marked == {change(UNASSESSED).id, change(ASSESSED).id}
        await press(pilot, "y")
        assert any(f"'{UNASSESSED}' has no assessed impact" in m for m in messages(app))
        assert change(UNASSESSED).status == "new" and change(ASSESSED).status == "assessing"
        await press(pilot, "escape")  # clears the marks
        assert not app.screen.query_one("#changes").marked
        await goto(pilot, ASSESSED)
        await press(pilot, "v")
        await goto(pilot, ASSESSED_2)
        await press(pilot, "v", "y")
        assert change(ASSESSED).status == "approved" and change(ASSESSED_2).status == "approved"
        assert not app.screen.query_one("#changes").marked
        await press(pilot, "u")
        assert {change(ASSESSED).status, change(ASSESSED_2).status} == {"approved", "assessing"}


async def test_done_only_for_approved(demo_db):
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, ASSESSED)
        await press(pilot, "d")
        assert change(ASSESSED).status == "assessing"
        assert any("only approved requests" in m for m in messages(app))
        await goto(pilot, APPROVED)
        await press(pilot, "d")
        assert change(APPROVED).status == "done"
        assert APPROVED not in titles(app)  # done leaves the open queue


async def test_enter_shows_detail_with_linked_log(demo_db):
    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await goto(pilot, APPROVED)
        await press(pilot, "enter")
        assert isinstance(app.screen, ChangeDetailModal)
        assert app.screen.change.title == APPROVED
        assert [i.kind for i in app.screen.entries] == ["decision"]
        await press(pilot, "escape")
        assert isinstance(app.screen, ChangesScreen)
        # from the detail, e assesses
        await goto(pilot, UNASSESSED)
        await press(pilot, "enter", "e")
        assert isinstance(app.screen, EntityForm) and app.screen.title_text.startswith("Assess ")


async def test_help_lists_the_keys_and_i_opens_the_client(demo_db):
    from clientdesk.tui.screens.client import ClientScreen
    from clientdesk.tui.screens.help import HelpScreen

    app = create_app(mode="changes")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table")
        ids = {str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        assert {"add", "assess", "approve", "reject", "change-done", "status-filter", "filter", "mark", "open"} <= ids
        await press(pilot, "escape")
        await goto(pilot, APPROVED)
        await press(pilot, "i")
        assert isinstance(app.screen, ClientScreen) and app.screen.client_id == change(APPROVED).client_id
        await press(pilot, "escape")
        assert isinstance(app.screen, ChangesScreen)
