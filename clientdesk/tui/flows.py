"""Every entity's create, edit, close and delete from the keyboard: open the generated form, save through the domain.

A flow opens `EntityForm` on the entity's field specification, hands what it
returns to one domain function (one action, undoable with `u`), and when the
domain refuses (a duplicate name, a deadline before the start) opens the form
again with what was typed and the reason beside the field, so no typing is
lost. Deletes ask first with a one-key confirmation. Every flow ends with a
notification saying what was done and `app.data_changed()` so every view
shows it.

Saving goes through `save_then` alone, so the background writer (team mode)
can take over the writes in one place.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from clientdesk import clock
from clientdesk.db import DATABASE_ERRORS
from clientdesk.domain.errors import ClientdeskError, NotFound
from clientdesk.domain.fields import CLIENT, FEEDBACK, INTERACTION, MILESTONE, PROJECT, RISK, TEMPLATE, Field, FieldError
from clientdesk.domain.journal import RowConflict, saved_over
from clientdesk.tui.modals.entity_form import EntityForm, Options
from clientdesk.tui.notices import say
from clientdesk.tui.writer import WriteJob

PROJECT_REF = Field("ref", name="project_id", label="Project", required=True)


def _refusal(exc: Exception) -> ClientdeskError | str:
    return exc if isinstance(exc, ClientdeskError) else f"database error: {exc}"


def read_or_say(app, fn: Callable[..., Any], *args, **kwargs) -> Any:
    """A read for a form (its current values, the choices); None, said as a notification, when it fails."""
    try:
        return fn(*args, **kwargs)
    except (ClientdeskError, *DATABASE_ERRORS) as exc:
        say(app, str(_refusal(exc)), severity="error", title="Cannot open")
        return None


def save_then(app, save: Callable[[], Any], done: str | Callable[[Any], str], then: Callable[[Any], None] | None = None,
              refused: Callable[[ClientdeskError | str], None] | None = None) -> None:
    """Run one domain action in the app's writer; on success say `done` (every view then reads what
    changed), on refusal call `refused` (or say it)."""

    def succeeded(result: Any) -> None:
        say(app, done(result) if callable(done) else done)
        if then is not None:
            then(result)

    def failed(exc: Exception) -> None:
        if refused is not None:
            refused(_refusal(exc))

    app.write(WriteJob(save, on_done=succeeded, on_refused=failed, notify_refusal=refused is None))


def form_flow(app, title: str, fields: Sequence[Field], values: dict, save: Callable[[dict], Any],
              done: str | Callable[[Any], str], *, options: dict[str, Options] | None = None,
              check: Callable[[dict], Any] | None = None, note: str = "",
              then: Callable[[Any], None] | None = None, live: Callable[[dict[str, str]], Any] | None = None,
              row: tuple[str, int] | None = None, reopen: Callable[[], None] | None = None) -> None:
    """Open the form; save what it returns; reopen it with the reason when the domain refuses.

    `row` (table, id): an edit. The form keeps the row's version from when it
    opened, and the save is refused if a teammate changed the row since; then
    `conflict_flow` says who changed what and offers reload (`reopen`) or overwrite.
    """
    from clientdesk.domain.journal import row_version

    opened_at = read_or_say(app, row_version, *row) if row is not None else None

    def open_form(typed: dict, error: ClientdeskError | str | None = None, version: int | None = opened_at) -> None:
        form = EntityForm(title, fields, typed, options=options, check=check, error=error, note=note, live=live)
        app.push_screen(form, lambda result: saved(result, version))

    def saved(result: dict | None, version: int | None) -> None:
        if result is None:
            return

        def refused(why: ClientdeskError | str) -> None:
            if row is not None and isinstance(why, RowConflict):
                conflict_flow(app, why, reload=reopen, overwrite=lambda: saved(result, why.version),
                              back=lambda: open_form(result, why, version))
            else:
                open_form(result, why, version)

        def run() -> Any:
            if row is None:
                return save(dict(result))
            return saved_over(row[0], row[1], version, save, dict(result))

        save_then(app, run, done, then, refused=refused)

    open_form(values)


def conflict_flow(app, conflict: RowConflict, *, reload: Callable[[], None] | None, overwrite: Callable[[], None],
                  back: Callable[[], None]) -> None:
    """Say who changed the row since the form opened; reload theirs, overwrite with mine, or go back."""
    from clientdesk.tui.modals.conflict import BACK, OVERWRITE, RELOAD, ConflictModal

    def chosen(choice: str | None) -> None:
        if choice == OVERWRITE:
            overwrite()
        elif choice == RELOAD:
            if reload is not None:
                reload()
            else:
                say(app, "kept their version; open it again to edit it", severity="warning")
        elif choice == BACK:
            back()

    app.push_screen(ConflictModal(str(conflict)), chosen)


def confirm_flow(app, question: str, detail: str, action: Callable[[], Any], done: str | Callable[[Any], str],
                 then: Callable[[Any], None] | None = None) -> None:
    """Ask once (y or enter), then run the action."""
    from clientdesk.tui.modals.confirm import ConfirmModal

    def answered(yes: bool | None) -> None:
        if yes:
            save_then(app, action, done, then)

    app.push_screen(ConfirmModal(question, detail), answered)


def with_project(fields: Sequence[Field]) -> list[Field]:
    """An entity's fields with its project chosen after the first (the name or title)."""
    return [fields[0], PROJECT_REF, *fields[1:]]


def project_options(app, client_id: int) -> list[tuple[str, int]] | None:
    """The client's projects to choose from, active ones first; None (said) when it has none."""
    from clientdesk.domain.clients import list_projects

    projects = read_or_say(app, list_projects, client_id)
    if projects is None:
        return None
    if not projects:
        say(app, "this client has no project yet: P adds one", severity="warning")
        return None
    ordered = sorted(projects, key=lambda p: (p.status != "active", p.name.casefold()))
    return [(p.name if p.status == "active" else f"{p.name} ({p.status})", p.id) for p in ordered]


# -- clients ----------------------------------------------------------------------------
def _with_language_note(app, save: Callable[[dict], Any], then: Callable[[Any], None] | None):
    """`save` and `then` that, once the client is saved, warn when its language
    is one reports are not written in (they would come out in English)."""
    typed: dict = {}

    def saving(values: dict) -> Any:
        typed["language"] = values.get("language")
        return save(values)

    def after(result: Any) -> None:
        from clientdesk.formats.i18n import unsupported_language_note

        note = unsupported_language_note(typed.get("language") or "")
        if note:
            say(app, note, severity="warning")
        if then is not None:
            then(result)

    return saving, after


def _desk_zone() -> str:
    """A new client's time zone until told otherwise: the desk's own (config, CLIENTDESK_TZ, the machine), if named."""
    try:
        name = clock.local_tz().name
    except ClientdeskError:
        name = ""
    return name if "/" in name else CLIENT["timezone"].default


def new_client(app, then: Callable[[Any], None] | None = None) -> None:
    from clientdesk.domain.clients import create_client

    fields = [f for f in CLIENT.fields if f.name != "status"]
    save, then = _with_language_note(app, create_client, then)
    form_flow(app, "New client", fields, CLIENT.defaults() | {"timezone": _desk_zone()}, save,
              lambda c: f"added client '{c.name}' · u undoes · enter opens its board, i its detail, P there adds a project",
              note="Only the name is needed; tab through the rest or fill it in later (e edits).", then=then)


def edit_client(app, client_id: int) -> None:
    from clientdesk.domain.clients import client_profile, update_client

    profile = read_or_say(app, client_profile, client_id)
    if profile is None:
        return
    values = {name: getattr(profile, name) for name in CLIENT.names if hasattr(profile, name)}
    save, then = _with_language_note(app, lambda v: update_client(client_id, v), None)
    form_flow(app, f"Edit client {profile.name}", CLIENT.fields, values,
              save, lambda c: f"saved client '{c.name}' · u undoes", then=then,
              row=("client", client_id), reopen=lambda: edit_client(app, client_id))


def set_client_status(app, client_id: int, status: str) -> None:
    from clientdesk.domain import clients

    verb = {"active": "restored", "paused": "paused", "archived": "archived"}[status]

    def done(c) -> str:
        back = "" if status == "active" else ": off the Overview, ctrl+p → client: restore brings it back"
        return f"{verb} client '{c.name}'{back} · u undoes"

    save_then(app, lambda: clients.set_client_status(client_id, status), done)


def delete_client(app, client_id: int, then: Callable[[Any], None] | None = None) -> None:
    """Confirm once; a client with logged time asks a second time (that is billing history)."""
    from clientdesk.domain import clients

    footprint = read_or_say(app, clients.client_footprint, client_id)
    if footprint is None:
        return

    def second(_yes=None) -> None:
        n = footprint.time_entries
        confirm_flow(app, f"'{footprint.name}' has {n} time entr{'y' if n == 1 else 'ies'}: delete {'it' if n == 1 else 'them'} too?",
                     "Logged time is billing history. Archiving the client keeps it instead.",
                     lambda: clients.delete_client(client_id, with_time_entries=True),
                     f"deleted client '{footprint.name}' · u undoes", then)

    if footprint.time_entries:
        from clientdesk.tui.modals.confirm import ConfirmModal

        app.push_screen(ConfirmModal(f"Delete client '{footprint.name}' and everything of theirs?", footprint.words()),
                        lambda yes: second() if yes else None)
        return
    confirm_flow(app, f"Delete client '{footprint.name}' and everything of theirs?", footprint.words(),
                 lambda: clients.delete_client(client_id), f"deleted client '{footprint.name}' · u undoes", then)


# -- tasks ------------------------------------------------------------------------------
def delete_task(app, task_id: int, then: Callable[[Any], None] | None = None) -> None:
    from clientdesk.domain.tasks import delete_task as delete, get_task

    task = read_or_say(app, get_task, task_id)
    if task is None:
        return
    confirm_flow(app, f"Delete task '{task.title}'?", f"{task.client} / {task.project} · {task.status}",
                 lambda: delete(task_id), f"deleted task '{task.title}' · u undoes", then)


# -- projects ---------------------------------------------------------------------------
def new_project(app, client_id: int, then: Callable[[Any], None] | None = None) -> None:
    """The project form; with templates saved, a "From template" choice lays its tasks too."""
    from clientdesk.domain.clients import client_profile
    from clientdesk.domain.projects import check_project, create_project
    from clientdesk.domain.templates import create_project_from_template, list_templates

    profile = read_or_say(app, client_profile, client_id)
    templates = read_or_say(app, list_templates)
    if profile is None or templates is None:
        return
    fields = [f for f in PROJECT.fields if f.name != "status"]
    options: dict[str, Options] = {}
    note = f"For {profile.name}. Only the name is needed."
    if templates:
        fields.append(Field("choice", name="template", label="From template", nullable=True,
                            choices=tuple(t.name for t in templates)))
        options["template"] = [(f"{t.name} ({t.words()})", t.name) for t in templates]
        note += " A template adds its tasks, due dates counted from the start (today if empty)."

    def save(values: dict):
        template = values.pop("template", None)
        if not template:
            return create_project(client_id, values)
        try:
            return create_project_from_template(client_id, values, template)
        except NotFound as exc:  # deleted since the form opened: said beside the choice
            if "template" not in str(exc):
                raise
            raise FieldError("template", "from template", str(exc)) from None

    form_flow(app, "New project", fields, PROJECT.defaults(), save,
              lambda p: f"added project '{p.name}' · u undoes · a on the board adds its tasks",
              options=options, check=lambda v: check_project({k: x for k, x in v.items() if k != "template"}),
              note=note, then=then)


def edit_project(app, project_id: int) -> None:
    from clientdesk.domain.projects import check_project, project_detail, update_project

    detail = read_or_say(app, project_detail, project_id)
    if detail is None:
        return
    form_flow(app, f"Edit project {detail.name} · {detail.client}", PROJECT.fields, detail.values,
              lambda v: update_project(project_id, v), lambda p: f"saved project '{p.name}' · u undoes",
              check=check_project, row=("project", project_id), reopen=lambda: edit_project(app, project_id))


def toggle_project_closed(app, project_id: int, status: str) -> None:
    from clientdesk.domain.projects import set_project_status

    target = "active" if status == "done" else "done"
    save_then(app, lambda: set_project_status(project_id, target),
              lambda p: f"{'closed' if target == 'done' else 'reopened'} project '{p.name}' · u undoes")


def delete_project(app, project_id: int) -> None:
    from clientdesk.domain.projects import delete_project as delete, project_detail

    detail = read_or_say(app, project_detail, project_id)
    if detail is None:
        return
    confirm_flow(app, f"Delete project '{detail.name}'?",
                 f"{detail.tasks} task{'s' if detail.tasks != 1 else ''}, its milestones, risks and change requests "
                 "go with it. Closing it (x) keeps them.",
                 lambda: delete(project_id), f"deleted project '{detail.name}' · u undoes")


# -- milestones and risks ------------------------------------------------------------------
def _project_row_form(app, client_id: int, title: str, fields: Sequence[Field], values: dict | None,
                      save: Callable[[dict], Any], done: str, note: str = "", row: tuple[str, int] | None = None,
                      reopen: Callable[[], None] | None = None) -> None:
    """The form of a row that hangs on one of the client's projects (a milestone, a risk)."""
    options = project_options(app, client_id)
    if options is None or values is None:
        return
    values = dict(values)
    values["project_id"] = values.get("project_id") or options[0][1]
    form_flow(app, title, with_project(fields), values, save, done, options={"project_id": options}, note=note,
              row=row, reopen=reopen)


def new_milestone(app, client_id: int, project_id: int | None = None) -> None:
    from clientdesk.domain.projects import create_milestone

    _project_row_form(app, client_id, "New milestone", MILESTONE.fields, MILESTONE.defaults() | {"project_id": project_id},
                      lambda v: create_milestone(v.pop("project_id"), v), "milestone added · u undoes")


def edit_milestone(app, client_id: int, milestone_id: int) -> None:
    from clientdesk.domain.projects import milestone_values, update_milestone

    values = read_or_say(app, milestone_values, milestone_id)
    _project_row_form(app, client_id, f"Edit milestone {values['name'] if values else ''}", MILESTONE.fields, values,
                      lambda v: update_milestone(milestone_id, v), "milestone saved · u undoes",
                      row=("milestone", milestone_id), reopen=lambda: edit_milestone(app, client_id, milestone_id))


def new_risk(app, client_id: int, project_id: int | None = None) -> None:
    from clientdesk.domain.projects import create_risk

    _project_row_form(app, client_id, "New risk", [f for f in RISK.fields if f.name != "status"],
                      RISK.defaults() | {"project_id": project_id}, lambda v: create_risk(v.pop("project_id"), v),
                      "risk added · u undoes", note="Its score is likelihood × impact; the worst come first.")


def edit_risk(app, client_id: int, risk_id: int) -> None:
    from clientdesk.domain.projects import risk_values, update_risk

    values = read_or_say(app, risk_values, risk_id)
    _project_row_form(app, client_id, f"Edit risk {values['title'] if values else ''}", RISK.fields, values,
                      lambda v: update_risk(risk_id, v), "risk saved · u undoes",
                      row=("risk", risk_id), reopen=lambda: edit_risk(app, client_id, risk_id))


# -- the interaction log and feedback -----------------------------------------------------
def new_log_entry(app, client_id: int, kind: str = "note") -> None:
    from clientdesk.domain.clients import log_interaction

    def save(v: dict):
        return log_interaction(client_id, v["kind"], v["summary"], on=v["on"])

    form_flow(app, f"Log a {kind}", INTERACTION.fields, {"kind": kind, "on": clock.today()}, save,
              lambda i: f"logged {i.kind} of {i.on.to_date_string()}: {i.summary} · u undoes")


def edit_log_entry(app, interaction_id: int) -> None:
    from clientdesk.domain.clients import get_interaction, update_interaction

    entry = read_or_say(app, get_interaction, interaction_id)
    if entry is None:
        return
    values = {"summary": entry.summary, "kind": entry.kind, "on": entry.on}
    form_flow(app, "Edit log entry", INTERACTION.fields, values, lambda v: update_interaction(interaction_id, v),
              "log entry saved · u undoes", row=("interaction", interaction_id),
              reopen=lambda: edit_log_entry(app, interaction_id))


def new_feedback(app, client_id: int) -> None:
    from clientdesk.domain.clients import add_feedback

    form_flow(app, "Add feedback", FEEDBACK.fields, {"on": clock.today()},
              lambda v: add_feedback(client_id, v["score"], v["comment"], on=v["on"]),
              lambda f: f"feedback {f.score}/5 added · u undoes")


def edit_feedback(app, feedback_id: int, values: dict) -> None:
    from clientdesk.domain.clients import update_feedback

    form_flow(app, "Edit feedback", FEEDBACK.fields, values, lambda v: update_feedback(feedback_id, v),
              "feedback saved · u undoes", row=("feedback", feedback_id))


# -- templates ---------------------------------------------------------------------------
def template_from_project(app, project_id: int, project_name: str) -> None:
    from clientdesk.domain.templates import save_template

    form_flow(app, f"New template from {project_name}", TEMPLATE.fields, {"name": project_name},
              lambda v: save_template(project_id, v["name"]),
              lambda t: f"template '{t.name}' saved: {t.words()} · P starts a project from it",
              note="Keeps the project's tasks, estimates, tags and due dates counted from its start.")


def manage_templates(app) -> None:
    from clientdesk.domain.templates import delete_template, list_templates, rename_template
    from clientdesk.tui.modals.templates import TemplateRequest, TemplatesModal

    templates = read_or_say(app, list_templates)
    if templates is None:
        return

    def chosen(request: TemplateRequest | None) -> None:
        if request is None:
            return
        t = request.template
        if request.what == "rename":
            form_flow(app, f"Rename template {t.name}", TEMPLATE.fields, {"name": t.name},
                      lambda v: rename_template(t.id, v["name"]), lambda r: f"template renamed to '{r.name}' · u undoes",
                      row=("template", t.id))
        else:
            confirm_flow(app, f"Delete template '{t.name}'?", t.words(), lambda: delete_template(t.id),
                         f"deleted template '{t.name}' · u undoes")

    app.push_screen(TemplatesModal(templates), chosen)


__all__ = [
    "confirm_flow", "conflict_flow", "delete_client", "delete_project", "delete_task", "edit_client", "edit_feedback", "edit_log_entry",
    "edit_milestone", "edit_project", "edit_risk", "form_flow", "manage_templates", "new_client", "new_feedback",
    "new_log_entry", "new_milestone", "new_project", "new_risk", "project_options", "read_or_say", "save_then", "set_client_status",
    "template_from_project", "toggle_project_closed", "with_project",
]
