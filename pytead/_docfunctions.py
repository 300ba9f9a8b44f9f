"""Functions made inside the library, as the outcome of a doctest example (pure).

A decorator factory returns the decorator it made (``ttl_cache(maxsize=2)``), a decorator
returns the wrapper it made around the function it got (``memoize(f)``): the result is a
function no name imports, recorded as ``!function`` with its module and qualname
(`pytead._codec.functions.function_payload`). Its repr is ``<function QUALNAME at 0x...>``,
whose address changes from run to run. The example shows it without the address, under
doctest's ``ELLIPSIS`` directive: ``<function _cache.<locals>.decorator at ...>``. That line is
what the call gives on every run, the qualname recorded says which function the library made,
and the doctest run checks it (a decorator that returns the function it got unchanged, or
another wrapper, no longer matches).

Shown only for a function the package itself made: a function defined in a test (a lambda, a
helper) has another qualname once an example defines it at its top level. Every name comes
from the fixture and is checked first: a qualname is identifiers and Python's ``<locals>``,
``<lambda>`` scopes, nothing else, so the line holds no text of the fixture's choosing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NoReturn

from pytead._codec import Decoder, Node, Tagged, canonical
from pytead._codec.functions import unwrapped_function
from pytead._codec.nodes import FUNCTION, iter_tags, walk_nodes
from pytead._docoutput import Expected, NotShown, _repr_lines
from pytead._errors import CodecError
from pytead._model import Case, Returned
from pytead._names import is_dotted
from pytead._trust import current as current_trust

#: Doctest's directive for an output that holds an ellipsis standing for an address.
ELLIPSIS = "  # doctest: +ELLIPSIS"

_SCOPE = r"(?:[A-Za-z_][A-Za-z0-9_]*|<locals>|<lambda>|<genexpr>|<listcomp>|<dictcomp>|<setcomp>)"
#: A qualname Python gives a function: dotted identifiers and its own ``<...>`` scopes.
_QUALNAME = re.compile(rf"{_SCOPE}(?:\.{_SCOPE})*")
#: The address-free repr of a function this module writes: never taken for a volatile part.
STABLE_FUNCTION = re.compile(r"<function (?:[^\s<>]|<\w+>)+ at \.\.\.>")
#: A function's repr, with its address.
_ADDRESSED = re.compile(r"<function ((?:[^\s<>]|<\w+>)+) at 0x[0-9a-fA-F]+>")


def returned_function(case: Case, package: str) -> Expected | None:
    """The line an example expects when *case* returned a function made inside *package*
    (``<function memoize.<locals>.memof at ...>``, shown under `ELLIPSIS`); None when it
    returned anything else.

    Raises:
        NotShown: It returned a function made outside the package (in a test, say), whose
            qualname differs once an example defines it, or its recorded names are not a
            module and a qualname Python gives.
    """
    outcome = case.outcome
    if not isinstance(outcome, Returned) or case.yields is not None:
        return None
    if not _is_function(outcome.value):
        return None
    module, qualname = _names(outcome.value)
    if not is_dotted(module) or not _QUALNAME.fullmatch(qualname) or qualname.endswith("<locals>"):
        raise NotShown("it returned a function whose recorded names are not Python's")
    top = module.split(".")[0]
    if top != package and top in current_trust().first_party:
        raise NotShown(f"it returned the function {qualname:.60} of {module}, not of {package}")
    return Expected((f"<function {qualname} at ...>",))


def _names(node: Node) -> tuple[str, str]:
    payload = getattr(node, "value", None)
    if not isinstance(payload, dict):
        return "", ""
    module, qualname = payload.get("module"), payload.get("qualname")
    return (module if isinstance(module, str) else ""), (
        qualname if isinstance(qualname, str) else ""
    )


def returned_argument(case: Case) -> str | None:
    """The parameter whose function *case* returned as it got it (a decorator that marks the
    function and hands it back), by its recorded node; None when it returned anything else.

    The recorded node of a new function differs from its argument's: a wrapper's code is its
    own (another place in the source), and one that copied the names records ``wrapped``.
    """
    outcome = case.outcome
    if not isinstance(outcome, Returned) or not _is_function(outcome.value):
        return None
    returned = canonical(outcome.value)
    for name, node in case.args.items():
        if not name.startswith("*") and _is_function(node) and canonical(node) == returned:
            return name
    return None


def address_free(lines: tuple[str, ...]) -> tuple[str, ...] | None:
    """*lines* with each function's address left to doctest's ellipsis (``functools.partial(
    <function set_hook at ...>, tag='x')``); None when they show no function's address."""
    if not any(_ADDRESSED.search(line) for line in lines):
        return None
    return tuple(_ADDRESSED.sub(r"<function \1 at ...>", line) for line in lines)


def _is_function(node: Node) -> bool:
    return isinstance(node, Tagged) and node.tag == FUNCTION


class _StandIn:
    """What a recorded function is in an example's output: its repr, address aside."""

    def __init__(self, qualname: str) -> None:
        self.__qualname__ = qualname
        self.__name__ = qualname.rpartition(".")[2]

    def __repr__(self) -> str:
        return f"<function {self.__qualname__} at 0x0>"

    def __call__(self, *_args: object, **_kwargs: object) -> NoReturn:
        """Callable, as what it stands for (a ``functools.partial`` checks that), never run."""
        raise TypeError(f"{self.__qualname__} stands for a recorded function: it cannot run")


class _StandInDecoder(Decoder):
    """A decoder that makes each ``!function`` a `_StandIn` named as the example names it."""

    def __init__(self, names: Mapping[str, str], package: str) -> None:
        super().__init__()
        self._names = names
        self._package = package

    def _tagged(self, node: Tagged) -> Any:
        if node.tag != FUNCTION:
            return super()._tagged(node)
        try:  # its module's own, behind a decorator (``merge.func``): the real function
            found = unwrapped_function(node.value, self.reach)
        except (CodecError, LookupError):  # not trusted, or not there
            found = None
        if found is not None:
            return found[1]
        known = self._names.get(canonical(node))
        if known is not None:
            return _StandIn(known)
        return _StandIn(_package_qualname(node, self._package))


def example_names(case: Case, package: str) -> dict[str, str]:
    """The qualname each function of *case*'s instance and arguments has in its example, by
    recorded node (canonical): one the example defines from the project's source is named at
    its top level (``f``, ``<lambda>``); one of the package keeps its own."""
    names: dict[str, str] = {}
    for node in walk_nodes([case.self, dict(case.args)]):
        if isinstance(node, Tagged) and _is_function(node):
            module, qualname = _names(node)
            own = module.split(".")[0] == package and is_dotted(qualname)
            names[canonical(node)] = qualname if own else qualname.rpartition(".")[2]
    return names


def holding_functions(case: Case, names: Mapping[str, str], package: str) -> Expected | None:
    """The lines an example expects when *case* returned a value holding functions no name
    imports (``<cached <function <lambda> at ...>>``), shown under `ELLIPSIS`; None when its
    value holds none.

    *names* gives, by recorded node (canonical), the qualname each function the example
    defines will have there (``f`` for ``def f``, ``<lambda>`` for a lambda written inline).
    The repr is the value's own, made with each function standing for itself; the doctest run
    checks it as always.

    Raises:
        NotShown: A function in it is neither one the example defines nor one of the package.
    """
    outcome = case.outcome
    if not isinstance(outcome, Returned) or case.yields is not None:
        return None
    if FUNCTION not in iter_tags(outcome.value):
        return None
    value = _StandInDecoder(names, package).decode(outcome.value)
    try:
        shown = _repr_lines(value)
    except NotShown:
        raise
    except Exception as error:  # its repr asked more of a function than its names
        why = f"its repr cannot be made from the recorded functions ({error!r:.80})"
        raise NotShown(why) from None
    return Expected(address_free(shown.lines) or shown.lines, shown.wrapped)


def _package_qualname(node: Tagged, package: str) -> str:
    """The qualname of a function the package made, checked; refused for any other."""
    module, qualname = _names(node)
    if not is_dotted(module) or not _QUALNAME.fullmatch(qualname) or qualname.endswith("<locals>"):
        raise NotShown("it returned a function whose recorded names are not Python's")
    if module.split(".")[0] != package:
        raise NotShown(f"it returned a value holding the function {qualname:.60} of {module}")
    return qualname
