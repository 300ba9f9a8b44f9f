"""A returned list of objects whose reprs show addresses is shown by their ``str()`` texts."""

from __future__ import annotations

from pathlib import Path

from conftest import run_pytead, run_python

WORDS = '''
class Word:
    """A word of a sentence, with a link to the one before (so vars() is no help)."""

    def __init__(self, text, before):
        self.text = text
        self.before = before

    def __str__(self):
        return self.text


def split(sentence):
    """The words of *sentence*."""
    words = []
    for text in sentence.split():
        words.append(Word(text, words[-1] if words else None))
    return words
'''


def test_items_that_show_addresses_are_shown_by_their_text(tmp_path: Path) -> None:
    (tmp_path / "words.py").write_text(WORDS)
    main = "from words import split\nsplit('one two')\nsplit('a b c')\n"
    (tmp_path / "main.py").write_text(main)
    assert run_pytead("run", "words.split", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "words.py").read_text()
    call = '>>> [str(item) for item in split("one two")]'
    assert f"{call}\n        ['one', 'two']\n" in source, source
    assert "0x" not in source
    done = run_python("-c", "import doctest, words; print(doctest.testmod(words))", cwd=tmp_path)
    assert "failed=0, attempted=2" in done.stdout, done.stdout
