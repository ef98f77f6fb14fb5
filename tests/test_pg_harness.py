"""The test suite's PostgreSQL harness: where no server can run, the PostgreSQL cases skip with one
line, and CI (CLIENTDESK_REQUIRE_POSTGRES=1) turns that skip into a failure."""

from __future__ import annotations

import pytest

from tests import conftest, pg_server


def test_no_postgresql_binaries_is_one_line(monkeypatch):
    monkeypatch.setattr(pg_server, "_MISSING", [])
    monkeypatch.setattr(pg_server.shutil, "which", lambda name: None)
    monkeypatch.setattr(pg_server.glob, "glob", lambda pattern: [])
    reason = pg_server.missing()
    assert reason == "PostgreSQL is not installed here (initdb not found): the PostgreSQL cases are skipped"


def test_without_a_server_the_cases_skip_and_ci_makes_that_a_failure(monkeypatch):
    monkeypatch.delenv("CLIENTDESK_TEST_PG_URL", raising=False)
    monkeypatch.setenv("CLIENTDESK_TEST_PG_MISSING", "PostgreSQL is not installed here (initdb not found)")
    monkeypatch.delenv("CLIENTDESK_REQUIRE_POSTGRES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="initdb not found"):
        conftest._require_server()
    monkeypatch.setenv("CLIENTDESK_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="CLIENTDESK_REQUIRE_POSTGRES=1"):
        conftest._require_server()


def test_the_run_has_its_server_here():
    """On this kind of machine (PostgreSQL 15 installed) the run's server is up: the cases really run."""
    if pg_server.missing():
        pytest.skip(pg_server.missing())
    url = conftest._require_server()
    from clientdesk.db.driver import load

    with load().connect(url) as conn:
        assert conn.execute("SHOW fsync").fetchone()[0] == "off"
