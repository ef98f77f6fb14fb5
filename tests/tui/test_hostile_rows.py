"""A desk written before the bounds (or by hand) with values past them: the app says so and keeps running.

The rows are written straight into the database, as an older clientdesk or
an edited file would have left them: a change request with an impact of
10^7 days, a yearly task due on 31 Dec 9999, a client checked in every 10^7
days. `y`, `x` and the views used to crash the app (with exit status 0).
"""

from __future__ import annotations

import pendulum

from clientdesk.models import ChangeRequest, Client, Task
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_approving_a_ten_million_day_delay_is_refused_in_words(db):
    client = f.client("Far", checkin_every_days=10**7)
    project = f.project(client, "Site", deadline=pendulum.date(2026, 12, 15))
    request = ChangeRequest.create(project=project, title="Forever", received_on=TODAY, status="assessing",
                                   impact_hours=5, impact_days=10**7)
    app = create_app(mode="changes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#changes").focus()
        await press(pilot, "y")
        assert app.is_running
        assert any("the new deadline" in m and "2200" in m for m in messages(app)), messages(app)
    assert ChangeRequest.get_by_id(request.id).status == "assessing"  # nothing half-done
    assert Client.get_by_id(client.id).checkin_every_days == 10**7


async def test_done_on_a_yearly_task_due_in_9999_ends_it_without_a_crash(db):
    project = f.project(f.client("Old"), "Site")
    task = f.task(project, "Renew domain", due=pendulum.date(9999, 12, 31), recurrence="yearly", status="todo")
    app = create_app(mode="board")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "x")
        assert app.is_running
    assert Task.get_by_id(task.id).status == "done"
    assert Task.select().count() == 1


async def test_every_view_opens_on_a_desk_with_a_ten_million_day_cadence(db):
    client = f.client("Far", checkin_every_days=10**7)
    f.task(f.project(client, "Site"), "Hero copy", due=TODAY, status="todo")
    app = create_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        for key in ("2", "3", "4", "1"):
            await press(pilot, key)
            assert app.is_running
