"""The report's words in each supported language, and its dates and numbers
in that language's locale (Babel: CLDR data, so "23 novembre 2026",
"2026年11月23日", "12,5", "85 %" come out right without hand-written rules).

Supported: English, French, Turkish, Chinese (Simplified). A client whose
stored language is something else gets English; asking for an unsupported
language explicitly (`--lang`) is an InputError naming the ones there are.
A regional tag ("fr-CA", "zh_Hans_CN") uses its language's words and, when
Babel knows the region, that region's formats.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.numbers import format_decimal, format_percent

from clientdesk.domain.errors import InputError

DEFAULT = "en"

# Plain strings use str.format fields; a dict holds CLDR plural forms
# ("one", "other", ...) chosen by Babel's plural rule for the count `n`.
TEXTS: dict[str, dict[str, object]] = {
    "en": {
        "title": "Weekly report: {client}",
        "colon": ": ",
        "list_sep": ", ",
        "week": "Week {n}",
        "generated": "Generated on {date}",
        "timezone": "Time zone: {zone}",
        "hours": "Hours",
        "hours_week": "Logged this week",
        "hours_month": "Logged this month ({month})",
        "budget_month": "Monthly budget",
        "burn": "Budget used",
        "no_budget": "no monthly budget set",
        "blocked_next": "Time reserved next week",
        "target": "weekly target {hours}",
        "hours_value": "{n} h",
        "done": "Done this week",
        "planned": "Planned next week",
        "overdue": "Overdue",
        "milestones": "Milestones",
        "risks": "Open risks",
        "changes": "Change requests",
        "decisions": "Decisions this week",
        "nothing": "Nothing to report.",
        "completed_on": "completed {date}",
        "due_on": "due {date}",
        "late_days": {"one": "{n} day late", "other": "{n} days late"},
        "milestone_done": "reached {date}",
        "milestone_due": "planned for {date}",
        "milestone_nodate": "no date set",
        "late": "late",
        "exposure": "likelihood {likelihood} × impact {impact} = {exposure}",
        "mitigation": "Mitigation: {text}",
        "impact_hours": "+{hours}",
        "impact_days": {"one": "+{n} day", "other": "+{n} days"},
        "cost": "cost {amount}",
        "not_assessed": "impact not assessed yet",
        "received_on": "received {date}",
        "decided_on": "decided {date}",
        "decision": "Decision: {text}",
        "decision_approved": "Change request “{title}” approved: {impact}",
        "decision_rejected": "Change request “{title}” declined: {reason}",
        "task_status": {"backlog": "backlog", "todo": "to do", "doing": "in progress", "review": "in review", "done": "done"},
        "change_status": {"new": "new", "assessing": "being assessed", "approved": "approved", "rejected": "rejected", "done": "delivered"},
        "this_week": "This week",
        "projects": "Projects",
        "done_undated": "done, date unknown",
        "deadline": "deadline {date}",
        "no_deadline": "no deadline",
        "tasks_done": {"one": "{n} of {total} tasks done", "other": "{n} of {total} tasks done"},
        "hours_budget": "{hours} of {budget} budgeted",
        "hours_logged": "{hours} logged",
        "block_title": {"focus": "Work session", "batch": "Work session", "meeting": "Meeting", "buffer": "Reserved time"},
    },
    "fr": {
        "title": "Rapport hebdomadaire : {client}",
        "colon": " : ",
        "list_sep": ", ",
        "week": "Semaine {n}",
        "generated": "Généré le {date}",
        "timezone": "Fuseau horaire : {zone}",
        "hours": "Heures",
        "hours_week": "Saisies cette semaine",
        "hours_month": "Saisies ce mois-ci ({month})",
        "budget_month": "Budget mensuel",
        "burn": "Budget consommé",
        "no_budget": "pas de budget mensuel",
        "blocked_next": "Temps réservé la semaine prochaine",
        "target": "objectif hebdomadaire {hours}",
        "hours_value": "{n} h",
        "done": "Terminé cette semaine",
        "planned": "Prévu la semaine prochaine",
        "overdue": "En retard",
        "milestones": "Jalons",
        "risks": "Risques ouverts",
        "changes": "Demandes de changement",
        "decisions": "Décisions de la semaine",
        "nothing": "Rien à signaler.",
        "completed_on": "terminé le {date}",
        "due_on": "échéance le {date}",
        "late_days": {"one": "{n} jour de retard", "other": "{n} jours de retard"},
        "milestone_done": "atteint le {date}",
        "milestone_due": "prévu le {date}",
        "milestone_nodate": "sans date",
        "late": "en retard",
        "exposure": "probabilité {likelihood} × impact {impact} = {exposure}",
        "mitigation": "Atténuation : {text}",
        "impact_hours": "+{hours}",
        "impact_days": {"one": "+{n} jour", "other": "+{n} jours"},
        "cost": "coût {amount}",
        "not_assessed": "impact pas encore évalué",
        "received_on": "reçue le {date}",
        "decided_on": "décidée le {date}",
        "decision": "Décision : {text}",
        "decision_approved": "Demande de changement « {title} » acceptée : {impact}",
        "decision_rejected": "Demande de changement « {title} » refusée : {reason}",
        "task_status": {"backlog": "en réserve", "todo": "à faire", "doing": "en cours", "review": "en revue", "done": "terminé"},
        "change_status": {"new": "nouvelle", "assessing": "en évaluation", "approved": "acceptée", "rejected": "refusée", "done": "livrée"},
        "this_week": "Cette semaine",
        "projects": "Projets",
        "done_undated": "terminé, date inconnue",
        "deadline": "échéance le {date}",
        "no_deadline": "sans échéance",
        "tasks_done": {"one": "{n} tâche terminée sur {total}", "other": "{n} tâches terminées sur {total}"},
        "hours_budget": "{hours} sur {budget} prévues",
        "hours_logged": "{hours} saisies",
        "block_title": {"focus": "Séance de travail", "batch": "Séance de travail", "meeting": "Réunion", "buffer": "Temps réservé"},
    },
    "tr": {
        "title": "Haftalık rapor: {client}",
        "colon": ": ",
        "list_sep": ", ",
        "week": "{n}. Hafta",
        "generated": "Oluşturulma tarihi: {date}",
        "timezone": "Saat dilimi: {zone}",
        "hours": "Saatler",
        "hours_week": "Bu hafta kaydedilen",
        "hours_month": "Bu ay kaydedilen ({month})",
        "budget_month": "Aylık bütçe",
        "burn": "Kullanılan bütçe",
        "no_budget": "aylık bütçe tanımlı değil",
        "blocked_next": "Gelecek hafta ayrılan süre",
        "target": "haftalık hedef {hours}",
        "hours_value": "{n} sa",
        "done": "Bu hafta tamamlananlar",
        "planned": "Gelecek hafta planlananlar",
        "overdue": "Gecikenler",
        "milestones": "Kilometre taşları",
        "risks": "Açık riskler",
        "changes": "Değişiklik talepleri",
        "decisions": "Bu haftaki kararlar",
        "nothing": "Bildirilecek bir şey yok.",
        "completed_on": "tamamlandı: {date}",
        "due_on": "son tarih: {date}",
        "late_days": {"one": "{n} gün gecikmeli", "other": "{n} gün gecikmeli"},
        "milestone_done": "ulaşıldı: {date}",
        "milestone_due": "planlanan: {date}",
        "milestone_nodate": "tarih yok",
        "late": "gecikmiş",
        "exposure": "olasılık {likelihood} × etki {impact} = {exposure}",
        "mitigation": "Önlem: {text}",
        "impact_hours": "+{hours}",
        "impact_days": {"one": "+{n} gün", "other": "+{n} gün"},
        "cost": "maliyet {amount}",
        "not_assessed": "etkisi henüz değerlendirilmedi",
        "received_on": "alındı: {date}",
        "decided_on": "karar tarihi: {date}",
        "decision": "Karar: {text}",
        "decision_approved": "“{title}” değişiklik talebi onaylandı: {impact}",
        "decision_rejected": "“{title}” değişiklik talebi reddedildi: {reason}",
        "task_status": {"backlog": "beklemede", "todo": "yapılacak", "doing": "sürüyor", "review": "incelemede", "done": "tamamlandı"},
        "change_status": {"new": "yeni", "assessing": "değerlendiriliyor", "approved": "onaylandı", "rejected": "reddedildi", "done": "teslim edildi"},
        "this_week": "Bu hafta",
        "projects": "Projeler",
        "done_undated": "tamamlandı, tarih bilinmiyor",
        "deadline": "teslim tarihi: {date}",
        "no_deadline": "teslim tarihi yok",
        "tasks_done": {"one": "{total} görevden {n} tamamlandı", "other": "{total} görevden {n} tamamlandı"},
        "hours_budget": "{hours} / {budget} bütçe",
        "hours_logged": "{hours} kaydedildi",
        "block_title": {"focus": "Çalışma oturumu", "batch": "Çalışma oturumu", "meeting": "Toplantı", "buffer": "Ayrılmış zaman"},
    },
    "zh": {
        "title": "每周报告：{client}",
        "colon": "：",
        "list_sep": "，",
        "week": "第{n}周",
        "generated": "生成日期：{date}",
        "timezone": "时区：{zone}",
        "hours": "工时",
        "hours_week": "本周记录工时",
        "hours_month": "本月记录工时（{month}）",
        "budget_month": "每月预算",
        "burn": "预算使用率",
        "no_budget": "未设置每月预算",
        "blocked_next": "下周已安排时间",
        "target": "每周目标 {hours}",
        "hours_value": "{n} 小时",
        "done": "本周完成",
        "planned": "下周计划",
        "overdue": "已逾期",
        "milestones": "里程碑",
        "risks": "未关闭的风险",
        "changes": "变更请求",
        "decisions": "本周决定",
        "nothing": "无。",
        "completed_on": "完成于 {date}",
        "due_on": "截止 {date}",
        "late_days": {"other": "逾期 {n} 天"},
        "milestone_done": "已于 {date} 达成",
        "milestone_due": "计划于 {date}",
        "milestone_nodate": "未定日期",
        "late": "已逾期",
        "exposure": "可能性 {likelihood} × 影响 {impact} = {exposure}",
        "mitigation": "应对措施：{text}",
        "impact_hours": "+{hours}",
        "impact_days": {"other": "+{n} 天"},
        "cost": "成本 {amount}",
        "not_assessed": "尚未评估影响",
        "received_on": "收到于 {date}",
        "decided_on": "决定于 {date}",
        "decision": "决定：{text}",
        "decision_approved": "已批准变更请求“{title}”：{impact}",
        "decision_rejected": "已拒绝变更请求“{title}”：{reason}",
        "task_status": {"backlog": "待排期", "todo": "待办", "doing": "进行中", "review": "审核中", "done": "已完成"},
        "change_status": {"new": "新建", "assessing": "评估中", "approved": "已批准", "rejected": "已拒绝", "done": "已交付"},
        "this_week": "本周",
        "projects": "项目",
        "done_undated": "已完成，日期未知",
        "deadline": "截止 {date}",
        "no_deadline": "无截止日期",
        "tasks_done": {"other": "已完成 {n}/{total} 项任务"},
        "hours_budget": "已用 {hours}，预算 {budget}",
        "hours_logged": "已记录 {hours}",
        "block_title": {"focus": "工作时段", "batch": "工作时段", "meeting": "会议", "buffer": "预留时间"},
    },
}

SUPPORTED = tuple(TEXTS)


def _split(tag: str) -> tuple[str, str]:
    """('fr', 'fr_CA') from 'fr-CA', 'FR_ca', 'fr'..."""
    norm = tag.strip().replace("-", "_")
    parts = [p for p in norm.split("_") if p]
    if not parts:
        return "", ""
    primary = parts[0].lower()
    return primary, "_".join([primary, *parts[1:]])


def _locale(primary: str, full: str) -> Locale:
    try:
        loc = Locale.parse(full)
        if loc.language == primary:
            return loc
    except (UnknownLocaleError, ValueError, TypeError):
        pass
    return Locale.parse(primary)


def language_for(requested: str | None, client_language: str | None) -> Lang:
    """The report's language: the requested one (which must be supported),
    else the client's, else English."""
    if requested is not None:
        primary, full = _split(requested)
        if primary not in TEXTS:
            raise InputError(f"unsupported language: {requested.strip()} ({', '.join(SUPPORTED)})")
        return Lang(primary, _locale(primary, full))
    primary, full = _split(client_language or "")
    if primary not in TEXTS:
        return Lang(DEFAULT, Locale.parse(DEFAULT))
    return Lang(primary, _locale(primary, full))


def unsupported_language_note(tag: str) -> str | None:
    """What to tell the user who gives a client a language reports are not
    written in ('de': reports come out in English), or None when they are."""
    primary, _ = _split(tag or "")
    if primary in TEXTS:
        return None
    return (f"reports are written in {', '.join(SUPPORTED)}: this client's reports "
            f"will be in English, not '{tag.strip()}'")


@dataclass(frozen=True)
class Lang:
    """One language's words and its locale's way of writing dates and numbers."""

    code: str
    locale: Locale

    # words -----------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        text = TEXTS[self.code].get(key, TEXTS[DEFAULT][key])
        if isinstance(text, dict):
            raise KeyError(f"{key} needs a count or a choice")
        return str(text).format(**values)

    def plural(self, key: str, n: int, **values) -> str:
        forms = TEXTS[self.code].get(key, TEXTS[DEFAULT][key])
        form = self.locale.plural_form(abs(n))
        text = forms.get(form, forms["other"])
        return text.format(n=self.integer(n), **values)

    def labelled(self, label: str, value: str) -> str:
        """'label: value', 'label : value', 'label：value'."""
        return f"{label}{self.t('colon')}{value}"

    def choice(self, key: str, value: str) -> str:
        table = TEXTS[self.code].get(key, TEXTS[DEFAULT][key])
        return table.get(value, TEXTS[DEFAULT][key].get(value, value))

    # numbers ---------------------------------------------------------------
    def integer(self, n: int) -> str:
        return format_decimal(n, "#,##0", locale=self.locale)

    def number(self, value: float, decimals: int = 2) -> str:
        pattern = "#,##0." + "#" * decimals if decimals else "#,##0"
        return format_decimal(round(value, decimals), pattern, locale=self.locale)

    def amount(self, value: float) -> str:
        return format_decimal(value, "#,##0.00", locale=self.locale)

    def hours(self, value: float) -> str:
        return self.t("hours_value", n=self.number(value))

    def percent(self, fraction: float) -> str:
        return format_percent(fraction, locale=self.locale)

    # dates -----------------------------------------------------------------
    def date(self, day: _dt.date) -> str:
        """A date in full: 'November 23, 2026', '23 novembre 2026', '2026年11月23日'."""
        return format_date(day, "long", locale=self.locale)

    def short_date(self, day: _dt.date) -> str:
        """'Nov 23, 2026', '23 nov. 2026', '23 Kas 2026', '2026年11月23日' (skeleton yMMMd)."""
        return format_skeleton("yMMMd", day, locale=self.locale)

    def weekday_date(self, day: _dt.date) -> str:
        """'Mon, Nov 30', 'lun. 30 nov.', '11月30日周一'."""
        return format_skeleton("MMMEd", day, locale=self.locale)

    def month(self, day: _dt.date) -> str:
        """'November 2026', 'novembre 2026', '2026年11月'."""
        return format_skeleton("yMMMM", day, locale=self.locale)

    def time(self, value: _dt.time) -> str:
        return format_time(value, "short", locale=self.locale)

    def date_range(self, start: _dt.date, end: _dt.date) -> str:
        """'Nov 30 – Dec 6, 2026', '30 nov. – 6 déc. 2026', '2026年11月30日 – 12月6日'.

        The locale's own interval pattern for the `yMMMd` skeleton, the same
        form as `short_date`, so a heading and the line below it agree.
        """
        if start == end:
            return self.short_date(start)
        return format_interval(start, end, "yMMMd", locale=self.locale)

    def week_label(self, iso_week: int, start: _dt.date, end: _dt.date) -> str:
        """'Semaine 48 · 23–29 nov. 2026'."""
        return f"{self.t('week', n=iso_week)} · {self.date_range(start, end)}"


__all__ = ["Lang", "SUPPORTED", "TEXTS", "language_for", "unsupported_language_note"]
