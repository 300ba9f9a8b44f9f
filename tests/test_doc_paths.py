"""Paths inside the project are shown relative to its root in examples (`pytead._docpaths`).

A call recorded during the tests names the project's files by their absolute paths: written
so, an example shows one machine's checkout and changes whenever the docs are made elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import calc_project, run_pytead

CALC = '''
from pathlib import Path


def count_words(path):
    """How many words the file at *path* holds."""
    with open(path, encoding="utf-8") as text:
        return len(text.read().split())


def given(path):
    """*path*, as given."""
    return str(path)
'''

MAIN = """
import pathlib
import calc

here = pathlib.Path(__file__).resolve().parent
calc.count_words(str(here / "data" / "words.txt"))
calc.count_words(here / "data" / "one.txt")
calc.given(str(here / "data" / "one.txt"))
"""


def test_a_project_file_is_named_from_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for root in calc_project(tmp_path, monkeypatch, CALC):
        (root / "data").mkdir()
        (root / "data" / "words.txt").write_text("one two three\n")
        (root / "data" / "one.txt").write_text("one\n")
        (root / "main.py").write_text(MAIN)
        assert run_pytead("run", "calc", "--", "main.py", cwd=root).returncode == 0
        result = run_pytead("enrich-docs", "calc.py", cwd=root)
        assert result.returncode == 0, result.stderr
        text = (root / "calc.py").read_text()
        assert '>>> count_words("data/words.txt")\n' in text, text
        assert '>>> count_words(Path("data/one.txt"))\n' in text
        # a call whose outcome is the path as given keeps the path it was given
        assert f"'{root.resolve()}/data/one.txt'\n" in text  # its outcome, as recorded
        assert '>>> given("data/one.txt")' not in text
        assert str(root.resolve()) not in text.split("def given")[0]
