"""Recorded calls back into calls: as Python source (tests, doctests) and as real calls (replay).

A case stores arguments by parameter name; the fixture's signature says which parameters are
positional-only, keyword-only or ``*args``/``**kwargs``. Calls are written the way a person
would: positional arguments first while no parameter in between was left out, then keywords.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pytead._codec.literals import str_literal
from pytead._names import is_identifier
from pytead._pyformat import Doc, Group, concat

ParamKind = Literal[
    "positional_only", "positional", "keyword_only", "var_positional", "var_keyword"
]


@dataclass(frozen=True)
class Param:
    """A parameter as read from a fixture's signature text.

    Attributes:
        name: The parameter's name.
        kind: How it is passed.
        default: The text of its default value, if it has one (``"1"``, ``"None"``).
    """

    name: str
    kind: ParamKind
    default: str | None = None

    @property
    def key(self) -> str:
        """The key the recorder uses for it in ``args`` (``*args``, ``**kwargs`` or the name)."""
        if self.kind == "var_positional":
            return "*" + self.name
        if self.kind == "var_keyword":
            return "**" + self.name
        return self.name


def parse_parameters(signature: str) -> list[Param]:
    """Read the parameters of a signature like ``(self, a, /, b=1, *args, c, **kw) -> int``.

    Annotations and defaults may hold any text: only top-level commas separate parameters.

    Examples:
        >>> for param in parse_parameters("(a, /, b: int = 1, *rest, c, **kw)"):
        ...     print(param.name, param.kind, param.default)
        a positional_only None
        b positional 1
        rest var_positional None
        c keyword_only None
        kw var_keyword None
    """
    pieces = _top_level_split(_between_parens(signature))
    params: list[Param] = []
    keyword_only = False
    for piece in pieces:
        if piece == "/":
            params = [Param(p.name, "positional_only", p.default) for p in params]
        elif piece == "*":
            keyword_only = True
        elif piece.startswith("**"):
            params.append(Param(_name(piece[2:]), "var_keyword"))
        elif piece.startswith("*"):
            params.append(Param(_name(piece[1:]), "var_positional"))
            keyword_only = True
        elif piece:
            kind: ParamKind = "keyword_only" if keyword_only else "positional"
            params.append(Param(_name(piece), kind, _default(piece)))
    return params


def _between_parens(signature: str) -> str:
    depth = 0
    for index, char in enumerate(signature):
        depth += char in "([{"
        depth -= char in ")]}"
        if depth == 0 and index > 0:
            return signature[1:index]
    return signature.strip("()")


def outside_quotes(text: str) -> Iterator[tuple[int, str, int]]:
    """Each character outside string literals, with its index and bracket depth.

    Examples:
        >>> [(char, depth) for _, char, depth in outside_quotes("f('a,b', [1])") if char in ",[]"]
        [(',', 1), ('[', 1), (']', 1)]
    """
    depth, quote, escaped = 0, "", False
    for index, char in enumerate(text):
        if quote:
            escaped, quote = (
                (False, quote) if escaped else (char == "\\", "" if char == quote else quote)
            )
            continue
        if char in "'\"":
            quote = char
            continue
        if char in ")]}":
            depth -= 1
        yield index, char, depth
        if char in "([{":
            depth += 1


def _top_level_split(text: str) -> list[str]:
    cuts = [index for index, char, depth in outside_quotes(text) if char == "," and depth == 0]
    bounds = zip([-1, *cuts], [*cuts, len(text)], strict=True)
    return [piece for start, end in bounds if (piece := text[start + 1 : end].strip())]


def _name(piece: str) -> str:
    return piece.split(":")[0].split("=")[0].strip()


def _lone_equals(text: str, index: int) -> bool:
    """An ``=`` that assigns, not part of ``==``, ``!=``, ``<=`` or ``>=``."""
    return text[index + 1 : index + 2] != "=" and text[index - 1 : index] not in (
        "=",
        "!",
        "<",
        ">",
    )


def _default(piece: str) -> str | None:
    """The text after the top-level ``=`` of ``name: annotation = default``."""
    for index, char, depth in outside_quotes(piece):
        if char == "=" and depth == 0 and _lone_equals(piece, index):
            return piece[index + 1 :].strip()
    return None


@dataclass(frozen=True)
class CallArgs:
    """A call's arguments, split the way they will be passed."""

    positional: tuple[tuple[str, Any], ...]
    keywords: tuple[tuple[str, Any], ...]


def split_arguments(args: Mapping[str, Any], params: list[Param]) -> CallArgs:
    """Decide which recorded arguments are passed by position and which by name.

    ``*args`` items are passed by position (so everything before them is too), ``**kwargs``
    items by name. *args* values may be nodes or Python values: they are only sorted here.
    """
    positional: list[tuple[str, Any]] = []
    keywords: list[tuple[str, Any]] = []
    by_position = True
    for param in params:
        present = param.key in args
        if param.kind in ("positional_only", "positional"):
            if not present:
                by_position = False  # a parameter left out: the next ones go by name
                continue
            (positional if by_position else keywords).append((param.name, args[param.key]))
        elif param.kind == "var_positional" and present:
            positional += [(f"*{param.name}", item) for item in args[param.key]]
        elif param.kind == "var_keyword" and present:
            extra = args[param.key]
            keywords += list(extra.items()) if isinstance(extra, Mapping) else [("**", extra)]
        elif present:
            keywords.append((param.name, args[param.key]))
    return CallArgs(tuple(positional), tuple(keywords))


def call_doc(callee: str, call: CallArgs, render: Callable[[Any], Doc]) -> Doc:
    """The call as a layout document, e.g. ``add(2, b=3)``.

    A keyword named ``**`` spreads a whole mapping (``f(**kwargs)``).
    """
    items: list[Doc] = [render(value) for _, value in call.positional]
    for name, value in call.keywords:
        if name == "**":
            items.append(concat("**", render(value)))
        elif is_identifier(name):
            items.append(concat(f"{name}=", render(value)))
        else:  # a **kwargs key that is not an identifier
            items.append(concat("**{", str_literal(name), ": ", render(value), "}"))
    return Group(callee + "(", tuple(items), ")")


def written_arguments(args: Mapping[str, Any], code: Callable[[Any], Any]) -> dict[str, Any]:
    """Each recorded argument written by *code*: a ``*args`` list and a ``**kwargs`` mapping
    item by item (see `split_arguments`, which places them)."""
    written: dict[str, Any] = {}
    for key, node in args.items():
        if key.startswith("**") and isinstance(node, dict):
            written[key] = {name: code(value) for name, value in node.items()}
        elif key.startswith("*") and isinstance(node, list):
            written[key] = [code(value) for value in node]
        else:
            written[key] = code(node)
    return written


def call_text(
    callee: str, args: Mapping[str, Any], params: list[Param], code: Callable[[Any], str]
) -> str:
    """``callee(a, b, key=c)`` on one line, each recorded argument written by *code*.

    A ``*args`` list and a ``**kwargs`` mapping are written item by item, and a ``**kwargs``
    key that is no identifier goes in as ``**{"key": value}``.
    """
    arguments = split_arguments(written_arguments(args, code), params)
    parts = [text for _, text in arguments.positional]
    parts += [_keyword(key, text) for key, text in arguments.keywords]
    return f"{callee}({', '.join(parts)})"


def _keyword(key: str, text: str) -> str:
    if key == "**":
        return f"**{text}"
    return f"{key}={text}" if is_identifier(key) else f"**{{{str_literal(key)}: {text}}}"
