"""Codecs for types pytead does not know, registered by users (numpy arrays, money types...).

A codec turns a value of its type into something pytead already encodes (a list, a dict, a
string...), and back. The same codec then serves fixtures, test sources and doc examples.
pytead ships codecs of its own the same way, for in-memory buffers (see `pytead._codec.streams`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pytead._codec.nodes import BUILTIN_TAGS
from pytead._errors import UsageError


@dataclass(frozen=True)
class TypeCodec:
    """How one user type is written and read back.

    Attributes:
        type: The class handled (subclasses included).
        tag: The YAML tag, without ``!`` (``"numpy.ndarray"`` is written ``!numpy.ndarray``).
        encode: Value -> plain data pytead can encode.
        decode: Plain data -> value.
        source: Optional: plain data -> a Python expression building the value, and the
            ``(module, name)`` imports that expression needs.
    """

    type: type
    tag: str
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    source: Callable[[Any], tuple[str, set[tuple[str, str]]]] | None = None


class Registry:
    """The user codecs known to this process, looked up by type or by tag."""

    def __init__(self) -> None:
        self._by_type: dict[type, TypeCodec] = {}
        self._by_tag: dict[str, TypeCodec] = {}

    def add(self, codec: TypeCodec) -> None:
        """Register *codec*, replacing any codec for the same type."""
        if codec.tag in BUILTIN_TAGS or not _DOTTED.match(codec.tag):
            raise UsageError(
                f"cannot register tag {codec.tag!r}",
                where=f"codec for {codec.type.__qualname__}",
                hint="use a dotted name without '!', like 'mylib.Money' (fixtures refuse others)",
            )
        self._by_type[codec.type] = codec
        self._by_tag[codec.tag] = codec

    def find(self, kind: type) -> TypeCodec | None:
        """Return the codec for *kind* or for its nearest registered base class."""
        if not self._by_type:
            return None
        for klass in kind.__mro__:
            codec = self._by_type.get(klass)
            if codec is not None:
                return codec
        return None

    def types(self) -> tuple[type, ...]:
        """The classes that have a codec."""
        return tuple(self._by_type)

    def by_tag(self, tag: str) -> TypeCodec | None:
        """Return the codec registered under *tag*, if any."""
        return self._by_tag.get(tag)


def _with_builtin_codecs() -> Registry:
    """The process's registry, with the codecs pytead ships (buffers, partials, patterns, locks,
    ranges)."""
    from pytead._codec.functions import PARTIAL_CODEC
    from pytead._codec.locks import LOCK_CODECS
    from pytead._codec.patterns import MATCH_CODEC, PATTERN_CODEC
    from pytead._codec.ranges import RANGE_CODECS
    from pytead._codec.streams import BUFFER_CODECS

    registry = Registry()
    for kind, tag, encode, decode, source in (
        *BUFFER_CODECS,
        PARTIAL_CODEC,
        PATTERN_CODEC,
        MATCH_CODEC,
        *LOCK_CODECS,
        *RANGE_CODECS,
    ):
        registry.add(TypeCodec(kind, tag, encode, decode, source))
    return registry


_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)+$")


def register_codec(
    type_: type,
    *,
    tag: str,
    encode: Callable[[Any], Any],
    decode: Callable[[Any], Any],
    source: Callable[[Any], tuple[str, set[tuple[str, str]]]] | None = None,
) -> None:
    """Teach pytead to record, replay and write values of *type_*.

    Args:
        type_: The class to handle (its subclasses too).
        tag: The YAML tag to write, without ``!``.
        encode: Turns a value into data pytead already handles (lists, dicts, strings...).
        decode: Turns that data back into a value.
        source: Optionally turns that data into a Python expression and its imports, so
            generated tests can build the value without importing pytead.

    Examples:
        >>> import pytead
        >>> class Money:
        ...     def __init__(self, cents): self.cents = cents
        >>> pytead.register_codec(
        ...     Money, tag="demo.Money", encode=lambda m: m.cents, decode=Money
        ... )
    """
    REGISTRY.add(TypeCodec(type_, tag, encode, decode, source))


REGISTRY = _with_builtin_codecs()
