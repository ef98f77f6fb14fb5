"""screenshots/ is what `make screenshots` writes from the current code: never stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from clientdesk.tui.screenshots import SHOTS, render_all

COMMITTED = Path(__file__).resolve().parent.parent / "screenshots"


def test_screenshots_are_up_to_date(tmp_path, monkeypatch):
    monkeypatch.setenv("CLIENTDESK_NOW", "2026-11-23T08:00:00")
    monkeypatch.setenv("CLIENTDESK_USER", "camille")
    fresh = render_all(tmp_path, progress=lambda line: None)
    assert sorted(p.name for p in fresh) == sorted(SHOTS)
    stale = [p.name for p in fresh if not (COMMITTED / p.name).exists()
             or (COMMITTED / p.name).read_text(encoding="utf-8") != p.read_text(encoding="utf-8")]
    if stale:
        pytest.fail(f"stale screenshots (run `make screenshots`): {', '.join(stale)}")
