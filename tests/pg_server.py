"""A throwaway PostgreSQL server for the tests: one per run, in a temporary folder, on a free port.

PostgreSQL refuses to run as root, so the server runs as the `postgres` user
(`runuser`) in a folder given to it; it listens on 127.0.0.1 only, with
`fsync=off` (nothing in it outlives the run) and trust authentication for
local connections. `stop()` is safe to call twice and after a failed start.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

#: a role that logs in with a password only (see start); the tests create it
PASSWORD_ROLE = "clientdesk_pw"
#: why the PostgreSQL tests cannot run here (None: they can), worked out once
_MISSING: list[str | None] = []


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def missing() -> str | None:
    """One line saying why no server can be started here, or None."""
    if _MISSING:
        return _MISSING[0]
    reason = None
    for name in ("initdb", "pg_ctl"):
        if _binary(name) is None:
            reason = f"PostgreSQL is not installed here ({name} not found): the PostgreSQL cases are skipped"
            break
    if reason is None and os.geteuid() == 0 and shutil.which("runuser") is None:
        reason = "runuser is missing: PostgreSQL cannot be started as root, so the PostgreSQL cases are skipped"
    if reason is None and os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            reason = "no postgres user to run the server as: the PostgreSQL cases are skipped"
    _MISSING.append(reason)
    return reason


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """initdb + pg_ctl start in a temporary folder; `url(name)` for a database on it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="clientdesk-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.started = False

    def _as_postgres(self, *args: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *args]
        return list(args)

    def _run(self, *args: str) -> None:
        done = subprocess.run(self._as_postgres(*args), capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {(done.stderr or done.stdout).strip()[-500:]}")

    def start(self) -> "PostgresServer":
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        os.chmod(self.folder, 0o700)
        self._run(_binary("initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        hba = self.data / "pg_hba.conf"  # one role that must give a password (the wrong-password tests)
        hba.write_text(f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        self._run(_binary("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w",
                  "start")
        self.started = True
        return self

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement on the server's `postgres` database, outside a transaction (CREATE DATABASE)."""
        from clientdesk.db.driver import load  # clientdesk holds psycopg's import back until asked

        psycopg = load()
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        if self.started:
            subprocess.run(self._as_postgres(_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                                             "stop"), capture_output=True, timeout=60)
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)


def main() -> None:  # python tests/pg_server.py: a server to try things by hand, until Enter
    server = PostgresServer().start()
    try:
        print(server.url(), flush=True)
        input("Enter stops it\n")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
