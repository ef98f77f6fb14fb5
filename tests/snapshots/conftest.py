"""Snapshot tests name one person in the header, whoever runs them."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fixed_person(monkeypatch):
    monkeypatch.setenv("CLIENTDESK_USER", "camille")
