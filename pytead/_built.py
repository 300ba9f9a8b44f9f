"""How the program made an instance a traced call received: its constructor call, then its history.

A method's case records the instance's state before the call (``self``). When pytead also saw
the instance built, the case says how (``built``): the arguments ``__init__`` was called with,
and the traced calls made on that same instance before this one that changed it, oldest first.
A generated test then builds the receiver the way the program did::

    inventory = Inventory()
    inventory.receive("PN-0007", 40)
    assert inventory.ship("PN-0007", 12) == 28

rather than rebuilding it from its state. In a fixture::

    built:
      args: {}                  # what __init__ received; absent when pytead did not see it
      calls:                    # traced calls that changed the instance, oldest first
      - {method: receive, args: {sku: PN-0007, quantity: 40}}

This is a hint, checked before it is used: gen-tests replays it and keeps it only when it gives
back the recorded state; otherwise the receiver is built another way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pytead._codec import Node
from pytead._names import is_argument_key, is_dotted, is_identifier, shown

#: The longest history kept: a longer one would not read as a test's set-up.
MAX_CALLS = 8
#: The special methods a history may hold, written ``obj[key] = value`` and ``del obj[key]``.
ITEM_METHODS = frozenset({"__setitem__", "__delitem__"})


@dataclass(frozen=True)
class Step:
    """A traced call made on the instance before the case's call.

    Attributes:
        method: The method's name on the instance's class.
        args: Its arguments, bound to parameter names as in a case.
        raised: The qualified name of the exception it raised, if it raised one.
    """

    method: str
    args: dict[str, Node]
    raised: str | None = None


@dataclass(frozen=True)
class Built:
    """How an instance came to be.

    Attributes:
        args: The arguments its ``__init__`` received (bound to parameter names, without
            ``self``), or ``None`` when pytead did not see it constructed.
        calls: The traced calls made on it before, that changed it, oldest first.
    """

    args: dict[str, Node] | None
    calls: tuple[Step, ...] = ()


def built_to_node(built: Built) -> dict[str, Node]:
    """The mapping written under ``built`` in a case."""
    data: dict[str, Node] = {}
    if built.args is not None:
        data["args"] = built.args
    if built.calls:
        data["calls"] = [_step_to_node(step) for step in built.calls]
    return data


def _step_to_node(step: Step) -> dict[str, Node]:
    data: dict[str, Node] = {"method": step.method, "args": step.args}
    if step.raised is not None:
        data["raised"] = step.raised
    return data


def built_from_node(data: Any, where: str = "built") -> Built:
    """Read back what `built_to_node` wrote, checking every name that generated code spells.

    Raises:
        ValueError: The mapping is not what pytead writes.
    """
    if not isinstance(data, dict) or set(data) - {"args", "calls"}:
        raise ValueError(f"{where}: expected a mapping with 'args' and/or 'calls'")
    args = data.get("args")
    if args is not None:
        args = _arguments(args, f"{where}.args")
    calls = data.get("calls") or []
    if not isinstance(calls, list) or len(calls) > MAX_CALLS:
        raise ValueError(f"{where}.calls: expected a list of at most {MAX_CALLS} calls")
    return Built(args, tuple(_step(item, f"{where}.calls[{i}]") for i, item in enumerate(calls)))


def _step(data: Any, where: str) -> Step:
    if not isinstance(data, dict) or set(data) - {"method", "args", "raised"}:
        raise ValueError(f"{where}: expected {{method, args}} (and 'raised' if it raised)")
    method = data.get("method")
    if not is_identifier(method) or (str(method).startswith("__") and method not in ITEM_METHODS):
        raise ValueError(f"{where}: the method {shown(method)} is not a plain method name")
    raised = data.get("raised")
    if raised is not None and not is_dotted(raised):
        raise ValueError(f"{where}: the exception type {shown(raised)} is not a dotted name")
    return Step(str(method), _arguments(data.get("args", {}), f"{where}.args"), raised)


def _arguments(data: Any, where: str) -> dict[str, Node]:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a mapping of arguments")
    for key, value in data.items():
        if not is_argument_key(key):
            raise ValueError(f"{where}: {shown(key)} is not a parameter name")
        keywords = value if key.startswith("**") and isinstance(value, dict) else {}
        if not all(isinstance(name, str) for name in keywords):
            raise ValueError(f"{where}.{key}: every keyword must be a string")
    return data
