"""When two names are the same name: the key clients (and other named rows) are compared by.

"Émile" typed on a Mac (NFD), pasted from a web page (NBSP, a zero-width
joiner) or in fullwidth letters is still the same client. Names are stored as
typed; they are compared after NFKC normalisation, with invisible characters
dropped, runs of spaces folded and case folded.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """The form two names are compared in: equal keys mean the same name."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return unicodedata.normalize("NFKC", text.casefold())


__all__ = ["name_key"]
