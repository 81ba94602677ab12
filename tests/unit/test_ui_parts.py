"""The window's parts (ui/studio, jobs, library, player, personas, drafts, settings) reach each
other only through ui/hub.py and ui/common, never by importing each other, and none of them
(nor the hub or common) imports the controller, the start-up or the feature registry.
Walks the real imports with ast, function-level and TYPE_CHECKING ones included."""

import ast
from pathlib import Path

import sunodesk

UI = Path(sunodesk.__file__).parent / "ui"
PARTS = ("studio", "jobs", "library", "player", "personas", "drafts", "settings")
TOP = ("app", "controller", "features", "window")
# (importer, imported): known edges, each with the reason it is still there
ALLOWED = {
    # the player bar formats times with the library's duration_text; it goes when the bar
    # uses core's one song-length formatter (core.formatting.format_length)
    ("player", "library"),
}


def ui_imports(path: Path) -> set[str]:
    """The sunodesk.ui part or top-level module each import of ``path`` names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["sunodesk", "ui"] and len(parts) > 2:
                found.add(parts[2])
    return found


def test_parts_import_no_other_part():
    edges = set()
    for part in PARTS:
        for path in (UI / part).rglob("*.py"):
            edges |= {(part, other) for other in ui_imports(path) if other in PARTS}
    assert {(a, b) for a, b in edges if a != b} <= ALLOWED


def test_parts_hub_and_common_never_import_the_top():
    offenders = []
    for path in [*(UI / p for p in (*PARTS, "common")), UI / "hub.py"]:
        for file in [path] if path.is_file() else path.rglob("*.py"):
            if set(ui_imports(file)) & set(TOP) - ({"window"} if file.name == "hub.py" else set()):
                offenders.append(str(file.relative_to(UI)))
    assert offenders == []


def test_common_imports_no_part():
    for path in (UI / "common").rglob("*.py"):
        assert not ui_imports(path) & {*PARTS, "hub", "bridges"}, path
