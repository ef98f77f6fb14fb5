"""Live refresh: what anyone else commits to the desk reaches this app's views within a second, without a key.

A thread worker watches the database cheaply: on PostgreSQL it LISTENs on
its own autocommit connection (every commit that wrote is announced with
NOTIFY, see clientdesk/db/postgres.py); on SQLite it reads `PRAGMA
data_version` (it moves when another connection commits; a few
microseconds, four times a second); where neither is offered, the
journal's one-row fingerprint once a second. When something moved, the
journal entries committed since the last look become a ChangeSet
(`domain.live.news_since`) posted as the same `DataChanged` the app's own
writes post (with `local=False`), so the Board patches only those cards
and the other views read again only when the change touches what they
show. A commit with no journal entry (an import, a script's raw write, a
restore) is a full refresh. The app's own writes are skipped: their entries
are the writer's (read under its commit lock), the server's notifications
carry who sent them, and on SQLite a commit with nothing foreign in the
journal while this process was writing is taken as its own. After a
database error (a server gone, a connection cut) the watcher connects
again and reads everything, since what was missed cannot be known.
"""

from __future__ import annotations

import threading

from textual.message import Message
from textual.worker import get_current_worker

from clientdesk.domain.changeset import ChangeSet

#: seconds between two looks at the database's change stamp (a few microseconds each)
STAMP_INTERVAL = 0.25
#: seconds between two reads of the journal's fingerprint, where the engine has no data_version
POLL_INTERVAL = 1.0
#: seconds before watching again after a database error
RETRY_AFTER = 2.0


class LiveChange(Message):
    """Others committed these rows (posted from the watcher's thread to the app)."""

    def __init__(self, changed: ChangeSet) -> None:
        super().__init__()
        self.changed = changed


class LiveFeed:
    """The app's watcher of other people's commits (one thread worker, group "live")."""

    GROUP = "live"

    def __init__(self, app) -> None:
        self.app = app
        self.looks = 0  # how many times the watcher looked (tests and the bench)
        self.posted = 0  # how many changes it posted
        self.ready = threading.Event()  # set once the first mark is taken

    def start(self) -> None:
        self.app.run_worker(self._watch, thread=True, group=self.GROUP, name="live", exit_on_error=False)

    # -- the watcher's thread: no widgets here ---------------------------------
    def _watch(self) -> None:
        from clientdesk.db import DATABASE_ERRORS, read_session
        from clientdesk.domain.errors import ClientdeskError

        stop = get_current_worker().cancelled_event
        first = True
        while not stop.is_set():
            try:
                with read_session():
                    self._follow(stop, refresh_first=not first)
            except (ClientdeskError, *DATABASE_ERRORS):
                pass  # the database went away or broke: look again later, then read everything
            first = False
            if stop.wait(RETRY_AFTER):
                return

    def _follow(self, stop: threading.Event, *, refresh_first: bool) -> None:
        from clientdesk.db import change_listener, change_stamp, local_writes
        from clientdesk.domain.live import journal_fingerprint, journal_mark, news_since

        writer = self.app.writer
        announced: set[str] = set()
        listener = change_listener()  # listening before the mark: nothing falls between the two
        try:
            if not self._locked(writer.commit_lock, stop):
                return
            try:
                stamp = change_stamp() if listener is None else None
                fingerprint = journal_fingerprint() if listener is None and stamp is None else None
                mark = journal_mark()
                writes = local_writes()
                writer.take_own_entries()
            finally:
                writer.commit_lock.release()
            self.ready.set()
            if refresh_first:
                self._post(ChangeSet.unknown())  # back after an error: whatever was missed, read it all
            interval = STAMP_INTERVAL if stamp is not None else POLL_INTERVAL
            while not stop.is_set():
                if listener is not None:
                    announced = listener.wait(POLL_INTERVAL)
                    if not announced:
                        continue  # nothing, or only this app's own commits
                elif stop.wait(interval):
                    return
                else:
                    self.looks += 1
                    if stamp is not None:
                        if change_stamp() == stamp:
                            continue
                    elif journal_fingerprint() == fingerprint:
                        continue
                self.looks += 1 if listener is not None else 0
                if not self._locked(writer.commit_lock, stop):
                    return
                try:
                    if stamp is not None:
                        stamp = change_stamp()
                    elif listener is None:
                        fingerprint = journal_fingerprint()
                    news = news_since(mark, own=writer.take_own_entries())
                    writes_now = local_writes()
                finally:
                    writer.commit_lock.release()
                mark = news.mark
                ours, writes = writes_now != writes, writes_now
                if news.changed:
                    self._post(news.changed)
                elif news.entries:
                    continue  # foreign entries that touched no row
                elif "raw" in announced or (stamp is not None and not ours):
                    self._post(ChangeSet.unknown())  # committed without a journal entry: read it all
        finally:
            if listener is not None:
                listener.close()

    @staticmethod
    def _locked(lock: threading.Lock, stop: threading.Event) -> bool:
        """Take `lock` (held by the writer while a write waits on the database), unless the app stops."""
        while not lock.acquire(timeout=0.5):
            if stop.is_set():
                return False
        return True

    def _post(self, changed: ChangeSet) -> None:
        self.posted += 1
        self.app.post_message(LiveChange(changed))


__all__ = ["LiveChange", "LiveFeed", "POLL_INTERVAL", "STAMP_INTERVAL"]
