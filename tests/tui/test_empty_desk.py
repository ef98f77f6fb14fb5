"""From an empty desk to a business, with Pilot: every new form saved, cancelled, refused and undone."""

from __future__ import annotations

import pendulum

from clientdesk.domain.clients import client_profile, find_client, list_clients, milestones, risks
from clientdesk.domain.projects import project_detail
from clientdesk.domain.tasks import TaskInput, create_task
from clientdesk.domain.templates import list_templates
from clientdesk.models import Client, Project, Task
from clientdesk.tui.modals.confirm import ConfirmModal
from clientdesk.tui.modals.entity_form import EntityForm
from clientdesk.tui.screens.client import ClientScreen
from clientdesk.tui.screens.overview import OverviewScreen
from tests.tui.helpers import create_app, press, settle


def error_of(form, name: str) -> str:
    return str(form.query_one(f"#f-{name.replace('_', '-')}-error").render())


def welcome(app) -> str:
    return str(app.screen.query_one("#welcome").render())


async def type_into(pilot, form, **values) -> None:
    for name, value in values.items():
        widget = form.query_one(f"#f-{name.replace('_', '-')}")
        widget.value = value
    await settle(pilot)


async def test_the_empty_desk_says_what_it_is_for_and_N_adds_the_first_client(db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        text = welcome(app)
        assert "Your desk is empty" in text and " N " in text and "first client" in text
        await press(pilot, "N")
        form = app.screen
        assert isinstance(form, EntityForm) and form.focused is form.query_one("#f-name")
        assert form.query_one("#f-timezone").value == "Europe/Paris"  # the desk's own zone, not UTC
        await press(pilot, "escape")  # cancel: nothing written
        assert isinstance(app.screen, OverviewScreen) and Client.select().count() == 0
        await press(pilot, "N")
        form = app.screen
        await press(pilot, "ctrl+s")  # no name: refused beside the field
        assert isinstance(app.screen, EntityForm) and error_of(form, "name") == "empty"
        await type_into(pilot, form, name="Atelier Émile", channel="phone", checkin_every_days="7", language="fr",
                        timezone="Europe/Paris", hourly_rate="90")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, OverviewScreen)
        profile = client_profile(find_client("Atelier Émile").id)
        assert (profile.channel, profile.checkin_every_days, profile.language, profile.hourly_rate) == ("phone", 7, "fr", 90)
        assert not app.screen.query_one("#welcome").display
        # the same name in another Unicode form and case is refused, beside the name
        await press(pilot, "N")
        form = app.screen
        await type_into(pilot, form, name="atelier E\u0301mile")
        await press(pilot, "ctrl+s")
        form = app.screen  # the form opened again, with the reason beside the name
        assert isinstance(form, EntityForm)
        assert "already exists" in error_of(form, "name")
        assert form.query_one("#f-name").value == "atelier E\u0301mile"  # what was typed is kept
        await press(pilot, "escape", "u")
        assert Client.select().count() == 0
        assert "Your desk is empty" in welcome(app)


async def test_palette_new_client(db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_command_palette()
        await settle(pilot)
        await pilot.press(*"new client")
        await settle(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, EntityForm) and "New client" in str(app.screen.query_one("#entity-form-title").render())


async def test_overview_e_edits_and_delete_deletes_a_client_after_one_key(db):
    from clientdesk.domain.clients import create_client

    create_client({"name": "Acme"})
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "e")
        form = app.screen
        await type_into(pilot, form, status="paused")
        await press(pilot, "ctrl+s")
        assert client_profile(find_client("Acme").id).status == "paused"
        assert "paused or archived" in welcome(app)
        await press(pilot, "u")
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmModal)
        await press(pilot, "escape")
        assert Client.select().count() == 1
        await press(pilot, "delete", "y")
        assert Client.select().count() == 0
        await press(pilot, "u")
        assert [c.name for c in list_clients()] == ["Acme"]


async def test_P_on_the_board_adds_a_project_with_its_refusals(db):
    from clientdesk.domain.clients import create_client

    create_client({"name": "Acme"})
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert "no project yet: P adds one" in app.screen._bar_drawn.plain
        await press(pilot, "P")
        form = app.screen
        assert isinstance(form, EntityForm) and form.focused is form.query_one("#f-name")
        await type_into(pilot, form, name="Website", start="2026-12-01", deadline="2026-11-30", budget_hours="-3")
        await press(pilot, "ctrl+s")
        assert error_of(form, "budget_hours") == "must be zero or more: -3"
        await type_into(pilot, form, budget_hours="120", budget_amount="10800")
        await press(pilot, "ctrl+s")
        assert error_of(form, "deadline") == "before the start (2026-12-01): 2026-11-30"
        await type_into(pilot, form, deadline="2026-12-15", scope="five pages")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, EntityForm)
        project = Project.get()
        assert (project.name, project.budget_hours, project.budget_amount, project.scope) == ("Website", 120, 10800, "five pages")
        assert project.deadline == pendulum.date(2026, 12, 15)
        await press(pilot, "u")
        assert Project.select().count() == 0


async def test_board_delete_removes_the_card_after_y_and_u_brings_it_back(db):
    from clientdesk.domain.clients import create_client
    from clientdesk.domain.projects import create_project

    c = create_client({"name": "Acme"})
    p = create_project(c.id, {"name": "Site"})
    create_task(TaskInput(title="Hero copy", project_id=p.id))
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmModal)
        await press(pilot, "n")
        assert Task.select().count() == 1
        await press(pilot, "delete", "y")
        assert Task.select().count() == 0
        await press(pilot, "u")
        assert Task.get().title == "Hero copy"


async def test_client_detail_milestone_risk_project_from_a_template(db):
    from clientdesk.domain.clients import create_client
    from clientdesk.domain.projects import create_project
    from clientdesk.domain.templates import save_template

    a = create_client({"name": "Acme"})
    p = create_project(a.id, {"name": "Launch", "start": pendulum.date(2026, 11, 2)})
    create_task(TaskInput(title="Brief", project_id=p.id, due=pendulum.date(2026, 11, 4), estimate_minutes=60))
    save_template(p.id, "Launch kit")
    b = create_client({"name": "Beta"})
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_client(b.id)
        await settle(pilot)
        assert isinstance(app.screen, ClientScreen)
        await press(pilot, "P")
        form = app.screen
        await type_into(pilot, form, name="Site", template="Launch kit")
        await press(pilot, "ctrl+s")
        new = Project.get(Project.client == b.id)
        assert new.start == pendulum.date(2026, 11, 23)
        assert [(t.title, t.due) for t in Task.select().where(Task.project == new.id)] == [("Brief", pendulum.date(2026, 11, 25))]
        # milestones: s to the list, a adds, x marks done, delete after y
        await press(pilot, "s", "s")
        assert app.screen.section == "milestones"
        await press(pilot, "a")
        form = app.screen
        await type_into(pilot, form, name="Beta live", due="2026-12-11")
        await press(pilot, "ctrl+s")
        assert [(m.name, m.due) for m in milestones(b.id)] == [("Beta live", pendulum.date(2026, 12, 11))]
        await press(pilot, "x")
        assert milestones(b.id)[0].done_on == pendulum.date(2026, 11, 23)
        await press(pilot, "u")
        assert milestones(b.id)[0].done_on is None
        # risks: refused likelihood 9, saved, sorted worst first
        await press(pilot, "s")
        await press(pilot, "a")
        form = app.screen
        await type_into(pilot, form, title="Content late", likelihood="9", impact="4")
        await press(pilot, "ctrl+s")
        assert error_of(form, "likelihood") == "must be 1..5: 9"
        await type_into(pilot, form, likelihood="4", mitigation="ask early")
        await press(pilot, "ctrl+s")
        await press(pilot, "a")
        await type_into(pilot, app.screen, title="Minor", likelihood="1", impact="1")
        await press(pilot, "ctrl+s")
        assert [(r.title, r.exposure) for r in risks(b.id)] == [("Content late", 16), ("Minor", 1)]
        rows = app.screen.query_one("#client-log")
        assert str(rows.get_row_at(0)[0]) == "4×4=16"
        await press(pilot, "e")
        await type_into(pilot, app.screen, impact="5")
        await press(pilot, "ctrl+s")
        assert risks(b.id)[0].exposure == 20
        await press(pilot, "x")
        assert risks(b.id)[-1].status == "closed"
        # projects list: e edits, x closes (risks -> feedback -> activity -> log -> projects)
        await press(pilot, "s", "s", "s", "s")
        assert app.screen.section == "projects"
        await press(pilot, "e")
        await type_into(pilot, app.screen, budget_hours="12")
        await press(pilot, "ctrl+s")
        assert project_detail(new.id).values["budget_hours"] == 12
        await press(pilot, "x")
        assert project_detail(new.id).status == "done"


async def test_templates_from_the_palette_rename_and_delete(db):
    from clientdesk.domain.clients import create_client
    from clientdesk.domain.projects import create_project

    a = create_client({"name": "Acme"})
    p = create_project(a.id, {"name": "Launch"})
    create_task(TaskInput(title="Brief", project_id=p.id))
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_client(a.id)
        await settle(pilot)
        await press(pilot, "s")  # the projects list: the highlighted project is "this project"
        app.template_from_project()
        await settle(pilot)
        form = app.screen
        assert form.query_one("#f-name").value == "Launch"
        await type_into(pilot, form, name="Launch kit")
        await press(pilot, "ctrl+s")
        assert [t.name for t in list_templates()] == ["Launch kit"]
        app.manage_templates()
        await settle(pilot)
        await press(pilot, "r")
        await type_into(pilot, app.screen, name="Kit")
        await press(pilot, "ctrl+s")
        assert [t.name for t in list_templates()] == ["Kit"]
        app.manage_templates()
        await settle(pilot)
        await press(pilot, "delete", "y")
        assert list_templates() == []
        await press(pilot, "u")
        assert [t.name for t in list_templates()] == ["Kit"]
