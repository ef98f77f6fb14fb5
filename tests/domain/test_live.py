"""The journal read as news: which rows others changed since a mark, on a real SQLite file."""

from __future__ import annotations

from clientdesk.domain import journal
from clientdesk.domain.changeset import collecting
from clientdesk.domain.live import journal_fingerprint, journal_mark, news_since
from clientdesk.domain.tasks import change_priority, mark_done
from clientdesk.models import Action
from tests import factories as f
from tests.conftest import TODAY


def _tasks():
    c = f.client("Acme")
    p = f.project(c, "Site")
    return [f.task(p, f"Task {i}", due=TODAY, status="todo") for i in range(3)]


def test_nothing_moved_is_no_news(db):
    _tasks()
    mark = journal_mark()
    news = news_since(mark)
    assert not news.changed and not news.entries


def test_a_new_action_names_its_rows(db):
    a, b, _ = _tasks()
    mark = journal_mark()
    mark_done([a.id, b.id])
    news = news_since(mark)
    assert news.changed.ids == {"task": {a.id, b.id}} and not news.changed.everything
    assert len(news.entries) == 1
    assert not news_since(news.mark).changed  # seen once


def test_an_undo_and_a_redo_name_the_rows_of_their_entry(db):
    a, _, _ = _tasks()
    mark_done([a.id])
    mark = journal_mark()
    journal.undo()
    news = news_since(mark)
    assert news.changed.ids == {"task": {a.id}}
    journal.redo()
    again = news_since(news.mark)
    assert again.changed.ids == {"task": {a.id}}


def test_an_entry_undone_then_dropped_unseen_still_names_its_rows(db):
    a, b, _ = _tasks()
    mark = journal_mark()
    mark_done([a.id])
    mark = news_since(mark).mark  # seen: its rows are known
    journal.undo()
    change_priority([b.id], -1)  # a new action drops the undone entry (and SQLite may reuse its id)
    news = news_since(mark)
    assert news.changed.ids == {"task": {a.id, b.id}}


def test_an_entry_gone_whose_rows_were_never_read_is_everything(db):
    a, b, _ = _tasks()
    mark_done([a.id])
    mark = journal_mark()  # the entry's rows are not read by a mark
    journal.undo()
    change_priority([b.id], -1)
    assert news_since(mark).changed.everything


def test_the_trim_of_the_oldest_entries_is_no_news(db, monkeypatch):
    a, b, _ = _tasks()
    monkeypatch.setattr(journal, "JOURNAL_KEEP", 2)
    for step in (-1, 1, -1):
        change_priority([a.id], step)
    mark = news_since(journal_mark()).mark
    change_priority([b.id], -1)  # the oldest entry goes
    news = news_since(mark)
    assert news.changed.ids == {"task": {b.id}}
    assert Action.select().count() == 2


def test_own_entries_are_skipped(db):
    a, b, _ = _tasks()
    mark = journal_mark()
    with collecting() as mine:
        mark_done([a.id])
    change_priority([b.id], -1)  # someone else's
    news = news_since(mark, own=mine.entries)
    assert mine.entries and news.changed.ids == {"task": {b.id}}


def test_the_fingerprint_moves_on_add_undo_and_redo(db):
    a, _, _ = _tasks()
    seen = [journal_fingerprint()]
    mark_done([a.id])
    seen.append(journal_fingerprint())
    journal.undo()
    seen.append(journal_fingerprint())
    journal.redo()
    seen.append(journal_fingerprint())
    assert all(before != after for before, after in zip(seen, seen[1:]))  # undo then redo: the rows are as before


def test_news_of_very_many_rows_is_everything(db, monkeypatch):
    from clientdesk.domain import live

    a, b, c = _tasks()
    monkeypatch.setattr(live, "MANY_ROWS", 2)
    mark = journal_mark()
    mark_done([a.id, b.id, c.id])
    assert news_since(mark).changed.everything
