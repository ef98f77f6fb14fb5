"""clientdesk: a keyboard-driven terminal desk for many clients at once."""

import importlib
import importlib.util
import sys
import types

__version__ = "0.1.0"


class _Deferred(types.ModuleType):
    """Stands in `sys.modules` for a module until one of its names is first used,
    then imports the real one (which takes its place) and hands names on from it."""

    def __getattr__(self, name: str):
        real = self.__dict__.get("_real_module")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_real_module"] = real
        return getattr(real, name)


def _defer(name: str) -> None:
    """Import `name` on first use instead of when another module imports it."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except ImportError:
        return
    if spec is None:
        return
    stub = _Deferred(name)
    stub.__spec__ = spec
    sys.modules[name] = stub


# pendulum imports dateutil's parser for lenient parsing (`strict=False`), which
# clientdesk never asks for: every date it reads is parsed strictly. Importing
# it pulls in dateutil.tz, tempfile, shutil and more, ~15-20 ms of every launch
# (benchmarks/README.md). Whoever does use it gets it on first access.
_defer("dateutil.parser")
# Peewee imports hashlib (OpenSSL, ~5-8 ms) to name a constraint when it creates
# one, which the app never does once the database exists.
_defer("hashlib")
# Peewee imports PostgreSQL's driver when it is imported (0.15-0.3 s); it loads only
# for a desk on PostgreSQL (clientdesk/db/driver.py).
from clientdesk.db.driver import hold_back as _hold_back  # noqa: E402

_hold_back()
