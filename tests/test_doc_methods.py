"""Receivers of docstring examples made as the program made them, or a one-line reason."""

from __future__ import annotations

import pytest

from pytead._built import Built
from pytead._docreceivers import NoReceiver, making_lines


def test_no_record_gives_one_short_reason() -> None:
    with pytest.raises(NoReceiver, match=r"^receiver cannot be built: no record") as info:
        making_lines("cart", "Cart", {}, None, str)
    assert "\n" not in str(info.value)


def test_a_record_that_does_not_replay_is_refused() -> None:
    with pytest.raises(NoReceiver, match="does not replay"):
        making_lines("cart", "Cart", {"a": 1}, Built({}, ()), str)
