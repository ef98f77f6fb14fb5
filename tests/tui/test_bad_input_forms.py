"""Issue 11's bad input, through the forms (Pilot): each refused with the field and why, nothing half written.

The rest of the list is tested where its form is: an empty name and a duplicate client name in another
case and Unicode form (test_empty_desk: N), a deadline before the start and a negative budget
(test_empty_desk: P), a likelihood of 9 (test_empty_desk: risks), an empty title and an impossible
date in the task form (test_board) and the change-request forms (test_changes); the command line's
in tests/cli/test_cli_add.py.
"""

from __future__ import annotations

import pendulum

from clientdesk.domain.clients import create_client
from clientdesk.domain.projects import create_project
from clientdesk.domain.tasks import TaskInput, create_task
from clientdesk.domain.templates import delete_template, save_template
from clientdesk.models import Client, Project, Task, Template, TimeEntry
from clientdesk.tui.modals.confirm import ConfirmModal
from clientdesk.tui.modals.entity_form import EntityForm
from clientdesk.tui.screens.overview import OverviewScreen
from tests import factories as f
from tests.tui.helpers import create_app, press, settle


def counts() -> dict[str, int]:
    return {m.__name__: m.select().count() for m in (Client, Project, Task, Template, TimeEntry)}


async def test_deleting_a_client_with_time_entries_is_not_done_without_the_second_yes(db):
    acme = create_client({"name": "Acme"})
    site = create_project(acme.id, {"name": "Site"})
    task = create_task(TaskInput(title="Hero copy", project_id=site.id))
    f.entry(Client.get_by_id(acme.id), pendulum.datetime(2026, 11, 20, 9), 90, task=task.id)
    before = counts()
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmModal)
        await press(pilot, "y")  # the first yes: the time entries are asked about on their own
        assert isinstance(app.screen, ConfirmModal)
        assert "'Acme' has 1 time entry: delete it too?" in str(app.screen.query_one("#confirm-question").render())
        await press(pilot, "n")
        assert isinstance(app.screen, OverviewScreen) and counts() == before  # nothing deleted
        await press(pilot, "delete", "escape")
        assert counts() == before
        await press(pilot, "delete", "y", "y")
        assert counts()["Client"] == 0 and counts()["TimeEntry"] == 0
        await press(pilot, "u")  # one action: everything comes back
        assert counts() == before


async def test_a_template_gone_while_the_form_is_open_is_refused_and_nothing_is_written(db):
    acme = create_client({"name": "Acme"})
    launch = create_project(acme.id, {"name": "Launch"})
    create_task(TaskInput(title="Brief", project_id=launch.id))
    kit = save_template(launch.id, "Launch kit")
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_client(acme.id)
        await settle(pilot)
        await press(pilot, "P")
        form = app.screen
        form.query_one("#f-name").value = "Site"
        form.query_one("#f-template").value = "Launch kit"
        delete_template(kit.id)  # another hand deletes it meanwhile
        before = counts()
        await press(pilot, "ctrl+s")
        form = app.screen  # the form comes back with what was typed and why
        assert isinstance(form, EntityForm) and form.query_one("#f-name").value == "Site"
        assert "no such template: Launch kit" in str(form.query_one("#f-template-error").render())
        assert counts() == before
