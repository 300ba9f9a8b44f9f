"""Property tests of the docstring editor on real sources and on generated ones.

Examples are written into every function of real ``.py`` files (the standard library's and
installed packages') and of generated sources (form feeds, U+2028, CRLF and CR, tabs, every
string prefix, defaults with strings on the ``def`` line, nested functions, decorators). Each
edited file must: (a) be the original again, byte for byte, once pytead's sections are taken
out (found here from the documented section format, not with pytead's code); (b) stay the same
on a second run; (c) compile, with the same code and the same pre-existing doctests; (d) keep
its mode when written to disk. A few files run by default; ``pytest -m slow`` runs them all.
"""

from __future__ import annotations

import ast
import doctest
import importlib.util
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pytead._docsources import SourceFunction
from pytead._docstrings import CREATED_SUMMARY, MARKER, Edit, FunctionSpot, apply_edits
from pytead._enrich import DocsReport, _plan_sources
from pytead._examples import Example
from pytead._sourcetext import read_source

#: Example texts that are hard to write into a literal: backslashes, quotes, NUL, U+2028,
#: bidi and zero-width marks, non-ASCII text.
EXAMPLES = [
    [">>> f('a\\\\b\\t')", "'a\\\\b\\t'"],
    ['>>> f("""x""", "\'\'\'")', "'x'"],
    [">>> g()", "nul\x00 ls\u2028 ps\u2029 bidi\u202e zw\u200b cr\r end\\"],
    [">>> h('\u00e9t\u00e9 \u4e2d\u6587')", "'\u00e9t\u00e9 \u4e2d\u6587'"],
]
#: The examples pytead itself can build: it writes what a line does not show as escapes.
SHOWN = [lines for lines in EXAMPLES if all(line.isprintable() for line in lines)]
SAMPLE = ["textwrap", "json.decoder", "yaml.constructor", "_pytest.doctest"]
PACKAGES = [
    "json", "email", "argparse", "textwrap", "inspect", "yaml", "griffe", "syrupy", "_pytest",
    "hypothesis",
]  # fmt: skip

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEADING = re.compile(r"[ \t]*Examples?:?[ \t]*")
_UNDERLINE = re.compile(r"[ \t]*-{3,}[ \t]*")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def module_files(name: str) -> list[Path]:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return []
    origin = Path(spec.origin)
    if origin.name != "__init__.py":
        return [origin]
    return sorted(origin.parent.rglob("*.py"))


def all_files() -> list[Path]:
    return [file for package in PACKAGES for file in module_files(package)]


# -- pytead's sections, found from the documented format ---------------------------------------


def offsets(source: str) -> list[int]:
    return [0] + [found.end() for found in _LINE_BREAK.finditer(source)]


def position(source: str, starts: list[int], line: int, byte_column: int) -> int:
    text = source[starts[line - 1] :]
    return starts[line - 1] + len(text.encode("utf-8", "surrogatepass")[:byte_column].decode())


def managed_literals(source: str) -> list[tuple[int, int]]:
    """Spans of the docstrings holding the marker, in file order."""
    starts, spans = offsets(source), []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, _FUNCTIONS) and isinstance(node.body[0], ast.Expr):
            value = node.body[0].value
            if isinstance(value, ast.Constant) and MARKER in str(value.value):
                assert value.end_lineno is not None and value.end_col_offset is not None
                spans.append(
                    (
                        position(source, starts, value.lineno, value.col_offset),
                        position(source, starts, value.end_lineno, value.end_col_offset),
                    )
                )
    return sorted(spans)


def without_section(body: str) -> str:
    """A literal body without the managed section: its heading to its last line of text, and
    the blank lines before the heading (the line endings after it stay)."""
    parts = _LINE_BREAK.split(body)
    endings = [*_LINE_BREAK.findall(body), ""]
    for heading, line in enumerate(parts):
        underlined = heading + 1 < len(parts) and bool(_UNDERLINE.fullmatch(parts[heading + 1]))
        if not _HEADING.fullmatch(line) or not (line.rstrip().endswith(":") or underlined):
            continue
        content = heading + 2 if underlined else heading + 1
        if next((p.strip() for p in parts[content:] if p.strip()), "") != MARKER:
            continue
        first = heading
        while first > 0 and not parts[first - 1].strip():
            first -= 1
        last = _last_section_line(parts, heading, content, underlined)
        head = "".join(parts[i] + endings[i] for i in range(first - 1))
        head += parts[first - 1] if first else ""
        tail = "".join(parts[i] + endings[i] for i in range(last + 1, len(parts)))
        return head + endings[last] + tail
    return body


def _last_section_line(parts: list[str], heading: int, content: int, underlined: bool) -> int:
    base = len(parts[heading]) - len(parts[heading].lstrip())
    last = heading
    for index in range(content, len(parts)):
        line = parts[index]
        if not line.strip():
            continue
        next_heading = index + 1 < len(parts) and _UNDERLINE.fullmatch(parts[index + 1])
        if (underlined and next_heading) or (
            not underlined and len(line) - len(line.lstrip()) <= base
        ):
            break
        last = index
    return last


def candidates(literal: str) -> Iterator[str]:
    """What a managed literal was before pytead wrote into it."""
    match = re.match(r"([rRuU]*)('''|\"\"\"|'|\")", literal)
    assert match is not None
    prefix, quote = match.groups()
    kept = without_section(literal[match.end() : -len(quote)])
    yield prefix + quote + kept + quote
    # Closing quotes that stood after the last line of text get a line of their own...
    pulled_back = re.sub(r"(?:\r\n|\r|\n)[ \t]*\Z", "", kept)
    yield prefix + quote + pulled_back + quote
    if not _LINE_BREAK.search(pulled_back):  # ... and a one-line docstring's single quotes triple
        yield prefix + quote[0] + pulled_back + quote[0]


def same_outside_sections(original: str, edited: str) -> bool:
    """Whether *edited* is *original* plus pytead's sections, and nothing else."""
    here = 0  # in original
    cursor = 0  # in edited
    for start, end in managed_literals(edited):
        literal = edited[start:end]
        if CREATED_SUMMARY in literal:  # a docstring pytead added: its whole lines go
            line_start = max(s for s in offsets(edited) if s <= start)
            after = _LINE_BREAK.search(edited, end)
            before = edited[cursor:line_start]
            if not original.startswith(before, here):
                return False
            here, cursor = here + len(before), after.end() if after else len(edited)
            continue
        before = edited[cursor:start]
        if not original.startswith(before, here):
            return False
        here += len(before)
        match = next((c for c in candidates(literal) if original.startswith(c, here)), None)
        if match is None:
            return False
        here, cursor = here + len(match), end
    return original[here:] == edited[cursor:]


# -- the checks --------------------------------------------------------------------------------


def functions(source: str) -> list[FunctionSpot]:
    found = []
    for index, node in enumerate(
        n for n in ast.walk(ast.parse(source)) if isinstance(n, _FUNCTIONS)
    ):
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        style = "numpy" if index % 3 == 2 else "google"
        found.append(FunctionSpot(name=node.name, first_line=first, style=style))
    return found


def edits_for(source: str) -> list[Edit]:
    return [
        Edit(spot, [EXAMPLES[index % len(EXAMPLES)], EXAMPLES[(index + 1) % len(EXAMPLES)]])
        for index, spot in enumerate(functions(source))
    ]


def docstrings(source: str) -> list[str | None]:
    return [
        ast.get_docstring(node, clean=False)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, _FUNCTIONS)
    ]


def code_without_docstrings(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, _FUNCTIONS) and ast.get_docstring(node, clean=False) is not None:
            node.body = body[1:] or [ast.Pass()]  # type: ignore[index]
    return ast.dump(tree)


def doctest_examples(docstring: str | None) -> list[tuple[str, str]]:
    if docstring is None:
        return []
    parser = doctest.DocTestParser()
    return [(e.source, e.want) for e in parser.get_examples(docstring)]


def check_edits(original: str, encoding: str = "utf-8") -> str:
    """Edit every function of *original*; check (a), (b) and (c); return the edited source."""
    edited, statuses = apply_edits(original, edits_for(original), encoding)
    assert same_outside_sections(original, edited), "bytes changed outside pytead's sections"
    again, _ = apply_edits(edited, edits_for(edited), encoding)
    assert again == edited, "a second run changed the file"
    compile(edited, "edited.py", "exec", dont_inherit=True)
    assert code_without_docstrings(edited) == code_without_docstrings(original)
    before, after = docstrings(original), docstrings(edited)
    for old, new in zip(before, after, strict=True):
        kept = doctest_examples(old)
        assert doctest_examples(new)[: len(kept)] == kept  # pre-existing doctests unchanged
    written = [status for status in statuses.values() if status == "written"]
    assert edited.count(MARKER) == len(written)
    return edited


def check_file(path: Path) -> None:
    source = read_source(path)
    check_edits(source.text, source.encoding)


@pytest.mark.parametrize("module", SAMPLE)
def test_real_sources_sample(module: str) -> None:
    files = module_files(module)
    assert files, f"{module} is a test dependency: its sources must be there"
    for file in files:
        check_file(file)


@pytest.mark.slow
@pytest.mark.parametrize("path", all_files(), ids=str)
def test_real_sources_all(path: Path) -> None:
    check_file(path)


def test_written_to_disk_the_file_keeps_its_mode(tmp_path: Path) -> None:
    (source,) = module_files("textwrap")
    copy = tmp_path / "textwrap_copy.py"
    shutil.copyfile(source, copy)
    copy.chmod(0o755)
    original = read_source(copy).text
    located = [
        SourceFunction(f"textwrap_copy.{spot.name}@{spot.first_line}", copy, "m", spot, "")
        for spot in functions(original)
    ]
    chosen = {
        function.target: [Example("c0", tuple(SHOWN[i % len(SHOWN)]), False, "")]
        for i, function in enumerate(located)
    }
    report = DocsReport()
    _plan_sources(located, chosen, report)
    assert report.plan.write() == [copy]
    assert stat.S_IMODE(copy.stat().st_mode) == 0o755
    edited = read_source(copy).text
    assert same_outside_sections(original, edited)
    assert edited.count(MARKER) == len(report.written)


# -- generated sources -------------------------------------------------------------------------

#: Pieces of a docstring's source text that mean something in every kind of literal.
_PIECES = ["a", " ", "\t", "\u00e9", "\\t", "\\\\", "\\n", "\u2028", "\x0c", "Examples"]


@st.composite
def docstrings_source(draw: st.DrawFn) -> str | None:
    kind = draw(st.sampled_from(["none", "plain", "plain", "concatenated", "bytes", "fstring"]))
    if kind == "none":
        return None
    prefix = draw(st.sampled_from(["", "r", "u", "R", "U"]))
    quote = draw(st.sampled_from(["'", '"', "'''", '"""']))
    other = "'" if quote[0] == '"' else '"'
    text = "".join(draw(st.lists(st.sampled_from([*_PIECES, other]), max_size=8)))
    if len(quote) == 3 and draw(st.booleans()):
        text += "\n    more lines\n    "  # a multi-line docstring, closing quotes on their own
    literal = f"{prefix}{quote}Doc {text}.{quote}"
    if kind == "concatenated":
        return f'{literal} "more"'
    if kind == "bytes":
        return f"b{quote}Doc.{quote}"
    return f"f{quote}Doc {{1}}.{quote}" if kind == "fstring" else literal


@st.composite
def functions_source(draw: st.DrawFn, indent: str, step: str, depth: int) -> list[str]:
    lines = []
    if draw(st.booleans()):
        lines.append(f"{indent}@decorator")
    default = ', sep="-"' if draw(st.booleans()) else ""
    name = draw(st.sampled_from(["f", "g", "__init__", "run"]))
    docstring = draw(docstrings_source())
    on_def_line = docstring is not None and draw(st.booleans())
    if on_def_line:
        lines.append(f"{indent}def {name}(x{default}): {docstring}")
        return lines
    lines.append(f"{indent}def {name}(x{default}):")
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["\x0c", "# c\u2028d", ""])))
    if docstring is not None:
        lines.append(f"{indent}{step}{docstring}")
    if depth and draw(st.booleans()):
        lines += draw(functions_source(indent + step, step, depth - 1))
    lines.append(f"{indent}{step}return x")
    return lines


@st.composite
def module_source(draw: st.DrawFn) -> str:
    step = draw(st.sampled_from(["    ", "\t", "  "]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = ["def decorator(f):", f"{step}return f", ""]
    for _ in range(draw(st.integers(1, 4))):
        lines.append(draw(st.sampled_from(["", "\x0c", "# \u2028 \u2029 \x85", "x = '\u2028'"])))
        if draw(st.booleans()):
            lines.append("class C:")
            lines += draw(functions_source(step, step, 1))
        else:
            lines += draw(functions_source("", step, 2))
    ending = newline if draw(st.booleans()) else ""
    return newline.join(lines) + ending


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(module_source())
def test_generated_sources(source: str) -> None:
    try:
        ast.parse(source)
    except SyntaxError:
        assume(False)
    check_edits(source)
