"""The byte-level frame walker takes any bytes without raising (Hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sunodesk.store import tags_edit

_IDS = st.sampled_from([b"TIT2", b"USLT", b"APIC", b"TXXX", b"XQZY", b"tit2", b"\0\0\0\0"])


@st.composite
def tags(draw):
    version = draw(st.sampled_from([2, 3, 4, 5]))
    flags = draw(st.sampled_from([0, 0x40, 0x80, 0x10]))
    frames = b""
    for _ in range(draw(st.integers(0, 4))):
        payload = draw(st.binary(max_size=40))
        size = len(payload) + draw(st.sampled_from([0, 0, 1, -1, 300]))
        frames += draw(_IDS) + max(size, 0).to_bytes(4, "big")
        frames += draw(st.sampled_from([b"\0\0", b"\x00\x80", b"\x00\x09", b"\x00\x04"]))
        frames += payload
    frames += b"\0" * draw(st.integers(0, 8)) + draw(st.binary(max_size=8))
    n = draw(st.sampled_from([len(frames), len(frames) + 50, max(0, len(frames) - 5)]))
    size = bytes(((n >> s) & 0x7F) for s in (21, 14, 7, 0))
    return b"ID3" + bytes((version, 0, flags)) + size + frames


@settings(max_examples=300, deadline=None, database=None)  # no .hypothesis folder
@given(tags() | st.binary(max_size=64))
def test_the_walker_never_raises(data):
    tag = tags_edit.split_tag(data)
    if tag is None:
        return
    for frame in tag.frames:
        tags_edit.describe(frame, tag.version)
        tags_edit.content(frame, tag.version)
    rebuilt = tags_edit.build_tag(tag.version, [f.raw for f in tag.frames], fit=tag.size)
    again = tags_edit.split_tag(rebuilt)
    assert again is not None and [f.raw for f in again.frames] == [f.raw for f in tag.frames]
