"""Every Text and Content the app draws shows control characters as visible escapes, never sends them.

Rich's `Text` and Textual's `Content` drop only BEL, BS, VT, FF and CR from
what they are given; ESC passes, so a client named with `ESC ] 52 ; ...`
would write the clipboard the moment a list showed it. Each screen passes
user text through `terminal_safe` where it builds a cell, and this is the net
under them all, Textual's own widgets included (inputs, selects, option
lists, notifications, the palette): the two tables both libraries translate
text through are extended with `visible_escapes()`, once, when the app is
made. The tables are private module data of the exact versions pinned in
pyproject.toml (rich, textual), reached through tui/compat.py;
tests/tui/test_terminal_safety.py fails loudly if an upgrade moves them.
"""

from __future__ import annotations

from clientdesk.safe_text import visible_escapes
from clientdesk.tui.compat import control_strip_tables

#: what the libraries already drop (kept dropped: a CR from a Windows file is noise, not content)
_DROPPED = (7, 8, 11, 12, 13)


def install() -> None:
    """Extend Rich's and Textual's control-character tables (idempotent)."""
    extra = {code: shown for code, shown in visible_escapes().items() if code not in _DROPPED}
    for table in control_strip_tables():
        table.update(extra)


__all__ = ["install"]
