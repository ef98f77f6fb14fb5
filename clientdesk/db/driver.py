"""PostgreSQL's driver (psycopg 3), loaded only for a desk on PostgreSQL.

Peewee imports psycopg when Peewee itself is imported, which cost 0.15-0.3 s
of every launch here, SQLite desks included. `hold_back` (called by
`clientdesk/__init__.py`, before anything imports Peewee) makes that import
find nothing; `load` imports psycopg when a PostgreSQL URL is opened and
hands it to Peewee as if Peewee had found it. psycopg2 is never installed:
Peewee would prefer it.
"""

from __future__ import annotations

import sys

_NAME = "psycopg"


def hold_back() -> None:
    """Keep Peewee's import of the driver from loading it (only if neither is imported yet)."""
    if "peewee" not in sys.modules and _NAME not in sys.modules:
        sys.modules[_NAME] = None  # `import psycopg` raises ImportError until `load`


def load():
    """The driver module, imported now and given to Peewee."""
    if _NAME in sys.modules and sys.modules[_NAME] is None:
        del sys.modules[_NAME]
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    import peewee

    if peewee.psycopg is None:
        peewee.psycopg = psycopg
        peewee.TransactionStatus = TransactionStatus
        peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb
        adapter = peewee.Psycopg3Adapter
        adapter.txn_idle = TransactionStatus.IDLE
        adapter.txn_inerror = TransactionStatus.INERROR
        adapter.txn_unknown = TransactionStatus.UNKNOWN
    return psycopg
