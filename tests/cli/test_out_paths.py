"""`--out` writes what it points at, never replaces it; `-` is standard output; a bad path is one line.

Real files in a temp dir: a FIFO read by a thread, a symlink, a character
device made with `os.mknod` (a copy of /dev/null), a folder; each command
that has `--out` (export, report, export-json, ics) goes through the same
helper, run here as the real command line.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from clientdesk.domain.errors import InputError
from clientdesk.output import write_output
from tests.cli.test_restore_backup import cli, one_line

COMMANDS = {
    "export-json": lambda out: ("export-json", out),
    "report": lambda out: ("report", "Atelier Moreau", "--out", out),
    "export": lambda out: ("export", "overview", "--format", "txt", "--size", "100x30", "--out", out),
    "ics": lambda out: ("ics", "--out", out),
}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    path = tmp_path_factory.mktemp("out") / "live.db"
    result = subprocess.run([sys.executable, "-m", "clientdesk", "--db", str(path), "demo"], capture_output=True,
                            text=True, env=dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris"))
    assert result.returncode == 0, result.stderr
    return path


def check_content(command: str, data: bytes) -> None:
    """What each command wrote, read back by an independent parser."""
    text = data.decode("utf-8")
    if command == "export-json":
        assert json.loads(text)["version"] == 1
    elif command == "ics":
        import icalendar

        assert icalendar.Calendar.from_ical(data).walk("VEVENT")
    elif command == "report":
        assert "Atelier Moreau" in text
    else:
        assert "Overview" in text or "client" in text.lower()


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_is_standard_output(live, command):
    result = subprocess.run([sys.executable, "-m", "clientdesk", "--db", str(live), *COMMANDS[command]("-")],
                            capture_output=True, env=dict(os.environ, CLIENTDESK_TODAY="2026-11-23",
                                                          CLIENTDESK_TZ="Europe/Paris"), timeout=120)
    assert result.returncode == 0, result.stderr
    check_content(command, result.stdout)
    assert not Path("-").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_an_empty_out_is_refused_in_one_line(live, command):
    one_line(cli(live, *COMMANDS[command]("")), "empty path")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_is_written_through_not_replaced(live, tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = cli(live, *COMMANDS[command](str(fifo)))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    check_content(command, got[0])


@pytest.mark.parametrize("command", COMMANDS)
def test_a_symlink_stays_a_link_and_its_target_is_written(live, tmp_path, command):
    real = tmp_path / "real.out"
    real.write_text("old")
    link = tmp_path / "link.out"
    link.symlink_to(real)
    result = cli(live, *COMMANDS[command](str(link)))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    check_content(command, real.read_bytes())


def test_a_character_device_is_written_through(tmp_path):
    null = tmp_path / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a second /dev/null
    except PermissionError:
        pytest.skip("mknod needs CAP_MKNOD")
    write_output(str(null), "to the device\n")
    assert stat.S_ISCHR(os.lstat(null).st_mode)  # still the device, not a regular file
    assert not [p for p in tmp_path.iterdir() if p.name != "null"]  # and no temporary file left


def test_a_regular_file_is_replaced_whole_and_keeps_its_mode(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o640)
    write_output(str(target), "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


@pytest.mark.parametrize("where", ["folder", "block-device"])
def test_what_cannot_be_written_is_refused(tmp_path, where):
    target = tmp_path / "x"
    if where == "folder":
        target.mkdir()
    else:
        try:
            os.mknod(target, 0o600 | stat.S_IFBLK, os.makedev(7, 200))
        except PermissionError:
            pytest.skip("mknod needs CAP_MKNOD")
    with pytest.raises(InputError, match="a folder|block device"):
        write_output(str(target), "x")


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk: writes fail with EFBIG instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
if sys.argv[2] == "-c":  # a piece of code, its errors said as the command line says them
    from clientdesk.launch import exit_for
    try:
        exec(sys.argv[3])
    except Exception as exc:
        sys.exit(exit_for(exc))
else:
    from clientdesk.cli import main
    main(sys.argv[2:])
"""


def run_on_a_full_disk(tmp_path: Path, limit: int, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "full_disk.py"
    script.write_text(FULL_DISK)
    return subprocess.run([sys.executable, str(script), str(limit), *args], capture_output=True, text=True,
                          env=dict(os.environ, CLIENTDESK_TODAY="2026-11-23", CLIENTDESK_TZ="Europe/Paris"),
                          cwd=Path(__file__).resolve().parents[2], timeout=120)


def test_a_full_disk_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "desk.json"
    target.write_text("the old export\n")
    code = ("import sys; from clientdesk.output import write_output; "
            f"write_output({str(target)!r}, 'x' * 200_000)")
    result = run_on_a_full_disk(tmp_path, 100_000, "-c", code)
    one_line(result, "cannot write", "File too large")
    assert target.read_text() == "the old export\n"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".partial"] == []


def test_demo_on_a_full_disk_says_so_and_leaves_no_file(tmp_path):
    db = tmp_path / "new.db"
    result = run_on_a_full_disk(tmp_path, 64 * 1024, "--db", str(db), "demo")
    line = one_line(result)
    assert "disk is full" in line or "too large" in line.lower(), line
    assert "no transaction is active" not in line
    assert not db.exists()
    assert not list(tmp_path.glob("new.db*"))
