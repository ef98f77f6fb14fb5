"""One key pauses, archives or restores a client (Overview and client detail), one journal action each that
`u` takes back exactly; the palette lists paused and archived clients with their state and a restore."""

from __future__ import annotations

from clientdesk.domain import journal
from clientdesk.domain.clients import client_profile
from clientdesk.domain.projects import project_detail
from clientdesk.models import Client
from clientdesk.tui.export import screen_text
from clientdesk.tui.screens.client import ClientScreen
from tests import factories as f
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle


def footer(app) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


def row(client_id: int) -> dict:
    return dict(Client.get_by_id(client_id).__data__)


def status(client_id: int) -> str:
    return client_profile(client_id).status


def last_label() -> str:
    return journal.history(1)[0].label


async def test_overview_z_pauses_and_Z_archives_the_client_row_and_u_takes_each_back(db):
    acme = f.client("Acme")
    f.task(f.project(acme, "Site"), "Hero copy", due=TODAY)
    before = row(acme.id)
    app = create_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        line = footer(app)  # the client rows have the focus: their keys, not the Today list's
        assert "z Pause Z Archive" in line and "Prio +" not in line and "x Done" not in line
        await press(pilot, "tab")
        line = footer(app)
        assert line.startswith("/ Filter s Sort + Prio + - Prio -") and "z Pause" not in line
        await press(pilot, "shift+tab")
        await press(pilot, "z")
        assert status(acme.id) == "paused" and last_label() == "pause client 'Acme'"
        assert app.screen.query_one("#clients").row_count == 0  # off the Overview
        assert "paused or archived" in str(app.screen.query_one("#welcome").render())
        await press(pilot, "u")
        assert row(acme.id) == before  # exactly as it was
        await press(pilot, "Z")
        assert status(acme.id) == "archived" and last_label() == "archive client 'Acme'"
        await press(pilot, "u")
        assert row(acme.id) == before
        assert app.screen.query_one("#clients").row_count == 1


async def test_client_detail_shows_the_keys_that_apply_and_each_is_one_undoable_action(db):
    acme = f.client("Acme")
    before = row(acme.id)
    app = create_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        app.open_client(acme.id)
        await settle(pilot)
        assert isinstance(app.screen, ClientScreen)
        line = footer(app)
        assert "z Pause Z Archive" in line and "R Restore" not in line
        await press(pilot, "z")
        assert status(acme.id) == "paused"
        line = footer(app)
        assert "R Restore" in line and "z Pause" not in line and "Z Archive" in line
        assert "Acme  (paused)" in screen_text(app)
        await press(pilot, "Z")
        assert status(acme.id) == "archived" and last_label() == "archive client 'Acme'"
        await press(pilot, "R")
        assert status(acme.id) == "active" and last_label() == "restore client 'Acme'"
        for expected in ("archived", "paused", "active"):  # u takes back each step, in turn
            await press(pilot, "u")
            assert status(acme.id) == expected
        assert row(acme.id) == before
        assert [a.undone for a in journal.history(3)] == [True, True, True]


async def test_the_palette_lists_paused_and_archived_clients_with_their_state_and_restores_one(db):
    f.client("Acme")
    beta = f.client("Beta", status="paused")
    f.client("Gamma", status="archived")
    app = create_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        from clientdesk.tui.commands import ClientCommands

        provider = ClientCommands(app.screen)
        await provider.startup()
        titles = [title for title, _, _ in provider._commands()]
        assert "client: details of Acme" in titles and "client: open board of Acme" in titles
        assert "client: details of Beta (paused)" in titles and "client: restore Beta (paused)" in titles
        assert "client: details of Gamma (archived)" in titles and "client: restore Gamma (archived)" in titles
        assert "client: open board of Beta" not in titles  # work goes on active clients only
        app.action_command_palette()
        await settle(pilot)
        await pilot.press(*"restore beta")
        await settle(pilot)
        await press(pilot, "enter")
        assert status(beta.id) == "active" and last_label() == "restore client 'Beta'"
        assert app.screen.query_one("#clients").row_count == 2
        await press(pilot, "u")
        assert status(beta.id) == "paused"


async def test_projects_close_and_reopen_with_x_and_u_takes_each_back(db):
    acme = f.client("Acme")
    site = f.project(acme, "Site")
    app = create_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        app.open_client(acme.id)
        await settle(pilot)
        line = footer(app)
        assert "x Close" not in line and "k Kind" in line  # x closes nothing in the log; k filters it
        await press(pilot, "s")
        assert app.screen.section == "projects"
        line = footer(app)
        assert "x Close" in line and "k Kind" not in line
        await press(pilot, "x")
        assert project_detail(site.id).status == "done" and last_label() == "close project 'Site'"
        await press(pilot, "x")
        assert project_detail(site.id).status == "active" and last_label() == "reopen project 'Site'"
        await press(pilot, "u")
        assert project_detail(site.id).status == "done"
        await press(pilot, "u")
        assert project_detail(site.id).status == "active"
