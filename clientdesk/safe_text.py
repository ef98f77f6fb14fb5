"""User text made safe to show on a terminal or write where a terminal may read it.

Rich strips only a few controls (BEL, BS, VT, FF, CR): ESC passes through, so
an imported name could set the window title, write the clipboard (OSC 52) or
make the terminal type a reply into the shell. Every widget, text output and
error message that carries user text goes through `terminal_safe`, which
shows C0 and C1 controls, DEL and ESC as visible escapes (`\\x1b`) and
bidirectional overrides as their code (`<U+202E>`), so nothing the user typed
is obeyed by the terminal and nothing is hidden from the reader.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls.
_CONTROLS = "".join(chr(c) for c in range(0x20) if c not in (0x09, 0x0A)) + "\x7f" + "".join(
    chr(c) for c in range(0x80, 0xA0)
)
# Bidi embeddings, overrides and isolates, which reorder what the reader sees.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_UNSAFE = re.compile(f"[{re.escape(_CONTROLS + _BIDI)}]|[\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def visible_escapes() -> dict[int, str]:
    """A `str.translate` table: each character `terminal_safe` replaces, to what it shows instead
    (tab and newline are left out: they lay text out)."""
    return {ord(ch): _visible(re.match(".", ch, re.S)) for ch in _CONTROLS + _BIDI}


def terminal_safe(text: object, *, newlines: bool = True) -> str:
    """`text` as a string with nothing a terminal would act on.

    `newlines=False` also shows newlines and tabs as escapes, for one-line
    places such as a table cell or an error line.
    """
    value = "" if text is None else str(text)
    if not newlines:
        value = value.replace("\n", "\\n").replace("\t", "\\t")
    if _UNSAFE.search(value) is None:
        return value
    return _UNSAFE.sub(_visible, value)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]")


def json_safe(text: str) -> str:
    """JSON text with C1 controls, DEL, bidi controls and lone surrogates as `\\uXXXX` (the same data).

    `json.dumps` escapes C0 controls (ESC included) itself; what it leaves raw
    with `ensure_ascii=False`, a terminal would still obey (C1 CSI is ESC [).
    Here, not in `output.py`, so the fast `track status` can use it without
    loading the file-writing helpers."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


__all__ = ["json_safe", "terminal_safe", "visible_escapes"]
