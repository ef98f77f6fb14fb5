"""Shared fixtures: a real SQLite file per test, a fixed clock and zone."""

from __future__ import annotations

import pendulum
import pytest

from clientdesk import clock
from clientdesk.db import close_database, open_database

TODAY = pendulum.date(2026, 11, 23)  # a Monday
TZ = "Europe/Paris"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    """Every test runs on Monday 2026-11-23 in Paris unless it says otherwise."""
    monkeypatch.setenv("CLIENTDESK_TODAY", TODAY.to_date_string())
    monkeypatch.setenv("CLIENTDESK_TZ", TZ)
    monkeypatch.delenv("CLIENTDESK_DB", raising=False)
    clock.set_today(None)
    clock.set_timezone(None)
    yield
    clock.set_today(None)
    clock.set_timezone(None)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "clientdesk.db"


@pytest.fixture
def db(db_path):
    """An empty, migrated database in a temp dir."""
    database = open_database(db_path)
    yield database
    close_database()
