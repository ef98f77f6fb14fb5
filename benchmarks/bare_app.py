"""The baseline for launch time: a bare Textual app showing a 60-row DataTable.

    .venv/bin/python benchmarks/bare_app.py

No database, no workers: `import textual`, build the app, add 60 rows of ten
cells (as many cells as the Overview's client table) and paint. `q` quits.
Its rows read `Client 00` ... `Client 59`, as the generator's clients do, so
the benchmark detects both apps' first paint the same way.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable

COLUMNS = ("Health", "Client", "Open", "Late", "Wk", "Planned", "Burn", "Check-in", "CRs", "Why")


class BareApp(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        for i in range(60):
            table.add_row("● red", f"Client {i:02d}", str(100 + i), str(i % 7), str(i % 5), "4h/6h", "█████ 80%",
                          "24 Nov", str(i % 3), "2 overdue; check-in late 3d", key=str(i))


if __name__ == "__main__":
    BareApp().run()
