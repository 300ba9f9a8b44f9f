"""Examples of calls on instances of classes the test modules declare at their top level: the
example defines the class from the project's source when it reads nothing of its module."""

from __future__ import annotations

from pathlib import Path

from conftest import run_pytead, run_python

FORMS = '''
class Field:
    """A field of a form."""

    def __init__(self, required=False):
        self.required = required

    def __repr__(self):
        return f"Field(required={self.required})"


class Form:
    """A form: the fields its class declares."""

    def __init__(self):
        every = [vars(cls) for cls in reversed(type(self).__mro__)]
        self.fields = {k: v for d in every for k, v in d.items() if isinstance(v, Field)}

    def errors(self, data):
        """The names of the required fields *data* lacks."""
        return sorted(name for name, f in self.fields.items() if f.required and name not in data)

    def names(self):
        """The names of its fields."""
        return sorted(self.fields)


def each(func, items):
    """*func* applied to each of *items*."""
    return [func(item) for item in items]
'''

TESTS = """
from forms import Field, Form, each


def double(x):
    return x * 2


class Named(Form):
    name = Field(required=True)


class SignUp(Named):
    nick = Field()

    def extra(self):
        return len(self.fields)


DEFAULT = True


class Helped(Form):
    name = Field(required=DEFAULT)


def test_errors():
    assert SignUp().errors({}) == ["name"]
    assert SignUp().errors({"name": "x"}) == []


def test_names():
    assert Helped().names() == ["name"]


def test_each():
    assert each(double, [1, 2]) == [2, 4]


def test_each_closure():
    n = 3

    def times(x):
        return x * n

    assert each(times, [1]) == [3]
"""

#: Why each case of a fixture shows no example, one line per case.
WHY = """
import sys
from pathlib import Path
import forms
from pytead._examples import sort_cases
from pytead._store import load_fixture
for unshown in sort_cases(load_fixture(Path(sys.argv[1])), vars(forms)).unshown:
    print(unshown.reason)
"""


def test_a_class_of_a_test_module_is_defined_in_the_example(tmp_path: Path) -> None:
    (tmp_path / "forms.py").write_text(FORMS)
    (tmp_path / "test_forms.py").write_text(TESTS)
    ran = run_pytead("run", "forms.Form", "forms.each", "--", "-m", "pytest", "-q", "-p",
                     "no:randomly", cwd=tmp_path)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    source = (tmp_path / "forms.py").read_text()
    named = ">>> class Named(Form):\n            ...     name = Field(required=True)\n"
    sign_up = ">>> class SignUp(Named):\n            ...     nick = Field()\n            ...\n"
    assert named + "            " + sign_up in source, source
    assert ">>> form.errors({})\n            ['name']\n" in source, source
    assert '>>> form.errors({"name": "x"})\n            []\n' in source, source
    defined = ">>> def double(x):\n        ...     return x * 2\n        >>> each(double, [1, 2])\n"
    assert defined + "        [2, 4]\n" in source, source
    assert "test_forms" not in source
    why = "its class test_forms.Helped uses DEFAULT, which only test_forms defines"
    assert why in result.stderr, result.stderr
    reasons = run_python("-c", WHY, "call_logs/forms/each.yaml", cwd=tmp_path).stdout
    assert reasons.startswith("a value cannot be written as code: argument func: "), reasons
    assert "times uses variables of the function it was defined in (n)" in reasons, reasons
    done = run_python("-c", "import doctest, forms; print(doctest.testmod(forms))", cwd=tmp_path)
    assert "failed=0" in done.stdout and "attempted=0" not in done.stdout, done.stdout
