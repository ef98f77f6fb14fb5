"""The triage score: a transparent sum, in the spirit of Taskwarrior's urgency.

    score = priority + due + overdue + age + client

- priority: p1 6.0, p2 3.9, p3 1.8, p4 0 (Taskwarrior's H/M/L weights).
- due: 12 x (1 - days_left / 14) for an open task due today .. in 14 days
  (12 today, 6 in a week, 0 from two weeks on).
- overdue: 12 + 0.5 per day late, capped at 19 (a week late); replaces "due".
- age: 2 x days since created / 365, capped at 2 (old work rises slowly).
- client: the client's weight (default 1; 0 = no boost, 3 = key account).

Every list shows the two largest terms beside the score ("overdue 3d, p1"),
and the task detail shows all five.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import pendulum

PRIORITY_POINTS = {1: 6.0, 2: 3.9, 3: 1.8, 4: 0.0}
DUE_HORIZON_DAYS = 14
DUE_MAX = 12.0
OVERDUE_BASE = 12.0
OVERDUE_PER_DAY = 0.5
OVERDUE_CAP = 19.0
AGE_MAX = 2.0
AGE_YEAR = 365


@dataclass(frozen=True)
class ScoreTerm:
    name: str  # priority, due, overdue, age, client
    label: str  # what a person reads: "p1", "due in 2d", "overdue 3d"
    points: float


@dataclass(frozen=True)
class TriageScore:
    terms: tuple[ScoreTerm, ...]
    total: float = field(default=0.0)

    @property
    def explanation(self) -> str:
        """The two largest terms, e.g. 'overdue 3d, p1'."""
        top = sorted((t for t in self.terms if t.points > 0), key=lambda t: -t.points)[:2]
        return ", ".join(t.label for t in top)


def _days_label(days: int) -> str:
    return f"{days}d"


def triage_score(
    *,
    priority: int,
    due: pendulum.Date | None,
    created: pendulum.DateTime | None,
    client_weight: float,
    today: pendulum.Date,
) -> TriageScore:
    """Score one open task on `today`, keeping every term."""
    terms = [ScoreTerm("priority", f"p{priority}", PRIORITY_POINTS.get(priority, 0.0))]
    if due is not None:
        days_left = (due - today).days
        if days_left < 0:
            late = -days_left
            terms.append(ScoreTerm("overdue", f"overdue {_days_label(late)}", min(OVERDUE_CAP, OVERDUE_BASE + OVERDUE_PER_DAY * late)))
            terms.append(ScoreTerm("due", "due", 0.0))
        else:
            points = max(0.0, DUE_MAX * (1 - days_left / DUE_HORIZON_DAYS))
            label = "due today" if days_left == 0 else ("due tomorrow" if days_left == 1 else f"due in {_days_label(days_left)}")
            terms.append(ScoreTerm("due", label, round(points, 2)))
            terms.append(ScoreTerm("overdue", "not overdue", 0.0))
    else:
        terms.append(ScoreTerm("due", "no due date", 0.0))
        terms.append(ScoreTerm("overdue", "not overdue", 0.0))
    age_days = max(0, (today - created.date()).days) if created is not None else 0
    terms.append(ScoreTerm("age", f"age {_days_label(age_days)}", round(min(AGE_MAX, AGE_MAX * age_days / AGE_YEAR), 2)))
    terms.append(ScoreTerm("client", f"client x{client_weight:g}", float(client_weight)))
    order = {"priority": 0, "due": 1, "overdue": 2, "age": 3, "client": 4}
    terms.sort(key=lambda t: order[t.name])
    return TriageScore(tuple(terms), round(sum(t.points for t in terms), 2))


class TotalScorer:
    """triage.triage_score(...).total from stored text, without building its terms.

    Same terms, same rounding, same order of summation; the due and age terms
    are cached by date, so 24,000 tasks score in a few milliseconds.
    """

    def __init__(self, today: pendulum.Date):
        self.today_ord = today.toordinal()
        self.due_terms: dict[str | None, tuple[float, float]] = {None: (0.0, 0.0), "": (0.0, 0.0)}
        self.ages: dict[str | None, float] = {None: 0.0, "": 0.0}

    def due(self, due: str | None) -> tuple[float, float]:
        terms = self.due_terms.get(due)
        if terms is None:
            days_left = _dt.date.fromisoformat(due[:10]).toordinal() - self.today_ord
            if days_left < 0:
                terms = (0.0, min(OVERDUE_CAP, OVERDUE_BASE + OVERDUE_PER_DAY * -days_left))
            else:
                terms = (round(max(0.0, DUE_MAX * (1 - days_left / DUE_HORIZON_DAYS)), 2), 0.0)
            self.due_terms[due] = terms
        return terms

    def age(self, created: str | None) -> float:
        day = created[:10] if created else None
        points = self.ages.get(day)
        if points is None:
            age_days = max(0, self.today_ord - _dt.date.fromisoformat(day).toordinal())
            points = self.ages[day] = round(min(AGE_MAX, AGE_MAX * age_days / AGE_YEAR), 2)
        return points

    def __call__(self, priority: int, due: str | None, created: str | None, weight: float) -> float:
        due_pts, over_pts = self.due(due)
        return round(sum((PRIORITY_POINTS.get(priority, 0.0), due_pts, over_pts, self.age(created), float(weight))), 2)


#: how far apart the SQL estimate and the exact total can be: the unrounded age
#: term and the unrounded sum move a score by at most 0.005 each
SQL_SCORE_MARGIN = 0.05


def sql_score(today: pendulum.Date, *, priority, due, created, weight):
    """The triage total on `today` as an SQL expression, unrounded, within SQL_SCORE_MARGIN of it.

    Lets the database rank every open task in C (no GIL held) so that only the
    few near the top are scored exactly in Python (`TotalScorer`). Written so
    that most rows cost a few text comparisons: a due date is compared as text
    against the dates where its points change (beyond them the points are
    constant) and the 27 dates in between map to their exact points; only
    tasks younger than a year reach the engine's date arithmetic
    (`dialect.days_since`) for their age.
    """
    from peewee import Case, fn

    from clientdesk.db.dialect import days_since, greatest, least

    scorer = TotalScorer(today)
    prio = Case(priority, [(p, points) for p, points in PRIORITY_POINTS.items()], 0.0)
    capped_late = today.subtract(days=round((OVERDUE_CAP - OVERDUE_BASE) / OVERDUE_PER_DAY))  # and earlier: the cap
    horizon = today.add(days=DUE_HORIZON_DAYS)  # and later: 0
    window = []
    day = capped_late.add(days=1)
    while day < horizon:
        text = day.to_date_string()
        window.append((text, sum(scorer.due(text))))
        day = day.add(days=1)
    due_pts = Case(None, [
        (due.is_null() | (due >= horizon.to_date_string()), 0.0),
        (due <= capped_late.to_date_string(), sum(scorer.due(capped_late.to_date_string()))),
    ], Case(due, window, 0.0))
    year_ago = today.subtract(days=AGE_YEAR).to_date_string()
    age_days = days_since(today, fn.substr(created, 1, 10))
    age_pts = Case(None, [(created < year_ago, AGE_MAX)], least(AGE_MAX, AGE_MAX * greatest(0.0, age_days) / AGE_YEAR))
    return prio + due_pts + fn.coalesce(age_pts, 0.0) + weight
