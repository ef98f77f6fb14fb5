"""Invoicing: one action over a client and a period marks every unbilled
billable entry in it invoiced under one reference, and gives the invoice-ready
timesheet (entries, hours, rate, amounts, total in the client's currency).

Nothing is invoiced twice: only entries not yet invoiced are taken, and a
reference is unique. `u` undoes the whole invoice at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pendulum
from peewee import JOIN, fn

from clientdesk import clock
from clientdesk.domain.errors import InputError, NotFound, RuleError
from clientdesk.domain.journal import action
from clientdesk.domain.money import amount_for, currency_of, effective_rate
from clientdesk.domain.periods import local_day_bounds
from clientdesk.models import Client, Invoice, Project, Task, TimeEntry
from clientdesk.models.base import instant_text


@dataclass(frozen=True)
class InvoiceLine:
    entry_id: int
    day: pendulum.Date  # local
    project: str | None
    task: str | None
    note: str
    minutes: int
    rate: float
    amount: Decimal


@dataclass
class InvoiceDoc:
    reference: str
    client_id: int
    client: str
    language: str
    currency: str
    period_start: pendulum.Date
    period_end: pendulum.Date
    issued_on: pendulum.Date
    lines: list[InvoiceLine] = field(default_factory=list)
    reissued: bool = False  # an invoice issued before, written out again (nothing marked)

    @property
    def total_minutes(self) -> int:
        return sum(line.minutes for line in self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


def _client(client_id: int) -> Client:
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no such client: {client_id}")
    return client


def _entries_query(client_id: int, start: pendulum.Date, end: pendulum.Date):
    lo, _ = local_day_bounds(start)
    _, hi = local_day_bounds(end)
    return (
        TimeEntry.select(TimeEntry.id, TimeEntry.start, TimeEntry.minutes, TimeEntry.note, Task.title, Project.name,
                         Project.hourly_rate)
        .join(Task, JOIN.LEFT_OUTER, on=(TimeEntry.task == Task.id))
        .join(Project, JOIN.LEFT_OUTER, on=(Task.project == Project.id))
        .where(TimeEntry.client == client_id, TimeEntry.start >= instant_text(lo), TimeEntry.start < instant_text(hi))
        .order_by(TimeEntry.start, TimeEntry.id)
    )


def _lines(rows, client: Client, currency: str) -> tuple[list[InvoiceLine], int]:
    """The invoice's lines, and how many entries have no rate at all."""
    tz = clock.local_tz()
    lines, unrated = [], 0
    for eid, start, minutes, note, task, project, project_rate in rows.tuples():
        rate = effective_rate(project_rate, client.hourly_rate)
        if rate is None:
            unrated += 1
            continue
        day = TimeEntry.start.python_value(start).in_timezone(tz).date()
        lines.append(InvoiceLine(eid, day, project, task, note, minutes, rate, amount_for(minutes, rate, currency)))
    return lines, unrated


def _default_reference(client: Client, start: pendulum.Date) -> str:
    base = f"INV-{start.year}{start.month:02d}-{client.id}"
    ref, n = base, 1
    while Invoice.select().where(Invoice.reference == ref).exists():
        n += 1
        ref = f"{base}-{n}"
    return ref


def create_invoice(client_id: int, start: pendulum.Date, end: pendulum.Date, reference: str | None = None, *,
                   issued_on: pendulum.Date | None = None) -> InvoiceDoc:
    """Invoice every unbilled billable entry of the client from `start` to `end` (inclusive).

    With the reference of an invoice already issued for this client and period,
    its document is given again and nothing is marked."""
    if end < start:
        raise InputError(f"the period ends before it starts: {start} .. {end}")
    client = _client(client_id)
    currency = currency_of(client.currency)
    ref = (reference or "").strip()
    if reference is not None and not ref:
        raise InputError("--ref: an invoice reference cannot be empty")
    if ref:
        existing = Invoice.get_or_none(Invoice.reference == ref)
        if existing is not None:
            if existing.client_id == client.id and existing.period_start == start and existing.period_end == end:
                return invoice_document(ref)
            raise InputError(f"invoice reference {ref} is already used ({existing.period_start} .. {existing.period_end})")
    rows = _entries_query(client.id, start, end).where(TimeEntry.billable == True, TimeEntry.invoiced == False)  # noqa: E712
    lines, unrated = _lines(rows, client, currency)
    if unrated:
        raise RuleError(f"{client.name} has no hourly rate ({unrated} unbilled entries have no rate, "
                        "neither the client's nor their project's): set one before invoicing")
    if not lines:
        raise RuleError(f"nothing to invoice: {client.name} has no unbilled billable time from {start} to {end}")
    ref = ref or _default_reference(client, start)
    issued = issued_on or clock.today()
    doc = InvoiceDoc(ref, client.id, client.name, client.language, currency, start, end, issued, lines)
    with action(f"invoice {ref} ({client.name})") as rec:
        invoice = rec.create(Invoice, client=client.id, reference=ref, period_start=start, period_end=end,
                             issued_on=issued, currency=currency, minutes=doc.total_minutes, total=float(doc.total))
        ids = [line.entry_id for line in lines]
        for entry in TimeEntry.select().where(TimeEntry.id.in_(ids)):
            rec.update(entry, invoiced=True, invoice_ref=ref, invoice=invoice.id)
    return doc


def invoice_document(reference: str) -> InvoiceDoc:
    """The document of an issued invoice: the entries still invoiced under it."""
    invoice = Invoice.get_or_none(Invoice.reference == reference)
    if invoice is None:
        raise NotFound(f"no such invoice: {reference}")
    client = _client(invoice.client_id)
    rows = _entries_query(client.id, invoice.period_start, invoice.period_end).where(TimeEntry.invoice == invoice.id)
    lines, _ = _lines(rows, client, invoice.currency)
    return InvoiceDoc(invoice.reference, client.id, client.name, client.language, invoice.currency,
                      invoice.period_start, invoice.period_end, invoice.issued_on, lines, reissued=True)


@dataclass(frozen=True)
class Unbilled:
    """A client's billable time not invoiced yet, priced at its rates."""

    minutes: int
    amount: Decimal
    currency: str
    unrated_minutes: int  # billable time with no rate anywhere: not in `amount`
    language: str = "en"  # the client's, to write the amount in


def unbilled(client_ids: list[int] | None = None) -> dict[int, Unbilled]:
    """Each client's unbilled amount (DESIGN: billable, not invoiced, x the rate), in one query."""
    rate = fn.COALESCE(Project.hourly_rate, Client.hourly_rate)
    q = (
        TimeEntry.select(TimeEntry.client, Client.currency, Client.language, rate.alias("rate"),
                         fn.SUM(TimeEntry.minutes))
        .join(Client, on=(TimeEntry.client == Client.id))
        .switch(TimeEntry)
        .join(Task, JOIN.LEFT_OUTER, on=(TimeEntry.task == Task.id))
        .join(Project, JOIN.LEFT_OUTER, on=(Task.project == Project.id))
        .where(TimeEntry.billable == True, TimeEntry.invoiced == False)  # noqa: E712
        .group_by(TimeEntry.client, Client.currency, Client.language, rate)
    )
    if client_ids is not None:
        q = q.where(TimeEntry.client.in_(client_ids))
    totals: dict[int, list] = defaultdict(lambda: [0, Decimal(0), "", 0, "en"])
    for cid, currency, language, r, minutes in q.tuples():
        t = totals[cid]
        t[2], t[4] = currency_of(currency), language
        t[0] += int(minutes or 0)
        if r is None:
            t[3] += int(minutes or 0)
        else:
            t[1] += amount_for(int(minutes or 0), r, t[2])
    return {cid: Unbilled(m, a, c, u, lang) for cid, (m, a, c, u, lang) in totals.items()}


def list_invoices(client_id: int | None = None) -> list[dict]:
    q = Invoice.select(Invoice, Client).join(Client).order_by(Invoice.issued_on.desc(), Invoice.id.desc())
    if client_id is not None:
        q = q.where(Invoice.client == client_id)
    return [{"reference": i.reference, "client": i.client.name, "period_start": i.period_start,
             "period_end": i.period_end, "issued_on": i.issued_on, "currency": i.currency,
             "minutes": i.minutes, "total": i.total} for i in q]


__all__ = ["InvoiceDoc", "InvoiceLine", "Unbilled", "create_invoice", "invoice_document", "list_invoices", "unbilled"]
