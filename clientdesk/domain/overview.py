"""What the Overview shows, read in one go: every active client's figures and the Today list.

Headless, so the command line can start reading it in a thread while the UI
is still being imported (launch time).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum

from clientdesk import clock
from clientdesk.domain.invoices import Unbilled, unbilled
from clientdesk.domain.status import ClientStatus, client_statuses
from clientdesk.domain.tasks import TaskView, today_list

TODAY_LIMIT = 25


@dataclass
class OverviewData:
    statuses: list[ClientStatus] = field(default_factory=list)
    today_tasks: list[TaskView] = field(default_factory=list)
    today: pendulum.Date | None = None
    #: clients paused or archived, counted only when none is active (what the empty Overview says)
    inactive_clients: int = 0
    unbilled: dict[int, Unbilled] = field(default_factory=dict)  # client id -> billable time not invoiced


def overview_data(today: pendulum.Date | None = None, limit: int = TODAY_LIMIT) -> OverviewData:
    """The figures and the Today list on `today` (default: the clock's)."""
    today = today or clock.today()
    statuses = client_statuses(today)
    data = OverviewData(statuses, today_list(limit, today=today), today, unbilled=unbilled([s.client_id for s in statuses]))
    if not data.statuses:
        from clientdesk.models import Client

        data.inactive_clients = Client.select().count()
    return data
