"""The value codec: Python -> node -> YAML/JSON -> node -> Python, and node -> Python source."""

from __future__ import annotations

import datetime as dt
import decimal
import fractions
import io
import math
import pathlib
import re
import socket
import sys
import uuid
import zoneinfo
from collections import OrderedDict, defaultdict, deque
from typing import Any

import pytest
from codec_types import (
    Account,
    AppError,
    Cart,
    Color,
    Frozen,
    Handle,
    Pair,
    Perm,
    Point,
    Slotted,
    Stateful,
    Token,
    WithDerived,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import values

from pytead._codec import (
    Encoder,
    NotRenderable,
    NotReplayable,
    Redactor,
    Tagged,
    canonical,
    decode,
    dump_yaml,
    from_json,
    load_yaml,
    render_source,
    to_json,
)
from pytead._codec.source import str_literal


def same(a: Any, b: Any) -> bool:
    """Equal values of exactly the same types, NaN equal to NaN (unlike ==)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, complex):
        return same(a.real, b.real) and same(a.imag, b.imag)
    if isinstance(a, decimal.Decimal):
        return (a.is_nan() and b.is_nan()) or a == b
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, dt.datetime | dt.time):
        return (
            a == b and a.tzinfo == b.tzinfo
            if a.tzinfo is None
            else a == b and a.utcoffset() == b.utcoffset()
        )
    return bool(a == b)


def via_yaml(value: Any) -> Any:
    return decode(load_yaml(dump_yaml({"value": Encoder().encode(value)}))["value"])  # type: ignore[index]


def via_json(value: Any) -> Any:
    return decode(from_json(to_json(Encoder().encode(value), shared=True)))


def via_source(value: Any) -> Any:
    source = render_source(Encoder().encode(value))
    namespace: dict[str, Any] = {}
    for module, name in source.imports:
        imported = __import__(module, fromlist=[name] if name else [])
        namespace[name or module.split(".")[0]] = getattr(imported, name) if name else imported
    return eval(source.text, namespace)


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(values)
def test_yaml_round_trip_gives_an_equal_value(value: Any) -> None:
    assert same(via_yaml(value), value)


@PROPERTY
@given(values)
def test_json_journal_round_trip_gives_an_equal_value(value: Any) -> None:
    assert same(via_json(value), value)


@PROPERTY
@given(values)
def test_rendered_source_evaluates_to_an_equal_value(value: Any) -> None:
    assert same(via_source(value), value)


@PROPERTY
@given(st.text())
def test_string_literals_cannot_be_escaped(text: str) -> None:
    literal = str_literal(text)
    assert eval(literal, {"__builtins__": {}}) == text
    assert literal[0] in "'\""


@PROPERTY
@given(values)
def test_encoding_is_deterministic(value: Any) -> None:
    assert dump_yaml(Encoder().encode(value)) == dump_yaml(Encoder().encode(value))


# -- types one by one ------------------------------------------------------------------------------

NAMED_VALUES = [
    pytest.param((1, "a"), "!tuple [1, a]", id="tuple"),
    pytest.param({3, 1, 2}, "!set [1, 2, 3]", id="set-sorted"),
    pytest.param(frozenset({"x"}), "!frozenset [x]", id="frozenset"),
    pytest.param(b"\x00ab'", "!bytes \\x00ab'", id="bytes"),
    pytest.param(dt.date(2024, 2, 29), "!date 2024-02-29", id="date"),
    pytest.param(
        dt.timedelta(days=1, microseconds=5), "!timedelta 1 day, 0:00:00.000005", id="timedelta"
    ),
    pytest.param(decimal.Decimal("1.10"), "!decimal 1.10", id="decimal-keeps-exponent"),
    pytest.param(fractions.Fraction(1, 3), "!fraction 1/3", id="fraction"),
    pytest.param(complex(1, -2), "!complex 1-2j", id="complex"),
    pytest.param(uuid.UUID(int=7), "!uuid 00000000-0000-0000-0000-000000000007", id="uuid"),
    pytest.param(pathlib.Path("/tmp/x"), "!path /tmp/x", id="path"),
    pytest.param(Color.RED, "!enum codec_types.Color.RED", id="enum"),
    pytest.param({1: "one"}, "!dict\n- [1, one]", id="dict-int-keys"),
    pytest.param(float("nan"), ".nan", id="nan"),
    pytest.param(len, "!ref builtins.len", id="function-ref"),
]


@pytest.mark.parametrize(("value", "yaml_text"), NAMED_VALUES)
def test_each_type_has_a_readable_tag_and_round_trips(value: Any, yaml_text: str) -> None:
    assert dump_yaml(Encoder().encode(value)).strip().removesuffix("\n...") == yaml_text
    assert same(via_yaml(value), value)


@pytest.mark.parametrize(
    "value",
    [
        Point(1, 2),
        Frozen("a", ("x",)),
        WithDerived(3),
        Pair(1, "b"),
        Account("ann", 5),
        Slotted(1, 2),
        Stateful(4),
        Perm.R | Perm.W,
        OrderedDict(b=1, a=2),
        defaultdict(list, a=[1]),
        deque([1, 2], maxlen=3),
        bytearray(b"ab"),
        dt.datetime(2024, 3, 31, 2, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
        dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        pathlib.PurePosixPath("a/b"),
    ],
    ids=lambda value: re.sub(r" at 0x[0-9a-f]+", "", repr(value)),  # stable across runs
)
def test_objects_round_trip_through_yaml_json_and_source(value: Any) -> None:
    assert same(via_yaml(value), value)
    assert same(via_json(value), value)
    assert same(via_source(value), value)


def test_plain_objects_are_rebuilt_with_the_documented_helper() -> None:
    cart = Cart()
    cart.items["apple"] = 2
    source = render_source(Encoder().encode(cart))
    assert source.text == "rebuild(Cart, {'items': {'apple': 2}})".replace("'", '"')
    assert ("pytead", "rebuild") in source.imports and source.uses_pytead
    assert via_source(cart) == cart


def test_dataclasses_are_written_as_constructor_calls() -> None:
    assert render_source(Encoder().encode(Point(1, 2))).text == "Point(x=1, y=2)"
    assert render_source(Encoder().encode(WithDerived(3))).text == "WithDerived(base=3)"


def test_exceptions_keep_their_type_args_and_attributes() -> None:
    back = via_yaml(AppError(3, "bad"))
    assert type(back) is AppError and back.args == (3, "bad") and back.code == 3


def test_shared_and_cyclic_references_become_yaml_anchors() -> None:
    shared = [1]
    cyclic: list[Any] = [0]
    cyclic.append(cyclic)
    value = {"a": shared, "b": shared, "c": cyclic}
    text = dump_yaml(Encoder().encode(value))
    assert "&id001" in text and "*id001" in text
    back = via_yaml(value)
    assert back["a"] is back["b"] and back["c"][1] is back["c"]
    json_back = via_json(value)
    assert json_back["a"] is json_back["b"] and json_back["c"][1] is json_back["c"]
    with pytest.raises(NotRenderable, match="refers to itself"):
        render_source(Encoder().encode(cyclic))


def test_unknown_objects_are_kept_opaque_without_memory_addresses() -> None:
    node = Encoder().encode(object())  # its repr shows an address
    assert isinstance(node, Tagged) and node.tag == "opaque"
    assert "0x" not in dump_yaml(node) or "0x..." in dump_yaml(node)
    with pytest.raises(NotReplayable):
        decode(node)
    with pytest.raises(NotRenderable):
        render_source(node)


def test_values_over_the_size_cap_become_opaque() -> None:
    node = Encoder(max_nodes=50).encode(list(range(100)))
    assert isinstance(node, Tagged) and node.tag == "opaque"
    assert "max_value_nodes=50" in str(node.value)


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True),
        ("access_token", True),
        ("X-Api-Key", True),
        ("tokenizer", False),
        ("tokens", False),
    ],
)
def test_secret_names_are_redacted(name: str, secret: bool) -> None:
    encoder = Encoder(redact=Redactor(["password", "token", "api_key"]))
    node = encoder.encode({name: "hunter2", "user": "bob"})
    assert ("hunter2" not in canonical(node)) is secret
    assert "bob" in canonical(node)


def test_set_order_is_stable_whatever_the_hash_seed() -> None:
    assert dump_yaml(Encoder().encode({"b", "a", "c"})) == "!set [a, b, c]\n"


def test_a_class_that_cannot_be_imported_by_name_is_opaque_outside_the_project(
    tmp_path: pathlib.Path,
) -> None:
    class Hidden:
        pass

    node = Encoder(root=tmp_path).encode(Hidden())  # this file is not under that root
    assert isinstance(node, Tagged) and node.tag == "opaque"
    assert "cannot be imported" in str(node.value)
    inside = Encoder(root=pathlib.Path(__file__).parent).encode(Hidden())  # see test_local_classes
    assert isinstance(inside, Tagged) and inside.tag == "obj"
    assert isinstance(inside.value, dict) and inside.value["class"].tag == "localclass"


@pytest.mark.parametrize(
    "stream",
    [sys.stdout, io.TextIOWrapper(io.BytesIO()), io.BufferedReader(io.BytesIO(b"x"))],
    ids=["stdout", "text-wrapper", "buffered"],
)
def test_streams_are_opaque_with_their_reason(stream: Any) -> None:
    node = Encoder().encode({"out": stream})
    assert isinstance(node, dict) and isinstance(node["out"], Tagged)
    assert node["out"].tag == "opaque" and "open stream" in node["out"].value["why"]  # type: ignore[index]
    with pytest.raises(NotReplayable):
        decode(node)


def test_a_socket_is_a_stream() -> None:
    with socket.socket() as sock:
        assert Encoder().encode(sock).value["why"].startswith("an open stream")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("buffer", "yaml_text", "source"),
    [
        (io.StringIO("a\nb"), "!io.StringIO |-\n  a\n  b\n", 'io.StringIO("a\\nb")'),
        (io.BytesIO(b"\x00z"), "!io.BytesIO {content: !bytes \\x00z}\n", 'io.BytesIO(b"\\x00z")'),
    ],
)
def test_in_memory_buffers_are_recorded_by_content(
    buffer: io.StringIO | io.BytesIO, yaml_text: str, source: str
) -> None:
    node = Encoder().encode(buffer)
    assert dump_yaml(node) == yaml_text
    assert render_source(node).text == source
    again = decode(load_yaml(dump_yaml(node)))
    assert type(again) is type(buffer) and again.getvalue() == buffer.getvalue()


def test_a_buffer_keeps_its_position_and_is_then_no_single_expression() -> None:
    buffer = io.StringIO()
    buffer.write("abc")
    node = Encoder().encode(buffer)
    again = decode(load_yaml(dump_yaml(node)))
    again.write("d")
    assert again.getvalue() == "abcd"
    with pytest.raises(NotRenderable):
        render_source(node)


@pytest.mark.parametrize(
    "value",
    [Token("word", "select", "SELECT"), Handle(7)],
    ids=["str-subclass", "plain-class"],
)
def test_a_class_whose_own_new_wants_arguments_is_rebuilt_from_its_state(value: Any) -> None:
    """Rebuilt as pickle would rebuild it, with the built-in ``__new__`` under the class's own."""
    rebuilt = decode(load_yaml(dump_yaml(Encoder().encode(value))))
    assert type(rebuilt) is type(value)
    assert vars(rebuilt) == vars(value)
    assert canonical(Encoder().encode(rebuilt)) == canonical(Encoder().encode(value))


@pytest.mark.parametrize(
    "value",
    [{"": None, "\x00a": None}, {"\x00t": "x", "v": 1}, {"\x00r": 0}, {"\x00a": 1, "v": [2]}],
    ids=["anchor-key", "tag-keys", "ref-key", "anchor-keys"],
)
def test_mapping_keys_shaped_like_journal_markers_round_trip(value: dict[str, Any]) -> None:
    assert via_json(value) == value
    assert via_yaml(value) == value
