"""Every doctest-style snippet of the docs runs as shown, alone, in a fresh namespace."""

from __future__ import annotations

import doctest
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import run_pytead

ROOT = Path(__file__).resolve().parent.parent
_BLOCK = re.compile(r"^```(?:pycon|python)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _snippets(text: str) -> list[str]:
    return [block for block in _BLOCK.findall(text) if block.lstrip().startswith(">>> ")]


def _failures(snippet: str, name: str) -> int:
    """Run one snippet as a doctest in a namespace of its own; the number of failed examples."""
    test = doctest.DocTestParser().get_doctest(snippet, {}, name, name, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    return runner.failures


def _check_all(files: list[Path]) -> int:
    count = 0
    for path in files:
        for index, snippet in enumerate(_snippets(path.read_text(encoding="utf-8"))):
            assert _failures(snippet, f"{path.name}[{index}]") == 0, snippet
            count += 1
    return count


def test_generated_pages_and_llms_txt_snippets_run_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "textkit"
    shutil.copytree(ROOT / "examples" / "textkit", project)
    recorded = run_pytead(
        "run", "textkit", "--", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "tests/test_textkit.py", cwd=project,
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    made = run_pytead("enrich-docs", "--pages", "pages", "--llms-txt", "llms.txt", cwd=project)
    assert made.returncode == 0, made.stderr
    monkeypatch.syspath_prepend(str(project))
    for name in [m for m in sys.modules if m == "textkit" or m.startswith("textkit.")]:
        monkeypatch.delitem(sys.modules, name)
    files = [*sorted((project / "pages").rglob("*.md")), project / "llms.txt"]
    assert _check_all(files) > 0
