"""Driving the real app with Pilot: build it, let its workers finish, press keys."""

from __future__ import annotations

from clientdesk.tui.app import create_app
from clientdesk.tui.export import settle

__all__ = ["create_app", "settle", "press"]


async def press(pilot, *keys: str) -> None:
    """Press keys one by one, letting reloads finish after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
