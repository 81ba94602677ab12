"""The store's layering rules: no Qt anywhere, mutagen only in tags.py."""

from __future__ import annotations

import ast
from pathlib import Path

import sunodesk.store

STORE = Path(sunodesk.store.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_layering():
    modules = sorted(STORE.glob("*.py"))
    assert len(modules) >= 10
    for module in modules:
        found = _imports(module)
        assert not found & {"PySide6", "qasync", "requests"}, module.name
        if module.name != "tags.py":
            assert "mutagen" not in found, module.name
    assert "mutagen" in _imports(STORE / "tags.py")
