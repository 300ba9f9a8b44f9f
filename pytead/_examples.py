"""Recorded cases -> doctest examples a reader (or an LLM) learns the function from.

Pure, apart from importing the target's module to read its names. For each target the best few
cases are chosen, deterministically (`choose`): distinct outcomes first, then distinct argument
shapes, then typical (median-sized) calls, one raised exception when one was recorded. A case is
never shown when its output would be volatile (memory addresses, the order of a set of strings)
or when its instance cannot be written as plain code.

An example's source is built, never pasted: names come from the checked fixture header (see
`pytead._names`), values from the codec's literal renderer, a ``**kwargs`` key that is no
identifier is passed as ``**{"key": value}``; an `Example` checks on creation that each of its
source lines is one statement and every line shows all its characters, and only `Example`
objects reach the run that verifies them (`pytead._doccheck`).
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass
from typing import Any

from pytead._calls import call_text, outside_quotes, parse_parameters
from pytead._codec import Decoder, Node, NotRenderable, Tagged, render_source
from pytead._docreceivers import NoReceiver, making_lines
from pytead._errors import CodecError
from pytead._model import Case, Fixture, Raised, Returned, TargetInfo
from pytead._names import is_dotted
from pytead._pyformat import flat
from pytead._unreplayable import holds_redacted

MAX_LINE = 100
#: Doctest's directive for an output wrapped over several lines.
WRAPPED = "  # doctest: +NORMALIZE_WHITESPACE"
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
    """

    case_id: str
    lines: tuple[str, ...]
    raised: bool
    kind: str
    imports: tuple[str, ...] = ()

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
            if line.startswith(">>> "):
                _one_statement(line.removeprefix(">>> ").removesuffix(WRAPPED))

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


def candidate_examples(fixture: Fixture, namespace: dict[str, Any] | None) -> list[Example]:
    """Every case of *fixture* that makes a clean doctest, shortest first.

    *namespace* holds the globals of the module the docstring lives in: names found there need
    no import line in the example.
    """
    examples = []
    for case in fixture.cases:
        example = _example(fixture.target, case, namespace or {})
        if example is not None:
            examples.append(example)
    return sorted(examples, key=lambda e: (e.size, e.case_id))


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
    """The lines an example expects (what the call returned or raised)."""
    calls = [i for i, line in enumerate(example.lines) if line.startswith(">>> ")]
    return example.lines[calls[-1] + 1 :] if calls else example.lines


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


def _example(info: TargetInfo, case: Case, namespace: dict[str, Any]) -> Example | None:
    if (
        not is_dotted(info.qualname)  # a function defined inside another cannot be called
        or not case.replayable
        or holds_redacted(case)  # a secret left out: not what the call did, and not to show
        or case.nondeterministic
        or case.args_after
        or case.defaulted
        or case.driven is not None
        or (case.yields is not None and not case.complete)
    ):
        return None
    try:
        return _build(info, case, namespace)
    except (NotRenderable, CodecError, ValueError, LookupError):
        return None


def _build(info: TargetInfo, case: Case, namespace: dict[str, Any]) -> Example | None:
    imports: set[tuple[str, str]] = set()
    lines: list[str] = []
    receiver = _receiver(info, case, imports, lines)
    if receiver is None and info.kind in ("method", "property"):
        return None
    call = _call(info, case, receiver, imports)
    outcome = _expected(info, case)
    if outcome is None:
        return None
    setup = [f">>> {line}" for line in _import_lines(imports, namespace)]
    call_line = f">>> {call}"
    if any(len(line) > MAX_LINE for line in outcome) and isinstance(case.outcome, Returned):
        outcome = _wrapped(outcome)
        call_line += WRAPPED
    body = [*setup, *lines, call_line, *outcome]
    if any(len(line) > MAX_LINE + len(WRAPPED) or _VOLATILE.search(line) for line in body):
        return None
    every = tuple(f">>> {line}" for line in _import_lines(imports, {}))
    raised = isinstance(case.outcome, Raised)
    return Example(case.id, tuple(body), raised, _kind(case), every)


def _receiver(
    info: TargetInfo, case: Case, imports: set[tuple[str, str]], lines: list[str]
) -> str | None:
    owner = info.qualname.rpartition(".")[0]
    if info.kind in ("classmethod", "staticmethod"):
        return owner
    if info.kind not in ("method", "property"):
        return None
    variable = re.sub(r"(?<!^)(?=[A-Z])", "_", owner.rpartition(".")[2]).lower()
    source = render_source(case.self)
    if source.uses_pytead:  # made as the program made it, else not shown
        try:
            made = making_lines(
                variable, owner, case.self, case.built, lambda node: _code(node, imports)
            )
        except (NoReceiver, NotRenderable):
            return None
        lines += [f">>> {line}" for line in made]
        return variable
    imports |= {imp for imp in source.imports if imp[1] != owner.split(".")[0]}
    lines.append(f">>> {variable} = {source.text}")
    return variable


def _call(info: TargetInfo, case: Case, receiver: str | None, imports: set[tuple[str, str]]) -> str:
    params = parse_parameters(info.signature)
    if info.kind in ("method", "classmethod", "property"):
        params = params[1:]
    name = info.qualname.rpartition(".")[2]
    if info.kind == "property":
        return f"{receiver}.{name}"
    callee = info.qualname if receiver is None else f"{receiver}.{name}"
    call = call_text(callee, case.args, params, lambda node: _code(node, imports))
    if info.is_async:
        imports.add(("asyncio", ""))
        call = f"asyncio.run({call})"
    if case.yields is not None:
        call = f"list({call})"
    return call


def _code(node: Node, imports: set[tuple[str, str]]) -> str:
    source = render_source(node)
    if source.uses_pytead:
        raise NotRenderable("needs pytead's helpers")
    imports |= source.imports
    return flat(source.doc)


def _expected(info: TargetInfo, case: Case) -> list[str] | None:
    outcome = case.outcome
    if isinstance(outcome, Raised):
        if "\n" in outcome.message:
            return None
        shown = outcome.short_type if outcome.type.startswith("builtins.") else outcome.type
        detail = f"{shown}: {outcome.message}" if outcome.message else shown
        return ["Traceback (most recent call last):", "    ...", detail]
    value = Decoder().decode(case.yields if case.yields is not None else outcome.value)
    if value is None and case.yields is None:
        return []
    if _has_unordered_text(value):
        return None  # a set of strings prints in a different order in every process
    text = repr(value)
    lines = text.splitlines()
    if not lines or any(not line.strip() or line.lstrip().startswith(">>>") for line in lines):
        return None
    return lines


def _wrapped(lines: list[str]) -> list[str]:
    """A long one-line repr spread over lines at its commas (doctest then ignores the breaks)."""
    text = " ".join(lines)
    wrapped, current = [], ""
    for piece in _outer_items(text):
        if current and len(current) + len(piece) + 1 > MAX_LINE:
            wrapped.append(current)
            current = " " + piece
        else:
            current = f"{current} {piece}" if current else piece
    return [*wrapped, current]


def _outer_items(text: str) -> list[str]:
    """Split a container's repr after the commas of its outermost level."""
    cuts = [index for index, char, depth in outside_quotes(text) if char == "," and depth == 1]
    bounds = zip([-1, *cuts], [*cuts, len(text) - 1], strict=True)
    return [text[start + 1 : end + 1].strip() for start, end in bounds]


def _has_unordered_text(value: Any) -> bool:
    if isinstance(value, set | frozenset):
        return len(value) > 1 and any(isinstance(item, str | bytes) for item in value)
    if isinstance(value, list | tuple):
        return any(_has_unordered_text(item) for item in value)
    if isinstance(value, dict):
        return any(_has_unordered_text(item) for item in value.values())
    return False


def _kind(case: Case) -> str:
    types = ",".join(_type_of(node) for node in case.args.values())
    outcome = (
        case.outcome.short_type
        if isinstance(case.outcome, Raised)
        else _type_of(case.outcome.value if isinstance(case.outcome, Returned) else None)
    )
    return f"{types}->{outcome}"


def _type_of(node: Node) -> str:
    if isinstance(node, Tagged):
        return node.tag
    return type(node).__name__


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
