"""The weekly report: its facts, its languages, its escaping, its week boundaries.

Today is Monday 2026-11-23 (conftest); most reports are on the week before,
ISO week 47 (Monday 16 to Sunday 22 November 2026), so its report day is
Sunday 22 and the hours are counted up to the week's end.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pendulum
import pytest

from clientdesk import clock
from clientdesk.domain.changes import ChangeInput, approve_change, assess_change, create_change, reject_change
from clientdesk.domain.clients import ClientInput, create_client, create_project, log_interaction
from clientdesk.domain.errors import InputError, NotFound
from clientdesk.domain.report import weekly_report
from clientdesk.domain.tasks import TaskInput, create_task
from clientdesk.formats.i18n import SUPPORTED, TEXTS, language_for
from clientdesk.formats.report import md_text, render_report
from clientdesk.models import Milestone, Risk, Task, TimeBlock, TimeEntry

W46 = pendulum.date(2026, 11, 9)
W47 = pendulum.date(2026, 11, 16)
W48 = pendulum.date(2026, 11, 23)


def at(text: str, tz: str) -> pendulum.DateTime:
    """A wall-clock time in `tz`, as the UTC instant the database stores."""
    return pendulum.parse(text, tz=tz).in_timezone("UTC")


def plain(text: str) -> str:
    """Babel writes no-break and thin spaces (CLDR); compare with plain ones."""
    return re.sub("[\u00a0\u202f\u2009]", " ", text)


class _Html(HTMLParser):
    """Start tags and the text a browser would show (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self._in_head_text = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self._in_head_text = tag in ("style", "title")

    def handle_endtag(self, tag):
        self._in_head_text = False

    def handle_data(self, data):
        if not self._in_head_text:
            self.text.append(data)


def parse_html(source: str) -> _Html:
    parser = _Html()
    parser.feed(source)
    parser.close()
    return parser


def html_text(source: str) -> str:
    return plain(" ".join(" ".join(parse_html(source).text).split()))


def add_task(project_id: int, title: str, *, status: str = "todo", due=None, completed=None) -> int:
    task = create_task(TaskInput(title, project_id, status=status, due=due))
    if completed is not None:
        Task.update(completed=completed).where(Task.id == task.id).execute()
    return task.id


def log_time(client_id: int, start: pendulum.DateTime, minutes: int) -> None:
    TimeEntry.create(client=client_id, start=start, minutes=minutes)


def seed(language: str = "en", *, name: str = "Acme", tz: str = "Europe/Paris", project: str = "Website") -> int:
    """A client with one of everything the W47 report shows, and decoys around it."""
    client = create_client(
        ClientInput(name=name, language=language, timezone=tz, hourly_rate=90, budget_hours_month=40, weekly_target_hours=10)
    )
    p = create_project(client.id, project, deadline=pendulum.date(2026, 12, 15), budget_hours=120)

    add_task(p.id, "Hero copy", status="done", completed=at("2026-11-19T15:00", tz))
    add_task(p.id, "Old thing", status="done", completed=at("2026-11-13T10:00", tz))  # week 46
    add_task(p.id, "Logo", due=pendulum.date(2026, 11, 18))  # overdue by 4 days on Sunday 22
    launch = add_task(p.id, "Launch checklist", due=pendulum.date(2026, 11, 27))  # due next week
    add_task(p.id, "Next month task", due=pendulum.date(2026, 12, 5))  # week 49: not planned
    add_task(p.id, "Done before due", status="done", due=pendulum.date(2026, 11, 17), completed=at("2026-11-16T10:00", tz))

    TimeBlock.create(client=client.id, task=launch, start=at("2026-11-24T09:00", tz), end=at("2026-11-24T11:30", tz), kind="focus")
    TimeBlock.create(client=client.id, start=at("2026-11-20T09:00", tz), end=at("2026-11-20T10:00", tz), note="This week block")

    log_time(client.id, at("2026-11-17T09:00", tz), 450)  # 7.5 h
    log_time(client.id, at("2026-11-20T09:00", tz), 300)  # 5 h -> 12.5 h this week
    log_time(client.id, at("2026-11-03T09:00", tz), 1200)  # 20 h -> 32.5 h this month
    log_time(client.id, at("2026-10-30T09:00", tz), 60)  # October
    log_time(client.id, at("2026-11-23T09:00", tz), 120)  # after the week's end

    Milestone.create(project=p.id, name="Design approved", due=pendulum.date(2026, 11, 16), done_on=pendulum.date(2026, 11, 17))
    Milestone.create(project=p.id, name="Beta", due=pendulum.date(2026, 11, 20))
    Milestone.create(project=p.id, name="Go-live", due=pendulum.date(2026, 12, 15))
    Risk.create(project=p.id, title="Content late", likelihood=4, impact=3, mitigation="Weekly reminder")
    Risk.create(project=p.id, title="Old risk", likelihood=5, impact=5, status="closed")

    clock.set_today(pendulum.date(2026, 11, 10))
    old = create_change(ChangeInput(p.id, "Old request", received_on=pendulum.date(2026, 11, 9)))
    reject_change(old.id, "Not now")
    clock.set_today(pendulum.date(2026, 11, 20))
    blog = create_change(ChangeInput(p.id, "Add blog", received_on=pendulum.date(2026, 11, 16)))
    assess_change(blog.id, impact_hours=12, impact_days=5)
    approve_change(blog.id)
    english = create_change(ChangeInput(p.id, "English version", received_on=pendulum.date(2026, 11, 17)))
    reject_change(english.id, "Out of budget")
    create_change(ChangeInput(p.id, "Live chat", received_on=pendulum.date(2026, 11, 19)))
    clock.set_today(None)

    log_interaction(client.id, "decision", "Colours approved", on=pendulum.date(2026, 11, 18))
    log_interaction(client.id, "decision", "Older decision", on=pendulum.date(2026, 11, 10))
    log_interaction(client.id, "call", "Just a call", on=pendulum.date(2026, 11, 18))
    return client.id


# The facts ---------------------------------------------------------------


def test_the_facts_of_a_past_week(db):
    seed()
    r = weekly_report("Acme", W47)

    assert (r.iso_year, r.iso_week, r.week_start, r.week_end) == (2026, 47, W47, pendulum.date(2026, 11, 22))
    assert r.report_day == pendulum.date(2026, 11, 22)
    assert r.generated_on == pendulum.date(2026, 11, 23)
    assert [t.title for t in r.done] == ["Done before due", "Hero copy"]
    assert [(t.title, t.due, t.days_late) for t in r.overdue] == [("Logo", pendulum.date(2026, 11, 18), 4)]
    assert [t.title for t in r.planned_tasks] == ["Launch checklist"]
    assert [(b.task, b.hours) for b in r.planned_blocks] == [("Launch checklist", 2.5)]
    assert r.planned_hours_next_week == 2.5
    assert r.hours_week == 12.5
    assert r.hours_month == 32.5
    assert r.month_start == pendulum.date(2026, 11, 1)
    assert r.burn == pytest.approx(32.5 / 40)
    assert [(m.name, m.reached, m.late) for m in r.milestones] == [
        ("Design approved", True, False),
        ("Beta", False, True),
        ("Go-live", False, False),
    ]
    assert [(k.title, k.exposure) for k in r.risks] == [("Content late", 12)]
    changes = {c.change.title: (c.change.status, c.decided_this_week) for c in r.changes}
    assert changes == {
        "Add blog": ("approved", True),
        "English version": ("rejected", True),
        "Live chat": ("new", False),
    }
    assert [d.summary for d in r.decisions] == [
        "Colours approved",
        "Approved change request 'Add blog': +12h, +5d, cost 1,080.00",
        "Rejected change request 'English version': Out of budget",
    ]


def test_a_task_done_after_the_week_is_still_overdue_in_that_weeks_report(db):
    seed()
    late = Task.get(Task.title == "Logo")
    Task.update(status="done", completed=at("2026-11-23T08:00", "Europe/Paris")).where(Task.id == late.id).execute()

    assert [t.title for t in weekly_report("Acme", W47).overdue] == ["Logo"]
    assert weekly_report("Acme", W48).overdue == []
    assert "Logo" in [t.title for t in weekly_report("Acme", W48).done]


def test_the_default_week_is_todays_and_overdue_counts_from_today(db):
    seed()
    r = weekly_report("Acme")
    assert r.week_start == W48 and r.report_day == pendulum.date(2026, 11, 23)
    assert [(t.title, t.days_late) for t in r.overdue] == [("Logo", 5)]
    assert r.hours_week == 2  # Monday's entry
    assert r.hours_month == 34.5


def test_a_week_across_two_months_counts_the_month_of_the_report_day(db):
    cid = seed()
    clock.set_today(pendulum.date(2026, 12, 4))  # Friday of week 49 (30 Nov - 6 Dec)
    log_time(cid, at("2026-11-30T09:00", "Europe/Paris"), 180)
    log_time(cid, at("2026-12-02T09:00", "Europe/Paris"), 90)
    week49 = pendulum.date(2026, 11, 30)

    r = weekly_report("Acme", week49)
    assert r.report_day == pendulum.date(2026, 12, 4)
    assert r.month_start == pendulum.date(2026, 12, 1)
    assert r.hours_week == 4.5
    assert r.hours_month == 1.5
    assert [(t.title, t.days_late) for t in r.overdue if t.title == "Next month task"] == []

    add_task(Task.get(Task.title == "Logo").project_id, "Yesterday", due=pendulum.date(2026, 12, 3))
    out = plain(render_report("Acme", week49, lang="en"))
    assert "**Week 49 · Nov 30 – Dec 6, 2026**" in out
    assert "Logged this month (December 2026): **1.5 h**" in out
    assert "**Yesterday** · Website · due Dec 3, 2026 · 1 day late" in out


def test_a_week_still_to_come_has_no_hours_and_measures_overdue_from_today(db):
    seed()
    r = weekly_report("Acme", pendulum.date(2026, 12, 9))
    assert r.report_day == pendulum.date(2026, 11, 23)
    assert r.hours_week == 0 and r.done == []
    assert [t.title for t in r.overdue] == ["Logo"]


def test_unknown_client_is_not_found(db):
    seed()
    with pytest.raises(NotFound, match="^no such client: Nobody$"):
        render_report("Nobody")


# Languages ---------------------------------------------------------------

EXPECTED = {
    "en": [
        "# Weekly report: Acme",
        "**Week 47 · Nov 16 – 22, 2026**",
        "Generated on Nov 23, 2026",
        "## Hours",
        "- Logged this week: **12.5 h**",
        "- Logged this month (November 2026): **32.5 h**",
        "- Monthly budget: **40 h**",
        "- Budget used: **81%**",
        "- Time reserved next week: **2.5 h · weekly target 10 h**",
        "## Done this week",
        "- ✓ **Hero copy** · Website · completed Nov 19, 2026",
        "## Planned next week",
        "- ○ **Launch checklist** · Website · due Nov 27, 2026 · to do · Tue, Nov 24 9:00 AM–11:30 AM (2.5 h)",
        "## Overdue",
        "- ⚠ **Logo** · Website · due Nov 18, 2026 · 4 days late",
        "## Projects",
        "- **Website** · deadline Dec 20, 2026 · 3 of 7 tasks done · 0 h of 132 h budgeted",
        "## Milestones",
        "- ✓ **Design approved** · Website · reached Nov 17, 2026",
        "- ⚠ **Beta** · Website · planned for Nov 20, 2026 · late",
        "## Open risks",
        "- **Content late** · Website · likelihood 4 × impact 3 = 12",
        "  Mitigation: Weekly reminder",
        "## Change requests",
        "- **Add blog** · Website · approved · +12 h, +5 days, cost 1,080.00 · received Nov 16, 2026 · decided Nov 20, 2026",
        "  Decision: Out of budget",
        "## Decisions this week",
        "- **Nov 18, 2026** · Colours approved",
        "- **Nov 20, 2026** · Change request “Add blog” approved: +12 h, +5 days, cost 1,080.00",
        "- **Nov 20, 2026** · Change request “English version” declined: Out of budget",
    ],
    "fr": [
        "# Rapport hebdomadaire : Acme",
        "**Semaine 47 · 16–22 nov. 2026**",
        "Généré le 23 nov. 2026",
        "## Heures",
        "- Saisies cette semaine : **12,5 h**",
        "- Saisies ce mois-ci (novembre 2026) : **32,5 h**",
        "- Budget consommé : **81 %**",
        "## Terminé cette semaine",
        "- ✓ **Hero copy** · Website · terminé le 19 nov. 2026",
        "## Prévu la semaine prochaine",
        "- ○ **Launch checklist** · Website · échéance le 27 nov. 2026 · à faire · mar. 24 nov. 09:00–11:30 (2,5 h)",
        "## En retard",
        "## Projets",
        "- **Website** · échéance le 20 déc. 2026 · 3 tâches terminées sur 7 · 0 h sur 132 h prévues",
        "- ⚠ **Logo** · Website · échéance le 18 nov. 2026 · 4 jours de retard",
        "## Jalons",
        "## Risques ouverts",
        "probabilité 4 × impact 3 = 12",
        "## Demandes de changement",
        "acceptée · +12 h, +5 jours, coût 1 080,00",
        "## Décisions de la semaine",
        "Demande de changement « Add blog » acceptée : +12 h, +5 jours, coût 1 080,00",
        "Demande de changement « English version » refusée : Out of budget",
    ],
    "tr": [
        "# Haftalık rapor: Acme",
        "**47. Hafta · 16–22 Kas 2026**",
        "Oluşturulma tarihi: 23 Kas 2026",
        "## Saatler",
        "- Bu hafta kaydedilen: **12,5 sa**",
        "- Bu ay kaydedilen (Kasım 2026): **32,5 sa**",
        "- Kullanılan bütçe: **%81**",
        "## Bu hafta tamamlananlar",
        "tamamlandı: 19 Kas 2026",
        "## Gelecek hafta planlananlar",
        "## Gecikenler",
        "- ⚠ **Logo** · Website · son tarih: 18 Kas 2026 · 4 gün gecikmeli",
        "## Kilometre taşları",
        "## Açık riskler",
        "## Değişiklik talepleri",
        "onaylandı · +12 sa, +5 gün, maliyet 1.080,00",
        "## Bu haftaki kararlar",
        "“Add blog” değişiklik talebi onaylandı: +12 sa, +5 gün, maliyet 1.080,00",
        "“English version” değişiklik talebi reddedildi: Out of budget",
    ],
    "zh": [
        "# 每周报告：Acme",
        "**第47周 · 2026年11月16日 – 22日**",
        "生成日期：2026年11月23日",
        "## 工时",
        "- 本周记录工时：**12.5 小时**",
        "- 本月记录工时（2026年11月）：**32.5 小时**",
        "- 预算使用率：**81%**",
        "## 本周完成",
        "- ✓ **Hero copy** · Website · 完成于 2026年11月19日",
        "## 下周计划",
        "11月24日周二 09:00–11:30",
        "## 已逾期",
        "- ⚠ **Logo** · Website · 截止 2026年11月18日 · 逾期 4 天",
        "## 里程碑",
        "## 未关闭的风险",
        "## 变更请求",
        "已批准 · +12 小时，+5 天，成本 1,080.00",
        "## 本周决定",
        "已批准变更请求“Add blog”：+12 小时，+5 天，成本 1,080.00",
        "已拒绝变更请求“English version”：Out of budget",
    ],
}

ABSENT = ["time block", "créneau", "batch", "focus", "Approved change request", "Rejected change request", "Old thing", "Next month task", "Old risk", "Old request", "Older decision", "Just a call", "This week block"]


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_markdown_report_per_language(db, lang):
    seed()
    out = plain(render_report("Acme", W47, fmt="md", lang=lang))
    lines = out.splitlines()
    for expected in EXPECTED[lang]:
        if expected.startswith(("#", "**", "- ", "  ")):
            assert expected in lines, f"{lang}: missing line {expected!r}"
        else:
            assert expected in out, f"{lang}: missing {expected!r}"
    for decoy in ABSENT:
        assert decoy not in out


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_html_report_per_language(db, lang):
    seed()
    source = render_report("Acme", W47, fmt="html", lang=lang)
    text = html_text(source)
    assert f'<html lang="{"zh-Hans" if lang == "zh" else lang}">' in source
    for expected in EXPECTED[lang]:
        # The same words and figures, without the Markdown around them.
        words = re.sub(r"^(#+ |- (✓ |⚠ )?|\s+)", "", expected).replace("**", "")
        words = re.sub(r" : | ：|：|: ", " ", words)
        squeezed = re.sub(r" : | ：|：|: ", " ", text)
        assert words in squeezed, f"{lang}: missing {words!r}"
    for decoy in ABSENT:
        assert decoy not in text


def test_a_french_client_gets_french_by_default(db):
    seed("fr")
    out = plain(render_report("Acme", W47))
    assert "# Rapport hebdomadaire : Acme" in out
    assert "Semaine 47 · 16–22 nov. 2026" in out
    assert "Généré le 23 nov. 2026" in out
    assert "12,5 h" in out and "Done this week" not in out


def test_a_chinese_client_gets_chinese_by_default(db):
    seed("zh", tz="Asia/Shanghai")
    out = plain(render_report("Acme", W47, fmt="html"))
    text = html_text(out)
    assert "每周报告：Acme" in text
    assert "第47周 · 2026年11月16日 – 22日" in text
    assert "完成于 2026年11月19日" in text
    assert "11月" in text and "November" not in text


def test_lang_overrides_the_clients_language(db):
    seed("fr")
    out = render_report("Acme", W47, lang="en")
    assert "## Done this week" in out and "Semaine" not in out


def test_a_regional_tag_uses_its_language(db):
    seed("fr-CA")
    out = plain(render_report("Acme", W47))
    assert "## Terminé cette semaine" in out
    assert plain(render_report("Acme", W47, lang="zh_CN")).startswith("# 每周报告：Acme")


def test_an_unsupported_client_language_falls_back_to_english(db):
    seed("de")
    out = render_report("Acme", W47)
    assert "## Done this week" in out and "Nov 16 – 22" in plain(out)


def test_an_unsupported_lang_is_refused(db):
    seed()
    with pytest.raises(InputError, match=r"^unsupported language: xx \(en, fr, tr, zh\)$"):
        render_report("Acme", W47, lang="xx")
    with pytest.raises(InputError, match="unsupported language: de"):
        language_for("de", "fr")


def test_an_unknown_format_is_refused(db):
    seed()
    with pytest.raises(InputError, match="unknown report format: pdf"):
        render_report("Acme", W47, fmt="pdf")


def test_every_language_has_every_text():
    english = TEXTS["en"]
    assert SUPPORTED == ("en", "fr", "tr", "zh")
    for code, table in TEXTS.items():
        assert set(table) == set(english), code
        for key, value in english.items():
            if isinstance(value, dict) and "other" in value:
                assert "other" in table[key], (code, key)
            elif isinstance(value, dict):
                assert set(table[key]) == set(value), (code, key)


def test_an_empty_week_says_so(db):
    create_client(ClientInput(name="Quiet", language="fr"))
    out = plain(render_report("Quiet", W47))
    assert out.count("*Rien à signaler.*") == 9
    assert "- Budget mensuel : **pas de budget mensuel**" in out
    assert "Budget consommé" not in out
    text = html_text(render_report("Quiet", W47, fmt="html"))
    assert text.count("Rien à signaler.") == 9


# Escaping ----------------------------------------------------------------

EVIL = "<script>alert(1)</script>"
MARKUP = "[bold]x[/]"


def seed_evil() -> None:
    cid = seed(name=EVIL, project=MARKUP)
    p = Task.get(Task.title == "Logo").project_id
    add_task(p, "<img src=x onerror=alert(2)> & *stars* | _under_ `tick`", due=pendulum.date(2026, 11, 18))
    Risk.create(project=p, title=EVIL, mitigation="</li><script>alert(3)</script>")
    log_interaction(cid, "decision", "Line one\n# not a heading\n- not an item <b>x</b>", on=pendulum.date(2026, 11, 19))


def test_html_escapes_every_user_text(db):
    seed_evil()
    source = render_report(EVIL, W47, fmt="html")
    page = parse_html(source)

    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags
    assert set(page.tags) <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "section",
                              "table", "tr", "th", "td", "ul", "li", "span", "div"}
    assert not any(name.startswith("on") for name, _ in page.attrs)
    assert "<script" not in source.lower() and "<img" not in source.lower()
    text = " ".join(page.text)
    assert f"Weekly report: {EVIL}" in text
    assert MARKUP in text
    assert "<img src=x onerror=alert(2)> & *stars* | _under_ `tick`" in text
    assert "</li><script>alert(3)</script>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source


def test_html_is_one_self_contained_printable_file(db):
    seed()
    source = render_report("Acme", W47, fmt="html")
    assert source.startswith("<!DOCTYPE html>")
    assert source.count("<style>") == 1 and "@media print" in source
    assert '<meta charset="utf-8">' in source
    assert "default-src 'none'" in source  # no script, no fetch, even by mistake
    for outside in ("<link", "src=", "url(", "@import", "http:", "https:"):
        assert outside not in source
    # the burn bar is drawn from the figure, not from user text
    assert 'class="bar warn"' in source and 'style="width:81%"' in source


def _markdown_reading(source: str):
    """What an independent CommonMark reader (with GitHub's tables and
    strikethrough) makes of `source`: its block tokens and inline children."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(source)
    inline = [child for t in tokens if t.type == "inline" for child in t.children]
    return tokens, inline


def test_markdown_escapes_every_user_text(db):
    seed_evil()
    out = render_report(EVIL, W47, fmt="md")
    tokens, inline = _markdown_reading(out)
    kinds = {t.type for t in tokens} | {c.type for c in inline}
    # no tag, link, image, code, strikethrough, table or quote comes from user text
    assert not kinds & {"html_inline", "html_block", "link_open", "image", "code_inline", "s_open", "table_open",
                        "blockquote_open", "code_block", "fence"}
    assert {t.content for t in tokens if t.type == "inline" and t.map and t.map[0] == 0} == {f"Weekly report: {EVIL}".replace("<", "\\<")}
    text = "".join(c.content for c in inline if c.type == "text")
    assert EVIL in text and MARKUP in text
    assert "<img src=x onerror=alert(2)> & *stars* | _under_ `tick`" in text
    # a multi-line summary stays one list item
    assert "Line one # not a heading - not an item <b>x</b>" in text
    assert [t.markup for t in tokens if t.type == "heading_open"].count("#") == 1


TRICKY = [
    "Hudson & Pike Coffee", "America/New_York", "#admin", "snake_case_name", "__init__", "_under_", "*stars*",
    "a*b", "[bold]x[/]", "[link](http://x)", "![img](x)", "<script>", "<b>x</b>", "&amp; &#65;", "`tick`",
    "~~gone~~", "a | b", "> quoted", "- item", "+ item", "12. twelve", "3) three", "---", "===", "back\\slash \\*",
    "C #", "<https://example.com>", "100 % & more",
]


@pytest.mark.parametrize("text", TRICKY)
def test_markdown_shows_user_text_as_written_in_every_place(text):
    from clientdesk.formats.report import _md_heading

    for line in (f"# {_md_heading(text)}", f"- **{md_text(text)}** · {md_text(text)}", f"- x\n  {md_text(text, line_start=True)}",
                 md_text(text, line_start=True)):
        tokens, inline = _markdown_reading(line)
        shown = "".join(c.content for c in inline if c.type in ("text", "softbreak"))
        assert text in shown, (line, shown)
        assert not {c.type for c in inline} & {"html_inline", "link_open", "image", "code_inline", "s_open", "em_open"}


def test_markdown_escapes_only_where_markdown_would_misread():
    assert md_text("Hudson & Pike Coffee") == "Hudson & Pike Coffee"
    assert md_text("America/New_York") == "America/New_York"
    assert md_text("#admin · [draft] 50% <3 a > b") == "#admin · [draft] 50% <3 a > b"
    assert md_text("#admin", line_start=True) == "\\#admin"
    assert md_text("two\nlines\r\n  here") == "two lines here"


# Week boundaries in the client's time zone ---------------------------------


def _boundary_client(name: str, tz: str) -> None:
    """Tasks and entries on both sides of both ends of week 47, in `tz`'s wall clock."""
    client = create_client(ClientInput(name=name, timezone=tz, budget_hours_month=10))
    p = create_project(client.id, "Work")
    for title, wall, minutes in (
        ("before-start", "2026-11-15T23:30", 1),  # Sunday of week 46
        ("after-start", "2026-11-16T00:30", 2),  # Monday of week 47
        ("before-end", "2026-11-22T23:30", 4),  # Sunday of week 47
        ("after-end", "2026-11-23T00:30", 8),  # Monday of week 48
    ):
        instant = at(wall, tz)
        add_task(p.id, title, status="done", completed=instant)
        TimeEntry.create(client=client.id, start=instant, minutes=minutes * 60)


@pytest.mark.parametrize("tz", ["Asia/Shanghai", "America/New_York", "Europe/Paris", "Pacific/Kiritimati"])
def test_weeks_are_cut_in_the_clients_zone(db, tz):
    _boundary_client("Far", tz)
    w47, w48 = weekly_report("Far", W47), weekly_report("Far", W48)
    assert [t.title for t in w47.done] == ["after-start", "before-end"]
    assert [t.title for t in w48.done] == ["after-end"]
    assert w47.hours_week == 2 + 4
    assert w48.hours_week == 8
    assert weekly_report("Far", W46).hours_week == 1


def test_shanghai_sunday_night_is_that_week_though_paris_differs(db):
    """23:30 on Sunday in Shanghai is 16:30 in Paris; 00:30 on Monday in
    Shanghai is still Sunday 17:30 in Paris, yet it is the next week."""
    _boundary_client("Shanghai Co", "Asia/Shanghai")
    sunday_night = Task.get(Task.title == "before-end").completed
    monday_early = Task.get(Task.title == "after-end").completed
    assert sunday_night.in_timezone("Europe/Paris").format("ddd HH:mm") == "Sun 16:30"
    assert monday_early.in_timezone("Europe/Paris").format("ddd HH:mm") == "Sun 17:30"

    out = plain(render_report("Shanghai Co", W47, lang="en"))
    assert "**before-end** · Work · completed Nov 22, 2026" in out
    assert "after-end" not in out
    assert "- Logged this week: **6 h**" in out
    assert "after-end" in render_report("Shanghai Co", W48, lang="en")


def test_new_york_sunday_night_is_that_week_though_paris_reads_monday(db):
    _boundary_client("NY Co", "America/New_York")
    sunday_night = Task.get(Task.title == "before-end").completed
    assert sunday_night.in_timezone("Europe/Paris").format("ddd HH:mm") == "Mon 05:30"
    out = plain(render_report("NY Co", W47, lang="fr"))
    assert "**before-end** · Work · terminé le 22 nov. 2026" in out  # the client's date, not Paris's
    assert "after-end" not in out


def test_next_weeks_blocks_are_cut_and_shown_in_the_clients_zone(db):
    client = create_client(ClientInput(name="Tokyo", timezone="Asia/Tokyo"))
    # Monday 23 Nov 08:00 in Tokyo is still Sunday 22 in Paris and in UTC.
    TimeBlock.create(client=client.id, start=at("2026-11-23T08:00", "Asia/Tokyo"), end=at("2026-11-23T09:30", "Asia/Tokyo"), note="Kick-off")
    TimeBlock.create(client=client.id, start=at("2026-11-30T08:00", "Asia/Tokyo"), end=at("2026-11-30T09:00", "Asia/Tokyo"), note="Too late")
    r = weekly_report("Tokyo", W47)
    assert [(b.note, b.start.format("YYYY-MM-DD HH:mm")) for b in r.planned_blocks] == [("Kick-off", "2026-11-23 08:00")]
    assert "**Kick-off** · Mon, Nov 23 8:00 AM–9:30 AM (1.5 h)" in plain(render_report("Tokyo", W47))


# What a client reads about the week -----------------------------------------


def test_a_done_task_imported_without_a_completion_time_is_never_late(db):
    from clientdesk.domain.interchange import import_data
    from clientdesk.domain.status import client_statuses

    import_data({"version": 1, "clients": [{"name": "Acme", "timezone": "Europe/Paris", "projects": [{"name": "Site", "tasks": [
        {"title": "Old launch checklist", "status": "done", "due": "2026-11-02"},
        {"title": "Older one", "status": "done", "due": "2026-10-20"},
    ]}]}]})
    assert Task.get(Task.title == "Old launch checklist").completed is None  # not the import's day

    week45 = weekly_report("Acme", pendulum.date(2026, 11, 2))
    assert week45.overdue == [] and week45.this_week == []
    assert [(t.title, t.completed) for t in week45.done] == [("Old launch checklist", None)]
    out = plain(render_report("Acme", pendulum.date(2026, 11, 2), lang="en"))
    assert "- ✓ **Old launch checklist** · Site · done, date unknown" in out.splitlines()
    assert "late" not in out
    assert weekly_report("Acme", W47).done == []  # its week is the week it was due, not the import's
    [status] = client_statuses()
    assert (status.open, status.overdue) == (0, 0)


def test_this_week_lists_what_is_due_in_progress_or_in_review_each_once(db):
    cid = seed()
    p = Task.get(Task.title == "Logo").project_id
    add_task(p, "Wireframes", status="doing")
    add_task(p, "Copy review", status="review", due=pendulum.date(2026, 11, 25))
    add_task(p, "Due Friday", due=pendulum.date(2026, 11, 27))
    add_task(p, "Late and doing", status="doing", due=pendulum.date(2026, 11, 20))
    add_task(p, "Due next week", due=pendulum.date(2026, 12, 2))
    r = weekly_report("Acme")  # Monday 23 November, week 48

    assert [(t.title, t.status) for t in r.this_week] == [
        ("Wireframes", "doing"), ("Copy review", "review"), ("Launch checklist", "todo"), ("Due Friday", "todo"),
    ]
    assert "Late and doing" in [t.title for t in r.overdue]  # listed once, as overdue
    lines = plain(render_report("Acme", lang="en")).splitlines()
    section = lines[lines.index("## This week") + 2: lines.index("## Done this week") - 1]
    assert section == [
        "- ○ **Wireframes** · Website · in progress",
        "- ○ **Copy review** · Website · due Nov 25, 2026 · in review",
        "- ○ **Launch checklist** · Website · due Nov 27, 2026 · to do",
        "- ○ **Due Friday** · Website · due Nov 27, 2026 · to do",
    ]
    assert cid


def test_the_projects_section_shows_deadline_tasks_done_and_hours_against_budget(db):
    cid = seed()
    hero = Task.get(Task.title == "Hero copy")
    TimeEntry.create(client=cid, task=hero.id, start=at("2026-11-19T10:00", "Europe/Paris"), minutes=90)
    TimeEntry.create(client=cid, task=hero.id, start=at("2026-11-25T10:00", "Europe/Paris"), minutes=600)  # after W47
    extra = create_project(cid, "Brand refresh")
    add_task(extra.id, "Moodboard")
    closed = create_project(cid, "Archived site")
    from clientdesk.models import Project
    Project.update(status="done").where(Project.id == closed.id).execute()

    r = weekly_report("Acme", W47)
    assert [(p.name, p.tasks_done, p.tasks_total, p.hours_logged, p.budget_hours) for p in r.projects] == [
        ("Website", 3, 7, 1.5, 132), ("Brand refresh", 0, 1, 0, None),
    ]
    lines = plain(render_report("Acme", W47, lang="en")).splitlines()
    assert "- **Website** · deadline Dec 20, 2026 · 3 of 7 tasks done · 1.5 h of 132 h budgeted" in lines
    assert "- **Brand refresh** · no deadline · 0 of 1 tasks done · 0 h logged" in lines
    assert not any("Archived site" in line for line in lines)


def test_planned_next_week_lists_a_task_once_with_its_reserved_time(db):
    cid = seed()
    launch = Task.get(Task.title == "Launch checklist")
    TimeBlock.create(client=cid, task=launch.id, start=at("2026-11-26T14:00", "Europe/Paris"), end=at("2026-11-26T15:00", "Europe/Paris"), kind="batch")
    later = Task.get(Task.title == "Next month task")  # due in week 49, but time reserved in week 48
    TimeBlock.create(client=cid, task=later.id, start=at("2026-11-25T09:00", "Europe/Paris"), end=at("2026-11-25T10:00", "Europe/Paris"), kind="batch")
    TimeBlock.create(client=cid, start=at("2026-11-27T16:00", "Europe/Paris"), end=at("2026-11-27T16:30", "Europe/Paris"), kind="meeting")

    lines = plain(render_report("Acme", W47, lang="en")).splitlines()
    section = lines[lines.index("## Planned next week") + 2: lines.index("## Overdue") - 1]
    assert section == [
        "- ○ **Launch checklist** · Website · due Nov 27, 2026 · to do · Tue, Nov 24 9:00 AM–11:30 AM (2.5 h)"
        " · Thu, Nov 26 2:00 PM–3:00 PM (1 h)",
        "- **Next month task** · Website · Wed, Nov 25 9:00 AM–10:00 AM (1 h)",
        "- **Meeting** · Fri, Nov 27 4:00 PM–4:30 PM (0.5 h)",
    ]
    assert "batch" not in " ".join(lines) and "time block" not in " ".join(lines)
