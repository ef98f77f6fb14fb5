"""Shared fixtures: a real database per test (an SQLite file, and for the suites in PG_SUITES also a
database on a throwaway PostgreSQL server), a fixed clock and zone."""

from __future__ import annotations

import os
from pathlib import Path

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


#: test folders whose database fixtures run on both engines (the TUI's run on SQLite only: the same
#: domain calls underneath, and a Pilot run costs ~1 s each)
PG_SUITES = ("domain", "cli", "formats")
_PG_URL = "CLIENTDESK_TEST_PG_URL"
_PG_MISSING = "CLIENTDESK_TEST_PG_MISSING"
_REQUIRE = "CLIENTDESK_REQUIRE_POSTGRES"
_SERVER = []


def pytest_configure(config):
    """One PostgreSQL server per run, started by the controlling process; xdist workers inherit its URL."""
    if hasattr(config, "workerinput") or os.environ.get(_PG_URL) or os.environ.get(_PG_MISSING):
        return
    from tests.pg_server import PostgresServer, missing

    reason = missing()
    if reason is None:
        server = PostgresServer()
        try:
            server.start()
        except Exception as exc:  # noqa: BLE001 - said in one line where the PostgreSQL cases run
            server.stop()
            reason = f"the throwaway PostgreSQL server did not start: {' '.join(str(exc).split())[:300]}"
        else:
            _SERVER.append(server)
            os.environ[_PG_URL] = server.url()
    if reason is not None:
        os.environ[_PG_MISSING] = reason


def pytest_unconfigure(config):
    while _SERVER:
        _SERVER.pop().stop()
        os.environ.pop(_PG_URL, None)


def pytest_generate_tests(metafunc):
    """Tests of PG_SUITES that take a database fixture run once per engine (ids `sqlite`, `postgres`)."""
    if "engine" not in metafunc.fixturenames:
        return
    folder = Path(str(metafunc.definition.fspath)).relative_to(Path(__file__).parent).parts[0]
    if folder in PG_SUITES and not metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("engine", ["sqlite", "postgres"], indirect=True)


def _require_server():
    """The URL of the run's server; skips (or, with CLIENTDESK_REQUIRE_POSTGRES=1, fails) when there is none."""
    url = os.environ.get(_PG_URL)
    if url:
        return url
    reason = os.environ.get(_PG_MISSING) or "no PostgreSQL server for this run"
    if os.environ.get(_REQUIRE) == "1":
        pytest.fail(f"{reason} (CLIENTDESK_REQUIRE_POSTGRES=1)", pytrace=False)
    pytest.skip(reason)


class PgWorker:
    """This xdist worker's databases on the run's server: templates made once, a fresh copy per test."""

    def __init__(self, url: str, worker: str):
        self.base = url.rsplit("/", 1)[0]
        self.name = f"cd_{worker}"
        self.templates: set[str] = set()

    def admin(self, sql: str) -> None:
        from clientdesk.db.driver import load

        psycopg = load()
        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def url(self, name: str | None = None) -> str:
        return f"{self.base}/{name or self.name}"

    def template(self, kind: str, fill=None) -> str:
        """A database `NAME_kind`, migrated (and filled by `fill`) the first time it is asked for."""
        name = f"{self.name}_{kind}"
        if name not in self.templates:
            self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.admin(f'CREATE DATABASE "{name}"')
            open_database(self.url(name))
            try:
                if fill is not None:
                    fill()
            finally:
                close_database()
            self.templates.add(name)
        return name

    def fresh(self, template: str | None = None, name: str | None = None) -> str:
        """The URL of a new database (empty, or a copy of `template`)."""
        name = name or self.name
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)


@pytest.fixture(scope="session")
def pg_worker(worker_id):
    """This worker's place on the run's server (skips the PostgreSQL cases where there is none)."""
    url = _require_server()
    worker = PgWorker(url, worker_id)
    yield worker
    for name in (worker.name, *worker.templates):
        try:
            worker.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:  # noqa: BLE001 - the server is stopped at the end anyway
            pass


@pytest.fixture(scope="session")
def worker_id(request):
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture
def engine(request):
    """'sqlite' or 'postgres': the engine of this case's database (sqlite outside PG_SUITES)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def pg(engine, request):
    """This worker's PostgreSQL place when the case runs on PostgreSQL, else None."""
    if engine != "postgres":
        return None
    return request.getfixturevalue("pg_worker")


@pytest.fixture
def db_path(tmp_path, engine, pg):
    """Where the case's desk lives: an SQLite file path, or a fresh PostgreSQL database's URL."""
    if engine == "postgres":
        return pg.fresh(pg.template("empty"))
    return tmp_path / "clientdesk.db"


@pytest.fixture
def db(db_path):
    """An empty, migrated database (a temp file, or a fresh database on the run's server)."""
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
def demo_db(tmp_path, engine, pg, request):
    """A private copy of the demo database, open (on the case's engine)."""
    import shutil

    if engine == "postgres":
        from clientdesk.domain.demo import fill_demo

        template = pg.template("demo", lambda: fill_demo(seed=7, today=TODAY))
        database = open_database(pg.fresh(template))
    else:
        path = tmp_path / "demo.db"
        shutil.copy(request.getfixturevalue("demo_template"), path)
        database = open_database(path)
    yield database
    close_database()


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch, tmp_path):
    """Tests never read the developer's own config file."""
    monkeypatch.setenv("CLIENTDESK_CONFIG", str(tmp_path / "no-config.toml"))
