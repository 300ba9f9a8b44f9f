"""Recorded cases -> doctest examples a reader (or an LLM) learns the function from.

Pure, apart from importing the target's module to read its names. For each target the best few
cases are chosen, deterministically (`choose`): distinct outcomes first, then distinct argument
shapes, then typical (median-sized) calls, one raised exception when one was recorded. A case is
never shown when its output would be volatile (memory addresses, the order of a set of strings)
or when its instance cannot be written as plain code; `sort_cases` says why, in one line per
case. A string of several lines of text is shown as ``print()`` writes it, with its repr kept
as the form to fall back on (see `pytead._docoutput`).

An example's source is built, never pasted: names come from the checked fixture header (see
`pytead._names`), values from the codec's literal renderer, a ``**kwargs`` key that is no
identifier is passed as ``**{"key": value}``. A call too long for one line is laid out over
``...`` lines as a formatter would (`pytead._doclines`); a method's instance is bound to a name
that shadows nothing (`pytead._docnames`), a ``__call__`` is shown as a call of it, a
``__getitem__`` as a subscript and a ``__getattr__`` as the attribute read. An
`Example` checks on creation that each of its statements (a ``>>>`` line and its ``...``
lines) is one statement and every line shows all its characters, and only `Example` objects
reach the run that verifies them (`pytead._doccheck`).
"""

from __future__ import annotations

import ast
import contextvars
import dataclasses
import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pytead._calls import CallArgs, call_doc, parse_parameters, split_arguments
from pytead._codec import Node, NotRenderable, Tagged, render_source
from pytead._codec.nodes import FROM_SOURCE_TAGS, UNREPLAYABLE_TAGS, iter_tags
from pytead._doccalls import (
    initialized,
    operator_form,
    receiver_after,
    slice_subscript,
    writes_expression,
)
from pytead._docclasses import suite_classes
from pytead._docfunctions import (
    ELLIPSIS,
    STABLE_FUNCTION,
    address_free,
    example_names,
    holding_functions,
    returned_argument,
    returned_function,
)
from pytead._doclines import source_of, statement_lines, statements
from pytead._docnames import attribute_read, instance_name, unshadowing
from pytead._docoutput import (
    MAX_LINE,
    WRAPPED,
    Expected,
    NotShown,
    attributes,
    changed,
    expected,
    item_texts,
    printed,
)
from pytead._docpaths import relative_case
from pytead._docproducers import current as current_producers
from pytead._docproducers import producer_call
from pytead._docreceivers import NoReceiver, in_tree, made_receiver, module_object, unwritable
from pytead._errors import CodecError
from pytead._leftout import one_line
from pytead._localclass import doctest_lines
from pytead._model import Case, Fixture, Raised, Returned, TargetInfo
from pytead._names import is_dotted
from pytead._project import project_root
from pytead._pyformat import Doc, Group, concat, flat
from pytead._trust import current as current_trust
from pytead._unreplayable import holds_redacted, unreplayable_reason

_VOLATILE = re.compile(r"0x[0-9a-fA-F]{6,}|\bobject at\b|<function |<bound method ")


@dataclass(frozen=True)
class Example:
    """One doctest example: the lines to write and where it came from.

    Attributes:
        case_id: The fixture case it shows.
        lines: Doctest lines without indentation (``>>> add(2, 3)``, ``5``).
        raised: Whether it shows an exception.
        kind: A short description of its argument types and outcome, to favour variety.
        imports: Every ``>>> import``/``>>> from`` line its values need, whether or not the
            documented module already provides the name, so a page can show it standalone.
        repr_form: A plainer form of the same case, to fall back on when this one does not
            verify: the result by its repr rather than as ``print()`` writes it, or the call
            without its instance shown after it.
        outcome_at: Where the lines showing what the call did start (its output, then the
            arguments it changed); ``None``: after the last statement.
        setup_end: How many of its first lines set the call up (imports, the instance, the
            arguments bound to names), which the example before may already have run.
        keeps_state: The call changed neither its instance nor its arguments, so what its
            setup made is still as made for the next example.
    """

    case_id: str
    lines: tuple[str, ...]
    raised: bool
    kind: str
    imports: tuple[str, ...] = ()
    repr_form: Example | None = None
    outcome_at: int | None = None
    setup_end: int = 0
    keeps_state: bool = False

    def __post_init__(self) -> None:
        """Refuse lines a doctest would read otherwise than they were built.

        Raises:
            ValueError: A line holds a character it does not show (a line break doctest or
                Python would split on, a control or zero-width character), or a source line
                is not one complete statement.
        """
        for line in self.lines:
            if not line.isprintable():
                raise ValueError(f"example line {line!r} holds characters it does not show")
        for start, end in statements(self.lines):
            _one_statement(source_of(self.lines, start, end).removesuffix(WRAPPED))

    @property
    def text(self) -> str:
        """The example as doctest text."""
        return "\n".join(self.lines) + "\n"

    @property
    def size(self) -> int:
        """How much room it takes (shorter examples are preferred)."""
        return sum(len(line) for line in self.lines)


def _one_statement(source: str) -> None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        raise ValueError(f"example source {source!r} does not parse") from None
    if len(tree.body) != 1:
        raise ValueError(f"example source {source!r} is not one statement")


@dataclass(frozen=True)
class Unshown:
    """A case that cannot be shown as an example, and why.

    Attributes:
        case_id: The fixture case.
        reason: Why, in one line.
        no_receiver: The reason is that a method's instance cannot be built.
    """

    case_id: str
    reason: str
    no_receiver: bool = False


@dataclass(frozen=True)
class Candidates:
    """A fixture's cases sorted out: the examples they make, and the cases that make none.

    Attributes:
        examples: The examples, shortest first.
        unshown: The other cases, in the fixture's order.
    """

    examples: list[Example] = field(default_factory=list)
    unshown: list[Unshown] = field(default_factory=list)


def sort_cases(fixture: Fixture, namespace: dict[str, Any] | None) -> Candidates:
    """Every case of *fixture* as a clean doctest example, or the reason it makes none.

    *namespace* holds the globals of the module the docstring lives in: names found there need
    no import line in the example.
    """
    found = Candidates()
    # a function that returns a value at other times shows its None outright: a bare call
    # showing nothing would read as an example cut short
    none_shown = any(
        isinstance(case.outcome, Returned) and case.outcome.value is not None
        for case in fixture.cases
    )
    root = project_root()
    for case in fixture.cases:
        try:
            found.examples.append(_example(fixture.target, case, namespace or {}, none_shown, root))
        except NotShown as why:
            found.unshown.append(Unshown(case.id, str(why), isinstance(why, NoReceiver)))
    found.examples.sort(key=lambda e: (e.size, e.case_id))
    return found


def candidate_examples(fixture: Fixture, namespace: dict[str, Any] | None) -> list[Example]:
    """Every case of *fixture* that makes a clean doctest, shortest first (see `sort_cases`)."""
    return sort_cases(fixture, namespace).examples


def choose(candidates: list[Example], limit: int) -> list[Example]:
    """At most *limit* examples that together show the most about the function.

    Distinct outcomes come first (one exception at most, kept for the last place), each shown
    by its median-sized case; then distinct argument shapes; then the remaining cases, median
    sizes before the smallest. Two examples share an outcome only when no other recorded
    outcome is left. Deterministic: the order depends only on the examples' text and case ids.
    """
    if limit <= 0:
        return []
    ordered = _teaching_order(candidates)
    raised = [e for e in ordered if e.raised]
    returned = [e for e in ordered if not e.raised]
    room = limit - 1 if raised and limit > 1 else limit
    picked = returned[:room]
    if raised and len(picked) < limit:
        picked.append(raised[0])
    return picked


def shortlist(candidates: list[Example], count: int) -> list[Example]:
    """The *count* candidates worth verifying: every distinct outcome before any repeat.

    The final pick (`choose`) can only show an outcome whose candidate was verified, so the
    shortlist covers the outcomes (and an exception) before it spends room on repeats.
    """
    ordered = _teaching_order(candidates)
    raised = [e for e in ordered if e.raised][:1]
    returned = [e for e in ordered if not e.raised]
    if not raised or count <= 1:
        return (returned or raised)[:count]
    return [*returned[: count - 1], *raised, *returned[count - 1 :]][:count]


def outcome_of(example: Example) -> tuple[str, ...]:
    """The lines an example expects (what the call returned or raised, what it changed)."""
    if example.outcome_at is not None:
        return example.lines[example.outcome_at :]
    found = statements(example.lines)
    return example.lines[found[-1][1] :] if found else example.lines


def _teaching_order(candidates: list[Example]) -> list[Example]:
    """Candidates in the order they teach: new outcomes, then new argument shapes, then rest.

    Within each round the median-sized case of a group comes first (a typical call rather
    than the tiniest), ties broken by size and case id so that the order is reproducible.
    """
    by_size = sorted(candidates, key=lambda e: (e.size, e.case_id))
    groups: dict[tuple[str, ...], list[Example]] = {}
    for example in by_size:
        groups.setdefault(outcome_of(example), []).append(example)
    firsts = [_median(group) for group in groups.values()]
    firsts.sort(key=lambda e: (e.size, e.case_id))
    ordered = _new_kinds_first(firsts)
    used = {e.case_id for e in ordered}
    rest = [e for e in by_size if e.case_id not in used]
    shown = frozenset(e.kind for e in ordered)
    ordered.extend(_new_kinds_first(_median_first(rest), shown))
    return ordered


def _median(group: list[Example]) -> Example:
    return group[(len(group) - 1) // 2]


def _median_first(examples: list[Example]) -> list[Example]:
    """Sizes ordered outward from the median (``[m, m-1, m+1, ...]``) for typical first."""
    middle = (len(examples) - 1) // 2
    ranked = sorted(enumerate(examples), key=lambda pair: (abs(pair[0] - middle), pair[0]))
    return [example for _, example in ranked]


def _new_kinds_first(examples: list[Example], shown: frozenset[str] = frozenset()) -> list[Example]:
    """Keep the order, but move each argument shape not yet *shown* ahead of repeats."""
    seen: set[str] = set(shown)
    first: list[Example] = []
    repeats: list[Example] = []
    for example in examples:
        (repeats if example.kind in seen else first).append(example)
        seen.add(example.kind)
    return first + repeats


def _example(
    info: TargetInfo,
    case: Case,
    namespace: dict[str, Any],
    none_shown: bool = False,
    root: Path | None = None,
) -> Example:
    """The example showing *case* (a None it returned as ``print()`` shows it, with
    *none_shown*), the paths under *root* in its arguments relative to it, falling back on
    the case as recorded (see `pytead._docpaths`).

    Raises:
        NotShown: Why the case cannot be shown (`NoReceiver` when its receiver cannot be built).
    """
    _check_showable(info, case)
    recorded = _written(info, case, namespace, none_shown)
    relative = None if root is None else relative_case(case, root)
    if relative is None:
        return recorded
    try:
        moved = _written(info, relative, namespace, none_shown)
    except NotShown:
        return recorded
    return dataclasses.replace(moved, repr_form=recorded)


def _written(info: TargetInfo, case: Case, namespace: dict[str, Any], none_shown: bool) -> Example:
    """`_build`, its failures said as the reason the case is not shown."""
    try:
        return _build(info, case, namespace, none_shown)
    except NotShown:
        raise
    except (NotRenderable, CodecError) as error:
        raise NotShown(f"a value cannot be written as code: {one_line(str(error), 200)}") from None
    except (ValueError, LookupError) as error:
        raise NotShown(f"it cannot be written as an example: {one_line(str(error), 200)}") from None


def _check_showable(info: TargetInfo, case: Case) -> None:
    """Refuse a case whose call cannot be shown as it was made, whatever its values."""
    if not is_dotted(info.qualname):
        raise NotShown("it is defined inside another function, where a doctest cannot call it")
    # A function or class defined in a function is written from the project's source.
    from_source = (iter_tags(case.self) | iter_tags(case.args)) & UNREPLAYABLE_TAGS
    if not case.replayable and not from_source <= FROM_SOURCE_TAGS:
        raise NotShown(unreplayable_reason(case))
    if holds_redacted(case):  # a secret left out: not what the call did, and not to show
        raise NotShown("a secret was redacted from it at capture")
    for wrong, why in (
        (case.nondeterministic, "the same inputs gave different outcomes"),
        (bool(case.defaulted), "it used a mutable default an earlier call had changed"),
        (case.driven is not None, "the program drove the generator with send() or throw()"),
        (case.yields is not None and not case.complete, "the program consumed only part of it"),
    ):
        if wrong:
            raise NotShown(why)


#: Functions and classes defined in a function that the values of the example being built
#: name (a ``!function`` argument): the example defines them from the project's source first.
_DEFINED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "pytead:example-definitions", default=None
)


def _build(
    info: TargetInfo, case: Case, namespace: dict[str, Any], none_shown: bool = False
) -> Example:
    imports: set[tuple[str, str]] = set()
    lines: list[str] = []
    token = _DEFINED.set([])
    try:
        made_here = info.is_initializer  # ``Box(...)``: the instance is what it shows
        receiver = None if made_here else _receiver(info, case, imports, lines, namespace)
        bound = _bind_changed(info, case, receiver, namespace, imports, lines)
        call = _call(info, case, receiver, imports, bound)
        defined = _definition_lines(_DEFINED.get() or [], lines)
    finally:
        _DEFINED.reset(token)
    defined = [*_suite_class_lines(info, imports, namespace), *defined]
    _check_importable_by_users(info, imports)
    function = _function_shown(info, case, call, imports)
    setup = [*(f">>> {line}" for line in _import_lines(imports, namespace)), *defined, *lines]
    every = tuple(f">>> {line}" for line in _import_lines(imports, {}))
    made = partial(_made, case, setup, every, after=_shown_after(case, bound))
    if function is not None:
        return made(*function)
    outcome = initialized(case) if made_here else expected(case)
    plain_none = case.outcome == Returned(None) and case.yields is None
    if none_shown and plain_none and not made_here and writes_expression(info):
        return _with_receiver_after(
            made(_statement(_wrap("print", call)), ("None",)), case, receiver
        )
    text = printed(case)
    try:
        shown = made(*_shown_call(call, outcome))
    except NotShown:
        if text is not None:  # a long text whose repr cannot be shown
            return made(_statement(_wrap("print", call)), text)
        fields = attributes(case)  # an object whose repr shows its address: its attributes
        if fields is not None:
            return made(_statement(_wrap("vars", call), fields.wrapped), fields.lines)
        texts = item_texts(case)  # a list of such objects: what each says it is
        if texts is None:
            raise
        listed = concat("[str(item) for item in ", call, "]")
        return made(_statement(listed, texts.wrapped), texts.lines)
    if text is None:
        return _with_receiver_after(shown, case, receiver)
    try:
        return made(_statement(_wrap("print", call)), text, repr_form=shown)
    except ValueError:  # NotShown too: the print form cannot be written, the repr can
        return shown


def _function_shown(
    info: TargetInfo, case: Case, call: Doc, imports: set[tuple[str, str]]
) -> tuple[list[str], tuple[str, ...]] | None:
    """The call and outcome lines of a call that returned a function (see
    `pytead._docfunctions`): ``decorate(f) is f`` when it handed back the function it got,
    else the function's address-free repr; None when it returned anything else."""
    same = returned_argument(case)
    if same is not None:
        name = flat(_code_doc(case.args[same], imports))
        if name.isidentifier():  # a lambda written inline has no name to compare with
            return statement_lines(concat(call, f" is {name}")), ("True",)
    package = info.module.split(".")[0]
    function = returned_function(case, package)
    if function is None:
        function = holding_functions(case, example_names(case, package), package)
    if function is None:
        return None
    return _ellipsis_call(call, function.wrapped), function.lines


def _shown_call(call: Doc, outcome: Expected) -> tuple[list[str], tuple[str, ...]]:
    """The call's lines and the outcome's, a function's address in it left to an ellipsis."""
    free = address_free(outcome.lines)
    if free is None:
        return _statement(call, outcome.wrapped), outcome.lines
    return _ellipsis_call(call, outcome.wrapped), free


def _ellipsis_call(call: Doc, wrapped: bool) -> list[str]:
    """The call's lines under doctest's ``ELLIPSIS`` (and ``NORMALIZE_WHITESPACE``)."""
    return statement_lines(call, ELLIPSIS + (", +NORMALIZE_WHITESPACE" if wrapped else ""))


def _definition_lines(definitions: list[str], lines: list[str]) -> list[str]:
    """Doctest lines defining *definitions* once each, but those *lines* define already."""
    written: list[str] = []
    for index, text in enumerate(definitions):
        try:
            defining = doctest_lines((text,))
        except ValueError as error:  # too long to show in an example
            raise NotShown(str(error)) from None
        if text not in definitions[:index] and defining[0] not in lines:
            written += defining
    return written


def _bind_changed(
    info: TargetInfo,
    case: Case,
    receiver: str | None,
    namespace: dict[str, Any],
    imports: set[tuple[str, str]],
    lines: list[str],
) -> dict[str, str]:
    """Bind each argument the call changed in place to a name first, as a person shows such
    a call (``>>> d = {}``, the call on ``d``, then ``>>> d``); the names, by parameter.

    Raises:
        NotShown: An item of ``*args`` or ``**kwargs`` was changed (it has no name to bind).
    """
    bound: dict[str, str] = {}
    taken = {receiver or "", info.qualname.split(".")[0]}
    for key in case.args_after:
        if key.startswith("*") or key not in case.args:
            raise NotShown("it changed an item of *args or **kwargs in place")
        variable = unshadowing(key, namespace, taken)
        lines += statement_lines(concat(f"{variable} = ", _code_doc(case.args[key], imports)))
        bound[key] = variable
        taken.add(variable)
    return bound


def _shown_after(case: Case, bound: dict[str, str]) -> tuple[str, ...]:
    """The lines showing each changed argument after the call: its name, then its repr."""
    shown: list[str] = []
    for key, variable in bound.items():
        state = changed(case.args_after[key])
        shown += [f">>> {variable}" + (WRAPPED if state.wrapped else ""), *state.lines]
    return tuple(shown)


def _with_receiver_after(shown: Example, case: Case, receiver: str | None) -> Example:
    """*shown*, then its instance after the call when that is what the call did (see
    `_receiver_after`), falling back on *shown* alone if that form does not verify."""
    after = receiver_after(case, receiver)
    if not after or unclean_lines(after) is not None:
        return shown
    try:
        return dataclasses.replace(shown, lines=(*shown.lines, *after), repr_form=shown)
    except ValueError:  # lines a doctest would read otherwise
        return shown


def _wrap(function: str, doc: Doc) -> Doc:
    """``function(doc)``, as a document the layout can split."""
    return Group(function + "(", (doc,), ")")


def _statement(doc: Doc, wrapped: bool = False) -> list[str]:
    """The doctest lines of the call *doc*, with doctest's directive when its output is
    spread over lines."""
    return statement_lines(doc, WRAPPED if wrapped else "")


def _suite_class_lines(
    info: TargetInfo, imports: set[tuple[str, str]], namespace: dict[str, Any]
) -> list[str]:
    """The lines defining the classes of the project's tests that *imports* name (see
    `pytead._docclasses`), which take the place of their imports."""
    package = info.module.split(".")[0]
    outside = set(current_trust().first_party) - {package}
    wanted = {(module, name) for module, name in imports if name and " " not in name}
    found = suite_classes(wanted, outside, namespace, project_root())
    if not found.definitions:
        return []
    imports -= {imp for imp in wanted if imp[0].split(".")[0] in outside}
    imports |= found.imports
    try:
        return doctest_lines(found.definitions)
    except ValueError as error:  # too long to show in an example
        raise NotShown(str(error)) from None


def _check_importable_by_users(info: TargetInfo, imports: set[tuple[str, str]]) -> None:
    """Refuse an example that imports the project's other code (its test suite, its scripts).

    A docstring is read by the package's users, who have the package and what it depends on,
    not the tests whose classes and helpers the recorded calls were made with.
    """
    package = info.module.split(".")[0]
    first_party = current_trust().first_party
    for module, _name in sorted(imports):
        top = module.split(".")[0]
        if top != package and top in first_party:
            raise NotShown(f"it needs {module}, which is not part of the package {package}")


def _made(
    case: Case,
    setup: list[str],
    every: tuple[str, ...],
    call_lines: list[str],
    outcome: tuple[str, ...],
    repr_form: Example | None = None,
    *,
    after: tuple[str, ...] = (),
) -> Example:
    body = [*setup, *call_lines, *outcome, *after]
    unclean = unclean_lines(body)
    if unclean is not None:
        raise NotShown(unclean)
    raised = isinstance(case.outcome, Raised)
    at = len(setup) + len(call_lines)
    keeps = case.self_after is None and not case.args_after
    kind = _kind(case)
    return Example(case.id, tuple(body), raised, kind, every, repr_form, at, len(setup), keeps)


def unclean_lines(lines: Sequence[str]) -> str | None:
    """Why *lines* cannot be shown in an example (too long, or volatile), or None."""
    if any(len(line) > MAX_LINE + len(WRAPPED) for line in lines):
        return f"a line of it would be longer than {MAX_LINE} characters"
    if any(_VOLATILE.search(STABLE_FUNCTION.sub("", line)) for line in lines):
        return "its output would change from run to run (a memory address, a function)"
    return None


def _receiver(
    info: TargetInfo,
    case: Case,
    imports: set[tuple[str, str]],
    lines: list[str],
    namespace: dict[str, Any],
) -> str | None:
    """The name the call is made on (``None`` for a plain function), after the lines making it.

    Raises:
        NoReceiver: A method's instance cannot be written, nor made as the program made it.
    """
    owner = info.qualname.rpartition(".")[0]
    if info.kind in ("classmethod", "staticmethod"):
        return owner
    if info.kind not in ("method", "property"):
        return None
    variable = instance_name(owner, namespace)
    # Exact states first; then an object that compares by value may be taken as equal to
    # what its class makes without holding the same state (a cache filled by reads): the
    # doctest run checks the example either way.
    first: NotShown | None = None
    for equality in (False, True):
        tried_imports, tried_lines = set(imports), list(lines)
        try:
            receiver = _receiver_lines(
                variable, owner, case, tried_imports, tried_lines, equality=equality
            )
        except NotShown as error:
            first = first or error
            continue
        if any(not name and module.split(".")[0] == variable for module, name in tried_imports):
            # ``import shelf`` then ``shelf = Tidy(...)`` would hide the module from what follows
            variable = unshadowing(variable, namespace, {variable, *owner.split(".")})
            tried_imports, tried_lines = set(imports), list(lines)
            receiver = _receiver_lines(
                variable, owner, case, tried_imports, tried_lines, equality=equality
            )
        imports |= tried_imports
        lines[:] = tried_lines
        return receiver
    assert first is not None
    raise first


def _receiver_lines(
    variable: str,
    owner: str,
    case: Case,
    imports: set[tuple[str, str]],
    lines: list[str],
    *,
    equality: bool,
) -> str:
    """Add the lines making *case*'s instance as *variable*; see `_receiver`.

    The module's own object when the call left unchanged an object its module binds under
    the name it carries (`module_object`: the name is returned, nothing is made); else written
    as one expression when plain code spells it, else made as the program made it (its
    constructor call, then its history), else not shown.
    """
    bound = module_object(case.self) if case.self_after is None else None
    if bound is not None:  # ``merge = curry(merge)``: ``merge`` is what a person calls
        imports.add(bound)
        return bound[1]
    try:
        source = render_source(case.self, equality=equality)
    except NotRenderable as error:
        refused, source = unwritable(error, case.self), None
    if source is not None and not source.uses_pytead:
        imports |= {imp for imp in source.imports if imp[1] != owner.split(".")[0]}
        lines += doctest_lines(source.definitions)  # a class defined in a function: its source
        lines += statement_lines(concat(f"{variable} = ", source.doc))
        return variable
    code = partial(_code, imports=imports)
    try:
        made = made_receiver(variable, case.self, case.built, code, equality=equality)
    except NoReceiver:
        produced = _produced(case.self, imports)  # returned by a traced function: its call
        if produced is not None:
            lines += statement_lines(concat(f"{variable} = ", produced))
            return variable
        if source is None and (case.built is None or in_tree(case.self)):
            raise refused from None  # why plain code cannot write it (reach it from its root)
        raise
    imports |= {imp for imp in made.imports if imp[1] != owner.split(".")[0]}
    lines += doctest_lines(made.definitions)  # a class defined in a function: its source
    for statement in made.statements:
        lines += statement_lines(statement)
    return variable


def _call(
    info: TargetInfo,
    case: Case,
    receiver: str | None,
    imports: set[tuple[str, str]],
    bound: dict[str, str],
) -> Doc:
    """The call *case* made, as a document: one line when it fits, else split (see
    `pytead._doclines`). A receiver's ``__call__`` is shown as a call of the receiver, its
    ``__getitem__`` of one key as a subscript."""
    params = parse_parameters(info.signature)
    if info.kind in ("method", "classmethod", "property"):
        params = params[1:]
    name = info.qualname.rpartition(".")[2]
    if info.kind == "property":
        return f"{receiver}.{name}"
    callee = info.qualname if receiver is None else f"{receiver}.{name}"
    if info.is_initializer:
        callee = info.qualname.rpartition(".")[0]  # ``Box({"a": 1})``, not ``.__init__``
    if receiver is not None and info.kind == "method" and name == "__call__":
        callee = receiver  # what a reader writes: ``converter("12")``, not ``.__call__``
    written = {
        key: bound[key] if key in bound else _argument_doc(key, node, imports)
        for key, node in case.args.items()
    }  # an argument that cannot be written says which (see `_argument_doc`)
    arguments = split_arguments(written, params)
    attribute = attribute_read(info, case) if receiver and name == "__getattr__" else None
    if attribute is not None:
        return f"{receiver}.{attribute}"  # ``box.key`` rather than ``box.__getattr__("key")``
    if receiver is not None and name == "__getitem__" and _one_positional(arguments):
        sliced = slice_subscript(next(iter(case.args.values())))
        if sliced is not None:
            return f"{receiver}[{sliced}]"  # ``tokens[1:3]`` rather than ``[slice(1, 3)]``
        return Group(f"{receiver}[", (arguments.positional[0][1],), "]")  # ``result["key"]``
    operator = operator_form(receiver, name, arguments, info, case)
    if operator is not None:
        return operator
    call = call_doc(callee, arguments, lambda doc: doc)
    if info.is_async:
        imports.add(("asyncio", ""))
        call = _wrap("asyncio.run", call)
    if case.yields is not None:
        call = _wrap("list", call)
    return call


def _one_positional(arguments: CallArgs) -> bool:
    return len(arguments.positional) == 1 and not arguments.keywords


def _argument_doc(key: str, node: Node, imports: set[tuple[str, str]]) -> Any:
    """One recorded argument as documents: a ``*args`` list and a ``**kwargs`` mapping item
    by item, as `pytead._calls.split_arguments` expects them.

    Raises:
        CodecError: It cannot be written; the message starts with the argument's name.
    """
    try:
        if key.startswith("**") and isinstance(node, dict):
            return {name: _code_doc(value, imports) for name, value in node.items()}
        if key.startswith("*") and isinstance(node, list):
            return [_code_doc(value, imports) for value in node]
        return _code_doc(node, imports)
    except CodecError as error:
        raise error.inside(f"argument {key}") from None


def _code(node: Node, imports: set[tuple[str, str]]) -> str:
    """*node* as plain code on one line (see `_code_doc`)."""
    return flat(_code_doc(node, imports))


def _code_doc(node: Node, imports: set[tuple[str, str]]) -> Doc:
    """*node* as plain code (see `_plain_doc`), else made by the traced call that returned it
    (see `pytead._docproducers`)."""
    try:
        return _plain_doc(node, imports)
    except NotRenderable:
        made = _produced(node, imports)
        if made is None:
            raise
        return made


def _produced(node: Node, imports: set[tuple[str, str]]) -> Doc | None:
    """The call of a traced function that returned *node*, its arguments plain code."""
    producers = current_producers()
    for producer in [] if producers is None else producers.find(node):
        needed = set(imports)
        try:
            made = producer_call(producer, partial(_plain_doc, imports=needed), needed)
        except (NotRenderable, CodecError, ValueError, LookupError):
            continue
        imports |= needed
        return made
    return None


def _plain_doc(node: Node, imports: set[tuple[str, str]]) -> Doc:
    """*node* as plain code: by its exact state, else by its class's own ``==`` (the doctest
    run then checks that the example still shows what was recorded)."""
    try:
        source = render_source(node)
    except NotRenderable:
        source = None
    if source is None or source.uses_pytead:
        source = render_source(node, equality=True)
    if source.uses_pytead:
        raise NotRenderable(f"{_described(node)} needs pytead's helpers to be written")
    imports |= source.imports
    defined = _DEFINED.get()
    if defined is not None:
        defined += source.definitions
    return source.doc


def _described(node: Node) -> str:
    """What *node* is, for a reason: ``a tests.base.User``, ``a !set value``, ``the value``."""
    if isinstance(node, Tagged) and isinstance(node.value, dict) and "type" in node.value:
        named = node.value["type"]
        return f"a {named:.80}" if isinstance(named, str) and is_dotted(named) else "the value"
    return f"a !{node.tag} value" if isinstance(node, Tagged) else "the value"


def _kind(case: Case) -> str:
    """The case's argument shape: which parameters it was given, each value's type (with what a
    container holds, or that it is empty) and the outcome's type (``rows=list[int,null]->int``).

    Two calls of one shape teach the same thing twice; `choose` prefers a new shape."""
    given = ",".join(f"{key}={_shape_of(node)}" for key, node in case.args.items())
    outcome = (
        case.outcome.short_type
        if isinstance(case.outcome, Raised)
        else _type_of(case.outcome.value if isinstance(case.outcome, Returned) else None)
    )
    return f"{given}->{outcome}"


def _type_of(node: Node) -> str:
    if isinstance(node, Tagged):
        return node.tag
    return "null" if node is None else type(node).__name__


def _shape_of(node: Node) -> str:
    """*node*'s type, and for a container the types of its items (``list[int,str]``) or that
    it is empty (``list[]``), for a string whether it is empty (``str[]``)."""
    items: list[Node] | None = None
    if isinstance(node, list):
        items = node
    elif isinstance(node, dict):
        items = list(node.values())
    elif isinstance(node, Tagged) and node.tag in ("tuple", "set", "frozenset"):
        items = node.value if isinstance(node.value, list) else None
    if items is not None:
        return f"{_type_of(node)}[{','.join(sorted({_type_of(item) for item in items}))}]"
    return "str[]" if node == "" else _type_of(node)


def _import_lines(imports: set[tuple[str, str]], namespace: dict[str, Any]) -> list[str]:
    """``import``/``from`` lines for names the module does not already provide."""
    plain = sorted(module for module, name in imports if not name and module not in namespace)
    names: dict[str, list[str]] = {}
    for module, name in sorted(imports):
        if name and namespace.get(name) is not _imported(module, name):
            names.setdefault(module, []).append(name)
    return [f"import {module}" for module in plain] + [
        f"from {module} import {', '.join(found)}" for module, found in names.items()
    ]


def _imported(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return object()
