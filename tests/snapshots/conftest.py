"""Snapshot tests name one person in the header, whoever runs them, and draw a
focused text box with its cursor shown, never mid-blink.

A form opens with the focus in its first field, whose cursor blinks every
half second: taken a moment earlier or later, the same screen drew with or
without it, and a baseline failed at random.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def fixed_person(monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "camille")


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    made = Input.__init__

    def without_blink(self, *args, **kwargs) -> None:
        made(self, *args, **kwargs)
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", without_blink)
