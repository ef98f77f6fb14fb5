"""The architecture, enforced: the headless core never loads Textual, widgets
never reach the models, and only domain/, db.py and migrations/ import them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "clientdesk"


def test_headless_core_does_not_load_textual():
    code = (
        "import sys\n"
        "import clientdesk.cli, clientdesk.db, clientdesk.domain.status, clientdesk.domain.changes,"
        " clientdesk.domain.tasks, clientdesk.domain.journal, clientdesk.domain.clients, clientdesk.formats.status_table\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_only_the_domain_layer_imports_models_or_peewee():
    allowed = {"domain", "models", "migrations"}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in allowed or rel.name == "db.py":
            continue
        for mod in _imports(path):
            if mod.startswith("clientdesk.models") or mod == "peewee" or mod.startswith("playhouse"):
                offenders.append(f"{rel}: {mod}")
    assert offenders == []


def test_domain_never_imports_textual():
    offenders = []
    for sub in ("domain", "models", "formats", "migrations", "importers"):
        for path in (PACKAGE / sub).rglob("*.py"):
            for mod in _imports(path):
                if mod.startswith("textual") or mod.startswith("clientdesk.tui"):
                    offenders.append(f"{path.relative_to(PACKAGE)}: {mod}")
    assert offenders == []


def test_modules_deferred_at_launch_load_on_first_use():
    """dateutil's parser and hashlib wait until used (launch time); then they work as if imported normally."""
    code = (
        "import sys\n"
        "import clientdesk.launch, clientdesk.config, clientdesk.db, clientdesk.domain.overview, clientdesk.tui.app\n"
        "assert 'dateutil.tz' not in sys.modules and '_hashlib' not in sys.modules, 'loaded at launch'\n"
        "import pendulum, hashlib, dateutil\n"
        "assert str(pendulum.parse('Nov 23 2026 10:30', strict=False)) == '2026-11-23 10:30:00+00:00'\n"
        "from dateutil.parser import isoparse\n"
        "assert isoparse('2026-11-23').day == 23 and dateutil.parser is sys.modules['dateutil.parser']\n"
        "assert hashlib.md5(b'').hexdigest() == 'd41d8cd98f00b204e9800998ecf8427e'\n"
        "from hashlib import sha256\n"
        "assert sha256(b'').hexdigest().startswith('e3b0c442')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
