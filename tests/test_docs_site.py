"""pytead's own documentation: its docstring examples pass, the API examples recorded from the
examples are up to date, and the site builds strictly and shows them."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import run_pytead, run_python, run_tool

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "docs"))
from dogfood import ENRICH, TARGETS  # noqa: E402  (docs/ is not a package)


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
    # Until docs/llms.txt is regenerated in the llms.txt layout, it alone may be stale.
    stale_digest = done.stderr.startswith("stale: docs/llms.txt\npytead: generated files")
    assert done.returncode == 0 or stale_digest, done.stderr + "\nrun `python docs/dogfood.py`"


def test_the_site_builds_strictly_and_shows_real_calls_of_pytead(tmp_path: Path) -> None:
    site = str(tmp_path / "site")
    done = run_tool("mkdocs", "build", "--strict", "-d", site, cwd=ROOT, NO_MKDOCS_2_WARNING="1")
    assert done.returncode == 0, done.stderr
    api = (tmp_path / "site" / "reference" / "api" / "index.html").read_text()
    for name in ("to_yaml", "to_source", "fixture_value"):
        assert f'<span class="n">{name}</span><span class="p">(' in api, name
    assert api.count("Real calls, recorded by pytead") >= 3
    assert (tmp_path / "site" / "llms.txt").is_file()
