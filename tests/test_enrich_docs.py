"""`pytead enrich-docs`: verified examples written surgically into docstrings, pages, llms.txt,
and the griffe extension that adds them to an mkdocs site."""

from __future__ import annotations

import ast
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import SAMPLE_APP, run_pytead, run_python, run_tool

from pytead._docstrings import MARKER

HAND_WRITTEN = '''

def halve(n: int) -> float:
    """Halve a number.

    Examples:
        >>> halve(4)
        2.0
    """
    return n / 2
'''


def strip_docstrings(source: str) -> str:
    """The module's AST with every docstring removed, for comparison."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                node.body = body[1:] or [ast.Pass()]  # type: ignore[attr-defined]
    return ast.dump(tree)


def doctests(project: Path, *files: str) -> subprocess.CompletedProcess[str]:
    args = ("-m", "pytest", "--doctest-modules", "-v", "-p", "no:cacheprovider", *files)
    return run_python(*args, cwd=project)


@pytest.fixture(scope="module")
def enriched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The sample app (plus a hand-documented function) recorded, then enriched once.

    Returns the project, the source before and the source after.
    """
    project = tmp_path_factory.mktemp("enriched") / "project"
    shutil.copytree(SAMPLE_APP, project, ignore=shutil.ignore_patterns("__pycache__"))
    with (project / "shop.py").open("a") as stream:
        stream.write(HAND_WRITTEN)
    with (project / "main.py").open("a") as stream:
        stream.write("")
    main = (project / "main.py").read_text().replace("sys.exit(", "print(shop_halve(6))\nsys.exit(")
    main = main.replace(
        "from shop import (", "from shop import halve as shop_halve\nfrom shop import ("
    )
    (project / "main.py").write_text(main)
    assert run_pytead("run", "shop", "--", "main.py", cwd=project).returncode == 0
    before = (project / "shop.py").read_text()
    result = run_pytead("enrich-docs", "--pages", "docs/api", "--llms-txt", "llms.txt", cwd=project)
    assert result.returncode == 0, result.stderr
    return project, before, (project / "shop.py").read_text()


def test_every_function_with_replayable_cases_gets_examples(
    enriched: tuple[Path, str, str],
) -> None:
    _, _, after = enriched
    assert after.count(MARKER) == 8  # every traced function but the hand-documented one
    for call in ("add(2, 3)", "list(countdown(3))", 'cart.add("apple", 2)', 'parse_quantity("0")'):
        assert f">>> {call}" in after


def test_doctests_collect_and_pass_every_example(enriched: tuple[Path, str, str]) -> None:
    project, _, _ = enriched
    result = doctests(project, "shop.py")
    assert result.returncode == 0, result.stdout
    assert "9 passed" in result.stdout  # 8 enriched functions + the hand-written example


def test_only_docstrings_change(enriched: tuple[Path, str, str]) -> None:
    _, before, after = enriched
    assert strip_docstrings(after) == strip_docstrings(before)
    assert HAND_WRITTEN in after  # the hand-written section, byte for byte


def test_a_second_run_changes_nothing(enriched: tuple[Path, str, str]) -> None:
    project, _, after = enriched
    check = run_pytead(
        "enrich-docs", "--check", "--pages", "docs/api", "--llms-txt", "llms.txt", cwd=project
    )
    assert check.returncode == 0, check.stderr
    assert run_pytead("enrich-docs", cwd=project).returncode == 0
    assert (project / "shop.py").read_text() == after


def test_hand_written_examples_are_reported_as_skipped(enriched: tuple[Path, str, str]) -> None:
    project, _, _ = enriched
    result = run_pytead("enrich-docs", "--diff", cwd=project)
    assert "pytead: skipped shop.halve: it has a hand-written Examples section" in result.stderr


def test_pages_and_llms_txt(enriched: tuple[Path, str, str]) -> None:
    project, _, _ = enriched
    page = (project / "docs/api/shop.md").read_text()
    assert page.startswith("# `shop`\n")
    assert (
        "## `add(a: int, b: int = 1) -> int`\n\nAdd two integers.\n\n```pycon\n"
        ">>> from shop import add\n>>> add(" in page
    )
    digest = (project / "llms.txt").read_text()
    assert digest.startswith("# project\n\n> ")
    assert "- `shop.Cart.add(self, sku: str, qty: int = 1) -> int`" in digest
    assert "](docs/api/shop.md)" in digest  # links the page
    assert ">>> cart = Cart()" in digest


def test_fixture_changes_update_only_pytead_section(
    enriched: tuple[Path, str, str], tmp_path: Path
) -> None:
    project = tmp_path / "p"
    shutil.copytree(enriched[0], project)
    fixture = project / "call_logs/shop/add.yaml"
    fixture.write_text(
        fixture.read_text().replace("a: 5", "a: 40").replace("returned: 6", "returned: 41")
    )
    check = run_pytead("enrich-docs", "--check", cwd=project)
    assert check.returncode == 1 and "stale: " in check.stderr
    run_pytead("enrich-docs", cwd=project)
    after = (project / "shop.py").read_text()
    assert ">>> add(40)\n        41" in after and ">>> add(5)" not in after
    assert strip_docstrings(after) == strip_docstrings(enriched[2])


def test_examples_that_no_longer_reproduce_are_dropped_and_reported(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(SAMPLE_APP, project, ignore=shutil.ignore_patterns("__pycache__"))
    run_pytead("run", "shop.add", "--", "main.py", cwd=project)
    shop = project / "shop.py"
    shop.write_text(shop.read_text().replace("return a + b", "return a * b"))
    result = run_pytead("enrich-docs", cwd=project)
    assert "dropped an example of shop.add (case" in result.stderr
    assert "today's code gives 6" in result.stderr
    assert "2 dropped as not reproducible" in result.stderr
    assert MARKER not in shop.read_text()


STYLES = '''
import functools


def traced(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


def numpy_style(x):
    """Square a number.

    Parameters
    ----------
    x : int
        The number.

    Returns
    -------
    int
        Its square.
    """
    return x * x


def google_style(x):
    """Negate a number.

    Args:
        x: The number.

    Returns:
        Its opposite.
    """
    return -x


def no_docstring(word):
    return word.upper()


@traced
def decorated(a, b):
    r"""Join with a backslash-free raw docstring."""
    return f"{a}-{b}"


class Outer:
    class Inner:
        def __init__(self, base=10):
            self.base = base

        def shift(self, x):
            \'\'\'Add the base.\'\'\'
            return self.base + x
'''

USE_STYLES = """
import styles
styles.numpy_style(3)
styles.google_style(4)
styles.no_docstring("hi")
styles.decorated("a", "b")
styles.Outer.Inner().shift(5)
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_docstring_styles_decorators_nested_classes_and_line_endings(
    tmp_path: Path, newline: str
) -> None:
    source = textwrap.dedent(STYLES).lstrip().replace("\n", newline)
    (tmp_path / "styles.py").write_bytes(source.encode())
    (tmp_path / "use_styles.py").write_text(USE_STYLES)
    targets = [
        "styles.numpy_style",
        "styles.google_style",
        "styles.no_docstring",
        "styles.decorated",
    ]
    assert (
        run_pytead(
            "run", *targets, "styles.Outer.Inner.shift", "--", "use_styles.py", cwd=tmp_path
        ).returncode
        == 0
    )
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "styles.py").read_bytes()
    after = data.decode()
    if newline == "\r\n":
        assert data.count(b"\n") == data.count(b"\r\n")  # every line still ends in CRLF
    after = after.replace("\r\n", "\n")
    assert (
        "    Examples\n    --------\n    " + MARKER + "\n\n    >>> numpy_style(3)\n    9\n" in after
    )
    assert (
        "    Examples:\n        " + MARKER + "\n\n        >>> google_style(4)\n        -4\n"
        in after
    )
    assert '    """Examples of real calls, recorded by pytead.\n\n    Examples:' in after
    assert ">>> no_docstring(\"hi\")\n        'HI'" in after
    assert '    r"""Join with a backslash-free raw docstring.\n\n    Examples:' in after
    assert (
        "                >>> inner = Outer.Inner(base=10)\n"
        "                >>> inner.shift(5)\n                15\n" in after
    )
    assert "'''Add the base." in after  # the quotes it had
    assert strip_docstrings(after) == strip_docstrings(textwrap.dedent(STYLES).lstrip())
    assert doctests(tmp_path, "styles.py").returncode == 0


def test_functions_are_found_in_src_layouts_and_through_re_exports(tmp_path: Path) -> None:
    package = tmp_path / "src" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from pkg._impl import triple\n")
    (package / "_impl.py").write_text(
        'def triple(x):\n    """Three times *x*."""\n    return 3 * x\n'
    )
    (tmp_path / "use.py").write_text(
        "import sys\nsys.path.insert(0, 'src')\nimport pkg\npkg.triple(2)\n"
    )
    env = {"PYTHONPATH": "src"}
    assert run_pytead("run", "pkg.triple", "--", "use.py", cwd=tmp_path, **env).returncode == 0
    assert (tmp_path / "call_logs/pkg/triple.yaml").is_file()
    result = run_pytead("enrich-docs", "src", cwd=tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert ">>> triple(2)\n        6" in (package / "_impl.py").read_text()


def test_the_griffe_extension_puts_examples_in_an_mkdocs_site(
    enriched: tuple[Path, str, str], tmp_path: Path
) -> None:
    project = tmp_path / "site"
    shutil.copytree(SAMPLE_APP, project, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(enriched[0] / "call_logs", project / "call_logs")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Shop\n\n::: shop\n")
    (project / "mkdocs.yml").write_text(
        textwrap.dedent(
            """
            site_name: Shop
            theme:
              name: material
            plugins:
              - search
              - mkdocstrings:
                  handlers:
                    python:
                      paths: [.]
                      options:
                        extensions:
                          - pytead.griffe_extension:
                              storage_dir: call_logs
            """
        )
    )
    build = run_tool("mkdocs", "build", "--strict", cwd=project, NO_MKDOCS_2_WARNING="1")
    assert build.returncode == 0, build.stderr
    html = (project / "site" / "index.html").read_text()
    assert html.count("recorded by pytead") == 8
    assert 'parse_quantity</span><span class="p">(</span><span class="s2">"0"</span>' in html
    assert "quantity must be positive, got 0" in html
    assert (project / "shop.py").read_text() == (SAMPLE_APP / "shop.py").read_text()  # untouched


def test_a_docstring_pytead_created_goes_away_with_its_examples(tmp_path: Path) -> None:
    (tmp_path / "bare.py").write_text("def twice(x):\n    return 2 * x\n")
    (tmp_path / "main.py").write_text("import bare\nbare.twice(4)\n")
    run_pytead("run", "bare.twice", "--", "main.py", cwd=tmp_path)
    assert (
        run_pytead(
            "enrich-docs", "--pages", "pages", "--llms-txt", "llms.txt", cwd=tmp_path
        ).returncode
        == 0
    )
    assert '"""Examples of real calls, recorded by pytead.' in (tmp_path / "bare.py").read_text()
    check = run_pytead(
        "enrich-docs", "--check", "--pages", "pages", "--llms-txt", "llms.txt", cwd=tmp_path
    )
    assert check.returncode == 0, check.stderr  # pages and llms.txt are stable too
    (tmp_path / "bare.py").write_text((tmp_path / "bare.py").read_text().replace("2 * x", "3 * x"))
    run_pytead("enrich-docs", cwd=tmp_path)
    assert (tmp_path / "bare.py").read_text() == "def twice(x):\n    return 3 * x\n"
