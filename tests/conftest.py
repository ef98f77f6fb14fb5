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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo database (seed 7, today 2026-11-23) built once per run."""
    import os

    from clientdesk.domain.demo import fill_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    old = {k: os.environ.get(k) for k in ("CLIENTDESK_TODAY", "CLIENTDESK_TZ")}
    os.environ["CLIENTDESK_TODAY"], os.environ["CLIENTDESK_TZ"] = TODAY.to_date_string(), TZ
    try:
        open_database(path)
        fill_demo(seed=7, today=TODAY)
        close_database()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path):
    """A private copy of the demo database, open."""
    import shutil

    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    database = open_database(path)
    yield database
    close_database()


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch, tmp_path):
    """Tests never read the developer's own config file."""
    monkeypatch.setenv("CLIENTDESK_CONFIG", str(tmp_path / "no-config.toml"))
