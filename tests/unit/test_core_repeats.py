"""The "same request within N seconds asks first" rule, with an injected clock."""

from dataclasses import replace

from sunodesk.core.models import SongRequest
from sunodesk.core.repeats import RepeatGuard, request_fingerprint

SONG = SongRequest(title="Neon", style="synth pop", prompt="[Verse]\nla la")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_same_request_within_the_window_is_a_repeat_and_after_it_is_not():
    clock = Clock()
    guard = RepeatGuard(10.0, clock)
    assert not guard.is_repeat(SONG)
    guard.sent(SONG)
    clock.now += 9.9
    assert guard.is_repeat(SONG)
    clock.now += 0.1
    assert not guard.is_repeat(SONG)


def test_a_different_body_is_not_a_repeat():
    guard = RepeatGuard(10.0, Clock())
    guard.sent(SONG)
    assert not guard.is_repeat(replace(SONG, title="Other"))
    assert guard.is_repeat(replace(SONG, album="Renamed draft"))  # local: same paid song


def test_what_normalise_drops_does_not_make_a_new_request():
    simple = SongRequest(custom_mode=False, prompt="a calm song")
    assert request_fingerprint(simple) == request_fingerprint(
        replace(simple, title="ignored in simple mode", style="ignored")
    )
    instrumental = replace(SONG, instrumental=True)
    assert request_fingerprint(instrumental) == request_fingerprint(
        replace(instrumental, prompt="lyrics an instrumental never sends")
    )


def test_sending_again_restarts_the_window():
    clock = Clock()
    guard = RepeatGuard(10.0, clock)
    guard.sent(SONG)
    clock.now += 8
    guard.sent(SONG)
    clock.now += 8
    assert guard.is_repeat(SONG)
