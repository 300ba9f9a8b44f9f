"""Locks as values: an object that guards its state with a lock (a cache, a registry, a pool).

A lock holds no data, only whether some thread holds it. One that nobody holds is recorded as
``!threading.RLock {}`` (or ``!threading.Lock {}``), rebuilt as a new lock and written in a test
as ``threading.RLock()``: the object around it is then rebuilt as the program had it. A lock
that is held when it is recorded cannot be given to a test in that state, so reading it fails
and the value is kept ``!opaque`` with that reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

_LOCK: type = type(threading.Lock())
_RLOCK: type = type(threading.RLock())


def _encoder(kind: str) -> Callable[[Any], dict[str, Any]]:
    def encode(lock: Any) -> dict[str, Any]:
        if _held(lock):
            raise ValueError(f"the {kind} is held, and a test cannot make it held again")
        return {}

    return encode


def _held(lock: Any) -> bool:
    """Whether some thread holds *lock*, asked without taking it."""
    locked = getattr(lock, "locked", None)
    if callable(locked):  # Lock, and RLock from Python 3.14
        return bool(locked())
    return not repr(lock).startswith("<unlocked")  # RLock: "<unlocked _thread.RLock object ..."


def _decoder(make: Callable[[], Any], tag: str) -> Callable[[Any], Any]:
    def decode(data: Any) -> Any:
        if data not in ({}, None):
            raise ValueError(f"a !{tag} value holds nothing: write it as {{}}")
        return make()

    return decode


def _source(kind: str) -> Callable[[Any], tuple[str, set[tuple[str, str]]]]:
    def source(_data: Any) -> tuple[str, set[tuple[str, str]]]:
        return f"threading.{kind}()", {("threading", "")}

    return source


#: ``(type, tag, encode, decode, source)`` of each lock codec.
LOCK_CODECS: tuple[tuple[type, str, Callable[[Any], Any], Callable[[Any], Any], Any], ...] = (
    (_LOCK, "threading.Lock", _encoder("lock"), _decoder(threading.Lock, "threading.Lock"),
     _source("Lock")),
    (_RLOCK, "threading.RLock", _encoder("lock"), _decoder(threading.RLock, "threading.RLock"),
     _source("RLock")),
)  # fmt: skip
