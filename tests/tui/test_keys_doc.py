"""docs/keys.md is the key contract as the code has it: every binding id, its keys, what it does."""

from __future__ import annotations

from pathlib import Path

from clientdesk.tui.keymap_check import binding_scopes
from clientdesk.tui.keys_doc import keys_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "keys.md"


def test_docs_keys_md_matches_the_bindings():
    assert DOC.read_text(encoding="utf-8") == keys_markdown(), (
        "docs/keys.md is stale: python -m clientdesk.tui.keys_doc > docs/keys.md")


def test_every_binding_id_is_in_docs_keys_md():
    text = DOC.read_text(encoding="utf-8")
    app_bindings, scopes = binding_scopes()
    ids = {b.id for b in app_bindings if b.id} | {b.id for bs in scopes.values() for b in bs if b.id}
    assert len(ids) > 50
    assert [i for i in sorted(ids) if f"`{i}`" not in text] == []
