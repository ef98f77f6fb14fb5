"""docs/keys.md, written from the bindings themselves: `python -m clientdesk.tui.keys_doc > docs/keys.md`.

The key contract is the code's BINDINGS (each with an id, a description and
the keys it answers to); this module lays them out as Markdown, one table per
place, and tests/tui/test_keys_doc.py fails when docs/keys.md says otherwise.
"""

from __future__ import annotations

from textual.binding import Binding

from clientdesk.tui.keymap_check import binding_scopes
from clientdesk.tui.keys import format_key

HEADER = """# Keys

Every key of clientdesk, by where it works (a screen, a form, a list). Each has an id: the config
file's `[keymap]` rebinds it by that id (`done = "x,space"`), and `?` in
the app shows the same list for the view you are in. Generated from the
code (`python -m clientdesk.tui.keys_doc > docs/keys.md`); a test fails
when this file and the bindings disagree.
"""


def _rows(bindings: list[Binding]) -> list[str]:
    seen, rows = set(), []
    for b in bindings:
        key = (b.id, b.key, b.action)
        if not b.id or key in seen:  # Textual's own keys (tab, copy) have no id: not ours to list
            continue
        seen.add(key)
        keys = " ".join(f"`{format_key(k.strip())}`" for k in b.key.split(","))
        does = (b.description or b.action).replace("|", "\\|")
        rows.append(f"| {keys} | {does} | `{b.id}` |")
    return rows


def keys_markdown() -> str:
    """The whole of docs/keys.md."""
    app_bindings, scopes = binding_scopes()
    out = [HEADER, "## Everywhere (the app)", "", "| keys | does | id |", "|---|---|---|", *_rows(app_bindings), ""]
    for name in sorted(scopes):
        rows = _rows(scopes[name])
        if rows:
            out += [f"## {name}", "", "| keys | does | id |", "|---|---|---|", *rows, ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(keys_markdown(), end="")
