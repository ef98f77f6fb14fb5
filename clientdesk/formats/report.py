"""The weekly status report as Markdown or as one self-contained HTML file.

`render_report` gathers the facts (clientdesk.domain.report), lays them out
once as a small document (sections of facts and items, every string already
in the report's language), and writes that document as Markdown or HTML.
Both writers treat every string as text: Markdown backslash-escapes the
characters that would start markup, HTML escapes everything, so a client or
a task called `<script>` or `[bold]x[/]` is printed as it is written.

The HTML file needs nothing else: inline CSS with a print style, no script,
no external resource (its Content-Security-Policy forbids both).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pendulum

from clientdesk.domain.errors import InputError
from clientdesk.domain.report import ReportBlock, ReportDecision, ReportTask, WeeklyReport, weekly_report
from clientdesk.formats.i18n import Lang, language_for

FORMATS = ("md", "html")


# The document --------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    bar: float | None = None  # a fraction to draw as a bar (HTML)


@dataclass(frozen=True)
class Item:
    title: str
    details: tuple[str, ...] = ()
    note: str = ""
    mark: str = ""  # "done", "late", "open" or ""


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    facts: tuple[Fact, ...] = ()
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Document:
    lang: str  # BCP 47 tag for <html lang>
    title: str
    week: str
    meta: tuple[str, ...]
    sections: tuple[Section, ...]
    empty: str
    colon: str = ": "


def _lang_tag(lang: Lang) -> str:
    return "zh-Hans" if lang.code == "zh" else lang.code


def _hours_section(r: WeeklyReport, lang: Lang) -> Section:
    facts = [
        Fact(lang.t("hours_week"), lang.hours(r.hours_week)),
        Fact(lang.t("hours_month", month=lang.month(r.month_start)), lang.hours(r.hours_month)),
    ]
    if r.budget_hours_month:
        facts.append(Fact(lang.t("budget_month"), lang.hours(r.budget_hours_month)))
        facts.append(Fact(lang.t("burn"), lang.percent(r.burn or 0), bar=r.burn or 0))
    else:
        facts.append(Fact(lang.t("budget_month"), lang.t("no_budget")))
    blocked = lang.hours(r.planned_hours_next_week)
    if r.weekly_target_hours:
        blocked += " · " + lang.t("target", hours=lang.hours(r.weekly_target_hours))
    facts.append(Fact(lang.t("blocked_next"), blocked))
    return Section("hours", lang.t("hours"), facts=tuple(facts))


def _task_status(lang: Lang, status: str) -> str:
    return lang.choice("task_status", status)



def _impact(lang: Lang, hours: float, days: int | None, cost: float | None) -> str:
    """"+8 h, +2 days, cost 960.00" in the report's language."""
    impact = [lang.t("impact_hours", hours=lang.hours(hours))]
    if days:
        impact.append(lang.plural("impact_days", days))
    if cost is not None:
        impact.append(lang.t("cost", amount=lang.amount(cost)))
    return lang.t("list_sep").join(impact)


def _decision_text(d: ReportDecision, lang: Lang) -> str:
    """A decision the app wrote, in the report's language; one written by hand as it is."""
    decision = d.decision
    if decision is None:
        return d.summary
    if decision.verdict == "rejected":
        return lang.t("decision_rejected", title=decision.title, reason=decision.reason)
    return lang.t("decision_approved", title=decision.title,
                  impact=_impact(lang, decision.impact_hours or 0, decision.impact_days, decision.cost))


def _task_item(t: ReportTask, lang: Lang, *extra: str) -> Item:
    """An open task: its project, due date and status, then `extra`."""
    details = [t.project]
    if t.due is not None:
        details.append(lang.t("due_on", date=lang.short_date(t.due)))
    details.append(_task_status(lang, t.status))
    return Item(t.title, tuple(details) + extra, mark="open")


def _planned_items(r: WeeklyReport, lang: Lang) -> list[Item]:
    """Next week's tasks and time, each task once: a task's reserved time is
    listed on the task's own line rather than again as a line of its own."""
    def when(b: ReportBlock) -> str:
        return f"{lang.weekday_date(b.start.date())} {lang.time(b.start.time())}–{lang.time(b.end.time())} ({lang.hours(b.hours)})"

    by_task: dict[int, list[ReportBlock]] = {}
    loose: list[ReportBlock] = []
    for b in r.planned_blocks:
        (by_task.setdefault(b.task_id, []) if b.task_id is not None else loose).append(b)
    items = [_task_item(t, lang, *(when(b) for b in by_task.pop(t.id, []))) for t in r.planned_tasks]
    for blocks in by_task.values():
        first = blocks[0]
        details = [d for d in (first.project,) if d] + [when(b) for b in blocks]
        notes = [b.note for b in blocks if b.note]
        items.append(Item(first.task or "", tuple(details), note=" · ".join(notes)))
    for b in loose:
        title = b.note or lang.choice("block_title", b.kind)
        items.append(Item(title, tuple(d for d in (b.project,) if d) + (when(b),)))
    return items


def _project_items(r: WeeklyReport, lang: Lang) -> tuple[Item, ...]:
    items = []
    for p in r.projects:
        deadline = lang.t("deadline", date=lang.short_date(p.deadline)) if p.deadline else lang.t("no_deadline")
        details = [deadline, lang.t("tasks_done", done=lang.integer(p.tasks_done), total=lang.integer(p.tasks_total))]
        if p.budget_hours:
            details.append(lang.t("hours_budget", hours=lang.hours(p.hours_logged), budget=lang.hours(p.budget_hours)))
        else:
            details.append(lang.t("hours_logged", hours=lang.hours(p.hours_logged)))
        late = p.deadline is not None and p.deadline < r.report_day and p.tasks_done < p.tasks_total
        items.append(Item(p.name, tuple(details), mark="late" if late else ""))
    return tuple(items)


def build_document(r: WeeklyReport, lang: Lang) -> Document:
    """The report laid out in `lang`: headings, facts and items, all text."""
    done = tuple(
        Item(t.title, (t.project, lang.t("completed_on", date=lang.short_date(t.completed.date()))
                       if t.completed is not None else lang.t("done_undated")), mark="done")
        for t in r.done
    )
    this_week = tuple(_task_item(t, lang) for t in r.this_week)
    planned = _planned_items(r, lang)

    overdue = tuple(
        Item(
            t.title,
            (t.project, lang.t("due_on", date=lang.short_date(t.due)), lang.plural("late_days", t.days_late or 0)),
            mark="late",
        )
        for t in r.overdue
    )

    stones = []
    for m in r.milestones:
        if m.reached:
            state, mark = lang.t("milestone_done", date=lang.short_date(m.done_on)), "done"
        elif m.due is not None:
            state, mark = lang.t("milestone_due", date=lang.short_date(m.due)), "late" if m.late else "open"
        else:
            state, mark = lang.t("milestone_nodate"), "open"
        details = (m.project, state) + ((lang.t("late"),) if m.late else ())
        stones.append(Item(m.name, details, mark=mark))

    risk_items = tuple(
        Item(
            k.title,
            (k.project, lang.t("exposure", likelihood=k.likelihood, impact=k.impact, exposure=k.exposure)),
            note=lang.t("mitigation", text=k.mitigation) if k.mitigation.strip() else "",
        )
        for k in r.risks
    )

    change_items = []
    for rc in r.changes:
        c = rc.change
        details = [c.project, lang.choice("change_status", c.status)]
        if c.impact_hours is None:
            details.append(lang.t("not_assessed"))
        else:
            details.append(_impact(lang, c.impact_hours, c.impact_days, c.impact_cost))
        details.append(lang.t("received_on", date=lang.short_date(c.received_on)))
        if c.decided_on is not None:
            details.append(lang.t("decided_on", date=lang.short_date(c.decided_on)))
        note = lang.t("decision", text=c.decision_note) if c.decision_note.strip() else ""
        change_items.append(Item(c.title, tuple(details), note=note))

    decisions = tuple(Item(lang.short_date(d.on), (_decision_text(d, lang),)) for d in r.decisions)

    sections = (
        _hours_section(r, lang),
        Section("this-week", lang.t("this_week"), items=this_week),
        Section("done", lang.t("done"), items=done),
        Section("planned", lang.t("planned"), items=tuple(planned)),
        Section("overdue", lang.t("overdue"), items=overdue),
        Section("projects", lang.t("projects"), items=_project_items(r, lang)),
        Section("milestones", lang.t("milestones"), items=tuple(stones)),
        Section("risks", lang.t("risks"), items=risk_items),
        Section("changes", lang.t("changes"), items=tuple(change_items)),
        Section("decisions", lang.t("decisions"), items=decisions),
    )
    return Document(
        lang=_lang_tag(lang),
        title=lang.t("title", client=r.client),
        week=lang.week_label(r.iso_week, r.week_start, r.week_end),
        meta=(lang.t("generated", date=lang.short_date(r.generated_on)), lang.t("timezone", zone=r.timezone)),
        sections=sections,
        empty=lang.t("nothing"),
        colon=lang.t("colon"),
    )


# Markdown ----------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_MARKS = {"done": "✓ ", "late": "⚠ ", "open": "○ "}
# What CommonMark (and GitHub's tables, strikethrough) would read as markup
# inside a line, and only there: a backslash before punctuation, a backtick,
# an asterisk or tilde, an underscore at a word's edge (one inside a word,
# "New_York", is text), "&" that spells an entity, "<" that opens a tag or an
# autolink, and "]" that closes a link or image text ("](" or "][").
_MD_INLINE = re.compile(
    r"""\\(?=[!-/:-@\[-`{-~])"""
    r"""|[`*~]"""
    r"""|(?<![^\W_])_|_(?![^\W_])"""
    r"""|&(?=#?\w+;)"""
    r"""|<(?=[A-Za-z/!?])"""
    r"""|\](?=[(\[])"""
)
# A line's first characters that would start a block: a heading, a quote, a
# list item ("- ", "+ ", "1. ", "1) "), a thematic break or a table's pipe.
_MD_LINE_START = re.compile(r"^(?:[#>|+=-]|\d+(?=[.)]))")


def md_text(text: str, *, line_start: bool = False) -> str:
    """User or translated text as inline Markdown that shows exactly that text,
    on one line. Only what Markdown would misread at that place is escaped, so
    "Hudson & Pike", "America/New_York" and "#admin" read as they are written
    when the report is pasted into an email. `line_start` when the text opens
    a line (where "#", ">", "- " or "1." would start a block)."""
    out = _MD_INLINE.sub(lambda m: "\\" + m.group(0), _SPACES.sub(" ", str(text)).strip())
    if line_start:
        out = _MD_LINE_START.sub(lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), out)
    return out


def _md_heading(text: str) -> str:
    """Heading text; a closing run of "#" after a space would be dropped as the heading's end."""
    out = md_text(text)
    return re.sub(r"(\s)(#+)$", lambda m: m.group(1) + "\\" + m.group(2), out)


def to_markdown(doc: Document) -> str:
    out = [f"# {_md_heading(doc.title)}", "", f"**{md_text(doc.week)}**", "", md_text(" · ".join(doc.meta), line_start=True), ""]
    for s in doc.sections:
        out += [f"## {_md_heading(s.heading)}", ""]
        for f in s.facts:
            out.append(f"- {md_text(f.label)}{doc.colon}**{md_text(f.value)}**")
        for it in s.items:
            line = f"- {_MARKS.get(it.mark, '')}**{md_text(it.title)}**"
            if it.details:
                line += " · " + " · ".join(md_text(d) for d in it.details)
            out.append(line)
            if it.note:
                out.append(f"  {md_text(it.note, line_start=True)}")
        if not s.facts and not s.items:
            out.append(f"*{md_text(doc.empty)}*")
        out.append("")
    return "\n".join(out)


# HTML --------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC",
       "PingFang SC", "Microsoft YaHei", sans-serif; color: #1d232a; background: #fff;
       max-width: 52rem; margin: 2rem auto; padding: 0 1.25rem; }
header { border-bottom: 2px solid #1d232a; padding-bottom: .75rem; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .25rem; overflow-wrap: anywhere; }
.week { font-size: 1.1rem; font-weight: 600; margin: 0; }
.meta { color: #56616b; font-size: .9rem; margin: .25rem 0 0; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid #d5dbe0; }
table.facts { border-collapse: collapse; }
table.facts th { text-align: left; font-weight: normal; color: #56616b; padding: .2rem 1.5rem .2rem 0; }
table.facts td { font-weight: 600; padding: .2rem 0; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; vertical-align: middle; width: 10rem; height: .55rem; margin-left: .75rem;
       background: #e3e8ec; border-radius: .3rem; overflow: hidden; }
.bar > span { display: block; height: 100%; background: #2f6feb; }
.bar.warn > span { background: #c77700; }
.bar.over > span { background: #b42318; }
ul.items { list-style: none; margin: 0; padding: 0; }
ul.items li { padding: .35rem 0 .35rem 1.4rem; border-bottom: 1px solid #eef1f3; position: relative;
              overflow-wrap: anywhere; }
.mark { position: absolute; left: 0; width: 1.2rem; text-align: center; }
li.done .mark { color: #1a7f37; }
li.late .mark { color: #b42318; }
li.open .mark { color: #56616b; }
.title { font-weight: 600; }
.detail { color: #56616b; }
.note { color: #1d232a; font-size: .92rem; margin-top: .1rem; }
.empty { color: #56616b; font-style: italic; margin: 0; }
@media print {
  @page { margin: 16mm 14mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; color: #000; }
  header { border-bottom-color: #000; }
  h2 { break-after: avoid; page-break-after: avoid; }
  li, tr { break-inside: avoid; page-break-inside: avoid; }
  .detail, .meta, table.facts th { color: #333; }
  .bar, .bar > span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .bar { border: 1px solid #888; }
}
""".strip()

_MARK_SYMBOL = {"done": "✓", "late": "!", "open": "○"}


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _bar(fraction: float) -> str:
    width = max(0.0, min(1.0, fraction)) * 100
    level = "over" if fraction > 1 else "warn" if fraction > 0.8 else ""
    cls = f"bar {level}".strip()
    return f'<span class="{cls}" aria-hidden="true"><span style="width:{width:.0f}%"></span></span>'


def to_html(doc: Document) -> str:
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(doc.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(doc.title)} · {_e(doc.week)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(doc.title)}</h1>",
        f'<p class="week">{_e(doc.week)}</p>',
        f'<p class="meta">{" · ".join(_e(m) for m in doc.meta)}</p>',
        "</header>",
    ]
    for s in doc.sections:
        out.append(f'<section class="{_e(s.key)}">')
        out.append(f"<h2>{_e(s.heading)}</h2>")
        if s.facts:
            out.append('<table class="facts">')
            for f in s.facts:
                bar = _bar(f.bar) if f.bar is not None else ""
                out.append(f'<tr><th scope="row">{_e(f.label)}</th><td>{_e(f.value)}{bar}</td></tr>')
            out.append("</table>")
        if s.items:
            out.append('<ul class="items">')
            for it in s.items:
                cls = f' class="{_e(it.mark)}"' if it.mark else ""
                mark = f'<span class="mark" aria-hidden="true">{_MARK_SYMBOL[it.mark]}</span>' if it.mark else ""
                details = "".join(f'<span class="detail"> · {_e(d)}</span>' for d in it.details)
                note = f'<div class="note">{_e(it.note)}</div>' if it.note else ""
                out.append(f'<li{cls}>{mark}<span class="title">{_e(it.title)}</span>{details}{note}</li>')
            out.append("</ul>")
        if not s.facts and not s.items:
            out.append(f'<p class="empty">{_e(doc.empty)}</p>')
        out.append("</section>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# Entry point ---------------------------------------------------------------


def render(report: WeeklyReport, fmt: str = "md", lang: Lang | None = None) -> str:
    """A gathered report as Markdown or HTML, in `lang` (default: the client's)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown report format: {fmt} ({', '.join(FORMATS)})")
    doc = build_document(report, lang or language_for(None, report.language))
    return to_html(doc) if fmt == "html" else to_markdown(doc)


def render_report(client_name: str, week: pendulum.Date | None = None, fmt: str = "md", lang: str | None = None) -> str:
    """`clientdesk report`: the week holding `week` (default: today's) for one
    client, in `lang` or else the client's language (English if unsupported).

    Raises InputError for an unknown format or an unsupported `lang`, and
    NotFound for an unknown client.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown report format: {fmt} ({', '.join(FORMATS)})")
    chosen = language_for(lang, None) if lang is not None else None
    report = weekly_report(client_name, week)
    return render(report, fmt, chosen)


__all__ = ["Document", "FORMATS", "build_document", "md_text", "render", "render_report", "to_html", "to_markdown"]
