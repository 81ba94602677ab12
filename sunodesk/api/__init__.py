"""The Evolink HTTP client: the only place that builds HTTP requests.

``EvolinkClient`` is loaded on first use: importing ``sunodesk.api.errors`` (the CLI's parser
and the window's start-up do) must not pull in requests and urllib3 before the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sunodesk.api.errors import ApiError

if TYPE_CHECKING:
    from sunodesk.api.client import EvolinkClient

__all__ = ["ApiError", "EvolinkClient"]


def __getattr__(name: str) -> Any:
    if name == "EvolinkClient":
        from sunodesk.api.client import EvolinkClient

        return EvolinkClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
