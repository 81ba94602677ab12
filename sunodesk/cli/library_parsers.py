"""The command lines of `sunodesk import` and `sunodesk edit` (their work is in
:mod:`sunodesk.cli.library_commands`).

Kept apart so that building the parser, which every start of the window does, imports
neither the store's tag code nor the engine: only argparse.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

COMMANDS = ("import", "edit")
TEXT_OPTIONS = ("title", "artist", "album", "genre")


def add_parsers(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add both sub-commands through main's ``command(name, help)`` (global options included)."""
    imp = command("import", "add MP3 files or folders to the library, as the window's Import")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="MP3 files, or folders to search")
    imp.add_argument("--json", action="store_true")

    edit = command("edit", "change a take's tags, as the window's tag editor")
    edit.add_argument("result_id", metavar="RESULT_ID", help="see `sunodesk library`")
    for name in TEXT_OPTIONS:
        edit.add_argument(f"--{name}", metavar=name[0].upper())
    edit.add_argument("--lyrics-file", metavar="F", help="a UTF-8 text file, or - for stdin")
    edit.add_argument("--cover", metavar="IMAGE", help="a PNG, JPEG, GIF or WebP image")
    edit.add_argument("--json", action="store_true")
