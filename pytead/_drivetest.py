"""A generator the program drove with ``send()`` or ``throw()`` -> a test driving it the same way.

Iterating such a generator in a test (``list(gen())``) would resume it with ``next()`` only and
check items the program never got that way. The case records each resume (``driven``), so the
test makes them again, in order, and compares the items they gave::

    generator = running_total()
    assert [next(generator), generator.send(5), generator.send(10)] == [0, 5, 15]

When the program resumed it once more with ``next()`` and it ended, the test checks that it
ends there too (``list(generator) == []``). Cases that cannot be driven again (a value sent that
was not recorded, a generator that raised) are left out by `pytead._unreplayable`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytead._codec import Node, NotRenderable
from pytead._model import Raised, outcome_from_node
from pytead._pyformat import Doc, Group

if TYPE_CHECKING:
    from pytead._model import Case
    from pytead._testcases import CaseBuilder
    from pytead._testpieces import Pieces


def drive(builder: CaseBuilder, case: Case, call: Doc, pieces: Pieces) -> None:
    """Fill *pieces* with the set-up and steps that drive the generator *call* as recorded."""
    from pytead._testnames import variable_name

    assert case.yields is not None and case.driven is not None
    variable = variable_name("generator", builder.namer)
    pieces.setup.append((variable, call))
    steps = [*case.driven, *["next"] * (len(case.yields) + 1 - len(case.driven))]
    resumes = tuple(_step(builder, variable, step) for step in steps[: len(case.yields)])
    pieces.call = Group("[", resumes, "]")
    pieces.tabular = False  # a table's call is the plain call
    builder.expect(case.yields, pieces)
    if case.complete and steps[len(case.yields)] == "next":
        pieces.after.append((f"list({variable})", "[]"))  # and then it ended, as in the program


def _step(builder: CaseBuilder, variable: str, step: Node) -> Doc:
    if step == "next":
        return f"next({variable})"
    if isinstance(step, dict) and "send" in step:
        return Group(f"{variable}.send(", (builder.value(step["send"]),), ")")
    thrown = step.get("throw") if isinstance(step, dict) else None
    if isinstance(thrown, dict):
        return Group(f"{variable}.throw(", (_exception(builder, thrown),), ")")
    raise NotRenderable(f"a resume recorded as {step!r} cannot be made again")


def _exception(builder: CaseBuilder, thrown: dict[str, Node]) -> Doc:
    """The exception the program threw in, built again from its type and arguments."""
    raised = outcome_from_node({"raised": thrown})
    if not isinstance(raised, Raised):
        raise NotRenderable("a resume by throw() without its exception")
    try:
        kind = builder.exception_expr(raised.type)
    except LookupError:
        raise NotRenderable(f"the exception thrown in, {raised.type}, cannot be imported") from None
    args = raised.args if raised.args is not None else [raised.message] if raised.message else []
    if not isinstance(args, list):
        raise NotRenderable(f"the arguments of the {raised.short_type} thrown in are not a list")
    return Group(f"{kind}(", tuple(builder.value(arg) for arg in args), ")")
