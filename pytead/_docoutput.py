"""What a doctest example expects: a recorded outcome as the lines doctest compares (pure).

A returned value is shown by its repr; a long one-line repr is spread over lines at its spaces
(doctest then ignores the breaks). A string of several lines of text is also offered as
``print()`` writes it, which reads far better than its repr, when doctest reads those lines
back exactly: every empty line becomes ``<BLANKLINE>``, and a string with trailing spaces,
tabs or other characters a docstring does not keep as they are, or a line doctest would take
for something else (a ``>>>`` prompt, a traceback header), is shown by its repr only. An
exception is shown as doctest expects it: the traceback header, an ellipsis, ``Type: message``.

An object that only its identity compares, whose repr shows its memory address, is shown by its
attributes instead (``vars()``), and a list or tuple of such objects by their ``str()`` texts.
A case whose output would differ from run to run (the order of a set of strings) or that
doctest cannot compare is refused with a one-line reason (`NotShown`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pytead._calls import outside_quotes
from pytead._codec import Decoder, Node
from pytead._expected import by_identity
from pytead._model import Case, Raised

MAX_LINE = 100
#: The most lines a value's repr, spread over lines, may take in an example.
MAX_OUTPUT_LINES = 12
#: Doctest's directive for an output wrapped over several lines.
WRAPPED = "  # doctest: +NORMALIZE_WHITESPACE"
#: What doctest reads as an empty line of expected output.
BLANKLINE = "<BLANKLINE>"


class NotShown(ValueError):
    """A case cannot be shown as a doctest example; the message says why, in one short line."""


@dataclass(frozen=True)
class Expected:
    """The output lines an example expects.

    Attributes:
        lines: Doctest's expected lines, unindented (empty when the call returned ``None``).
        wrapped: The lines are a long repr spread at its commas: the call line needs `WRAPPED`.
    """

    lines: tuple[str, ...]
    wrapped: bool = False


def expected(case: Case) -> Expected:
    """The lines doctest must see for *case*'s outcome, the value shown by its repr.

    Raises:
        NotShown: The outcome cannot be compared as doctest output.
    """
    outcome = case.outcome
    if isinstance(outcome, Raised):
        return Expected(tuple(_traceback(outcome)))
    value = _value(case)
    if value is None and case.yields is None:
        return Expected(())
    if _has_unordered_text(value):
        raise NotShown("it returned a set of strings, whose order changes from run to run")
    return _repr_lines(value)


def changed(node: Node) -> Expected:
    """The lines doctest must see for an argument the call changed in place: its repr after.

    Raises:
        NotShown: That state cannot be compared as doctest output.
    """
    return _repr_lines(Decoder().decode(node))


def _repr_lines(value: Any) -> Expected:
    """*value* shown by its repr, spread over lines when it is long (see `_wrapped`)."""
    if _has_unordered_text(value):
        raise NotShown("it holds a set of strings, whose order changes from run to run")
    lines = repr(value).splitlines()
    if not lines or any(not line.strip() or line.lstrip().startswith(">>>") for line in lines):
        raise NotShown("its repr has a blank line or a >>> line, which doctest reads otherwise")
    if lines[0].lstrip().startswith("..."):
        raise NotShown("its repr starts with ..., which doctest reads as more of the call")
    if any(len(line) > MAX_LINE for line in lines):
        spread = _wrapped(lines)
        if len(spread) > MAX_OUTPUT_LINES:
            raise NotShown(f"its repr would take more than {MAX_OUTPUT_LINES} lines")
        return Expected(tuple(spread), wrapped=True)
    return Expected(tuple(lines))


def attributes(case: Case) -> Expected | None:
    """The attributes of a returned object that only its identity compares, by ``vars()``.

    Such an object's repr shows its memory address, which differs from run to run; what the
    call made is in its attributes (``>>> vars(parse_token("x"))`` then ``{'kind': 'name'}``).
    ``None`` for any other outcome; the caller still refuses attributes that are volatile.
    """
    if isinstance(case.outcome, Raised) or case.yields is not None:
        return None
    value = _value(case)
    if not by_identity(value) or not isinstance(getattr(value, "__dict__", None), dict):
        return None
    fields = dict(vars(value))
    if not fields or _has_unordered_text(fields) or any(map(_has_unordered_text, fields.values())):
        return None
    lines = repr(fields).splitlines()
    if len(lines) != 1:
        return None
    if len(lines[0]) > MAX_LINE:
        return Expected(tuple(_wrapped(lines)), wrapped=True)
    return Expected(tuple(lines))


def item_texts(case: Case) -> Expected | None:
    """The text of each item of a returned list or tuple of objects only their identity
    compares (their reprs show addresses) but that say what they are by ``str()``: the
    example shows ``[str(item) for item in call]``. ``None`` for any other outcome.
    """
    if isinstance(case.outcome, Raised) or case.yields is not None:
        return None
    value = _value(case)
    if not isinstance(value, list | tuple) or not value:
        return None
    if not all(by_identity(item) and _says_what_it_is(item) for item in value):
        return None
    try:
        texts = [str(item) for item in value]
    except Exception:  # the project's __str__ fails on the rebuilt object: not shown so
        return None
    try:
        return _repr_lines(texts)
    except NotShown:
        return None


def _says_what_it_is(item: Any) -> bool:
    """Whether *item*'s class writes its own ``str()`` (rather than object's, its repr)."""
    own: Any = type(item).__str__
    return own is not object.__str__


def printed(case: Case) -> tuple[str, ...] | None:
    """What ``print()`` writes for *case*'s result, as doctest lines, when it reads back exactly.

    Only for a plain string holding at least two lines of text; ``None`` when the print form
    does not apply or doctest would not compare it exactly (see the module docstring).

    Examples:
        >>> from pytead._model import Case, Returned
        >>> printed(Case("1", {}, Returned("total\\n\\n  3 items\\n")))
        ('total', '<BLANKLINE>', '  3 items', '<BLANKLINE>')
        >>> printed(Case("2", {}, Returned("one line\\n"))) is None
        True
    """
    if isinstance(case.outcome, Raised) or case.yields is not None:
        return None
    value = _value(case)
    if type(value) is not str or "\n" not in value.strip():
        return None
    lines = value.split("\n")  # print() adds the final line break doctest expects
    if not all(_prints_exactly(line) for line in lines) or _misread_first(lines[0]):
        return None
    return tuple(line or BLANKLINE for line in lines)


def _misread_first(line: str) -> bool:
    """Whether doctest would read *line*, first after the source, as something else: a
    traceback header, or a ``...`` line continuing the source."""
    return line.startswith("Traceback (") or line.lstrip().startswith("...")


def _prints_exactly(line: str) -> bool:
    """Whether doctest reads *line*, written in a docstring, back as it is."""
    return (
        line.isprintable()  # no tab (doctest expands them), no control or line-break character
        and line == line.rstrip()  # trailing spaces do not survive editors and formatters
        and not line.lstrip().startswith(">>>")
        and line != BLANKLINE
        and len(line) <= MAX_LINE
    )


def _value(case: Case) -> Any:
    value = case.yields if case.yields is not None else getattr(case.outcome, "value", None)
    return Decoder().decode(value)


def _traceback(outcome: Raised) -> list[str]:
    if "\n" in outcome.message:
        raise NotShown("its exception message spans several lines")
    shown = outcome.short_type if outcome.type.startswith("builtins.") else outcome.type
    detail = f"{shown}: {outcome.message}" if outcome.message else shown
    return ["Traceback (most recent call last):", "    ...", detail]


def _wrapped(lines: list[str]) -> list[str]:
    """A long repr spread over lines at its spaces (doctest then ignores the breaks).

    A line breaks after the comma of the shallowest level it can (a container's items before
    their parts), in its second half so that no line is left short; a space inside a string
    is a break of last resort. A piece with no space to break at stays whole, too long (the
    caller refuses it).

    Examples:
        >>> [len(line) <= MAX_LINE for line in _wrapped([repr({"k": ["x" * 60] * 3})])]
        [True, True, True]
    """
    text = " ".join(lines)
    ranks = _break_ranks(text)
    wrapped: list[str] = []
    start = 0
    while len(text) - start > MAX_LINE - (1 if wrapped else 0):
        room = MAX_LINE - (1 if wrapped else 0)
        window = [index for index in ranks if start < index <= start + room]
        if not window:
            break
        late = [index for index in window if index - start >= room // 2] or window
        cut = min(late, key=lambda index: (ranks[index], -index))
        wrapped.append(text[start:cut])
        start = cut + 1
    wrapped.append(text[start:])
    return [wrapped[0], *(" " + line for line in wrapped[1:])]


def _break_ranks(text: str) -> dict[int, float]:
    """Each space of *text* a line may break at, ranked: after a comma by its bracket depth,
    after a colon just below, anywhere else (inside a string) last."""
    outside = {index: depth for index, _, depth in outside_quotes(text)}
    ranks: dict[int, float] = {}
    for index, char in enumerate(text):
        if char != " " or index == 0:
            continue
        before = text[index - 1]
        if index in outside and before == ",":
            ranks[index] = outside[index]
        elif index in outside and before == ":":
            ranks[index] = outside[index] + 0.5
        else:
            ranks[index] = 1000.0
    return ranks


def _has_unordered_text(value: Any) -> bool:
    if isinstance(value, set | frozenset):
        return len(value) > 1 and any(isinstance(item, str | bytes) for item in value)
    if isinstance(value, list | tuple):
        return any(_has_unordered_text(item) for item in value)
    if isinstance(value, dict):
        return any(_has_unordered_text(item) for item in value.values())
    return False
