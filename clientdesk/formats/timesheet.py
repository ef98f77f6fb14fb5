"""`clientdesk timesheet` for people (an aligned table) and for scripts (CSV, JSON)."""

from __future__ import annotations

import csv
import io
import json

from rich.cells import cell_len

from clientdesk.domain.time_entries import EntryView, Timesheet, hours_text
from clientdesk.safe_text import terminal_safe

ENTRY_KEYS = ("client", "task", "start", "minutes", "billable", "invoiced", "invoice_ref", "note")


def _table(headers: tuple[str, ...], body: list[tuple[str, ...]], numeric: set[int]) -> str:
    widths = [max(cell_len(x) for x in col) for col in zip(headers, *body)]

    def line(cells) -> str:
        out = []
        for i, (cell, width) in enumerate(zip(cells, widths)):
            gap = " " * (width - cell_len(cell))
            out.append(gap + cell if i in numeric else cell + gap)
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), *(line(r) for r in body)]) + "\n"


def week_table(sheet: Timesheet) -> str:
    """Hours per client per day, billable and non-billable apart, with totals and targets."""
    days = tuple(f"{d.format('ddd')} {d.day}" for d in sheet.days)
    headers = ("client", *days, "billable", "non-bill", "total", "target")
    body = []
    for row in sheet.clients:
        body.append((terminal_safe(row.label, newlines=False), *(hours_text(row.day(i)) if row.day(i) else "" for i in range(7)),
                     hours_text(row.total_billable), hours_text(row.total_nonbillable), hours_text(row.total),
                     hours_text(row.target_minutes) if row.target_minutes else "-"))
    body.append(("total", *(hours_text(sheet.day_billable[i] + sheet.day_nonbillable[i]) for i in range(7)),
                 hours_text(sum(sheet.day_billable)), hours_text(sum(sheet.day_nonbillable)), hours_text(sheet.total),
                 hours_text(sheet.target_minutes) if sheet.target_minutes else "-"))
    return _table(headers, body, set(range(1, len(headers))))


def entries_table(entries: list[EntryView]) -> str:
    if not entries:
        return "no time entries\n"
    headers = ("date", "start", "client", "task", "hours", "billable", "invoice", "note")
    body = []
    for e in entries:
        local = e.local_start
        body.append((local.to_date_string(), local.format("HH:mm"), terminal_safe(e.client, newlines=False),
                     terminal_safe(e.task or "", newlines=False), hours_text(e.minutes), "yes" if e.billable else "no",
                     terminal_safe(e.invoice_ref or ("yes" if e.invoiced else ""), newlines=False),
                     terminal_safe(e.note, newlines=False)))
    return _table(headers, body, {4})


def entries_csv(entries: list[EntryView]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ENTRY_KEYS)
    for e in entries:
        obj = e.as_json()
        writer.writerow(["" if obj[k] is None else (str(obj[k]).lower() if isinstance(obj[k], bool) else obj[k])
                         for k in ENTRY_KEYS])
    return out.getvalue()


def entries_json(entries: list[EntryView]) -> str:
    return json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2) + "\n"
