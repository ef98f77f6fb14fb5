"""Where exports and reports are written: the config's `export_dir`, else a
clientdesk folder in the user's documents folder, under names that carry the
day, so a second export never overwrites the first (nor lands in a checkout).
"""

from __future__ import annotations

import re
from pathlib import Path

from clientdesk import clock
from clientdesk.config import Settings, current_settings

APP_FOLDER = "clientdesk"


def export_dir(settings: Settings | None = None) -> Path:
    """The folder exports go to (not created here)."""
    settings = settings or current_settings()
    if settings.export_dir:
        return Path(settings.export_dir).expanduser()
    import platformdirs

    return platformdirs.user_documents_path() / APP_FOLDER


def slug(text: str, fallback: str = "export") -> str:
    """A name made safe for any file system: 'Hudson & Pike' -> 'hudson-pike'."""
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-").lower() or fallback


def export_path(stem: str, ext: str, settings: Settings | None = None) -> Path:
    """A new file `<export_dir>/<stem>-<today>.<ext>`, with -2, -3... when one
    of that name is already there; the folder is created."""
    folder = export_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{stem}-{clock.today().to_date_string()}"
    path = folder / f"{base}.{ext}"
    n = 2
    while path.exists():
        path = folder / f"{base}-{n}.{ext}"
        n += 1
    return path


def write_export(stem: str, ext: str, content: str, settings: Settings | None = None) -> Path:
    """Write `content` to a new export file and return its full path.

    The file is created exclusively, so two exports in the same instant get
    two names rather than one overwriting the other. Its text is made
    terminal-safe, as every output is: `cat` of an export obeys no escape.
    """
    from clientdesk.safe_text import terminal_safe

    content = terminal_safe(content)
    while True:
        path = export_path(stem, ext, settings)
        try:
            with open(path, "x", encoding="utf-8") as fh:
                fh.write(content)
            return path.resolve()
        except FileExistsError:
            continue


__all__ = ["APP_FOLDER", "export_dir", "export_path", "slug", "write_export"]
