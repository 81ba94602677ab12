"""The window's features beyond the studio form and the jobs panel, in the order they are built
(the player first: the library queues into it; the songs list after the library, whose takes
it shows).

A feature is a class that satisfies :class:`sunodesk.ui.hub.Feature`: built once with the hub
(it adds its tabs and bars to the window and registers what it offers on the hub), attached
to every session the controller opens, detached before that session closes. Register one by
adding its class to FEATURES.

Import this module only once the window has painted (the controller does, in start()): it
imports every feature, and they import the engine, the store and Qt Multimedia.
"""

from __future__ import annotations

from sunodesk.ui.drafts.feature import DraftsFeature
from sunodesk.ui.hub import Feature, Hub
from sunodesk.ui.library.feature import LibraryFeature
from sunodesk.ui.personas.feature import PersonasFeature
from sunodesk.ui.player.feature import PlayerFeature
from sunodesk.ui.songs.feature import SongsFeature

FEATURES: tuple[type[Feature], ...] = (
    PlayerFeature,
    LibraryFeature,
    PersonasFeature,
    DraftsFeature,
    SongsFeature,  # after the library: it reads the takes the library loaded
)


def create_features(hub: Hub) -> list[Feature]:
    return [feature(hub) for feature in FEATURES]
