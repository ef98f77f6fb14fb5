"""Who is at the keyboard: the person every timer, assignment and journal entry belongs to.

`CLIENTDESK_USER`, else the config's `user`, else the login name. On a desk
shared by a team each person's undo, timer and "mine" filter follow it.
"""

from __future__ import annotations

import getpass
import os

_override: str | None = None


def set_user(name: str | None) -> None:
    """Pin the current person (the config's `user`, or a test); None goes back to the default."""
    global _override
    _override = name.strip() if name and name.strip() else None


def current_user() -> str:
    """The current person's name, never empty."""
    env = os.environ.get("CLIENTDESK_USER", "").strip()
    if env:
        return env
    if _override:
        return _override
    try:
        login = getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        login = ""
    return login.strip() or "me"


__all__ = ["current_user", "set_user"]
