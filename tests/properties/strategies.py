"""Shared strategies: mutations of valid documents (bytes cut, inserted, swapped)."""

from __future__ import annotations

from hypothesis import strategies as st

NASTY = [
    b"\x00",
    b"\xff\xfe",
    b"\xc3\x28",
    b"<",
    b">",
    b"&",
    b"&#0;",
    b"&#x110000;",
    b"]]>",
    b"<![CDATA[",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    b"&a;",
    b'"',
    b"<item>",
    b"</channel>",
    b"<entry>",
    b"{",
    b"}",
    b'"items": [',
    b"\r\n",
    "\u202e".encode(),
    "\U0001f4f0".encode(),
]


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few cuts, insertions, deletions or byte swaps."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "delete", "flip", "nasty"]))
        if action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.sampled_from(NASTY))
    return bytes(data)
