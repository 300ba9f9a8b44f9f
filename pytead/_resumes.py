"""How a generator was resumed, read off the bytecode of the frame that resumed it.

A program drives a generator with ``next()`` (or a ``for`` loop, ``list()``...), with
``send(value)`` or with ``throw(exc)``. A test that only iterates it replays the first way alone,
so pytead records the others. Wrappers see them directly; ``sys.monitoring`` reports a throw
(``PY_THROW``) but for a resume (``PY_RESUME``) says only that it happened. This module tells a
send from a plain resume by looking at the instruction the resuming frame is paused on: a call
whose callable is an attribute ``send``, and reads the value sent when it is a name or a constant.
A generator delegating with ``yield from`` is paused on ``SEND``: the frame that resumed *it*
decides. Only generators whose code can see a sent value (a ``yield`` whose result is used, or a
``yield from``) are worth asking about: `receives_values` says which.
"""

from __future__ import annotations

import bisect
import builtins
import dis
import functools
import types
from collections.abc import Callable
from typing import Any

#: A value was sent, but by an expression more complex than a name or a constant.
UNREAD = object()

_Reader = Callable[[types.FrameType], Any]
_DELEGATES = "delegates"
_NAME_LOADS = ("LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_FAST_BORROW", "LOAD_DEREF", "LOAD_NAME")


def resumed_by_send(frame: types.FrameType) -> tuple[bool, Any]:
    """Whether the generator running in *frame*, just resumed, was sent a value, and which.

    Sending ``None`` is resuming it as ``next()`` does, so it counts as no send. The value is
    `UNREAD` when the expression sent cannot be read back.
    """
    try:
        resumer = frame.f_back
        while resumer is not None:
            how = _how(resumer.f_code, resumer.f_lasti)
            if how != _DELEGATES:
                break
            resumer = resumer.f_back
        if resumer is None or how is None or isinstance(how, str):
            return False, None
        value = how(resumer)
        return value is not None, value
    except Exception:  # the frame's code is not what this module expects: say nothing
        return False, None


@functools.lru_cache(maxsize=4096)
def receives_values(code: types.CodeType) -> bool:
    """Whether a generator's code can see a value sent to it.

    Examples:
        >>> def numbers():
        ...     yield 1
        >>> def totals():
        ...     total = 0
        ...     while True:
        ...         total += yield total
        >>> receives_values(numbers.__code__), receives_values(totals.__code__)
        (False, True)
    """
    instructions = [i for i in dis.get_instructions(code) if i.opname != "CACHE"]
    for index, instruction in enumerate(instructions):
        if instruction.opname == "SEND":
            return True
        if instruction.opname == "YIELD_VALUE":
            after = instructions[index + 1 : index + 3]
            if [i.opname for i in after] != ["RESUME", "POP_TOP"]:
                return True
    return False


@functools.lru_cache(maxsize=4096)
def _how(code: types.CodeType, lasti: int) -> _Reader | str | None:
    """What the instruction at *lasti* does to the generator it resumed.

    ``None``: a plain resume; `_DELEGATES`: a ``yield from``; otherwise a reader of the value.
    """
    instructions = _instructions(code)
    index = bisect.bisect_right([i.offset for i in instructions], lasti) - 1
    if index < 0:
        return None
    current = instructions[index]
    if current.opname == "SEND":
        return _DELEGATES
    if not current.opname.startswith("CALL") or not _calls_send(instructions, index):
        return None
    if current.arg == 1 and index >= 2 and _is_send_attribute(instructions[index - 2]):
        return _reader(instructions[index - 1])
    return lambda _frame: UNREAD


@functools.lru_cache(maxsize=512)
def _instructions(code: types.CodeType) -> list[dis.Instruction]:
    return [i for i in dis.get_instructions(code) if i.opname != "CACHE"]


def _is_send_attribute(instruction: dis.Instruction) -> bool:
    return instruction.opname in ("LOAD_ATTR", "LOAD_METHOD") and instruction.argval == "send"


def _calls_send(instructions: list[dis.Instruction], index: int) -> bool:
    """Whether the call at *index* calls an attribute ``send`` (its load starts the call)."""
    call = instructions[index].positions
    if call is None or call.col_offset is None:
        return index >= 2 and _is_send_attribute(instructions[index - 2])
    for instruction in reversed(instructions[:index]):
        where = instruction.positions
        if where is None or where.lineno != call.lineno or where.col_offset != call.col_offset:
            continue
        if _is_send_attribute(instruction):
            return True
    return False


def _reader(load: dis.Instruction) -> _Reader:
    """How to read the one argument of the call, loaded by *load*, from the paused frame."""
    if load.opname in ("LOAD_CONST", "LOAD_SMALL_INT"):
        constant = load.argval
        return lambda _frame: constant
    name = load.argval[-1] if isinstance(load.argval, tuple) else load.argval
    if load.opname in _NAME_LOADS or load.opname.startswith("LOAD_FAST"):
        return lambda frame: frame.f_locals.get(name, UNREAD)
    if load.opname == "LOAD_GLOBAL":
        return lambda frame: frame.f_globals.get(name, getattr(builtins, name, UNREAD))
    return lambda _frame: UNREAD
