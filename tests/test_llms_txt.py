"""The llms.txt digest follows the llms.txt convention (https://llmstxt.org) and its budget.

The convention, as its text lays it out: an H1 with the project's name first; a blockquote
summary; then information of any Markdown kind except headings; then H2 sections holding only
"file lists" (``- [name](url)``, optionally ``: notes``); ``## Optional`` for what a short
context may skip. `_problems` reads a digest the way a parser of that convention does, outside
code fences too, since such parsers split on heading lines without knowing Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import recorded_textkit, run_pytead

from pytead._docpages import (
    LLMS_EXAMPLE_CHARS,
    LLMS_EXAMPLES,
    DocEntry,
    render_llms_txt,
    render_page,
    standalone,
)

ROOT = Path(__file__).resolve().parent.parent
_LINK = re.compile(r"- \[(?P<name>[^\]]+)\]\((?P<url>[^)\s]+)\)(?:: (?P<note>.+))?")
_FENCE = re.compile(r"^( *)(`{3,})(\w*)$")


def _sections(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The lines before the first ``## `` line, and each H2 section's lines."""
    head: list[str] = []
    sections: dict[str, list[str]] = {}
    current = head
    for line in text.splitlines():
        if line.startswith("##"):
            current = sections.setdefault(line.removeprefix("##").strip(), [])
        else:
            current.append(line)
    return head, sections


def _problems(text: str) -> list[str]:
    """What in *text* breaks the llms.txt convention; empty when nothing does."""
    head, sections = _sections(text)
    found = []
    if not (head and re.fullmatch(r"# \S.*", head[0])):
        found.append(f"the first line is not an H1: {head[:1]}")
    if len(head) < 3 or head[1] != "" or not head[2].startswith("> "):
        found.append("no blockquote summary right after the H1")
    found += [
        f"a heading in the information part: {line!r}" for line in head[1:] if line[:1] == "#"
    ]
    for name, lines in sections.items():
        if not name or name.startswith("#"):
            found.append(f"a heading that is no H2 after the first H2: {name!r}")
        found += [
            f"{name}: {line!r} is no link" for line in lines if line and not _LINK.fullmatch(line)
        ]
    if "Optional" in sections and list(sections)[-1] != "Optional":
        found.append("## Optional is not the last section")
    return found


def _snippets(text: str) -> list[list[str]]:
    """Each fenced block of *text*, its lines without the fence's indentation."""
    blocks: list[list[str]] = []
    fence: tuple[str, str] | None = None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if fence is None and match:
            fence = (match[1], match[2])
            blocks.append([])
        elif fence is not None and line == fence[0] + fence[1]:
            fence = None
        elif fence is not None:
            blocks[-1].append(line.removeprefix(fence[0]))
    assert fence is None, "a fence is left open"
    return blocks


def _entry(qualname: str, examples: list[list[str]], module: str = "shop.cart") -> DocEntry:
    return DocEntry(module, qualname, "(x)", "Do a thing.", examples)


def _example(value: str) -> list[str]:
    return [f">>> f({value!r})", repr(value)]


def test_a_digest_follows_the_convention_and_links_every_page() -> None:
    entries = [
        _entry("f", [_example("a")]),
        _entry("g", [_example(str(n)) for n in range(LLMS_EXAMPLES + 2)]),
        _entry("h", [_example("b")], module="shop.tax"),
    ]
    digest = render_llms_txt("shop", "Sell things.", entries, pages="api")
    assert _problems(digest) == []
    _, sections = _sections(digest)
    more = "- [`shop.cart`](api/shop.cart.md): every verified example, 2 of them not in this file"
    assert [line for line in sections["Modules"] if line] == [more]
    assert sections["Optional"][1].startswith("- [`shop.tax`](api/shop.tax.md): ")
    assert digest.startswith("# shop\n\n> Sell things.\n")
    assert "[`shop.cart`](api/shop.cart.md) shows them." in digest  # g's note links its page


def test_without_pages_a_digest_has_no_sections_and_says_what_it_left_out() -> None:
    digest = render_llms_txt("shop", "", [_entry("g", [_example(str(n)) for n in range(5)])])
    head, sections = _sections(digest)
    assert sections == {}
    assert head[2].startswith("> Real calls of shop's functions, recorded by pytead")
    assert sum("Real calls of" in line for line in head) == 1  # said once, as the summary
    assert f"  {5 - LLMS_EXAMPLES} more verified examples are left out" in digest
    assert len(_snippets(digest)) == LLMS_EXAMPLES


def test_the_budget_leaves_long_examples_out_whole_and_keeps_later_ones() -> None:
    long = "x" * LLMS_EXAMPLE_CHARS
    examples = [_example(long), _example("short"), _example(long + "y"), _example("tiny")]
    digest = render_llms_txt("shop", "s", [_entry("f", examples)])
    shown = _snippets(digest)
    assert shown == [standalone("shop.cart", "f", e) for e in (examples[1], examples[3])]
    assert all(len("\n".join(snippet)) <= LLMS_EXAMPLE_CHARS for snippet in shown)
    assert "2 more verified examples are left out" in digest
    assert long not in digest  # left out whole, never cut


def test_hostile_text_cannot_make_a_heading_a_fence_or_a_broken_name() -> None:
    examples = [[">>> print(f())", "## Optional", "```", "- [x](y)"]]
    entry = DocEntry("m", "f", "(sep='`', end='``')", "Two\nlines.", examples)
    digest = render_llms_txt("name\n# Not a title", "one\n## Optional", [entry], pages="p")
    assert _problems(digest) == []
    _, sections = _sections(digest)
    assert list(sections) == ["Optional"]
    assert _snippets(digest) == [standalone("m", "f", examples[0])]
    assert "- ``` m.f(sep='`', end='``') ```: Two lines." in digest


def test_a_page_keeps_hostile_text_inside_its_heading_and_its_fence() -> None:
    examples = [[">>> print(f())", "```", "# Not a heading"]]
    entry = DocEntry("m", "f", "(sep='`')", "Two\nlines.", examples)
    page = render_page("m", [entry])
    assert "\n## `` f(sep='`') ``\n\nTwo lines.\n" in page
    assert _snippets(page) == [standalone("m", "f", examples[0])]


def test_enrich_docs_links_the_pages_relative_to_the_digest(tmp_path: Path) -> None:
    project = recorded_textkit(tmp_path)
    made = run_pytead(
        "enrich-docs", "--pages", "site/api", "--llms-txt", "site/llms/llms.txt", cwd=project
    )
    assert made.returncode == 0, made.stderr
    digest = (project / "site/llms/llms.txt").read_text()
    assert _problems(digest) == []
    assert digest.startswith("# pytead-example-textkit\n\n> pytead example: a library whose")
    urls = re.findall(r"\]\(([^)]+)\)", digest)
    assert urls == ["../api/textkit.md"] * len(urls) and len(urls) >= 1
    assert all((project / "site/llms" / url).resolve().is_file() for url in urls)
