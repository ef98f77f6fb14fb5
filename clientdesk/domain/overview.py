"""What the Overview shows, read in one go: every active client's figures and the Today list.

Headless, so the command line can start reading it in a thread while the UI
is still being imported (launch time). After a change, `patch_overview`
re-reads only what the change touched: the rows of the tasks and clients it
names, placed into what was read before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

import pendulum

from clientdesk import clock
from clientdesk.domain.invoices import Unbilled, unbilled
from clientdesk.domain.status import ClientStatus, client_statuses
from clientdesk.domain.tasks import TaskView, today_candidates_by_ids, today_ranking, today_sort_key
from clientdesk.models import ChangeRequest, Feedback, Interaction, Invoice, Project, TimeBlock, TimeEntry

TODAY_LIMIT = 25
#: Today rows read beyond those shown, so that a task leaving the list is
#: replaced from rows already read instead of by a new read
TODAY_RESERVE = 25


@dataclass
class OverviewData:
    statuses: list[ClientStatus] = field(default_factory=list)
    today_tasks: list[TaskView] = field(default_factory=list)
    today: pendulum.Date | None = None
    #: clients paused or archived, counted only when none is active (what the empty Overview says)
    inactive_clients: int = 0
    unbilled: dict[int, Unbilled] = field(default_factory=dict)  # client id -> billable time not invoiced
    #: the next rows of the Today ranking after `today_tasks`, in order
    today_spare: list[TaskView] = field(default_factory=list)
    #: every open task of an active client is in today_tasks + today_spare
    today_complete: bool = False


def overview_data(today: pendulum.Date | None = None, limit: int = TODAY_LIMIT, *, mine: bool = False) -> OverviewData:
    """The figures and the Today list on `today` (default: the clock's); `mine`: only your tasks in Today."""
    today = today or clock.today()
    statuses = client_statuses(today)
    assignee = None
    if mine:
        from clientdesk.domain.people import my_id_if_known

        assignee = my_id_if_known() or 0  # nobody has id 0: before your first write nothing is yours
    ranking = today_ranking(limit + TODAY_RESERVE, today=today, assignee_id=assignee)
    data = OverviewData(statuses, ranking.tasks[:limit], today, unbilled=unbilled([s.client_id for s in statuses]),
                        today_spare=ranking.tasks[limit:], today_complete=ranking.complete)
    if not data.statuses:
        from clientdesk.models import Client

        data.inactive_clients = Client.select().count()
    return data


def patch_overview(data: OverviewData, *, task_ids: Iterable[int] = (), client_ids: Iterable[int] = (),
                   limit: int = TODAY_LIMIT, today: pendulum.Date | None = None) -> OverviewData | None:
    """`data` after a change to these tasks and clients, re-reading only them; None when only a full read can tell.

    `task_ids`: tasks created, edited, moved, finished or deleted; their Today
    rows are read again and put in place among the rows held, and their
    clients' figures re-read. `client_ids`: clients whose figures changed
    otherwise (time logged, a check-in, a change request). A change that moves
    many tasks' scores at once (a client's weight or status, a project's
    status) calls for a full read, as does a new day.

    Every task held (shown and spare) outranks every task not held, so a
    changed task whose new place is at or above the last one held goes in,
    one below it drops out; the list needs a full read only when fewer than
    `limit` are left held, or when a finished recurring task came back as a
    new task no id here names.
    """
    today = today or clock.today()
    if data.today != today or not data.statuses:
        return None
    changed = set(int(i) for i in task_ids)
    clients = set(int(i) for i in client_ids)
    held = data.today_tasks + data.today_spare
    if changed:
        rows = today_candidates_by_ids(changed, today)
        if changed - rows.keys() - {t.id for t in held}:
            return None  # a task deleted that was not held: whose figures it changed is no longer known
        if any(row.status == "done" and row.recurrence for row, _ in rows.values()):
            return None  # its next occurrence is a task of its own, with an id not given here
        clients |= {t.client_id for t in held if t.id in changed}
        clients |= {row.client_id for row, _ in rows.values()}
        boundary = None if data.today_complete else (today_sort_key(held[-1]) if held else None)
        if boundary is None and not data.today_complete:
            return None
        kept = [t for t in held if t.id not in changed]
        kept += [view for _, view in rows.values()
                 if view is not None and (boundary is None or today_sort_key(view) <= boundary)]
        kept.sort(key=today_sort_key)
        if len(kept) < limit and not data.today_complete:
            return None
        data = replace(data, today_tasks=kept[:limit], today_spare=kept[limit:])
    if clients:
        fresh = {s.client_id: s for s in client_statuses(today, client_ids=sorted(clients), active_only=True)}
        statuses = [fresh.pop(s.client_id, None) if s.client_id in clients else s for s in data.statuses]
        statuses = [s for s in statuses if s is not None] + list(fresh.values())
        if not statuses:
            return None  # the last active client went: the empty Overview counts the others
        money = {cid: u for cid, u in data.unbilled.items() if cid not in clients}
        money.update(unbilled(sorted(clients)))
        shown = {s.client_id for s in statuses}
        data = replace(data, statuses=sorted(statuses, key=lambda s: s.client),
                       unbilled={cid: u for cid, u in money.items() if cid in shown})
    return data


#: the tables whose rows the Overview's figures come from
OVERVIEW_TABLES = ("client", "project", "task", "time_block", "time_entry", "interaction", "change_request",
                   "feedback", "invoice")
_CLIENT_OF = {"time_block": TimeBlock, "time_entry": TimeEntry, "interaction": Interaction, "feedback": Feedback,
              "invoice": Invoice}


def clients_of_rows(ids: dict[str, Iterable[int]]) -> set[int] | None:
    """The clients whose figures these changed rows (other than tasks) belong to; None when one is gone.

    A deleted row no longer says whose it was: the caller reads everything.
    """
    out: set[int] = set()
    for table, model in _CLIENT_OF.items():
        wanted = set(ids.get(table, ()))
        if wanted:
            found = dict(model.select(model.id, model.client).where(model.id.in_(sorted(wanted))).tuples())
            if len(found) != len(wanted):
                return None
            out.update(found.values())
    wanted = set(ids.get("change_request", ()))
    if wanted:
        found = dict(ChangeRequest.select(ChangeRequest.id, Project.client).join(Project)
                     .where(ChangeRequest.id.in_(sorted(wanted))).tuples())
        if len(found) != len(wanted):
            return None
        out.update(found.values())
    return out
