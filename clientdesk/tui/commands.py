"""The command palette's own commands: jump to a client, add work, export the view."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from clientdesk.db import read_session


class ClientCommands(Provider):
    """'client: open board of X', 'client: details of X' for every active client."""

    async def startup(self) -> None:
        def read():
            from clientdesk.domain.clients import list_clients  # when the palette first opens, not at launch

            with read_session():
                return list_clients()

        worker = self.app.run_worker(read, thread=True)
        self.clients = await worker.wait()

    def _commands(self):
        for c in self.clients:
            yield f"client: open board of {c.name}", partial(self.app.open_board, c.id), "Board (2) of this client"
            yield f"client: details of {c.name}", partial(self.app.open_client, c.id), "Profile, log, risks, feedback"
            yield f"task: new task for {c.name}", partial(self.app.new_task, c.id), "Open the task form for this client"

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
