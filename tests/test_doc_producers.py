"""Values made in examples by the traced call that returned them: ``dump(parse("a=1"))``."""

from __future__ import annotations

from pathlib import Path

from conftest import run_pytead, run_python

from pytead._codec import Tagged
from pytead._docproducers import Producers
from pytead._model import Case, Fixture, Raised, Returned, TargetInfo

DOCS = '''
class Doc:
    """Parsed settings: made from text, holding pairs, so no literal writes one."""

    def __init__(self, text):
        self.pairs = dict(line.split("=", 1) for line in text.splitlines() if line)

    def size(self):
        """How many settings it holds."""
        return len(self.pairs)


def parse(text):
    """The settings of *text*, one ``key=value`` per line."""
    return Doc(text)


def dump(doc):
    """*doc* written back as text."""
    return "".join(f"{key}={value}\\n" for key, value in doc.pairs.items())
'''

MAIN = """
from docs import dump, parse
for text in ("a=1\\n", "a=1\\nb=2\\n", "x=y\\nz=w\\nq=r\\n"):
    doc = parse(text)
    dump(doc)
    doc.size()
"""


def test_values_the_codec_cannot_write_are_made_by_their_traced_call(tmp_path: Path) -> None:
    (tmp_path / "docs.py").write_text(DOCS)
    (tmp_path / "main.py").write_text(MAIN)
    targets = ("docs.parse", "docs.dump", "docs.Doc.size")
    assert run_pytead("run", *targets, "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "docs.py").read_text()
    assert '>>> dump(parse("a=1\\\\n"))' in source, source
    assert ">>> doc.size()" in source, source
    done = run_python("-c", "import doctest, docs; print(doctest.testmod(docs))", cwd=tmp_path)
    assert "failed=0," in done.stdout and "attempted=0" not in done.stdout, done.stdout


def _fixture(kind: str, cases: list[Case]) -> Fixture:
    return Fixture(TargetInfo("m.make", "m", "make", kind=kind, signature="(x)"), cases)  # type: ignore[arg-type]


def test_only_plain_calls_that_returned_a_value_are_producers() -> None:
    made = Tagged("obj", {"type": "m.Thing", "state": {"n": 1}})
    returned = Case("r", {"x": 1}, Returned(made))
    failed = Case("f", {"x": 2}, Raised("builtins.ValueError", "no"))
    assert [p.case.id for p in Producers([_fixture("function", [returned, failed])]).find(made)]
    assert Producers([_fixture("method", [returned])]).find(made) == []
    assert Producers([_fixture("function", [Case("s", {"x": 1}, Returned("a"))])]).find("a") == []
