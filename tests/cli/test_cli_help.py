"""`clientdesk --help` lists every command with its whole first sentence."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest


@pytest.mark.parametrize("args", [["--help"], ["add", "--help"], ["template", "--help"]])
@pytest.mark.parametrize("columns", ["80", "200"])
def test_help_never_cuts_a_description(args, columns):
    env = dict(os.environ, COLUMNS=columns)
    done = subprocess.run([sys.executable, "-m", "clientdesk", *args], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    listing = done.stdout.split("Commands:\n", 1)[1]
    assert "..." not in listing
    assert all(len(line) <= max(int(columns), 80) for line in listing.splitlines())
    joined = re.sub(r"\s+", " ", listing)
    if args == ["--help"]:
        assert "A consistent copy of the database, safe while the app is running." in joined
        assert "A weekly status report for one client, in the client's language." in joined
