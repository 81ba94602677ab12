"""The `sunodesk` command (entry point ``sunodesk.cli:main``).

Modules import downward only: ``main`` (parser, dispatch) -> ``commands`` -> ``request`` and
``output`` -> core, api, store, engine.
"""

from sunodesk.cli.main import main

__all__ = ["main"]
