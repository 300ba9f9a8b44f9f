"""Values of examples made the way the program made them: by a call of another traced function.

A value the codec cannot write as plain code (a parsed document, a tree of tokens) was often
returned by a function that was traced too: ``dumps(doc)`` got the ``doc`` that ``parse(text)``
returned. The example then makes it the same way, ``dumps(parse('a = 1'))``, as a person
would. `Producers` indexes every traced function's recorded returns by their value; a value is
matched by its whole recorded tree, and the example, like every example, is only kept when the
doctest run gives back what was recorded (`pytead._doccheck`).

`producing` sets the index the examples being built consult (`current`), as `pytead._trust`
does for the trust policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from pytead._calls import call_doc, parse_parameters, split_arguments, written_arguments
from pytead._codec import Node, canonical
from pytead._model import Case, Fixture, Returned, TargetInfo
from pytead._names import is_dotted
from pytead._pyformat import Doc

#: Kinds of target whose call needs no instance: what a producer can be.
_CALLABLE_ALONE = ("function", "staticmethod", "classmethod")


@dataclass(frozen=True)
class Producer:
    """A recorded call whose returned value an example can make again by calling it.

    Attributes:
        target: The function called.
        case: The recorded call.
    """

    target: TargetInfo
    case: Case


class Producers:
    """Every usable recorded return of the traced functions, by its value's tree."""

    def __init__(self, fixtures: Iterable[Fixture]) -> None:
        self._by_value: dict[str, list[Producer]] = {}
        for fixture in fixtures:
            for case in fixture.cases:
                if _usable(fixture.target, case):
                    assert isinstance(case.outcome, Returned)
                    key = canonical(case.outcome.value)
                    self._by_value.setdefault(key, []).append(Producer(fixture.target, case))
        for found in self._by_value.values():
            found.sort(key=lambda p: (len(flat_args(p.case)), p.target.name, p.case.id))

    def find(self, node: Node) -> list[Producer]:
        """The recorded calls that returned *node*, shortest call first."""
        return list(self._by_value.get(canonical(node), []))


def flat_args(case: Case) -> str:
    """A case's arguments as text, to prefer the producer with the shortest call."""
    return canonical(dict(case.args))


def _usable(target: TargetInfo, case: Case) -> bool:
    """Whether *case* of *target* can make its returned value again in an example."""
    if target.kind not in _CALLABLE_ALONE or target.is_async or not is_dotted(target.qualname):
        return False
    if not isinstance(case.outcome, Returned) or case.yields is not None:
        return False
    value = case.outcome.value
    if value is None or isinstance(value, str | int | float | bool):
        return False  # plain code writes it anyway
    return case.replayable and not case.nondeterministic and not case.args_after


def producer_call(
    producer: Producer, code: Callable[[Node], Doc], imports: set[tuple[str, str]]
) -> Doc:
    """The call of *producer* as a document, its arguments written by *code*; adds the
    import of the function called.

    Raises:
        NotRenderable: (from *code*) An argument cannot be written as plain code.
    """
    target, case = producer.target, producer.case
    params = parse_parameters(target.signature)
    if target.kind == "classmethod":
        params = params[1:]
    written = written_arguments(case.args, code)
    imports.add((target.module, target.qualname.split(".")[0]))
    return call_doc(target.qualname, split_arguments(written, params), lambda doc: doc)


_CURRENT: ContextVar[Producers | None] = ContextVar("pytead_producers", default=None)


def current() -> Producers | None:
    """The index the examples being built consult, if one is set."""
    return _CURRENT.get()


@contextmanager
def producing(producers: Producers | None) -> Iterator[None]:
    """Build examples with *producers* as the index of recorded returns."""
    token = _CURRENT.set(producers)
    try:
        yield
    finally:
        _CURRENT.reset(token)
