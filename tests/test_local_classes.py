"""An instance of a class defined inside a function (a test's own subclass) is recorded with
where its class is defined, and gen-tests defines the class from the project's source to build
it; what cannot be is left out with its reason."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead, run_tool
from test_value_roads import gen_tests

from pytead._codec.nodes import Tagged
from pytead._errors import CodecError
from pytead._localclass import local_class
from pytead._model import Case, Returned
from pytead._unreplayable import unreplayable_reason, written_from_source

CALC = """
class Store:
    def __init__(self, limit=3):
        self.limit = limit
        self.items = {}

    def __missing__(self, key):
        raise KeyError(key)

    def fetch(self, key):
        if key in self.items:
            return self.items[key]
        return self.__missing__(key)

    def put(self, key, value):
        if len(self.items) >= self.limit:
            raise ValueError("full")
        self.items[key] = value
        return len(self.items)
"""

MAIN = """
import math

import calc

FACTOR = 10


def check():
    class DefaultStore(calc.Store):
        '''Gives a default for a missing key.'''

        def __missing__(self, key):
            # a comment of the test, kept as written
            return math.floor(len(key) * FACTOR / 4)

    store = DefaultStore(limit=2)
    store.put("a", 1)
    store.fetch("a")
    store.fetch("abc")


check()
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def _record(project: Path, main: str) -> str:
    (project / "main.py").write_text(main)
    assert run_pytead("run", "calc.Store", "--", "main.py", cwd=project).returncode == 0
    return (project / "call_logs" / "calc" / "Store.fetch.yaml").read_text()


def _said(text: str) -> str:
    return " ".join(text.replace("\n#", " ").split())  # the left-out comments, unwrapped


def test_a_local_subclass_is_defined_from_source_in_the_test(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = _record(project, MAIN)
    assert "type: main.check.<locals>.DefaultStore" in fixture
    assert "!localclass" in fixture and "file: main.py" in fixture and "line: 10" in fixture
    assert "!opaque" not in fixture
    text, _ = gen_tests(capsys)
    assert "Left out" not in text, text
    assert "    class DefaultStore(calc.Store):\n        '''Gives a default" in text
    assert "# a comment of the test, kept as written" in text
    assert "import math" in text and "from main import FACTOR" in text and "import calc" in text
    assert "DefaultStore(limit=2)" in text
    assert 'fetch("abc") == 7' in text
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert result.returncode == 0, result.stdout
    # The test runs the project's code on that instance: a changed fetch fails it.
    (project / "calc.py").write_text(CALC.replace("return self.__missing__(key)", "return 0"))
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert "1 failed" in result.stdout, result.stdout


SIBLINGS = """
import calc


def check():
    class Doubled(calc.Store):
        def __missing__(self, key):
            return key * 2

    class Delegating(calc.Store):
        inner = Doubled  # another class of the function: written from source too

        def __missing__(self, key):
            return self.inner().fetch(key) + "!"

    Delegating().fetch("ab")


check()
"""


def test_a_class_using_another_class_of_its_function_is_written_after_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _record(project, SIBLINGS)
    text, _ = gen_tests(capsys)
    assert "Left out" not in text, text
    doubled, delegating = text.index("    class Doubled("), text.index("    class Delegating(")
    assert doubled < delegating < text.index('fetch("ab") == "abab!"')
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout


TWICE = """
import calc


def check(flag):
    if flag:
        class Pick(calc.Store):
            def __missing__(self, key):
                return "first"
    else:
        class Pick(calc.Store):
            def __missing__(self, key):
                return "second"
    Pick().fetch("k")


check(True)
check(False)
"""


def test_two_classes_of_one_name_in_one_function_are_told_apart_by_their_methods(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = _record(project, TWICE)
    assert "line: 7" in fixture and "line: 11" in fixture
    text, _ = gen_tests(capsys)
    assert 'fetch("k") == "first"' in text and 'fetch("k") == "second"' in text
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert result.returncode == 0 and "2 passed" in result.stdout, result.stdout


CLOSURE = """
import calc


def check(default):
    class DefaultStore(calc.Store):
        def __missing__(self, key):
            return default

    DefaultStore().fetch("x")


class Checks:
    Store = calc.Store

    def check(self):
        class ZeroStore(self.Store):  # its base is read in the method: self is its variable
            def __missing__(self, key):
                return 0

        ZeroStore().fetch("y")


check(5)
Checks().check()
"""


def test_a_class_using_a_variable_of_its_function_is_left_out(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _record(project, CLOSURE)
    text, _ = gen_tests(capsys)
    said = _said(text)
    assert "cannot write the class from source" in said
    assert "uses variables of the function it was defined in (default)" in said
    assert "ZeroStore uses variables" not in said  # only its bases did: see the next test


def test_bases_spelled_with_variables_of_the_function_are_written_as_recorded(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = _record(project, CLOSURE)
    assert "bases: [calc.Store]" in fixture
    text, _ = gen_tests(capsys)
    assert "class ZeroStore(calc.Store):  # its base is read in the method" in text, text
    assert "import calc" in text and 'fetch("y") == 0' in text
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout
    (project / "calc.py").write_text(CALC.replace("return self.__missing__(key)", "return 1"))
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert "1 failed" in result.stdout, result.stdout


def test_recorded_bases_must_be_trusted_names(tmp_path: Path) -> None:
    payload = {"file": "main.py", "line": 3, "qualname": "f.<locals>.C", "bases": ["os.system"]}
    (tmp_path / "main.py").write_text("def f(base):\n\n    class C(base):\n        pass\n")
    with pytest.raises(CodecError, match=r"os\.system"):
        local_class(payload, "main.f.<locals>.C", tmp_path)


def test_a_source_changed_since_the_capture_leaves_its_case_out(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _record(project, MAIN)
    (project / "main.py").write_text(MAIN.replace("import math\n", "import math\nimport os\n"))
    text, _ = gen_tests(capsys)
    assert "def test_" not in text
    said = _said(text)
    assert "no class check.<locals>.DefaultStore at main.py:10" in said
    assert "the file changed since the capture" in said


def _payload(project: Path, **changes: object) -> dict[str, object]:
    fixture = _record(project, MAIN)
    line = fixture.index("class: !localclass")
    assert "qualname: check.<locals>.DefaultStore" in fixture[line:]
    return {"file": "main.py", "line": 10, "qualname": "check.<locals>.DefaultStore", **changes}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"file": "../../etc/passwd.py"}, "outside the project"),
        ({"file": "/etc/hosts"}, "outside the project"),
        ({"file": "calc.py"}, "not the file"),  # the module main is not calc.py
        ({"file": "nowhere.py"}, "not a Python file of the project"),
        ({"line": 9}, "the file changed"),  # the line of the def, not of a class
        ({"line": "10"}, "not defined in a file of the project"),
        ({"qualname": "os.system"}, "not the end of its type"),
        ({"qualname": "check.<locals>.Other"}, "not the end of its type"),
    ],
)
def test_a_fixture_naming_the_wrong_place_runs_nothing(
    project: Path, changes: dict[str, object], reason: str
) -> None:
    good = _payload(project)
    made = local_class(good, "main.check.<locals>.DefaultStore", project)
    assert made.__name__ == "DefaultStore" and made.__module__ == "main"
    with pytest.raises(CodecError, match="cannot write the class from source") as error:
        local_class(_payload(project, **changes), "main.check.<locals>.DefaultStore", project)
    assert reason in str(error.value)
    assert Tagged("localclass", good) == Tagged("localclass", dict(good))


def test_a_line_inside_the_project_that_is_no_class_runs_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "evil.py").write_text("def f():\n    import os\n    os.abort()\n")
    ran: list[str] = []
    monkeypatch.setattr("os.abort", lambda: ran.append("abort"))
    payload = {"file": "evil.py", "line": 1, "qualname": "f.<locals>.X"}
    with pytest.raises(CodecError) as error:
        local_class(payload, "evil.f.<locals>.X", project)
    assert "no class f.<locals>.X at evil.py:1" in str(error.value)
    assert ran == [] and "evil" not in sys.modules


def test_a_case_holding_an_instance_of_a_local_class_says_so_where_it_is_not_written() -> None:
    place = Tagged("localclass", {"file": "t.py", "line": 3, "qualname": "f.<locals>.C"})
    instance = Tagged("obj", {"type": "t.f.<locals>.C", "class": place, "state": {}})
    itself = unreplayable_reason(Case("1", {"x": instance}, Returned(1)))
    inside = unreplayable_reason(Case("1", {"x": [instance]}, Returned(1)))
    assert itself.startswith("argument x is a t.f.<locals>.C, of a class defined in a function")
    assert inside.startswith("argument x holds a t.f.<locals>.C")
    assert written_from_source(Case("1", {"x": instance}, Returned(1)))
    lock = Tagged("opaque", {"type": "_thread.lock", "why": "it has no readable state"})
    assert not written_from_source(Case("1", {"x": instance, "y": lock}, Returned(1)))


STORE = '''
class Store:
    def __init__(self, limit=3):
        self.limit = limit
        self.items = {}

    def __missing__(self, key):
        raise KeyError(key)

    def fetch(self, key):
        """The item under *key*, else what ``__missing__`` gives."""
        if key in self.items:
            return self.items[key]
        return self.__missing__(key)

    def size(self):
        """How many items it holds."""
        return len(self.items)
'''

DOCS_MAIN = """
from store import Store


def check():
    class Doubled(Store):
        def __missing__(self, key):
            return key * 2

    Doubled().fetch("ab")

    class Long(Store):
        '''A class longer than an example shows.'''

        def __init__(self):
            super().__init__(limit=1)

        def __missing__(self, key):
            # the rest of it
            return None

    Long().size()


check()
"""


def test_a_short_local_class_is_defined_in_a_doc_example(tmp_path: Path) -> None:
    (tmp_path / "store.py").write_text(STORE)
    (tmp_path / "main.py").write_text(DOCS_MAIN)
    assert run_pytead("run", "store.Store", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", "--diff", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert "its class Long(Store) is 9 lines, more than an example shows" in result.stderr
    source = (tmp_path / "store.py").read_text()
    example = ">>> class Doubled(Store):\n            ...     def __missing__(self, key):\n"
    assert example in source, source
    assert ">>> store.fetch(\"ab\")\n            'abab'" in source, source
    assert "class Long" not in source  # nine lines: more than an example shows
    count = "import doctest, store; print(doctest.testmod(store))"
    done = run_tool("python", "-c", count, cwd=tmp_path)
    assert "failed=0," in done.stdout and "attempted=0" not in done.stdout, done.stdout
