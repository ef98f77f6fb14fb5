"""The user's `[keymap]` checked against the app's bindings before the app starts.

Textual's `set_keymap` accepts anything in silence: an id no binding has, a
key no keyboard sends, or a key another binding already answers to
(`done = "q"` and `q` no longer quits). Each of those is refused here, in
one line naming the config key, before the screen is taken over.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import unicodedata

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, Keys

from clientdesk.domain.errors import InputError

_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_NAMED = {k.value for k in Keys} | {"space", "tab", "enter", "backspace", "escape"} | {f"f{n}" for n in range(1, 25)}


def _packages():
    import clientdesk.tui.modals
    import clientdesk.tui.screens
    import clientdesk.tui.widgets

    return (clientdesk.tui.screens, clientdesk.tui.modals, clientdesk.tui.widgets)


def _bindings_of(cls) -> list[Binding]:
    out = []
    for klass in reversed(cls.__mro__):
        for item in klass.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding):
                out.append(item)
    return out


def binding_scopes() -> tuple[list[Binding], dict[str, list[Binding]]]:
    """The app's own bindings, and each screen's, modal's and widget's (by class name)."""
    from clientdesk.tui.app import ClientdeskApp

    scopes: dict[str, list[Binding]] = {}
    for package in _packages():
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                    scopes[name] = _bindings_of(cls)
    return _bindings_of(ClientdeskApp), scopes


def normal_key(key: str) -> str:
    """A key as Textual names it ("?" -> "question_mark"), or InputError's reason as ValueError."""
    key = key.strip()
    if not key:
        raise ValueError("an empty key")
    *mods, base = key.split("+") if len(key) > 1 else [key]
    for mod in mods:
        if mod.lower() not in _MODIFIERS:
            raise ValueError(f"not a key: {key!r} ({mod!r} is not ctrl, shift, alt, meta, super or hyper)")
    if len(base) == 1:
        if not base.isprintable():
            raise ValueError(f"not a key: {key!r}")
        if not base.isalnum():
            name = unicodedata.name(base, base).lower().replace("-", "_").replace(" ", "_")
            base = KEY_NAME_REPLACEMENTS.get(name, name)
    elif base.lower() not in _NAMED and not _is_character_name(base):
        raise ValueError(f"not a key: {key!r} (a letter, a digit, a symbol, or a name such as ctrl+s, f5, "
                         "space, enter, escape, pageup, question_mark)")
    return "+".join([*(m.lower() for m in mods), base if len(base) == 1 else base.lower()])


def _default_key(key: str) -> str:
    try:
        return normal_key(key)
    except ValueError:  # the app's own keys are Textual's to judge
        return key.strip()


def _is_character_name(name: str) -> bool:
    try:
        unicodedata.lookup(name.replace("_", " ").upper())
    except KeyError:
        return False
    return True


def check_keymap(keymap: dict[str, str], where: str = "keymap") -> None:
    """Refuse an unknown binding id, a key that is not one, or a key another binding of the same view holds."""
    if not keymap:
        return
    app_bindings, scopes = binding_scopes()
    known = {b.id for b in app_bindings if b.id} | {b.id for bs in scopes.values() for b in bs if b.id}
    new_keys: dict[str, set[str]] = {}
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            raise InputError(f"{where}.{binding_id}: no key has this id (the ids are in `?`, on the right)")
        try:
            new_keys[binding_id] = {normal_key(k) for k in str(keys).split(",")}
        except ValueError as exc:
            raise InputError(f"{where}.{binding_id}: {exc}") from None
    defaults: dict[str, set[str]] = {}
    for b in [*app_bindings, *(b for bs in scopes.values() for b in bs)]:
        if b.id:
            defaults.setdefault(b.id, set()).update(_default_key(k) for k in b.key.split(","))
    added = {bid: keys - defaults.get(bid, set()) for bid, keys in new_keys.items()}
    for bindings in scopes.values():
        holders: dict[str, list[str]] = {}
        for b in [*app_bindings, *bindings]:
            if b.id:
                for key in new_keys.get(b.id, defaults[b.id]):
                    if b.id not in holders.setdefault(key, []):
                        holders[key].append(b.id)
        for key, ids in holders.items():
            taking = [bid for bid in ids if key in added.get(bid, ())]
            if taking and len(ids) > 1:
                theirs = next(bid for bid in ids if bid != taking[0])
                raise InputError(f"{where}.{taking[0]}: {key!r} is already the key of {theirs}; "
                                 f"rebind {theirs} too, or choose another key")

__all__ = ["check_keymap", "binding_scopes", "normal_key"]
