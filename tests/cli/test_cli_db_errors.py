"""A database clientdesk cannot use gets one clear line on stderr and a non-zero exit, never a traceback.

Each case runs the real `clientdesk status` in its own process: a damaged file
(header fine, pages garbage), a read-only file or folder, a database from a
newer clientdesk, a folder given as --db, a path that cannot be created.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from clientdesk.db import close_database, open_database
from clientdesk.domain.interchange import import_data

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "interchange_sample.json"
NOBODY = 65534


def run(db: Path | str, *args: str, user: int | None = None, config: Path | None = None,
        command: str = "status") -> subprocess.CompletedProcess:
    env = dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris")
    env.pop("CLIENTDESK_DB", None)
    if config is not None:
        env["CLIENTDESK_CONFIG"] = str(config)
    prefix: list[str] = []
    if user is not None:
        prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "clientdesk", "--db", str(db), command, *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )


def assert_one_clean_error(result: subprocess.CompletedProcess, *fragments: str) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.stdout == ""
    return lines[0]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    """A sound database holding the interchange sample (several pages)."""
    path = tmp_path_factory.mktemp("sound") / "sound.db"
    open_database(path)
    import_data(json.loads(SAMPLE.read_text(encoding="utf-8")))
    close_database()  # checkpointed: one self-contained file (in WAL mode) to damage
    assert not Path(f"{path}-wal").exists()
    return path


def damage(source: Path, target: Path, start: int, length: int | None = None) -> bytes:
    data = bytearray(source.read_bytes())
    end = len(data) if length is None else min(len(data), start + length)
    rng = random.Random(6)
    data[start:end] = bytes(rng.getrandbits(8) for _ in range(end - start))
    target.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize(
    "where",
    [
        pytest.param((100, None), id="everything-after-the-header"),
        pytest.param((100, 4096 - 100), id="first-page-after-the-header"),
        pytest.param((4096, 4 * 4096), id="table-pages"),
    ],
)
def test_damaged_file_is_one_clear_line_and_left_untouched(sample_db, tmp_path, where):
    db = tmp_path / "damaged.db"
    before = damage(sample_db, db, *where)
    assert before[:16] == b"SQLite format 3\x00"  # the header still says SQLite
    line = assert_one_clean_error(run(db), "damaged", str(db), "clientdesk restore")
    assert line.startswith("clientdesk: the database file is damaged")
    assert db.read_bytes() == before


def test_truncated_file_is_damaged(sample_db, tmp_path):
    db = tmp_path / "truncated.db"
    db.write_bytes(sample_db.read_bytes()[: 3 * 4096 + 17])
    assert_one_clean_error(run(db), "damaged")


def test_database_from_a_newer_clientdesk(sample_db, tmp_path):
    db = tmp_path / "newer.db"
    shutil.copy(sample_db, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()
    assert_one_clean_error(run(db), "newer clientdesk", "schema 99")
    con = sqlite3.connect(db)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(99,)]  # not "upgraded" down
    con.close()


def test_folder_as_db(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert_one_clean_error(run(folder), "directory")


def test_path_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    # status reads and creates nothing; a command that makes a desk meets the blocker
    assert_one_clean_error(run(blocker / "sub" / "desk.db", command="demo"), "cannot create the folder")


def test_not_an_sqlite_file(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not a database\n" * 3)
    assert_one_clean_error(run(db), "not an SQLite file")
    assert db.read_text().startswith("these are my notes")


# ---- read-only: permissions do not bind root, so as root these run as `nobody` (setpriv)


@pytest.fixture
def shared_dir():
    """A folder outside pytest's private (0700) tree, so another user can reach it."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    path = Path(tempfile.mkdtemp(prefix="clientdesk-ro-"))
    path.chmod(0o755)
    yield path
    for p in [path, *path.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)
    shutil.rmtree(path, ignore_errors=True)


def as_user() -> int | None:
    return NOBODY if os.geteuid() == 0 else None


def test_read_only_database_file(sample_db, shared_dir):
    folder = shared_dir / "desk"
    folder.mkdir()
    db = folder / "desk.db"
    shutil.copy(sample_db, db)
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)  # the folder is theirs, the file is not writable
    db.chmod(0o444)
    before = db.read_bytes()
    assert_one_clean_error(run(db, user=as_user(), config=shared_dir / "none.toml"), "read-only", str(db))
    assert db.read_bytes() == before


def test_read_only_folder(sample_db, shared_dir):
    folder = shared_dir / "desk"
    folder.mkdir()
    db = folder / "desk.db"
    shutil.copy(sample_db, db)
    if os.geteuid() == 0:
        os.chown(db, NOBODY, NOBODY)  # the file is theirs, the folder is not writable
    else:
        db.chmod(0o644)
    folder.chmod(0o555)
    assert_one_clean_error(run(db, user=as_user(), config=shared_dir / "none.toml"), "folder is read-only", str(folder))
    assert not (folder / "desk.db-wal").exists()


def test_new_database_in_a_read_only_folder(shared_dir):
    folder = shared_dir / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    db = folder / "desk.db"
    assert_one_clean_error(run(db, user=as_user(), config=shared_dir / "none.toml", command="demo"), "read-only folder")
    assert not db.exists()
