"""The command palette's own commands: jump to a client, add work, export the view."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from clientdesk.db import read_session
from clientdesk.safe_text import terminal_safe


class ClientCommands(Provider):
    """'client: open board of X' and 'task: new task for X' for every active client; 'client: details
    of X' for every client, a paused or archived one with its state and 'client: restore X'."""

    async def startup(self) -> None:
        def read():
            from clientdesk.domain.clients import list_clients  # when the palette first opens, not at launch

            with read_session():
                return list_clients(include_inactive=True)

        worker = self.app.run_worker(read, thread=True)
        self.clients = await worker.wait()

    def _restore(self, client_id: int) -> None:
        from clientdesk.tui import flows

        flows.set_client_status(self.app, client_id, "active")

    def _commands(self):
        for c in self.clients:
            if c.status != "active":
                yield (f"client: details of {c.name} ({c.status})", partial(self.app.open_client, c.id),
                       f"Profile, log, risks, feedback of this {c.status} client (R there restores it)")
                yield (f"client: restore {c.name} ({c.status})", partial(self._restore, c.id),
                       "Make this client active again: back on the Overview (u undoes)")
                continue
            yield f"client: open board of {c.name}", partial(self.app.open_board, c.id), "Board (2) of this client"
            yield f"client: details of {c.name}", partial(self.app.open_client, c.id), "Profile, log, risks, feedback"
            yield f"task: new task for {c.name}", partial(self.app.new_task, c.id), "Open the task form for this client"

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(entry(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlighted(matcher, title), callback, text=title, help=help_text)


def entry(title: str) -> Content:
    """A palette entry as literal text: a client named `[@click=app.quit]x[/]` is a name, not an action."""
    return Content(terminal_safe(title))


def highlighted(matcher: Matcher, title: str) -> Content:
    """The entry with the letters the query matched in the matcher's style.

    `Matcher.highlight` reads its candidate as markup (Textual 8.2), which is
    what let a client's name run an action or crash the palette; this marks
    the same offsets on literal text. The escapes `terminal_safe` writes only
    add characters after the control they replace, so offsets are mapped.
    """
    _score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    safe = [terminal_safe(ch) for ch in title]
    starts, at = [], 0
    for piece in safe:
        starts.append(at)
        at += len(piece)
    content = Content("".join(safe))
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, starts[offset], starts[offset] + len(safe[offset]))
    return content
