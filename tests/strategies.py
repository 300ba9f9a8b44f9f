"""Hypothesis strategies shared by the tests: values of every type the codec knows."""

from __future__ import annotations

import pathlib

from codec_types import Color, Pair, Point
from hypothesis import strategies as st

floats = st.floats(allow_nan=True, allow_infinity=True)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | floats
    | st.text()
    | st.binary()
    | st.decimals(allow_nan=False)
    | st.fractions()
    | st.complex_numbers(allow_nan=True)
    | st.uuids()
    | st.dates()
    | st.datetimes(timezones=st.none() | st.timezones())
    | st.times()
    | st.timedeltas()
    | st.sampled_from(list(Color))
    | st.builds(pathlib.Path, st.text(alphabet="abc/._-", min_size=1))
)
hashables = st.none() | st.booleans() | st.integers() | st.text() | st.binary() | st.uuids()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(), inner, max_size=4)
        | st.dictionaries(st.integers() | st.tuples(st.integers()), inner, max_size=3)
        | st.frozensets(hashables, max_size=4)
        | st.sets(hashables, max_size=4)
        | st.builds(Point, st.integers(), st.integers())
        | st.builds(Pair, st.integers(), st.text())
    ),
    max_leaves=12,
)
