"""The journaled overlay behaves exactly like a stack of dict layers (the obvious model), for any op sequence."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.support.overlay import DictReader, Overlay

KEYS = [b"a", b"b", b"c", b"d"]
ops = st.lists(st.one_of(
    st.tuples(st.just("set"), st.sampled_from(KEYS), st.one_of(st.none(), st.binary(max_size=3))),
    st.tuples(st.just("begin")), st.tuples(st.just("commit")), st.tuples(st.just("rollback")),
    st.tuples(st.just("event"), st.binary(max_size=2)),
), max_size=60)


class LayeredModel:
    """Reference: a list of dicts, read top-down, plus an event list with per-layer marks."""

    def __init__(self, base: dict[bytes, bytes]) -> None:
        self.base = base
        self.layers: list[dict[bytes, bytes | None]] = [{}]
        self.marks: list[int] = []
        self.events: list[Any] = []

    def get(self, key: bytes) -> bytes | None:
        for layer in reversed(self.layers):
            if key in layer:
                return layer[key]
        return self.base.get(key)


@settings(max_examples=300, deadline=None)
@given(base=st.dictionaries(st.sampled_from(KEYS), st.binary(max_size=3)), steps=ops)
def test_overlay_matches_layered_model(base: dict[bytes, bytes], steps: list[tuple[Any, ...]]) -> None:
    overlay = Overlay(DictReader(dict(base)))
    model = LayeredModel(base)
    for step in steps:
        if step[0] == "set":
            overlay.set(step[1], step[2])
            model.layers[-1][step[1]] = step[2]
        elif step[0] == "begin":
            overlay.begin()
            model.layers.append({})
            model.marks.append(len(model.events))
        elif step[0] == "event":
            overlay.events.append((step[1], None))
            model.events.append((step[1], None))
        elif len(model.layers) > 1:
            top = model.layers.pop()
            mark = model.marks.pop()
            if step[0] == "commit":
                overlay.commit()
                model.layers[-1].update(top)
            else:
                overlay.rollback()
                del model.events[mark:]
        for key in KEYS:
            assert overlay.get(key) == model.get(key)
        assert overlay.events == model.events
        assert overlay.depth == len(model.layers) - 1
    while len(model.layers) > 1:
        overlay.commit()
        top = model.layers.pop()
        model.layers[-1].update(top)
    assert overlay.changes() == model.layers[0]
