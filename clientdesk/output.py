"""Where a command's output goes: `--out PATH`, or `-` for standard output.

One helper for every command that writes a file (export, report, export-json,
ics, invoice), so they all treat a path alike:

- a new path or a regular file is written atomically: a hidden temporary
  file beside it, renamed over it when whole, so a full disk or a kill
  never leaves half a report under the name;
- a symlink is followed: the file it points at is written (atomically if
  regular), the link itself stays a link;
- a FIFO or a character device (`/dev/stdout`, `/dev/null`, a terminal) is
  written through, never replaced by a regular file;
- a folder, a block device (a disk) or a socket is refused, in one line;
- `-` is standard output; an empty path is refused.

Text is made safe for a terminal on the way out (a report `cat`ed or piped
must not retitle the window or write the clipboard); JSON keeps its
characters but writes the ones a terminal would obey as `\\uXXXX` escapes.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable

from clientdesk.domain.errors import InputError
from clientdesk.safe_text import json_safe, terminal_safe

STDOUT = "-"


def describe(out: str) -> str:
    """How a message names the destination."""
    return "standard output" if out == STDOUT else terminal_safe(out, newlines=False)


def check_out(out: object, option: str = "--out") -> str:
    """Refuse, before any work is done, an output path that can never be written."""
    if not isinstance(out, str) or not out.strip():
        raise InputError(f"{option}: empty path; give a file name, or - for standard output")
    if "\x00" in out:
        raise InputError(f"{option}: a path cannot hold a NUL character: {terminal_safe(out, newlines=False)}")
    if out == STDOUT:
        return out
    _kind(Path(out).expanduser(), option)
    return out


def write_output(out: str, data: str | bytes, *, make_safe: Callable[[str], str] = terminal_safe,
                 option: str = "--out") -> str:
    """Write `data` to `out` (see the module's rules); returns how to name where it went."""
    check_out(out, option)
    payload = (make_safe(data) if make_safe else data).encode("utf-8") if isinstance(data, str) else data
    if out == STDOUT:
        stream = sys.stdout.buffer
        stream.write(payload)
        stream.flush()
        return describe(out)
    path = Path(out).expanduser()
    kind = _kind(path, option)  # what the path, or the link's target, is (/dev/stdout: a pipe, a terminal)
    try:
        if kind == "through":
            with open(path, "wb") as fh:
                fh.write(payload)
        else:
            _replace_atomically(Path(os.path.realpath(path)) if path.is_symlink() else path, payload)
    except OSError as exc:
        raise InputError(f"cannot write {describe(out)}: {exc.strerror or exc}") from None
    return describe(out)


def _kind(path: Path, option: str) -> str:
    """'file' (a regular file or a new path: written atomically) or 'through' (a FIFO or character device)."""
    try:
        mode = os.stat(path).st_mode  # follows symlinks: the thing written is what the link points at
    except FileNotFoundError:
        return "file"
    except OSError as exc:
        raise InputError(f"{option}: cannot use {terminal_safe(path, newlines=False)}: {exc.strerror}") from None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "through"
    word = "a folder" if stat.S_ISDIR(mode) else "a block device (a disk)" if stat.S_ISBLK(mode) else "a socket"
    raise InputError(f"{option}: {terminal_safe(path, newlines=False)} is {word}; give a file name")


def _replace_atomically(target: Path, payload: bytes) -> None:
    folder = target.parent
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


__all__ = ["STDOUT", "check_out", "describe", "json_safe", "write_output"]
