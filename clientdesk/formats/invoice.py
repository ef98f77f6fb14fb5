"""The invoice-ready timesheet: one self-contained, printable HTML page in the
client's language (words here, dates, numbers and money through Babel),
headed by who bills (the config's [issuer] table), and a CSV with plain
numbers for spreadsheets and accounting tools."""

from __future__ import annotations

import csv
import html
import io

from clientdesk.domain.invoices import InvoiceDoc
from clientdesk.domain.money import format_money
from clientdesk.formats.i18n import language_for

WORDS: dict[str, dict[str, str]] = {
    "en": {"title": "Timesheet", "invoice": "Invoice {ref}", "client": "Client", "period": "Period",
           "issued": "Issued on", "date": "Date", "work": "Work", "note": "Note", "hours": "Hours",
           "rate": "Rate", "amount": "Amount", "total": "Total", "per_hour": "{amount}/h", "no_task": "General",
           "from": "From", "tax_id": "Tax ID", "payment": "Payment"},
    "fr": {"title": "Relevé de temps", "invoice": "Facture {ref}", "client": "Client", "period": "Période",
           "issued": "Émise le", "date": "Date", "work": "Travail", "note": "Note", "hours": "Heures",
           "rate": "Taux", "amount": "Montant", "total": "Total", "per_hour": "{amount}/h", "no_task": "Général",
           "from": "Émetteur", "tax_id": "N° de TVA", "payment": "Règlement"},
    "tr": {"title": "Zaman çizelgesi", "invoice": "Fatura {ref}", "client": "Müşteri", "period": "Dönem",
           "issued": "Düzenlenme tarihi", "date": "Tarih", "work": "İş", "note": "Not", "hours": "Saat",
           "rate": "Ücret", "amount": "Tutar", "total": "Toplam", "per_hour": "{amount}/sa", "no_task": "Genel",
           "from": "Düzenleyen", "tax_id": "Vergi no", "payment": "Ödeme"},
    "zh": {"title": "工时表", "invoice": "发票 {ref}", "client": "客户", "period": "期间",
           "issued": "开具日期", "date": "日期", "work": "工作", "note": "备注", "hours": "小时",
           "rate": "费率", "amount": "金额", "total": "合计", "per_hour": "{amount}/小时", "no_task": "常规",
           "from": "开票方", "tax_id": "税号", "payment": "付款信息"},
}

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; color: #1d232a; max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem;
       line-height: 1.45; }
header { border-bottom: 2px solid #1d232a; padding-bottom: .75rem; margin-bottom: 1.25rem; }
h1 { font-size: 1.6rem; margin: 0; }
.ref { font-size: 1.1rem; font-weight: 600; margin: .2rem 0 0; }
table.facts { border-collapse: collapse; margin-top: .5rem; }
table.facts th { text-align: left; font-weight: normal; color: #56616b; padding: .15rem 1.5rem .15rem 0; }
table.facts td { font-weight: 600; }
table.lines { border-collapse: collapse; width: 100%; margin-top: 1rem; font-variant-numeric: tabular-nums; }
table.lines th { text-align: left; border-bottom: 1px solid #1d232a; padding: .35rem .5rem; font-size: .9rem; }
table.lines td { border-bottom: 1px solid #e3e8ec; padding: .35rem .5rem; vertical-align: top; overflow-wrap: anywhere; }
table.lines .num { text-align: right; white-space: nowrap; }
table.lines tfoot td { border-top: 2px solid #1d232a; border-bottom: none; font-weight: 700; }
.project { color: #56616b; font-size: .88rem; }
header { display: flex; justify-content: space-between; gap: 2rem; align-items: flex-start; }
.issuer { text-align: right; font-size: .92rem; }
.issuer div + div { margin-top: .2rem; }
.issuer .name { font-weight: 700; font-size: 1rem; }
.issuer .label { color: #56616b; }
@media print {
  @page { margin: 16mm 14mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; color: #000; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
""".strip()


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _issuer_block(issuer: tuple[tuple[str, str], ...], w: dict[str, str]) -> list[str]:
    """Who bills, from the config's [issuer] table; nothing when it is not set."""
    if not issuer:
        return []
    parts = [f'<div class="issuer" aria-label="{_e(w["from"])}">']
    for key, text in issuer:
        if key == "name":
            parts.append(f'<div class="name">{_e(text)}</div>')
        elif key in ("tax_id", "payment"):
            parts.append(f'<div><span class="label">{_e(w[key])}:</span> {_e(text)}</div>')
        else:
            parts.append("<div>" + "<br>".join(_e(line) for line in text.split("\n")) + "</div>")
    parts.append("</div>")
    return parts


def to_html(doc: InvoiceDoc, issuer: tuple[tuple[str, str], ...] = ()) -> str:
    """`issuer`: the config's [issuer] lines, shown at the top right."""
    lang = language_for(None, doc.language)
    w = WORDS.get(lang.code, WORDS["en"])

    def money(value) -> str:
        return format_money(value, doc.currency, str(lang.locale))

    rows = []
    for line in doc.lines:
        work = _e(line.task or w["no_task"])
        if line.project:
            work += f'<div class="project">{_e(line.project)}</div>'
        rows.append(
            "<tr>"
            f"<td>{_e(lang.short_date(line.day))}</td><td>{work}</td><td>{_e(line.note)}</td>"
            f'<td class="num">{_e(lang.number(line.minutes / 60, 2))}</td>'
            f'<td class="num">{_e(w["per_hour"].format(amount=money(line.rate)))}</td>'
            f'<td class="num">{_e(money(line.amount))}</td>'
            "</tr>"
        )
    title = f"{w['title']} · {doc.client}"
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang.code)}">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)} · {_e(doc.reference)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        "<div>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="ref">{_e(w["invoice"].format(ref=doc.reference))}</p>',
        '<table class="facts">',
        f"<tr><th>{_e(w['client'])}</th><td>{_e(doc.client)}</td></tr>",
        f"<tr><th>{_e(w['period'])}</th><td>{_e(lang.date_range(doc.period_start, doc.period_end))}</td></tr>",
        f"<tr><th>{_e(w['issued'])}</th><td>{_e(lang.date(doc.issued_on))}</td></tr>",
        "</table>",
        "</div>",
        *_issuer_block(issuer, w),
        "</header>",
        '<table class="lines">',
        "<thead><tr>"
        f"<th>{_e(w['date'])}</th><th>{_e(w['work'])}</th><th>{_e(w['note'])}</th>"
        f'<th class="num">{_e(w["hours"])}</th><th class="num">{_e(w["rate"])}</th>'
        f'<th class="num">{_e(w["amount"])}</th>'
        "</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "<tfoot><tr>"
        f'<td colspan="3">{_e(w["total"])}</td>'
        f'<td class="num">{_e(lang.number(doc.total_minutes / 60, 2))}</td><td></td>'
        f'<td class="num">{_e(money(doc.total))}</td>'
        "</tr></tfoot>",
        "</table>",
        "</body>",
        "</html>",
        "",
    ])


CSV_COLUMNS = ("reference", "client", "date", "project", "task", "note", "minutes", "hours", "rate", "currency", "amount")


def to_csv(doc: InvoiceDoc) -> str:
    """One row per entry, numbers with a dot and no grouping; the total is their sum."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in doc.lines:
        writer.writerow([doc.reference, doc.client, line.day.to_date_string(), line.project or "", line.task or "",
                         line.note, line.minutes, f"{line.minutes / 60:.2f}", f"{line.rate:g}", doc.currency,
                         str(line.amount)])
    return out.getvalue()


def render_invoice(doc: InvoiceDoc, fmt: str, issuer: tuple[tuple[str, str], ...] = ()) -> str:
    return to_html(doc, issuer) if fmt == "html" else to_csv(doc)


__all__ = ["CSV_COLUMNS", "render_invoice", "to_csv", "to_html"]
