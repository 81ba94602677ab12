"""Every start of the window builds the command-line parser first: it must stay light.

Building it once pulled in the store's tag code, the engine, requests and urllib3 (the
import/edit sub-commands' module), 130 ms before the first paint; a parser needs argparse.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("mutagen", "requests", "urllib3", "sunodesk.engine.engine", "sunodesk.store.tags")


def test_building_the_parser_imports_no_store_engine_or_http_code():
    code = (
        "import json, sys\n"
        "from sunodesk.cli.main import build_parser\n"
        "parser = build_parser()\n"
        "parser.parse_args(['edit', 'r1', '--title', 'T'])\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
