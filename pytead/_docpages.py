"""Verified examples -> Markdown pages for an mkdocs site, and an ``llms.txt`` digest (pure).

Both show, for each traced function, its signature, the first line of its docstring and real
calls, so a reader or an LLM sees how the function is used rather than guessing from types.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class DocEntry:
    """One function as the pages show it.

    Attributes:
        module: The module it is documented under (the fixture's module).
        qualname: Its name in that module (``add``, ``Cart.add``).
        signature: Its parameters, as Python prints them.
        summary: The first line of its docstring.
        examples: Doctest examples, each a sequence of lines.
    """

    module: str
    qualname: str
    signature: str
    summary: str
    examples: Sequence[Sequence[str]]


def _signature(entry: DocEntry) -> str:
    return f"{entry.qualname}{entry.signature}"


def import_line(module: str, qualname: str) -> str:
    """The doctest line importing what an example calls, so it reads on its own.

    Examples:
        >>> import_line("shop.cart", "Cart.add")
        '>>> from shop.cart import Cart'
    """
    return f">>> from {module} import {qualname.split('.')[0]}"


def standalone(module: str, qualname: str, example: Sequence[str]) -> list[str]:
    """An example's lines preceded by every import it needs, each once, so it runs alone.

    Examples:
        >>> standalone("m", "f", [">>> from decimal import Decimal", ">>> f(Decimal('1'))", "1"])
        ['>>> from m import f', '>>> from decimal import Decimal', ">>> f(Decimal('1'))", '1']
    """
    lines = [import_line(module, qualname)]
    for line in example:
        if not (line in lines and line.startswith((">>> from ", ">>> import "))):
            lines.append(line)
    return lines


def _examples_block(entry: DocEntry, language: str) -> list[str]:
    if not entry.examples:
        return ["No recorded call could be shown as a verified example."]
    lines: list[str] = []
    for example in entry.examples:  # one block each: every snippet pastes into a REPL alone
        if lines:
            lines.append("")
        lines += [f"```{language}", *standalone(entry.module, entry.qualname, example), "```"]
    return lines


def render_page(module: str, entries: Iterable[DocEntry]) -> str:
    """The Markdown page of one module."""
    lines = [
        f"# `{module}`",
        "",
        f"Real calls of `{module}`, recorded by pytead and checked against the code.",
    ]
    for entry in sorted(entries, key=lambda e: e.qualname):
        lines += ["", f"## `{_signature(entry)}`", ""]
        if entry.summary:
            lines += [entry.summary, ""]
        lines += _examples_block(entry, "pycon")
    return "\n".join(lines) + "\n"


def render_llms_txt(project: str, summary: str, entries: Iterable[DocEntry]) -> str:
    """An llms.txt digest: H1, summary, then one section per module."""
    by_module: dict[str, list[DocEntry]] = {}
    for entry in entries:
        by_module.setdefault(entry.module, []).append(entry)
    lines = [f"# {project}", "", f"> {summary}"]
    for module in sorted(by_module):
        lines += ["", f"## {module}"]
        for entry in sorted(by_module[module], key=lambda e: e.qualname):
            lines += ["", f"### `{_signature(entry)}`", ""]
            if entry.summary:
                lines += [entry.summary, ""]
            lines += _examples_block(entry, "python")
    return "\n".join(lines) + "\n"
