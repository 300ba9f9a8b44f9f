"""A method's call as a person writes it, and what the call did to its instance.

An item or size method is written as the statement or operator that calls it (``cache[1] =
1``, ``del cache[1]``, ``1 in cache``, ``len(cache)``, ``rows[1:3]``), an ``__init__`` as a
call of its class showing the instance it made (``>>> Temperature(21)``, then its repr), and a
method that returned None having changed its instance is followed by that instance after the
call (``>>> registry``, then its repr), which would otherwise show nothing. The instance after
the call is rebuilt from the fixture (its ``self_after``) only to be shown by its repr; the
example is run before it is written, as every example is.
"""

from __future__ import annotations

from pytead._calls import CallArgs
from pytead._codec import Node, Tagged
from pytead._codec.nodes import object_after
from pytead._docoutput import WRAPPED, Expected, NotShown, changed, expected
from pytead._model import Case, Raised, Returned, TargetInfo
from pytead._pyformat import Doc, Group, concat


def writes_expression(info: TargetInfo) -> bool:
    """Whether the example writes the call as an expression (not as ``x[k] = v``)."""
    return info.qualname.rpartition(".")[2] not in ("__setitem__", "__delitem__")


def initialized(case: Case) -> Expected:
    """What a call of ``__init__`` shows, written as a call of its class: the exception it
    raised, else the instance it made, by its repr.

    Raises:
        NotShown: That repr is not stable, or the instance cannot be rebuilt.
    """
    if not isinstance(case.outcome, Returned):
        return expected(case)
    made = instance_after(case)
    if made is None:
        raise NotShown("the instance its __init__ made cannot be rebuilt to be shown")
    try:
        return changed(made)
    except NotShown:
        raise
    except Exception:  # the project's own __repr__ and __setstate__
        raise NotShown("the instance its __init__ made cannot be shown by its repr") from None


def instance_after(case: Case) -> Node:
    """The method's instance after the call, as a value node; None when it was not recorded
    as an object."""
    if not (isinstance(case.self, Tagged) and case.self.tag == "obj"):
        return None
    return case.self if case.self_after is None else object_after(case.self, case.self_after)


def receiver_after(case: Case, receiver: str | None) -> tuple[str, ...]:
    """``>>> cache`` and its repr after the call, for a method that returned None having changed
    its instance (``cache[2] = 2``, ``bag.add("b")``), which would otherwise show nothing; ``()``
    when its repr is not stable, says nothing of the change, or the instance has no name."""
    if receiver is None or not receiver.isidentifier() or case.self_after is None:
        return ()
    after = instance_after(case)
    if case.outcome != Returned(None) or after is None:
        return ()
    try:
        before = changed(case.self)
        now = changed(after)
    except Exception:  # the project's own __repr__ and __setstate__: not shown, never raised
        return ()
    lines = (f">>> {receiver}" + (WRAPPED if now.wrapped else ""), *now.lines)
    return () if now.lines == before.lines else lines


def operator_form(
    receiver: str | None, name: str, arguments: CallArgs, info: TargetInfo, case: Case
) -> Doc | None:
    """How a person writes a call of one of the receiver's item or size methods: ``cache[1] =
    1``, ``del cache[1]``, ``1 in cache``, ``len(cache)``; None for any other call (and for an
    item statement whose call returned something other than None: a statement shows no value,
    only an exception)."""
    if receiver is None or info.kind != "method" or info.is_async or arguments.keywords:
        return None
    given = [doc for _, doc in arguments.positional]
    statement_shows = isinstance(case.outcome, Raised) or case.outcome == Returned(None)
    if name in ("__setitem__", "__delitem__") and not statement_shows:
        return None
    if name == "__setitem__" and len(given) == 2:
        return concat(Group(f"{receiver}[", (given[0],), "] = "), given[1])
    if name == "__delitem__" and len(given) == 1:
        return Group(f"del {receiver}[", (given[0],), "]")
    if name == "__contains__" and len(given) == 1:
        return concat(given[0], f" in {receiver}")
    if name == "__len__" and not given:
        return f"len({receiver})"
    return None


def slice_subscript(node: Node) -> str | None:
    """``1:5`` for a recorded ``slice(1, 5)`` (``::-1`` for ``slice(None, None, -1)``), or None
    for any other key."""
    if not isinstance(node, Tagged) or node.tag != "builtins.slice":
        return None
    parts = node.value
    if not isinstance(parts, list) or len(parts) != 3:
        return None
    if not all(part is None or type(part) is int for part in parts):
        return None
    start, stop, step = ("" if part is None else str(part) for part in parts)
    return f"{start}:{stop}" + (f":{step}" if step else "")
