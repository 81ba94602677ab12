"""Features reach each other through the hub: personas are made from the library's context
menu, and play their source take in the library's player."""

from sunodesk.ui.personas.feature import PersonasFeature
from tests.gui.library_helpers import feature, generate, settle


def test_create_persona_from_the_library_and_play_its_source(studio_factory, sandbox):
    h = studio_factory()
    take = generate(h)[0]
    library = feature(h)
    personas = next(f for f in h.studio.features if isinstance(f, PersonasFeature))

    menu = library.actions.context_menu([take])
    action = next(a for a in menu.actions() if a.text() == "Create persona…")
    action.trigger()
    h.run_until(lambda: personas.dialog is not None, timeout=5, what="the persona dialog")
    assert personas.dialog.request().result_id == take.result_id
    personas.dialog.reject()
    assert sandbox.stats.snapshot()["submits"]["persona"] == 0  # nothing sent by opening it

    assert h.studio.hub.play_take(take.result_id)
    h.run_until(
        lambda: (
            library.player.track is not None and library.player.track.result_id == take.result_id
        ),
        timeout=10,
    )
    h.run_until(
        lambda: (h.studio.hub.playhead_seconds(take.result_id) or 0) > 0.2,
        timeout=10,
        what="the playhead to move",
    )
    assert h.studio.hub.playhead_seconds("someone-else") is None
    library.player.stop()
    settle(h)
