"""`clientdesk status` as a table a person can read in a terminal."""

from __future__ import annotations

from rich.cells import cell_len

from clientdesk.domain.status import ClientStatus
from clientdesk.safe_text import terminal_safe

HEADERS = ("client", "health", "open", "overdue", "due wk", "planned h", "logged h", "burn", "next check-in", "changes", "why")


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - cell_len(text))
    return gap + text if right else text + gap


def status_table(rows: list[ClientStatus]) -> str:
    """Aligned columns (wide characters counted by cell width), one client a line."""
    if not rows:
        return "no active clients\n"
    body = []
    for r in rows:
        planned = f"{r.planned_hours_week:.1f}" + (f"/{r.weekly_target_hours:g}" if r.weekly_target_hours else "")
        body.append(
            (
                terminal_safe(r.client, newlines=False),
                r.health,
                str(r.open),
                str(r.overdue),
                str(r.due_week),
                planned,
                f"{r.logged_hours_month:.1f}",
                "-" if r.burn is None else f"{r.burn:.0%}",
                r.next_checkin.to_date_string() + (" late" if r.checkin_late else ""),
                str(r.open_changes),
                terminal_safe("; ".join(r.reasons), newlines=False),
            )
        )
    widths = [max(cell_len(x) for x in col) for col in zip(HEADERS, *body)]
    numeric = {2, 3, 4, 5, 6, 7, 9}
    lines = []
    for row in (HEADERS, *body):
        cells = [_pad(v, widths[i], right=i in numeric) for i, v in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
