"""Receivers of docstring examples built the way the generated tests build them.

When the codec cannot write an instance without pytead's helpers, the instance may still be
made as the program made it: the recorded constructor call, then the calls made on it before
(`pytead._roads.find_making`, which checks by replaying that the recorded state comes back).
The lines are the ones a person would type; a step's result is bound to ``_`` so that the
doctest does not expect its repr. When nothing works, `NoReceiver` says why in one line.
"""

from __future__ import annotations

from collections.abc import Callable

from pytead._built import ITEM_METHODS, Built
from pytead._calls import Param, call_text
from pytead._codec import Node
from pytead._docoutput import NotShown
from pytead._roads import find_making, init_parameters, method_parameters


class NoReceiver(NotShown):
    """The receiver of a method's example cannot be built; the message is one short line."""


def making_lines(
    variable: str,
    callee: str,
    node: Node,
    built: Built | None,
    code: Callable[[Node], str],
    *,
    equality: bool = False,
) -> list[str]:
    """``variable = Cls(...)`` then ``_ = variable.step(...)`` lines, as the program made it.

    *code* writes one argument as source (raising when it cannot). With *equality*, a making
    is accepted when the class's own ``==`` finds what it makes equal to the recorded instance
    (see `pytead._roads.find_making`).

    Raises:
        NoReceiver: There is no record that gives the instance back, or a step cannot be shown.
    """
    if built is None:
        raise NoReceiver("receiver cannot be built: no record of its construction")
    making = find_making(node, built, equality=equality)
    if making is None:
        raise NoReceiver("receiver cannot be built: its recorded making does not replay")
    if any(step.raised is not None or step.method in ITEM_METHODS for step in making.steps):
        raise NoReceiver("receiver cannot be built: a step of its history cannot be shown")
    init = _call(callee, init_parameters(making.cls, making.init), making.init, code)
    lines = [f"{variable} = {init}"]
    for step in making.steps:
        params = method_parameters(making.cls, step.method)
        lines.append(f"_ = {_call(f'{variable}.{step.method}', params, step.args, code)}")
    return lines


def _call(
    callee: str, params: list[Param] | None, args: dict[str, Node], code: Callable[[Node], str]
) -> str:
    if params is None:
        raise NoReceiver("receiver cannot be built: a callable does not say its parameters")
    return call_text(callee, args, params, code)
