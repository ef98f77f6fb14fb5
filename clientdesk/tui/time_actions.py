"""The app-wide time keys: `t` starts the timer on the row under the cursor (or
stops it), `T` logs time by hand, and the palette's "invoice". A view says what
is under its cursor through `timer_target() -> (client_id, task_id) | None`."""

from __future__ import annotations

import pendulum

from clientdesk import clock
from clientdesk.db import DATABASE_ERRORS
from clientdesk.domain.errors import ClientdeskError
from clientdesk.tui.writer import WriteJob


def _rounding(app) -> dict:
    settings = getattr(app, "settings", None)
    return {"rounding_minutes": getattr(settings, "rounding_minutes", 1),
            "rounding": getattr(settings, "rounding", "nearest")}


def _target(screen) -> tuple[int, int | None] | None:
    finder = getattr(screen, "timer_target", None)
    return finder() if finder is not None else None


def _run(app, fn, *args, done=None, then=None, **kwargs) -> None:
    """Through the view's `perform` (errors as notifications, the view reloads); the app's writer elsewhere."""
    screen = app.screen
    if hasattr(screen, "perform"):
        screen.perform(fn, *args, done=done, then=then, **kwargs)
        return

    def succeeded(result) -> None:
        if done:
            app.notify(done(result) if callable(done) else done, markup=False)
        if then is not None:
            then(result)

    app.write(WriteJob(fn, args, kwargs, on_done=succeeded))


def _after_timer(app, result) -> None:
    running, stopped = result
    app.timer_clock.set(running, 0 if running is not None else None)
    app.data_changed()


def timer_key(app) -> None:
    """`t`: start the timer on the row under the cursor, or stop it when it runs there (or nothing is under it)."""
    from clientdesk.domain.timer import stop_timer, toggle_timer

    target = _target(app.screen)
    if target is None:
        if app.timer_clock.running is None:
            app.notify("t starts the timer on a task or client row", severity="warning")
            return
        _run(app, stop_timer, done=lambda s: f"timer stopped: {s.summary}",
             then=lambda s: _after_timer(app, (None, s)), **_rounding(app))
        return

    def said(result) -> str:
        running, stopped = result
        if running is None:
            return f"timer stopped: {stopped.summary}"
        text = f"timer started on {running.label}"
        return text + (f" (stopped: {stopped.summary})" if stopped else "")

    _run(app, toggle_timer, target[0], target[1], done=said, then=lambda r: _after_timer(app, r), **_rounding(app))


def stop_key(app) -> None:
    from clientdesk.domain.timer import stop_timer

    _run(app, stop_timer, done=lambda s: f"timer stopped: {s.summary}",
         then=lambda s: _after_timer(app, (None, s)), **_rounding(app))


def log_time_key(app) -> None:
    """`T`: the time-entry form, for the row under the cursor."""
    screen = app.screen
    target = _target(screen) or (getattr(app, "client_id", None), None)
    day = screen.log_day() if hasattr(screen, "log_day") else clock.today()
    open_entry_form(screen, client_id=target[0], task_id=target[1], day=day)


def open_entry_form(screen, *, entry=None, client_id=None, task_id=None, day=None) -> None:
    """Open the form; on save, log the entry (or update `entry`)."""
    from clientdesk.domain.time_entries import duration_text, log_time, update_entry
    from clientdesk.tui.modals.time_entry_form import TimeEntryForm, read_choices

    app = screen.app
    try:
        choices = read_choices(entry.task_id if entry else task_id)
    except (ClientdeskError, *DATABASE_ERRORS) as exc:
        app.notify(str(exc), title="Cannot read", severity="error", markup=False)
        return
    if not choices.clients:
        app.notify("no active client yet: N adds one", severity="warning")
        return

    def saved(data) -> None:
        if data is None:
            return
        if entry is not None:
            _run(app, update_entry, entry.id, data, done="time entry saved", then=lambda _r: app.data_changed())
        else:
            _run(app, log_time, data, done=lambda e: f"logged {duration_text(e.minutes)} on {e.task or e.client}",
                 then=lambda _r: app.data_changed())

    app.push_screen(TimeEntryForm(choices, client_id=client_id, task_id=task_id, day=day, entry=entry), saved)


def invoice_flow(app, client_id: int | None, day: pendulum.Date | None = None) -> None:
    """Pick the client (unless given), ask the month, invoice it and write the HTML and CSV here."""
    from clientdesk.domain.clients import list_clients
    from clientdesk.domain.parse import parse_month
    from clientdesk.tui.modals.pickers import PickerModal
    from clientdesk.tui.modals.prompt import PromptModal

    day = day or clock.today()

    def ask_month(cid) -> None:
        if cid is None:
            return
        app.push_screen(
            PromptModal("Invoice which month?", value=f"{day.year}-{day.month:02d}", placeholder="YYYY-MM",
                        parse=lambda text: parse_month(text), hint="enter invoices every unbilled billable entry · esc cancels"),
            lambda period: period is not None and _invoice(app, cid, period),
        )

    if client_id is not None:
        ask_month(client_id)
        return
    try:
        clients = list_clients()
    except (ClientdeskError, *DATABASE_ERRORS) as exc:
        app.notify(str(exc), severity="error", markup=False)
        return
    app.push_screen(PickerModal("Invoice which client?", [(c.id, c.name) for c in clients]), ask_month)


def _invoice(app, client_id: int, period) -> None:
    from clientdesk.domain.invoices import create_invoice
    from clientdesk.domain.money import format_money
    from clientdesk.formats.invoice import to_csv, to_html

    def write(doc) -> None:
        from clientdesk.exports import slug, write_export

        stem = f"invoice-{slug(doc.reference, 'invoice')}"
        try:
            html = write_export(stem, "html", to_html(doc, app.settings.issuer), app.settings)
            write_export(stem, "csv", to_csv(doc), app.settings)
        except OSError as exc:
            app.notify(f"invoice {doc.reference} recorded, but its files were not written: {exc.strerror} "
                       f"(clientdesk invoice ... --ref {doc.reference} writes them again)", severity="error", markup=False)
            return
        app.notify(f"invoice {doc.reference}: {len(doc.lines)} {'entry' if len(doc.lines) == 1 else 'entries'}, {format_money(doc.total, doc.currency, doc.language)}; "
                   f"written to {html} and its .csv beside it (u undoes)", markup=False)

    _run(app, create_invoice, client_id, period[0], period[1], then=write)
