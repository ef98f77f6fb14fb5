"""The architecture at run time: the headless core never loads Textual, and what
launch defers stays deferred. The static layer contract is [tool.importlinter]
in pyproject.toml, checked by `make lint`. Only clientdesk/db/ names a database engine in its code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "clientdesk"


def test_headless_core_does_not_load_textual():
    """Every module of the headless packages, imported in a fresh process, leaves Textual unloaded
    (the static contract is [tool.importlinter] in pyproject.toml, run by `make lint`)."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import clientdesk.cli, clientdesk.db, clientdesk.config\n"
        "names = []\n"
        "for pkg in ('domain', 'models', 'formats', 'importers', 'migrations'):\n"
        "    mod = importlib.import_module('clientdesk.' + pkg)\n"
        "    for info in pkgutil.iter_modules(mod.__path__):\n"
        "        importlib.import_module(f'clientdesk.{pkg}.{info.name}')\n"
        "        names.append(info.name)\n"
        "assert len(names) > 40, names\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'clientdesk.tui'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


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


#: words that name an engine, its driver or its own SQL; only clientdesk/db/ may use them in code
ENGINE_WORDS = ("sqlite", "postgres", "psycopg", "pragma", "julianday", "pg_", "setval", "autoincrement",
                "data_version", "total_changes", "lastrowid", "ilike", "glob", "nextval", "serial")


def _code_words(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every name, attribute, import and string in the module's code: not its comments
    and docstrings, which may say which engine a rule is for."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            out.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            out.append((node.lineno, node.attr))
        elif isinstance(node, ast.alias):
            out.append((node.lineno, node.name))
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            out.append((node.lineno, node.value))
    return out


def test_only_the_database_package_names_an_engine():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "db":
            continue
        for line, text in _code_words(path):
            low = text.lower()
            hits = [w for w in ENGINE_WORDS if w in low]
            if hits:
                offenders.append(f"{rel}:{line}: {hits[0]} in {text[:60]!r}")
    assert offenders == []


def test_the_engine_check_sees_code_and_not_prose(tmp_path):
    """The check above must catch an engine in code (else it passes for nothing) and leave prose alone."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Works on SQLite and PostgreSQL alike."""\n'
        "import sqlite3  # a comment that says sqlite is fine\n"
        "def f(db):\n"
        '    """Uses julianday in prose only."""\n'
        '    return db.execute_sql("PRAGMA data_version"), isinstance(db, SqliteDatabase)\n'
    )
    words = [text.lower() for _line, text in _code_words(sample)]
    flagged = [t for t in words if any(w in t for w in ENGINE_WORDS)]
    assert flagged == ["sqlite3", "pragma data_version", "sqlitedatabase"], flagged


def test_every_module_imports():
    """Every module of the package imports (an import a linter removed as unused but another module
    re-imported from there fails here, not on the first screen that needs it)."""
    code = (
        "import importlib, pkgutil, clientdesk\n"
        "names = [m.name for m in pkgutil.walk_packages(clientdesk.__path__, 'clientdesk.')\n"
        "         if not m.name.endswith('__main__')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "assert len(names) > 100, len(names)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
