"""Reading a file the user hands to `import`: bounded in size, UTF-8 with or without a BOM, JSON parsed safely.

Every importer reads through here, so an endless file (`/dev/zero`), a
100,000-deep JSON nesting, a 5,000-digit number or a Windows editor's BOM
end in one line naming the file, never in a MemoryError, a RecursionError or
a ValueError from deep inside the json module.
"""

from __future__ import annotations

import json
import os
import stat

from clientdesk.domain.errors import InputError
from clientdesk.limits import MAX_DIGITS, MAX_IMPORT_BYTES, MAX_JSON_DEPTH
from clientdesk.safe_text import terminal_safe


def _name(path: str | os.PathLike) -> str:
    return terminal_safe(os.fspath(path), newlines=False)


def read_input(path: str | os.PathLike, *, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of `path`, refused past `limit` bytes (read as a stream: a pipe or device works too)."""
    name = _name(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"no such file: {name}") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {name}: {getattr(exc, 'strerror', None) or exc}") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"cannot read {name}: it is a folder")
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"{name}: larger than {limit // (1024 * 1024)} MB, the most clientdesk imports at once")
    return data


def decode_text(data: bytes, path: str | os.PathLike) -> str:
    """UTF-8 text (a leading BOM, as Windows editors write, is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{_name(path)}: not UTF-8 text (byte {exc.start + 1} is 0x{data[exc.start]:02x})") from None


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise JsonLimit(f"a number of {digits:,} digits (at most {MAX_DIGITS}): {text[:12]}…")
    return int(text)


class JsonLimit(ValueError):
    """JSON beyond the limits (a number too long, nesting too deep); the message says which."""


def _depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets in strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def loads(text: str):
    """`json.loads`, with numbers of at most MAX_DIGITS digits and nesting refused past MAX_JSON_DEPTH
    (JsonLimit) instead of a ValueError or a RecursionError from inside the json module."""
    try:
        return json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        pass
    if _depth(text) > MAX_JSON_DEPTH:
        raise JsonLimit(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    raise JsonLimit("JSON nested too deeply to read")


def parse_json(text: str, path: str | os.PathLike):
    """The JSON value of `text`; one line naming `path` for anything malformed or beyond the limits."""
    name = _name(path)
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except JsonLimit as exc:
        raise InputError(f"{name}: {exc}") from None


def load_json(path: str | os.PathLike):
    """Read, decode and parse the JSON file at `path`."""
    return parse_json(decode_text(read_input(path), path), path)


__all__ = ["read_input", "decode_text", "loads", "parse_json", "load_json", "JsonLimit"]
