"""Keys of a burst land where they were typed, in order.

Textual hands every key to the focused widget's own queue as soon as it
reads it, and a Tab the field does not use travels up to the screen to move
the focus later. When text and Tab come in one read (a fast typist, a
password manager, a terminal replaying keys), the field has already been
handed the text typed after the Tab, so that text lands in the same field
and the Tab seems lost ("Thirdsome longer description" in the title). Here
the app moves the focus for Tab and shift+Tab itself, in the order the keys
came, before the keys after it are handed on; a widget that uses Tab itself
(a text area that indents) keeps it.

A paste (`Paste`, the terminal's bracketed paste) is text for the focused
field only: it never moves the focus, whatever it holds. A one-line field
takes all of it with its tabs and line breaks as spaces (Textual would keep
only the first line), so nothing pasted is dropped silently.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

FOCUS_KEYS = {"tab": "next", "shift+tab": "previous"}


_FOCUS_ACTIONS = {"app.focus_next", "app.focus_previous", "focus_next", "focus_previous"}


def _uses_key(widget, key: str) -> bool:
    """Whether the widget, a container or its screen binds `key` to anything but moving the focus."""
    if isinstance(widget, TextArea) and key == "tab" and widget.tab_behavior == "indent":
        return True
    node = widget
    while node is not None and node is not widget.app:
        for klass in type(node).__mro__:
            for binding in klass.__dict__.get("BINDINGS", ()):
                keys = getattr(binding, "key", None)
                if keys and key in keys.split(",") and binding.action not in _FOCUS_ACTIONS:
                    return True
        node = node.parent
    return False


def move_focus_in_order(app, event: events.Key) -> bool:
    """Tab or shift+Tab moved the focus now (True), or the key is not for us."""
    way = FOCUS_KEYS.get(event.key)
    focused = app.focused
    if way is None or event.is_forwarded or focused is None or _uses_key(focused, event.key):
        return False
    screen = app.screen
    if way == "next":
        screen.focus_next()
    else:
        screen.focus_previous()
    return True


def paste_as_text(app, event: events.Paste) -> bool:
    """A paste into a one-line field, whole and as text (True), or not ours."""
    focused = app.focused
    if event.is_forwarded or not isinstance(focused, Input) or not event.text:
        return False
    text = " ".join(event.text.replace("\t", " ").splitlines())
    selection = focused.selection
    if selection.is_empty:
        focused.insert_text_at_cursor(text)
    else:
        focused.replace(text, *selection)
    return True


__all__ = ["move_focus_in_order", "paste_as_text"]
