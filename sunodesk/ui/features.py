"""The window's features beyond the studio form and the jobs panel.

A feature is built once with the Studio (it adds its tabs and bars to the window then) and
is attached to every session the Studio opens (and detached before that session closes):

    class Feature(Protocol):
        def __init__(self, studio: Studio) -> None: ...
        async def attach(self, session: Session) -> None: ...
        async def detach(self) -> None: ...

Register a feature by adding its class to FEATURES below (imported lazily, by dotted path).
"""

from __future__ import annotations

import importlib
from typing import Any

FEATURES: tuple[str, ...] = (
    "sunodesk.ui.library.feature.LibraryFeature",
    "sunodesk.ui.personas.feature.PersonasFeature",
    "sunodesk.ui.drafts.feature.DraftsFeature",
)


def create_features(studio: Any) -> list[Any]:
    features = []
    for dotted in FEATURES:
        module, _, name = dotted.rpartition(".")
        features.append(getattr(importlib.import_module(module), name)(studio))
    return features
