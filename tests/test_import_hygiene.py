"""The architecture at run time: the headless core never loads Textual, and what
launch defers stays deferred. The static layer contract is [tool.importlinter]
in pyproject.toml, checked by `make lint`."""

from __future__ import annotations

import subprocess
import sys


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
