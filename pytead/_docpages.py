"""Verified examples -> Markdown pages for an mkdocs site, and an ``llms.txt`` digest (pure).

Both show, for each traced function, its signature, the first line of its docstring and real
calls, so a reader or an LLM sees how the function is used rather than guessing from types.
The pages show every verified example; the digest follows the llms.txt convention
(https://llmstxt.org) and keeps to a budget per function, so that it fits a model's context.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

#: Examples per function in llms.txt at most; the pages show every verified example.
LLMS_EXAMPLES = 2
#: Characters per llms.txt example at most (its lines and imports, newlines included); a longer
#: example is left out whole, never cut, and a note says so.
LLMS_EXAMPLE_CHARS = 600
_BACKTICKS = re.compile(r"`+")


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


def one_line(text: str) -> str:
    """*text* on one line, its runs of whitespace made single spaces (a heading or blockquote
    line ends at a newline).

    Examples:
        >>> one_line("Record calls,\\n   then test them. ")
        'Record calls, then test them.'
    """
    return " ".join(text.split())


def inline_code(text: str) -> str:
    """*text* as Markdown inline code, whatever backticks it holds.

    Examples:
        >>> inline_code("f(x)")
        '`f(x)`'
        >>> inline_code("f(sep='`')")
        "`` f(sep='`') ``"
    """
    text = one_line(text)
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    if not longest:
        return f"`{text}`"
    fence = "`" * (longest + 1)  # CommonMark: a longer run of backticks than any inside
    return f"{fence} {text} {fence}"


def fenced(language: str, lines: Sequence[str]) -> list[str]:
    """*lines* as a fenced code block whose fence no line of theirs can close.

    Examples:
        >>> fenced("python", [">>> 1", "1"])
        ['```python', '>>> 1', '1', '```']
        >>> fenced("text", ["```"])
        ['````text', '```', '````']
    """
    runs = [len(line) - len(line.lstrip("`")) for line in lines if line.lstrip().startswith("`")]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return [f"{fence}{language}", *lines, fence]


def _examples_block(entry: DocEntry, language: str) -> list[str]:
    if not entry.examples:
        return ["No recorded call could be shown as a verified example."]
    lines: list[str] = []
    for example in entry.examples:  # one block each: every snippet pastes into a REPL alone
        if lines:
            lines.append("")
        lines += fenced(language, standalone(entry.module, entry.qualname, example))
    return lines


def render_page(module: str, entries: Iterable[DocEntry]) -> str:
    """The Markdown page of one module."""
    lines = [
        f"# `{module}`",
        "",
        f"Real calls of `{module}`, recorded by pytead and checked against the code.",
    ]
    for entry in sorted(entries, key=lambda e: e.qualname):
        lines += ["", f"## {inline_code(_signature(entry))}", ""]
        if entry.summary:
            lines += [one_line(entry.summary), ""]
        lines += _examples_block(entry, "pycon")
    return "\n".join(lines) + "\n"


def within_budget(
    module: str, qualname: str, examples: Sequence[Sequence[str]]
) -> tuple[list[list[str]], int]:
    """The standalone snippets llms.txt shows, in order, and how many it leaves out.

    At most `LLMS_EXAMPLES` of them, each at most `LLMS_EXAMPLE_CHARS` characters; a longer
    one is skipped whole and the next one tried.

    Examples:
        >>> within_budget("m", "f", [[">>> f(1)", "1"], [">>> f('" + "x" * 700 + "')", "0"]])
        ([['>>> from m import f', '>>> f(1)', '1']], 1)
    """
    shown: list[list[str]] = []
    for example in examples:
        snippet = standalone(module, qualname, example)
        if len(shown) < LLMS_EXAMPLES and len("\n".join(snippet)) <= LLMS_EXAMPLE_CHARS:
            shown.append(snippet)
    return shown, len(examples) - len(shown)


def pages_from(digest: Path, pages: Path) -> str:
    """The pages' folder as the digest's links spell it: relative to the digest's folder.

    Examples:
        >>> pages_from(Path("docs/llms.txt"), Path("docs/api"))
        'api'
    """
    return PurePath(os.path.relpath(pages, digest.parent)).as_posix()


def page_link(pages: str, module: str) -> str:
    """The link to a module's page, *pages* being the pages' folder relative to llms.txt.

    Examples:
        >>> page_link("docs/api", "shop.cart")
        '[`shop.cart`](docs/api/shop.cart.md)'
    """
    return f"[{inline_code(module)}]({pages.rstrip('/')}/{module}.md)"


def _left_out_note(count: int, module: str, pages: str | None) -> str:
    examples, them = ("example is", "it") if count == 1 else ("examples are", "them")
    note = (
        f"{count} more verified {examples} left out to keep this file small (at most "
        f"{LLMS_EXAMPLES} per function, {LLMS_EXAMPLE_CHARS} characters each)"
    )
    return f"{note}; {page_link(pages, module)} shows {them}." if pages else f"{note}."


def _digest_item(entry: DocEntry, pages: str | None) -> tuple[list[str], int]:
    """A function's list item: signature, summary, indented snippets; and how many left out."""
    name = inline_code(f"{entry.module}.{_signature(entry)}")
    lines = [f"- {name}: {one_line(entry.summary)}" if entry.summary else f"- {name}"]
    shown, left_out = within_budget(entry.module, entry.qualname, entry.examples)
    if not entry.examples:
        lines += ["", "  No recorded call could be shown as a verified example."]
    for snippet in shown:  # indented under the item: no snippet line starts with `#`
        lines += ["", *(f"  {line}" if line else "" for line in fenced("python", snippet))]
    if left_out:
        lines += ["", f"  {_left_out_note(left_out, entry.module, pages)}"]
    return lines, left_out


def _page_sections(left_out: Mapping[str, int], pages: str) -> list[str]:
    """``## Modules``: pages with examples the digest left out; ``## Optional``: the others."""
    lines: list[str] = []
    more = [module for module in sorted(left_out) if left_out[module]]
    if more:
        lines += ["", "## Modules", ""]
        lines += [
            f"- {page_link(pages, module)}: every verified example, "
            f"{left_out[module]} of them not in this file"
            for module in more
        ]
    same = [module for module in sorted(left_out) if not left_out[module]]
    if same:
        lines += ["", "## Optional", ""]
        lines += [
            f"- {page_link(pages, module)}: the same examples as this file, as a page"
            for module in same
        ]
    return lines


def render_llms_txt(
    project: str, summary: str, entries: Iterable[DocEntry], *, pages: str | None = None
) -> str:
    """An llms.txt digest, laid out as the convention of https://llmstxt.org says.

    ``# project``, the ``> summary`` blockquote (what the digest holds, when *summary* is
    empty), then the part of free information: each function's signature, summary and examples
    within the budget (`within_budget`). The convention allows no heading there, so each
    function is a list item and its snippets are indented under it, where no line of theirs can
    pass for a heading. With *pages*, the folder of the module pages relative to the digest,
    ``## Modules`` links the pages that show more than the digest and ``## Optional`` those that
    show nothing more, which a short context skips.

    Examples:
        >>> entry = DocEntry("m", "f", "(x)", "Double x.", [[">>> f(2)", "4"]])
        >>> digest = render_llms_txt("demo", "A demo.", [entry], pages="api")
        >>> for line in digest.splitlines():
        ...     if line.startswith(("#", ">", "-")):
        ...         print(line)
        # demo
        > A demo.
        - `m.f(x)`: Double x.
        ## Optional
        - [`m`](api/m.md): the same examples as this file, as a page
    """
    intro = _intro(project)
    lines = [f"# {one_line(project)}", "", f"> {one_line(summary) or intro}"]
    if one_line(summary):  # else the intro is the summary: no project description to give
        lines += ["", intro]
    left_out: dict[str, int] = {}
    for entry in sorted(entries, key=lambda e: (e.module, e.qualname)):
        item, count = _digest_item(entry, pages)
        left_out[entry.module] = left_out.get(entry.module, 0) + count
        lines += ["", *item]
    if pages is not None:
        lines += _page_sections(left_out, pages)
    return "\n".join(lines) + "\n"


def _intro(project: str) -> str:
    return (
        f"Real calls of {one_line(project)}'s functions, recorded by pytead and checked against "
        "the code. Each snippet runs on its own in a Python REPL."
    )
