"""No module but tui/compat.py touches Textual's or Rich's private internals.

Private names change between Textual releases without notice (OptionList's were
rewritten in 2.0 and again in 4.0), and the failure is silent: a renamed index
map makes a key act on another row than the highlighted one. Two checks:

- `x._name` on anything but `self` where `_name` is a private name Textual or
  Rich use (`app._background_screens`, `option._divider`, `super()._render_line`);
- in a class built on a Textual or Rich class, `self._name` or `def _name` where
  `_name` belongs to one of those bases (an override or a read of their state).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from functools import lru_cache
from pathlib import Path

import rich
import textual

PACKAGE = Path(__file__).resolve().parents[2] / "clientdesk"
ALLOWED = {"tui/compat.py"}
#: private names that are another library's documented API
NOT_TEXTUAL = {"_meta", "_exit", "_replace", "_asdict", "_fields", "_make"}  # Peewee's model options, os._exit,
# a named tuple's methods


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@lru_cache(maxsize=None)
def _names_in_source(path: str) -> frozenset[str]:
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return frozenset()
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _private(node.name):
            out.add(node.name)
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            out.add(node.attr)
        elif isinstance(node, ast.Name) and _private(node.id):
            out.add(node.id)
    return frozenset(out)


@lru_cache(maxsize=1)
def library_private_names() -> frozenset[str]:
    names: set[str] = set()
    for package in (textual, rich):
        for path in Path(package.__file__).parent.rglob("*.py"):
            names |= _names_in_source(str(path))
    return frozenset(names - NOT_TEXTUAL)


def _from_library(cls: type) -> bool:
    return cls.__module__.split(".")[0] in ("textual", "rich")


def base_private_names(cls: type) -> set[str]:
    """The private names of the Textual and Rich classes `cls` is built on (class and instance attributes)."""
    out: set[str] = set()
    for base in cls.__mro__:
        if _from_library(base):
            out |= _own_private_names(base)
    return out


@lru_cache(maxsize=None)
def _own_private_names(base: type) -> frozenset[str]:
    out = {name for name in vars(base) if _private(name)}
    try:
        source = inspect.getsource(base)
    except (OSError, TypeError):
        return frozenset(out)
    tree = ast.parse(inspect.cleandoc("\n" + source) if source[:1].isspace() else source)
    out |= {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"
            and _private(node.attr)}
    return frozenset(out)


def _is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def _imports_textual_or_rich(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in ("textual", "rich") for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("textual", "rich"):
            return True
    return False


def offences(path: Path) -> list[str]:
    rel = path.relative_to(PACKAGE).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    library = library_private_names()
    found: list[str] = []
    if not _imports_textual_or_rich(tree):  # another library's private names are not this check's business
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and not _is_self(node.value) and node.attr in library:
            found.append(f"{rel}:{node.lineno}: {ast.unparse(node)}")
    module_name = "clientdesk." + rel[:-3].replace("/", ".")
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    if not classes:
        return found
    module = importlib.import_module(module_name.removesuffix(".__init__"))
    for node in classes:
        cls = getattr(module, node.name, None)
        if not isinstance(cls, type) or not any(_from_library(base) for base in cls.__mro__[1:]):
            continue
        theirs = base_private_names(cls)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Attribute) and _is_self(inner.value) and inner.attr in theirs:
                found.append(f"{rel}:{inner.lineno}: {node.name} uses {inner.attr}")
            elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) and inner.name in theirs:
                found.append(f"{rel}:{inner.lineno}: {node.name} overrides {inner.name}")
    return found


def test_no_module_but_compat_touches_private_textual_or_rich_names():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in ALLOWED or rel.endswith("__main__.py"):
            continue
        found += offences(path)
    assert found == []


def test_the_check_finds_what_it_is_for(tmp_path):
    """The check is not vacuous: it finds an override, a read of a base's state and a reach into an object."""
    assert {"_render_line", "_options", "_compositor", "_background_screens"} <= library_private_names()
    from textual.widgets import OptionList

    assert {"_options", "_option_to_index", "_get_option_render"} <= base_private_names(OptionList)
    compat = PACKAGE / "tui" / "compat.py"
    assert any("_compositor" in line for line in offences(compat))
    assert any("overrides _render_cell" in line for line in offences(compat))
