"""The layer rules of design.md: core, api, store, engine and sandbox never import Qt, and only
one module imports mutagen. Walks the real imports with ast."""

import ast
from pathlib import Path

import sunodesk

ROOT = Path(sunodesk.__file__).parent
QT = ("PySide6", "qasync")


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_lower_layers_never_import_qt():
    offenders = []
    for layer in ("core", "api", "store", "engine", "sandbox"):
        for path in (ROOT / layer).rglob("*.py"):
            if any(name.split(".")[0] in QT for name in imports(path)):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_core_does_no_io():
    banned = {"requests", "sqlite3", "mutagen", "socket", "subprocess"}
    for path in (ROOT / "core").rglob("*.py"):
        assert not {n.split(".")[0] for n in imports(path)} & banned, path


def test_only_one_module_imports_mutagen_and_one_builds_http_requests():
    mutagen = [
        p for p in ROOT.rglob("*.py") if any(n.split(".")[0] == "mutagen" for n in imports(p))
    ]
    assert [p.relative_to(ROOT).as_posix() for p in mutagen] == ["store/tags.py"]
    http = [
        p.relative_to(ROOT).as_posix()
        for p in ROOT.rglob("*.py")
        if "sandbox" not in p.parts and any(n.split(".")[0] == "requests" for n in imports(p))
    ]
    assert http == ["api/client.py"]
