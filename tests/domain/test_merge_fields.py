"""`import --merge` of a one-field document changes that field only, for every entity."""

from __future__ import annotations

import copy

import pytest

from clientdesk.domain.interchange import export_data, import_data
from clientdesk.models import ChangeRequest, Client, Feedback, Interaction, Milestone, Project, Risk, Task, Template

FULL = {
    "version": 1,
    "clients": [{
        "name": "Acme", "status": "active", "contact": "Ada", "channel": "phone", "checkin_every_days": 7,
        "language": "fr", "timezone": "Europe/Paris", "hourly_rate": 90, "budget_hours_month": 40,
        "weekly_target_hours": 10, "weight": 1.5, "colour": "#5fafd7", "notes": "kind",
        "projects": [{
            "name": "Site", "status": "active", "start": "2026-11-02", "deadline": "2026-12-15", "budget_hours": 120,
            "budget_amount": 10800, "scope": "five pages",
            "tasks": [{"title": "Hero", "status": "todo", "priority": 2, "due": "2026-11-25", "estimate_minutes": 90,
                       "tags": ["writing"], "recurrence": "weekly"}],
            "change_requests": [{"title": "Blog", "status": "new", "received_on": "2026-11-20", "description": "a blog",
                                 "requested_by": "Ada", "impact_hours": 12, "impact_days": 5}],
            "milestones": [{"name": "Beta", "due": "2026-12-04", "done_on": None}],
            "risks": [{"title": "Late content", "likelihood": 4, "impact": 3, "mitigation": "ask early", "status": "open"}],
        }],
        "interactions": [{"on": "2026-11-18", "kind": "call", "summary": "Kickoff"}],
        "feedback": [{"on": "2026-11-01", "score": 4, "comment": "Quick replies"}],
    }],
    "templates": [{"name": "Launch", "items": [{"title": "Brief"}]}],
}

# (what the one-field document changes, the path to that field in an export, the new value)
CASES = {
    "client": ({"name": "Acme", "contact": "Bob"}, ("clients", 0, "contact"), "Bob"),
    "project": ({"name": "Acme", "projects": [{"name": "Site", "budget_amount": 9000}]},
                ("clients", 0, "projects", 0, "budget_amount"), 9000),
    "task": ({"name": "Acme", "projects": [{"name": "Site", "tasks": [{"title": "Hero", "priority": 1}]}]},
             ("clients", 0, "projects", 0, "tasks", 0, "priority"), 1),
    "change request": ({"name": "Acme", "projects": [{"name": "Site", "change_requests": [
        {"title": "Blog", "received_on": "2026-11-20", "impact_days": 8}]}]},
        ("clients", 0, "projects", 0, "change_requests", 0, "impact_days"), 8),
    "milestone": ({"name": "Acme", "projects": [{"name": "Site", "milestones": [{"name": "Beta", "done_on": "2026-11-23"}]}]},
                  ("clients", 0, "projects", 0, "milestones", 0, "done_on"), "2026-11-23"),
    "risk": ({"name": "Acme", "projects": [{"name": "Site", "risks": [{"title": "Late content", "impact": 5}]}]},
             ("clients", 0, "projects", 0, "risks", 0, "impact"), 5),
    "interaction": ({"name": "Acme", "interactions": [{"on": "2026-11-18", "kind": "call", "summary": "Kickoff"}]}, None, None),
    "feedback": ({"name": "Acme", "feedback": [{"on": "2026-11-01", "score": 4, "comment": "Quick replies"}]}, None, None),
}
COUNTS = (Client, Project, Task, ChangeRequest, Milestone, Risk, Interaction, Feedback, Template)


def _set(doc, path, value):
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


@pytest.mark.parametrize("entity", list(CASES))
def test_a_one_field_merge_leaves_every_other_field_as_it_was(db, entity):
    import_data(copy.deepcopy(FULL))
    before = export_data()
    counts = [m.select().count() for m in COUNTS]
    client, path, value = CASES[entity]
    import_data({"version": 1, "clients": [client]}, merge=True)
    expected = copy.deepcopy(before)
    if path is not None:
        _set(expected, path, value)
    assert export_data() == expected
    assert [m.select().count() for m in COUNTS] == counts  # updated in place, nothing duplicated


def test_a_template_merge_replaces_its_items_only(db):
    import_data(copy.deepcopy(FULL))
    import_data({"version": 1, "templates": [{"name": "Launch", "items": [{"title": "Kickoff"}]}]}, merge=True)
    assert [t.items for t in Template.select()] == ['[{"title": "Kickoff"}]']


def test_a_client_named_in_another_form_is_merged_not_duplicated(db):
    import_data(copy.deepcopy(FULL))
    import_data({"version": 1, "clients": [{"name": "ACME", "notes": "merged"}]}, merge=True)
    assert [(c.name, c.notes) for c in Client.select()] == [("Acme", "merged")]
    with pytest.raises(Exception, match=r"clients\[0\]\.name: client already exists: ａｃｍｅ \(as Acme\)"):
        import_data({"version": 1, "clients": [{"name": "ａｃｍｅ"}]})
