"""The client detail driven with Pilot on the demo database; every key checked in the database."""

from __future__ import annotations

from clientdesk.domain.clients import client_profile, feedback, find_client, interactions
from clientdesk.tui.modals.client_form import LogKindPicker
from clientdesk.tui.modals.entity_form import EntityForm
from clientdesk.tui.screens.client import ClientScreen
from clientdesk.tui.screens.overview import OverviewScreen
from tests.conftest import TODAY
from tests.tui.helpers import create_app, press, settle

CLIENT = "Atelier Moreau"


async def open_detail(pilot, name: str = CLIENT) -> int:
    await settle(pilot)
    client_id = find_client(name).id
    pilot.app.open_client(client_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ClientScreen)
    return client_id


def log_rows(app) -> list[list[str]]:
    table = app.screen.query_one("#client-log")
    return [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)]


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def panel_text(app, selector: str) -> str:
    from io import StringIO

    from rich.console import Console

    console = Console(file=StringIO(), width=200, color_system=None)
    console.print(app.screen.query_one(selector).content)
    return console.file.getvalue()


async def test_detail_shows_profile_log_and_escape_returns(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot)
        profile = client_profile(client_id)
        assert app.screen.query_one("#view-header").context == CLIENT
        text = panel_text(app, "#client-profile")
        assert profile.contact in text and "85,00 €/h" in text.replace("\xa0", " ") and profile.timezone in text
        contact = panel_text(app, "#client-contact")
        assert "Next check-in" in contact and "Mon 30 Nov" in contact  # last contact 21 Nov + 7 days: a Saturday
        rows = log_rows(app)
        log = interactions(client_id)
        assert len(rows) == len(log) and rows[0][2] == log[0].summary  # newest first
        assert "▆" in panel_text(app, "#client-feedback") or "█" in panel_text(app, "#client-feedback")
        await press(pilot, "escape")
        assert isinstance(app.screen, OverviewScreen)


def field_error(form, name: str) -> str:
    return str(form.query_one(f"#f-{name.replace('_', '-')}-error").render())


async def test_l_then_c_logs_a_call_today(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot)
        before = len(interactions(client_id))
        await press(pilot, "l")
        assert isinstance(app.screen, LogKindPicker)
        await press(pilot, "c")
        form = app.screen
        assert isinstance(form, EntityForm) and form.focused is form.query_one("#f-summary")
        await press(pilot, "enter")  # empty: refused beside the field
        assert isinstance(app.screen, EntityForm) and field_error(form, "summary") == "empty"
        form.query_one("#f-summary").value = "Called about [photos]"
        await press(pilot, "enter")
        assert isinstance(app.screen, ClientScreen)
        log = interactions(client_id)
        assert len(log) == before + 1
        assert (log[0].kind, log[0].on, log[0].summary) == ("call", TODAY, "Called about [photos]")
        assert log_rows(app)[0][1:3] == ["call", "Called about [photos]"]
        # l then escape logs nothing
        await press(pilot, "l", "escape")
        assert isinstance(app.screen, ClientScreen)
        assert len(interactions(client_id)) == before + 1


async def test_a_call_dated_last_friday_edited_then_deleted(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot)
        before = interactions(client_id)
        await press(pilot, "l", "c")
        form = app.screen
        form.query_one("#f-summary").value = "Budget call"
        form.query_one("#f-on").value = "someday"
        await press(pilot, "ctrl+s")
        assert "not a date: someday" in field_error(form, "on")
        form.query_one("#f-on").value = "last fri"
        await press(pilot, "ctrl+s")
        entry = next(e for e in interactions(client_id) if e not in before)
        assert (entry.on, entry.kind, entry.summary) == (TODAY.subtract(days=3), "call", "Budget call")
        table = app.screen.query_one("#client-log")
        table.move_cursor(row=[r[2] for r in log_rows(app)].index("Budget call"))
        await press(pilot, "e")
        app.screen.query_one("#f-summary").value = "Budget call, agreed"
        await press(pilot, "ctrl+s")
        assert next(e for e in interactions(client_id) if e.id == entry.id).summary == "Budget call, agreed"
        await press(pilot, "delete")
        await press(pilot, "n")  # any other key keeps it
        assert any(e.id == entry.id for e in interactions(client_id))
        await press(pilot, "delete", "y")
        assert interactions(client_id) == before
        await press(pilot, "u")
        assert next(e for e in interactions(client_id) if e.id == entry.id).summary == "Budget call, agreed"
        await press(pilot, "u", "u")
        assert interactions(client_id) == before


def test_every_kind_has_its_letter():
    keys = {b.key: b.action for b in LogKindPicker.BINDINGS}
    assert {k: keys[k] for k in "cemind"} == {
        "c": "dismiss('call')", "e": "dismiss('email')", "m": "dismiss('meeting')",
        "i": "dismiss('check-in')", "n": "dismiss('note')", "d": "dismiss('decision')",
    }


async def test_l_then_d_logs_a_decision(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot)
        await press(pilot, "l", "d")
        app.screen.query_one("#f-summary").value = "Go for the English site"
        await press(pilot, "enter")
        assert (interactions(client_id)[0].kind, interactions(client_id)[0].summary) == ("decision", "Go for the English site")


async def test_kind_and_period_filters(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot)
        await press(pilot, "k")  # email
        assert app.screen.kind_filter == "email"
        assert {r[1] for r in log_rows(app)} == {"email"}
        assert len(log_rows(app)) == len(interactions(client_id, kinds=("email",)))
        for _ in range(6):
            await press(pilot, "k")
        assert app.screen.kind_filter == "all"
        await press(pilot, "p")  # this week: Mon 23 Nov onwards
        assert app.screen.period == "this week"
        assert len(log_rows(app)) == len(interactions(client_id, since=TODAY))
        await press(pilot, "p")  # this month
        assert len(log_rows(app)) == len(interactions(client_id, since=TODAY.start_of("month")))
        await press(pilot, "p")  # 90 days
        assert len(log_rows(app)) == len(interactions(client_id, since=TODAY.subtract(days=90)))
        title = str(app.screen.query_one("#client-log-title").render())
        assert "period: 90 days" in title and "kind: all" in title


async def test_f_adds_feedback(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot)
        before = feedback(client_id)
        await press(pilot, "f")
        form = app.screen
        assert form.focused is form.query_one("#f-score")
        form.query_one("#f-score").value = "9"
        await press(pilot, "enter")
        assert field_error(form, "score") == "must be 1..5: 9"
        form.query_one("#f-score").value = "2"
        form.query_one("#f-comment").value = "Slow [b]answers[/b]"
        await press(pilot, "enter")
        assert isinstance(app.screen, ClientScreen)
        after = feedback(client_id)
        assert len(after) == len(before) + 1
        assert (after[-1].on, after[-1].score, after[-1].comment) == (TODAY, 2, "Slow [b]answers[/b]")
        assert "dropped" in panel_text(app, "#client-feedback")


async def test_E_edits_the_profile_and_u_undoes(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot)
        before = client_profile(client_id)
        await press(pilot, "E")
        form = app.screen
        assert isinstance(form, EntityForm) and form.focused is form.query_one("#f-name")
        assert form.query_one("#f-hourly-rate").value == "85"
        form.query_one("#f-timezone").value = "Mars/Olympus"
        form.query_one("#f-checkin-every-days").value = "0"
        await press(pilot, "enter")
        assert isinstance(app.screen, EntityForm)
        assert field_error(form, "timezone") == "unknown time zone: Mars/Olympus (an IANA name such as Europe/Paris)"
        assert field_error(form, "checkin_every_days") == "must be at least 1: 0"
        form.query_one("#f-timezone").value = "Europe/Paris"
        form.query_one("#f-hourly-rate").value = "95"
        form.query_one("#f-contact").value = "Hugo <hugo@ateliermoreau.fr>"
        form.query_one("#f-checkin-every-days").value = "10"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ClientScreen)
        after = client_profile(client_id)
        assert (after.hourly_rate, after.contact, after.checkin_every_days) == (95, "Hugo <hugo@ateliermoreau.fr>", 10)
        assert (after.name, after.notes, after.weight, after.timezone) == (before.name, before.notes, before.weight,
                                                                           before.timezone)
        assert "95,00 €/h" in panel_text(app, "#client-profile").replace("\xa0", " ")  # the rate in the client's money
        await press(pilot, "u")
        assert client_profile(client_id) == before


async def test_escape_cancels_the_form(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot)
        before = client_profile(client_id)
        await press(pilot, "E")
        app.screen.query_one("#f-hourly-rate").value = "1"
        await press(pilot, "escape")
        assert isinstance(app.screen, ClientScreen)
    assert client_profile(client_id) == before


async def test_b_opens_this_clients_board(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot, "Yıldız Tekstil")
        await press(pilot, "b")
        assert app.current_mode == "board" and app.client_id == client_id
        assert not isinstance(app.screen, ClientScreen)


async def test_r_writes_this_weeks_report_in_the_chosen_format_to_the_export_folder(demo_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "exports"
    config = tmp_path / "config.toml"
    config.write_text(f'export_dir = "{out}"\n', encoding="utf-8")
    monkeypatch.setenv("CLIENTDESK_CONFIG", str(config))
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot)
        await press(pilot, "r")
        await pilot.press(*"md")
        await press(pilot, "enter")
        await press(pilot, "r")
        await pilot.press(*"html")
        await press(pilot, "enter")
        await press(pilot, "r")
        await press(pilot, "enter")  # the first offered: Markdown again, to a second name
    md = out / "report-atelier-moreau-2026-W48-2026-11-23.md"
    second = out / "report-atelier-moreau-2026-W48-2026-11-23-2.md"
    html = out / "report-atelier-moreau-2026-W48-2026-11-23.html"
    assert md.exists() and CLIENT in md.read_text(encoding="utf-8")
    assert second.exists() and second.read_text(encoding="utf-8") == md.read_text(encoding="utf-8")
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    for path in (md, html, second):
        assert any(str(path) in m for m in messages(app))
    assert list(tmp_path.glob("*.md")) == []  # nothing in the current directory


async def test_narrow_terminal_keeps_the_log(demo_db):
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, "Qinghe Tea 青禾茶业")
        assert app.screen.query_one("#client-log").size.height >= 4
        assert "Qinghe Tea 青禾茶业" in panel_text(app, "#client-profile")


async def test_the_profile_form_takes_a_decimal_comma_suggests_a_zone_and_warns_of_a_report_language(demo_db):
    app = create_app()
    async with app.run_test(size=(120, 40)) as pilot:
        client_id = await open_detail(pilot)
        await press(pilot, "E")
        form = app.screen
        form.query_one("#f-hourly-rate").value = "85,50"
        form.query_one("#f-timezone").value = "Berlim"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, EntityForm)
        assert field_error(form, "timezone") == "unknown time zone: Berlim (Europe/Berlin?)"
        form.query_one("#f-timezone").value = "berlin"  # a city that is one zone is that zone, and says so
        await settle(pilot)
        assert str(form.query_one("#f-timezone-reads").render()) == "→ Europe/Berlin"
        form.query_one("#f-language").value = "de"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ClientScreen)
        after = client_profile(client_id)
        assert (after.hourly_rate, after.timezone, after.language) == (85.5, "Europe/Berlin", "de")
        assert "reports are written in en, fr, tr, zh: this client's reports will be in English, not 'de'" in messages(app)
