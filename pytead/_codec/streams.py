"""Streams are not values: what pytead records of files, sockets and in-memory buffers.

An open file, a socket or ``sys.stdout`` is a handle on something outside the program: its
attributes (``mode``, a file descriptor) do not describe it, and rebuilding an object from them
gives a broken stream. Such a value is recorded as ``!opaque`` with that reason, so its case is
kept but never replayed. An in-memory buffer (``io.StringIO``, ``io.BytesIO``) is different: its
content is all there is to it, so it is recorded by content (``!io.StringIO hello``), rebuilt,
and compared through ``getvalue()``, since buffers compare by identity.

The buffer codecs are built into the codec registry; this module imports nothing of it.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import Any

#: Why a stream is kept as ``!opaque``.
STREAM_REASON = "an open stream (a file, a socket, sys.stdout) is not a value to rebuild"

#: The tags of the buffers recorded by content, and the type each rebuilds.
BUFFER_TAGS = {"io.StringIO": io.StringIO, "io.BytesIO": io.BytesIO}


def is_stream(value: object) -> bool:
    """Whether *value* is a handle on something outside the program (buffers are not).

    Examples:
        >>> is_stream(io.TextIOWrapper(io.BytesIO())), is_stream(io.StringIO("x")), is_stream("x")
        (True, False, False)
    """
    if isinstance(value, io.IOBase):
        return not isinstance(value, (io.StringIO, io.BytesIO))
    socket = sys.modules.get("socket")  # never imported here: a socket means it already is
    return socket is not None and isinstance(value, socket.socket)


def _buffer_encode(value: io.StringIO | io.BytesIO) -> Any:
    """The content, and where reading or writing goes on when that is not its start.

    Bytes are always a mapping's value: their own ``!bytes`` tag cannot sit on the buffer's.
    """
    content, position = value.getvalue(), value.tell()
    if position == 0 and isinstance(content, str):
        return content
    return {"content": content, **({"position": position} if position else {})}


def _buffer_decode(kind: type[io.StringIO] | type[io.BytesIO]) -> Callable[[Any], Any]:
    def decode(data: Any) -> io.StringIO | io.BytesIO:
        content, position = _content_and_position(data)
        buffer = kind(content)
        buffer.seek(position)
        return buffer

    return decode


def _content_and_position(data: Any) -> tuple[Any, int]:
    if isinstance(data, dict):
        return data.get("content"), int(data.get("position", 0))
    return data, 0


def _buffer_source(kind: str) -> Callable[[Any], tuple[str, set[tuple[str, str]]]]:
    def source(data: Any) -> tuple[str, set[tuple[str, str]]]:
        from pytead._codec.source import NotRenderable, bytes_literal, str_literal

        content, position = _content_and_position(data)
        if position:
            raise NotRenderable(f"a {kind} read or written up to {position} is not one expression")
        literal = str_literal(content) if isinstance(content, str) else bytes_literal(content)
        return f"io.{kind}({literal})", {("io", "")}

    return source


def buffer_state(node: object) -> tuple[Any, int] | None:
    """The content node (what ``getvalue()`` gives) and position of a recorded buffer.

    Examples:
        >>> from pytead._codec.nodes import Tagged
        >>> buffer_state(Tagged("io.StringIO", "hi")), buffer_state("hi")
        (('hi', 0), None)
    """
    if getattr(node, "tag", None) not in BUFFER_TAGS:
        return None
    return _content_and_position(getattr(node, "value", None))


#: ``(type, tag, encode, decode, source)`` of each built-in buffer codec.
BUFFER_CODECS: tuple[tuple[type, str, Callable[[Any], Any], Callable[[Any], Any], Any], ...] = (
    (
        io.StringIO,
        "io.StringIO",
        _buffer_encode,
        _buffer_decode(io.StringIO),
        _buffer_source("StringIO"),
    ),
    (
        io.BytesIO,
        "io.BytesIO",
        _buffer_encode,
        _buffer_decode(io.BytesIO),
        _buffer_source("BytesIO"),
    ),
)
