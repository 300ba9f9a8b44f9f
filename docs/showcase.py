"""Show, on the site's home page, one real recorded call and what pytead makes of it.

The quickstart example (``examples/quickstart``) is run in a copy: its calls are recorded, the
tests are generated and the docstrings enriched, as a user would do it. Three excerpts of the
files this writes -- the fixture of ``calc.apply_discount``, its generated tests and its enriched
docstring -- replace the part of ``docs/index.md`` between the showcase markers.

Run it from the repository root after changing the quickstart or how pytead writes its files::

    python docs/showcase.py

The test suite runs the same flow and checks that ``docs/index.md`` shows what it gives.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "docs" / "index.md"
EXAMPLE = ROOT / "examples" / "quickstart"
#: The function the home page shows: a few plain calls and one refused call.
MODULE, FUNCTION = "calc", "apply_discount"
START = "<!-- showcase: written by docs/showcase.py from examples/quickstart; do not edit -->"
END = "<!-- showcase end -->"
#: The commands run in the copy of the example, as the user types them after ``pytead``.
COMMANDS = (
    ("run", "-q", MODULE, "--", "main.py"),
    ("gen-tests", "--parametrize"),
    ("enrich-docs",),
)


@dataclass(frozen=True)
class Excerpt:
    """A piece of one file the flow wrote, shown in a code block under a caption."""

    caption: str
    language: str
    text: str


def run_flow(folder: Path) -> None:
    """Run the quickstart's recording, test generation and enrichment in *folder*."""
    for command in COMMANDS:
        done = subprocess.run(
            [sys.executable, "-m", "pytead", *command],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pytead {' '.join(command)} failed in {folder}:\n{done.stderr}")


def definitions(source: str, wanted: str) -> str:
    """The top-level functions of *source* named *wanted* or ``wanted_*``, decorators included."""
    lines = source.splitlines()
    pieces = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and re.fullmatch(rf"{wanted}(_\w+)?", node.name):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            pieces.append("\n".join(lines[first - 1 : node.end_lineno]))
    if not pieces:
        raise LookupError(f"no function {wanted} in the generated file")
    return "\n\n\n".join(pieces)


def collect_excerpts(folder: Path) -> list[Excerpt]:
    """The three excerpts, read from the files the flow wrote in *folder*."""
    fixture = Path("call_logs") / MODULE / f"{FUNCTION}.yaml"
    tests = Path("tests") / "test_pytead_generated.py"
    module = Path(f"{MODULE}.py")
    return [
        Excerpt(f"The fixture, `{fixture.as_posix()}`", "yaml", (folder / fixture).read_text()),
        Excerpt(
            f"The generated tests, `{tests.as_posix()}`",
            "python",
            definitions((folder / tests).read_text(), f"test_{FUNCTION}"),
        ),
        Excerpt(
            f"The enriched docstring, `{module.as_posix()}`",
            "python",
            definitions((folder / module).read_text(), FUNCTION),
        ),
    ]


def fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in *text*, so it cannot close early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def render_showcase(excerpts: list[Excerpt]) -> str:
    """The Markdown between the markers: one grid cell per excerpt (see docs/stylesheets)."""
    cells = []
    for excerpt in excerpts:
        marks = fence(excerpt.text)
        cells.append(
            f"<div markdown>\n\n**{excerpt.caption}**\n\n"
            f"{marks}{excerpt.language}\n{excerpt.text.rstrip()}\n{marks}\n\n</div>"
        )
    # The excerpts are shown as pytead wrote them, formatted for the example's project: ruff,
    # which formats the Python blocks of this site's Markdown, must leave them alone.
    grid = '<div class="pytead-showcase" markdown>\n\n' + "\n\n".join(cells) + "\n\n</div>"
    return f"<!-- fmt: off -->\n{grid}\n<!-- fmt: on -->"


def replace_showcase(page: str, showcase: str) -> str:
    """*page* with the text between its showcase markers replaced by *showcase*."""
    start, end = page.find(START), page.find(END)
    if start < 0 or end < start:
        raise LookupError(f"{INDEX}: the showcase markers are missing; put back {START!r}")
    return page[: start + len(START)] + "\n" + showcase + "\n" + page[end:]


def expected_index() -> str:
    """``docs/index.md`` as it should be: its showcase rebuilt from a fresh run of the flow."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / EXAMPLE.name
        shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("__pycache__"))
        run_flow(folder)
        showcase = render_showcase(collect_excerpts(folder))
    return replace_showcase(INDEX.read_text(), showcase)


if __name__ == "__main__":
    INDEX.write_text(expected_index())
    print(f"wrote {INDEX.relative_to(ROOT)}")
