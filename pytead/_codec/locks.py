"""Locks as values: an object that guards its state with a lock (a cache, a registry, a pool).

A lock holds no data, only whether some thread holds it. One that nobody holds is recorded as
``!threading.RLock {}`` (or ``!threading.Lock {}``), rebuilt as a new lock and written in a test
as ``threading.RLock()``: the object around it is then rebuilt as the program had it. A lock
that is held when it is recorded cannot be given to a test in that state, so reading it fails
and the value is kept ``!opaque`` with that reason.

A ``threading.Condition`` is its lock and the threads waiting on it: one that no thread waits
on is recorded with its lock (``!threading.Condition {lock: !threading.RLock {}}``), so that an
object whose lock and condition are one lock gets them back as one, and is written as
``threading.Condition()`` (``threading.Condition(threading.Lock())`` around a plain lock).
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


def _condition_encode(condition: threading.Condition) -> dict[str, Any]:
    """Its lock, when no thread waits on it (a test cannot make a thread wait again)."""
    if getattr(condition, "_waiters", None):
        raise ValueError("threads wait on the condition, and a test cannot make them wait again")
    lock = getattr(condition, "_lock", None)
    if type(lock) not in (_LOCK, _RLOCK):
        raise ValueError("the condition's lock is not a threading lock")
    return {"lock": lock}


def _condition_decode(data: Any) -> threading.Condition:
    lock = data.get("lock") if isinstance(data, dict) else None
    if type(lock) not in (_LOCK, _RLOCK):
        raise ValueError("a !threading.Condition value needs its 'lock': a !threading.RLock {}")
    return threading.Condition(lock)


def _condition_source(data: Any) -> tuple[str, set[tuple[str, str]]]:
    plain = isinstance(data, dict) and type(data.get("lock")) is _LOCK
    return (
        "threading.Condition(threading.Lock())" if plain else "threading.Condition()",
        {("threading", "")},
    )


#: ``(type, tag, encode, decode, source)`` of each lock codec.
LOCK_CODECS: tuple[tuple[type, str, Callable[[Any], Any], Callable[[Any], Any], Any], ...] = (
    (_LOCK, "threading.Lock", _encoder("lock"), _decoder(threading.Lock, "threading.Lock"),
     _source("Lock")),
    (_RLOCK, "threading.RLock", _encoder("lock"), _decoder(threading.RLock, "threading.RLock"),
     _source("RLock")),
    (threading.Condition, "threading.Condition", _condition_encode, _condition_decode,
     _condition_source),
)  # fmt: skip
