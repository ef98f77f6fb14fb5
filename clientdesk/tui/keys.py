"""Key names as people read them ('plus' -> '+')."""

from __future__ import annotations

from textual.binding import Binding

NAMES = {
    "plus": "+", "minus": "-", "equals_sign": "=", "greater_than_sign": ">", "less_than_sign": "<",
    "question_mark": "?", "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]",
    "enter": "enter", "escape": "esc", "space": "space", "number_sign": "#",
}


def format_key(key: str) -> str:
    return "/".join(NAMES.get(k, k) for k in key.split(","))


#: The triage keys of the contract, the same (ids included, so one keymap line
#: rebinds them everywhere) wherever tasks are listed: the Overview's Today
#: list and the Board. Screens implement priority(step), move(step), done, mark.
TRIAGE_BINDINGS = [
    Binding("plus,equals_sign", "priority(-1)", "Prio +", id="priority-up"),
    Binding("minus", "priority(1)", "Prio -", id="priority-down"),
    Binding("greater_than_sign", "move(1)", "Next col", id="status-next"),
    Binding("less_than_sign", "move(-1)", "Prev col", id="status-prev"),
    Binding("x", "done", "Done", id="done"),
    Binding("v", "mark", "Mark", id="mark", tooltip="Mark and move down (triage keys act on all marked)"),
]

#: Pause, archive and restore a client, one key each (one journal action; `u` takes it back), the
#: same ids on the Overview's client rows and the client detail. Screens implement
#: client_status(status) and show only the keys that apply (a paused client has no Pause).
CLIENT_STATUS_BINDINGS = [
    Binding("z", "client_status('paused')", "Pause", id="client-pause",
            tooltip="Pause the client: off the Overview and fill my week, everything kept (u undoes)"),
    Binding("Z", "client_status('archived')", "Archive", id="client-archive",
            tooltip="Archive the client: done working for them, everything kept (u undoes)"),
    Binding("R", "client_status('active')", "Restore", id="client-restore",
            tooltip="Make a paused or archived client active again (u undoes)"),
]
