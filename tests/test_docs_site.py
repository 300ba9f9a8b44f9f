"""pytead's own documentation: its docstring examples pass, the API examples recorded from the
examples are up to date, the home page's showcase is what the quickstart gives, and the site
builds strictly, shows them, and publishes nothing but pages."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
from conftest import run_pytead, run_python, run_tool

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "docs"))
from dogfood import ENRICH, TARGETS  # noqa: E402  (docs/ is not a package)
from showcase import INDEX, expected_index  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pytead's site, built once with ``mkdocs build --strict``."""
    folder = tmp_path_factory.mktemp("site") / "site"
    done = run_tool(
        "mkdocs", "build", "--strict", "-d", str(folder), cwd=ROOT, NO_MKDOCS_2_WARNING="1"
    )
    assert done.returncode == 0, done.stderr
    return folder


def page_text(page: Path) -> str:
    """The text a reader sees on *page*: its HTML without tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


def test_the_examples_in_pytead_docstrings_pass() -> None:
    done = run_python(
        "-m", "pytest", "--doctest-modules", "pytead", "--ignore=pytead/_demo_app", "-q", cwd=ROOT
    )
    assert done.returncode == 0, done.stdout
    assert " passed" in done.stdout


def test_the_api_examples_recorded_from_the_examples_are_up_to_date() -> None:
    for target in TARGETS:
        module, _, name = target.rpartition(".")
        assert (ROOT / "docs" / "call_logs" / module / f"{name}.yaml").is_file(), target
    done = run_pytead(*ENRICH, "--check", cwd=ROOT)
    assert done.returncode == 0, done.stderr + "\nrun `python docs/dogfood.py`"


def test_the_site_builds_strictly_and_shows_real_calls_of_pytead(site: Path) -> None:
    api = (site / "reference" / "api" / "index.html").read_text()
    for name in ("to_yaml", "to_source", "fixture_value"):
        assert f'<span class="n">{name}</span><span class="p">(' in api, name
    assert api.count("Real calls, recorded by pytead") >= 3
    assert (site / "llms.txt").is_file()


def test_the_site_publishes_pages_not_the_scripts_and_fixtures_behind_them(site: Path) -> None:
    published = [path.relative_to(site).as_posix() for path in site.rglob("*")]
    assert not [name for name in published if name.endswith((".py", ".yaml"))], published
    assert not (site / "call_logs").exists()
    assert (ROOT / "docs" / "call_logs").is_dir()  # still there, for the extension to read


def test_no_page_shows_a_restructuredtext_literal_marker(site: Path) -> None:
    # Docstrings are rendered as Markdown: an rST ``text::`` marker would show as is.
    for page in site.rglob("index.html"):
        text = page_text(page)
        assert not re.search(r"\w::\s*$", text, re.MULTILINE), page


def test_the_home_page_showcase_is_what_the_quickstart_gives() -> None:
    expected = expected_index()
    assert INDEX.read_text() == expected, "run `python docs/showcase.py` and commit"
    assert "raise ValueError" in expected  # the enriched source, not just its docstring


def test_the_home_page_shows_the_showcase_side_by_side(site: Path) -> None:
    home = (site / "index.html").read_text()
    assert 'class="pytead-showcase"' in home
    # The three cells are rendered code blocks, not Markdown left as text.
    cells = home.split('class="pytead-showcase"', 1)[1].split("<h2", 1)[0]
    assert cells.count('class="language-yaml highlight"') == 1
    assert cells.count('class="language-python highlight"') == 2
    assert "apply_discount.yaml" in home and "test_pytead_generated.py" in home
    assert "```" not in page_text(site / "index.html")
