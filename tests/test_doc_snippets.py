"""Every doctest-style snippet of the docs runs as shown, alone, in a fresh namespace.

Two doc sets: the pages and llms.txt that ``enrich-docs`` writes (for examples/textkit), and
pytead's own site (``docs/*.md`` and ``docs/llms.txt``). A snippet is a fenced block, at any
indentation and inside a ````` ````markdown ````` block too, holding ``>>>`` lines:

- a session (a ``pycon`` block, or a block whose first line starts with ``>>>``) runs as one
  doctest;
- a ``python`` block of source, such as a module whose docstrings hold examples, runs as a
  module: its code, then each docstring's examples in the module's namespace.

Each runs in a child process of its own, in a folder holding the page's files, so that no
import, registered codec or other state leaks from one snippet into the next.

Two marks, read from the Markdown itself:

- a ``python`` block whose first line is a comment naming a file (``# money.py``) is also written
  as that file in the folder, before any snippet of the page runs: the page's later snippets
  import it, as a reader who saved it would;
- a block right after the line ``<!-- not run: REASON -->`` (an HTML comment, invisible on the
  site) is an illustration and is not run; REASON must say why. Use it only for a block that
  cannot run as shown by nature, never to hide a snippet that should work.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import recorded_textkit, run, run_pytead

ROOT = Path(__file__).resolve().parent.parent
_OPEN = re.compile(r"^(?P<indent> *)(?P<fence>`{3,})(?P<language>[\w-]*)\s*$")
_FILE = re.compile(r"^# (?P<name>[\w/]+\.py)$")
_NOT_RUN = re.compile(r"^\s*<!-- not run: (?P<reason>\S.*?) -->\s*$")
_PROMPT = re.compile(r"^\s*>>> ")
_RUNNABLE = ("pycon", "python", "py", "")

#: The child process: read a snippet on stdin, run it, exit 1 after printing what failed.
_CHILD = """
import doctest, sys, types
kind, name = sys.argv[1:3]
source = sys.stdin.read()
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
if kind == "session":
    runner.run(doctest.DocTestParser().get_doctest(source, {}, name, name, 0))
else:
    module = types.ModuleType("snippet")
    sys.modules["snippet"] = module
    exec(compile(source, name, "exec"), module.__dict__)
    for test in doctest.DocTestFinder().find(module):
        runner.run(test)
sys.exit(1 if runner.failures else 0)
"""


@dataclass(frozen=True)
class Block:
    """One fenced block of a Markdown page.

    Attributes:
        language: Its info string (``pycon``, ``python``, ``markdown``...).
        lines: Its lines, without the fence's indentation.
        before: The line before its opening fence, where a mark stands.
        where: ``file:line`` of its opening fence.
    """

    language: str
    lines: tuple[str, ...]
    before: str
    where: str


def _blocks(lines: list[str], name: str, first: int = 1) -> list[Block]:
    """The fenced blocks of *lines*, those inside a ``markdown`` block included."""
    found: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _OPEN.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        end = index + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        body = [line.removeprefix(indent) for line in lines[index + 1 : end]]
        before = lines[index - 1] if index else ""
        block = Block(opening["language"], tuple(body), before, f"{name}:{first + index}")
        found.append(block)
        if block.language == "markdown":
            found += _blocks(body, name, first + index + 1)
        index = end + 1
    return found


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {"`"}


def _kind(block: Block) -> str | None:
    """``session``, ``module``, or None for a block that is no snippet."""
    if block.language not in _RUNNABLE or not any(_PROMPT.match(x) for x in block.lines):
        return None
    first = next((line for line in block.lines if line.strip()), "")
    if block.language in ("python", "py") and not first.startswith(">>> "):
        return "module"
    return "session"


def _files(blocks: list[Block]) -> dict[str, str]:
    """The files a page's blocks name on their first line, and their text."""
    named: dict[str, str] = {}
    for block in blocks:
        mark = _FILE.match(block.lines[0]) if block.lines else None
        if block.language in ("python", "py") and mark:
            assert mark["name"] not in named, f"{block.where}: {mark['name']} is named twice"
            named[mark["name"]] = "\n".join(block.lines) + "\n"
    return named


def _failure(block: Block, folder: Path) -> str:
    """What went wrong running *block* in *folder*, alone; empty when it passed."""
    kind = _kind(block)
    assert kind is not None
    source = "\n".join(block.lines) + "\n"
    done = run([sys.executable, "-c", _CHILD, kind, block.where], cwd=folder, stdin=source)
    return "" if done.returncode == 0 else f"{block.where}\n{done.stdout}{done.stderr}"


def _check_page(path: Path, folder: Path) -> tuple[int, list[str]]:
    """Run every snippet of the page *path* in *folder*; how many ran, and the failures."""
    blocks = _blocks(path.read_text(encoding="utf-8").splitlines(), path.name)
    for name, text in _files(blocks).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    ran = 0
    failures: list[str] = []
    for block in blocks:
        skipped = _NOT_RUN.match(block.before)
        if _kind(block) is None or skipped:
            continue
        ran += 1
        failures.append(_failure(block, folder))
    return ran, [failure for failure in failures if failure]


def test_every_snippet_of_pytead_own_site_runs_alone(tmp_path: Path) -> None:
    pages = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "docs" / "llms.txt"]
    prompts: set[str] = set()
    ran: set[str] = set()
    failures: list[str] = []
    for page in pages:
        if any(_PROMPT.match(line) for line in page.read_text(encoding="utf-8").splitlines()):
            prompts.add(page.name)
        folder = tmp_path / page.name
        folder.mkdir()
        count, failed = _check_page(page, folder)
        ran |= {page.name} if count else set()
        failures += failed
    assert failures == []
    assert ran == prompts and ran  # each page with a `>>>` line had its snippets found


def test_the_marks_write_files_skip_illustrations_and_nothing_else(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```python\n# money.py\nclass Money:\n    cents = 5\n```\n\n"
        "```pycon\n>>> from money import Money\n>>> Money.cents\n5\n```\n\n"
        "<!-- not run: an illustration of a failure -->\n```pycon\n>>> 1 / 0\n0\n```\n\n"
        "- an item:\n\n  ```python\n  >>> 2 + 2\n  5\n  ```\n\n"
        '````markdown\n```python\ndef f():\n    """\n    >>> f()\n    1\n    """\n'
        "    return 2\n```\n````\n",
        encoding="utf-8",
    )
    folder = tmp_path / "run"
    folder.mkdir()
    ran, failures = _check_page(page, folder)
    assert (folder / "money.py").read_text().startswith("# money.py\nclass Money:")
    assert ran == 3  # the session, the indented block and the module; not the illustration
    assert [failure.split("\n")[0] for failure in failures] == ["page.md:21", "page.md:27"]
    assert "Expected:\n    5\nGot:\n    4" in failures[0]


def test_generated_pages_and_llms_txt_snippets_run_alone(tmp_path: Path) -> None:
    project = recorded_textkit(tmp_path)
    made = run_pytead("enrich-docs", "--pages", "pages", "--llms-txt", "llms.txt", cwd=project)
    assert made.returncode == 0, made.stderr
    for page in [*sorted((project / "pages").rglob("*.md")), project / "llms.txt"]:
        ran, failures = _check_page(page, project)
        assert failures == []
        assert ran > 0, page
