"""Messages that carry data from workers and intent from widgets up to screens."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class DataLoaded(Message):
    """A screen's worker finished reading; `payload` is whatever its loader returned."""

    def __init__(self, payload: Any, token: int) -> None:
        super().__init__()
        self.payload = payload
        self.token = token


class DataChanged(Message):
    """Something in the database changed (an action, an undo): views should reload."""
