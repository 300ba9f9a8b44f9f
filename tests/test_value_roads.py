"""Values written the way a person writes them: each road of gen-tests, end to end.

Fixtures are written by hand here (how an instance was built is part of the fixture format, see
`pytead._built`), then ``gen-tests`` writes and verifies the tests, and plain pytest runs them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_tool

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)
from pytead._built import Built, Step
from pytead._cli import main
from pytead._codec import Tagged
from pytead._roads import HISTORY, RECORDED_CALL, find_making

CALC = '''
import copy


class Cart:
    def __init__(self, owner, currency="EUR"):
        self.owner = owner
        self.currency = currency
        self.items = {}

    def add(self, sku, quantity=1):
        if not sku:
            raise ValueError("empty sku")
        self.items[sku] = self.items.get(sku, 0) + quantity
        return self.items[sku]

    def remove(self, sku):
        del self.items[sku]

    def take(self, sku):
        self.items[sku] = self.items.get(sku, 0) - 1
        if self.items[sku] < 0:
            raise ValueError("none left")

    def count(self):
        return sum(self.items.values())


def describe(cart):
    return f"{cart.owner}: {cart.count()} item(s)"


def checkout(cart):
    return cart.count()


class Point:
    __slots__ = ("_x", "_y")

    def __init__(self, x, y):
        self._x = x
        self._y = y


class Meter:
    def __init__(self, value):
        self.__value = value

    def read(self):
        return self.__value


def norm1(point):
    return abs(point._x) + abs(point._y)


def double(meter):
    return meter.read() * 2


class Version:
    def __init__(self, major, minor, patch):
        self.text = f"{major}.{minor}.{patch}"

    def __repr__(self):
        major, minor, patch = map(int, self.text.split("."))
        return f"Version(major={major!r}, minor={minor!r}, patch={patch!r})"

    def __eq__(self, other):
        return isinstance(other, Version) and other.text == self.text


def bump(version):
    major, minor, patch = map(int, version.text.split("."))
    return Version(major, minor, patch + 1)


class Note:
    def __init__(self, text):
        self.body = text

    def __repr__(self):
        return f"Note(text={self.body!r})"

    def __eq__(self, other):
        return isinstance(other, Note) and other.body == self.body


class Loose:
    """Its repr pastes the text unquoted: it reads as code only for harmless text."""

    def __init__(self, text):
        self.body = text

    def __repr__(self):
        return f"Loose(text={self.body})"


class Copied:
    """Its repr is a call of a function outside the project."""

    def __init__(self, n):
        self.value = n

    def __repr__(self):
        return f"copy.copy(Copied({self.value!r}))"


class Made:
    """Its repr is a call of one of the project's functions, which could be any call."""

    def __init__(self, n):
        self.value = n

    def __repr__(self):
        return f"make({self.value!r})"


def make(n):
    return Made(n)


def identity(value):
    return value
'''

HOSTILE = "a\"); __import__('os').system('touch CANARY'); (\""


def write_fixture(root: Path, qualname: str, kind: str, signature: str, cases: str) -> None:
    """Write the fixture of ``calc.<qualname>`` with the given YAML *cases*."""
    path = root / "call_logs" / "calc" / f"{qualname}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"pytead: 1\ntarget: calc.{qualname}\nmodule: calc\nkind: {kind}\n"
        f"signature: '{signature}'\ncases:\n"
    )
    path.write_text(header + cases, encoding="utf-8")


def cart(owner: str, items: str = "{}") -> str:
    return f"!obj {{type: calc.Cart, state: {{owner: {owner}, currency: EUR, items: {items}}}}}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def gen_tests(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, list[str]]:
    """Run ``gen-tests`` in-process: the generated module, and pytead's lines on stderr."""
    assert main(["gen-tests", *args]) == 0
    err = capsys.readouterr().err
    output = Path(args[args.index("-o") + 1] if "-o" in args else "tests/test_pytead_generated.py")
    return output.read_text(), [line for line in err.splitlines() if line.startswith("pytead:")]


def roads(lines: list[str]) -> dict[str, int]:
    """The counts of the ``values:`` line, which comes just before the summary."""
    assert lines[-2].startswith("pytead: values: "), lines
    assert "case(s):" in lines[-1]
    counts = lines[-2].removeprefix("pytead: values: ").split(", ")
    return {road: int(number) for number, road in (c.split(" ", 1) for c in counts)}


def pytest_passes(root: Path) -> bool:
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=root)
    return result.returncode == 0


def test_a_receiver_is_built_by_its_recorded_constructor_call(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_fixture(
        project,
        "Cart.add",
        "method",
        "(self, sku, quantity=1)",
        f"""- id: aaaa0001
  self: {cart("ann")}
  built: {{args: {{owner: ann}}}}
  args: {{sku: MUG, quantity: 2}}
  returned: 2
  self_after: {{owner: ann, currency: EUR, items: {{MUG: 2}}}}
""",
    )
    text, lines = gen_tests(capsys)
    assert '    cart = Cart(owner="ann")\n    assert cart.add("MUG", 2) == 2\n' in text
    assert "pytead" not in text.split("\n", 3)[-1]
    assert roads(lines)["recorded call"] == 1
    assert roads(lines)["rebuild"] == 0
    assert pytest_passes(project)


THREE_CALLS = """- id: bbbb0001
  self: {self}
  built:
    args: {{owner: bob}}
    calls:
    - {{method: add, args: {{sku: MUG, quantity: 1}}}}
{raising}    - {{method: add, args: {{sku: PEN, quantity: 3}}}}
    - {{method: remove, args: {{sku: PEN}}}}
  args: {{}}
  returned: 1
"""


def test_a_receiver_is_built_by_replaying_its_history_in_order(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raising = "    - {method: add, args: {sku: '', quantity: 1}, raised: builtins.ValueError}\n"
    case = THREE_CALLS.format(self=cart("bob", "{MUG: 1}"), raising=raising)
    write_fixture(project, "Cart.count", "method", "(self)", case)
    text, lines = gen_tests(capsys)
    setup = (
        '    cart = Cart(owner="bob")\n'
        '    cart.add("MUG", 1)\n'
        '    cart.add("PEN", 3)\n'
        '    cart.remove("PEN")\n'
        "    assert cart.count() == 1\n"
    )
    assert setup in text  # the step that raised and changed nothing is not replayed
    assert "pytead" not in text.split("\n", 3)[-1]
    assert roads(lines)["history"] == 1
    assert pytest_passes(project)
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace("del self.items[sku]", "self.items.get(sku)"))
    assert not pytest_passes(project)  # a step's method changed: the test sees it


def test_a_step_that_raised_and_changed_the_instance_is_replayed_expecting_its_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = f"""- id: bbbb0002
  self: {cart("bob", "{MUG: 1, PEN: -1}")}
  built:
    args: {{owner: bob}}
    calls:
    - {{method: add, args: {{sku: MUG, quantity: 1}}}}
    - {{method: take, args: {{sku: PEN}}, raised: builtins.ValueError}}
  args: {{}}
  returned: 0
"""
    write_fixture(project, "Cart.count", "method", "(self)", case)
    text, lines = gen_tests(capsys)
    setup = (
        '    cart.add("MUG", 1)\n'
        "    with pytest.raises(ValueError):\n"
        '        cart.take("PEN")\n'
        "    assert cart.count() == 0\n"
    )
    assert setup in text
    assert roads(lines)["history"] == 1
    assert pytest_passes(project)


def test_a_history_that_does_not_give_the_recorded_state_falls_back_to_the_next_road(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = THREE_CALLS.format(self=cart("bob", "{MUG: 7}"), raising="").replace(
        "returned: 1", "returned: 7"
    )
    write_fixture(project, "Cart.count", "method", "(self)", case)
    text, lines = gen_tests(capsys)
    assert "cart.remove" not in text
    assert 'cart = rebuild(Cart, {"owner": "bob", "currency": "EUR", "items": {"MUG": 7}})' in text
    assert "from pytead import rebuild" in text
    counts = roads(lines)
    assert counts["history"] == 0 and counts["rebuild"] == 1
    assert pytest_passes(project)


def test_arguments_are_built_by_their_recorded_call_or_history(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_fixture(
        project,
        "describe",
        "function",
        "(cart)",
        f"""- id: cccc0001
  args: {{cart: {cart("zoe")}}}
  args_built: {{cart: {{args: {{owner: zoe}}}}}}
  returned: 'zoe: 0 item(s)'
""",
    )
    write_fixture(
        project,
        "checkout",
        "function",
        "(cart)",
        f"""- id: cccc0002
  args: {{cart: {cart("ann", "{MUG: 2}")}}}
  args_built:
    cart:
      args: {{owner: ann}}
      calls: [{{method: add, args: {{sku: MUG, quantity: 2}}}}]
  returned: 2
""",
    )
    text, lines = gen_tests(capsys)
    assert 'assert describe(Cart(owner="zoe")) == "zoe: 0 item(s)"' in text
    assert (
        '    cart = Cart(owner="ann")\n    cart.add("MUG", 2)\n    assert checkout(cart) == 2\n'
        in text
    )
    counts = roads(lines)
    assert counts["recorded call"] == 1 and counts["history"] == 1
    assert pytest_passes(project)


def test_private_and_slotted_attributes_feed_keyword_constructors(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_fixture(
        project,
        "norm1",
        "function",
        "(point)",
        """- id: dddd0001
  args: {point: !obj {type: calc.Point, state: {_x: 3, _y: -4}}}
  returned: 7
""",
    )
    write_fixture(
        project,
        "double",
        "function",
        "(meter)",
        """- id: dddd0002
  args: {meter: !obj {type: calc.Meter, state: {_Meter__value: 21}}}
  returned: 42
""",
    )
    text, lines = gen_tests(capsys)
    assert "assert norm1(Point(x=3, y=-4)) == 7" in text
    assert "assert double(Meter(value=21)) == 42" in text
    assert "pytead" not in text.split("\n", 3)[-1]
    assert roads(lines)["constructor"] == 2
    assert pytest_passes(project)


def test_a_repr_that_reads_as_a_trusted_call_is_written_from_its_parsed_form(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_fixture(
        project,
        "bump",
        "function",
        "(version)",
        """- id: eeee0001
  args: {version: !obj {type: calc.Version, state: {text: 1.2.3}}}
  returned: !obj {type: calc.Version, state: {text: 1.2.4}}
""",
    )
    note = f"!obj {{type: calc.Note, state: {{body: '{HOSTILE.replace(chr(39), chr(39) * 2)}'}}}}"
    write_fixture(
        project,
        "identity",
        "function",
        "(value)",
        f"""- id: eeee0002
  args: {{value: {note}}}
  returned: {note}
""",
    )
    text, lines = gen_tests(capsys, "--no-verify")
    bump = "assertbump(Version(major=1,minor=2,patch=3))==Version(major=1,minor=2,patch=4)"
    assert bump in re.sub(r"\s+", "", text)  # however the line is wrapped
    notes = [
        node
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Note"
    ]
    assert len(notes) == 2
    for node in notes:  # the hostile text is one escaped literal, written by pytead
        assert [(k.arg, ast.literal_eval(k.value)) for k in node.keywords] == [("text", HOSTILE)]
    assert "__import__" not in re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    assert roads(lines)["repr"] == 4
    assert "pytead" not in text.split("\n", 3)[-1]
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert result.returncode == 0, result.stdout
    assert not (project / "CANARY").exists()


def test_a_repr_that_is_not_a_call_of_trusted_callables_is_not_used(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loose = "!obj {type: calc.Loose, state: {body: 'x), print(1'}}"
    copied = "!obj {type: calc.Copied, state: {value: 3}}"
    made = "!obj {type: calc.Made, state: {value: 4}}"
    write_fixture(
        project,
        "identity",
        "function",
        "(value)",
        f"""- id: ffff0001
  args: {{value: {loose}}}
  returned: {loose}
- id: ffff0002
  args: {{value: {copied}}}
  returned: {copied}
- id: ffff0003
  args: {{value: {made}}}
  returned: {made}
""",
    )
    text, lines = gen_tests(capsys)
    assert "Loose(text=" not in text and "copy" not in text.split("\n", 3)[-1]
    assert 'identity(rebuild(Loose, {"body": "x), print(1"}))' in text
    assert 'identity(rebuild(Copied, {"value": 3}))' in text
    assert 'identity(rebuild(Made, {"value": 4}))' in text
    assert "from pytead import rebuild" in text
    assert roads(lines)["repr"] == 0
    assert pytest_passes(project)


def test_only_a_value_that_needs_rebuild_makes_the_module_import_pytead(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_fixture(
        project,
        "norm1",
        "function",
        "(point)",
        """- id: aaaa0010
  args: {point: !obj {type: calc.Point, state: {_x: 1, _y: 1}}}
  returned: 2
""",
    )
    write_fixture(
        project,
        "checkout",
        "function",
        "(cart)",
        f"""- id: aaaa0011
  args: {{cart: {cart("ann", "{MUG: 2}")}}}
  returned: 2
""",
    )
    plain, _ = gen_tests(capsys, "-o", "tests/test_plain.py", "calc.norm1")
    assert "pytead" not in plain.split("\n", 3)[-1]
    rebuilt, lines = gen_tests(capsys, "-o", "tests/test_rebuilt.py", "calc.checkout")
    assert "from pytead import rebuild" in rebuilt
    assert "checkout(\n        rebuild(Cart, {" in rebuilt
    counts = roads(lines)
    assert counts["rebuild"] == 1 and counts["literal"] == 1  # the cart, and the 2 returned
    assert pytest_passes(project)


def test_a_history_replays_only_plain_methods_of_the_class_with_their_arguments(
    project: Path,
) -> None:
    state = {"owner": "ann", "currency": "EUR", "items": {"MUG": 1}}
    node = Tagged("obj", {"type": "calc.Cart", "state": state})
    add = Step("add", {"sku": "MUG", "quantity": 1})
    making = find_making(node, Built({"owner": "ann"}, (add,)))
    assert making is not None and making.road == HISTORY
    assert find_making(node, Built({"owner": "ann"})) is None  # the state changed since
    for step in (
        Step("owner", {}),  # an instance attribute, not a method
        Step("__init__", {"owner": "ann"}),
        Step("add", {"sku": "MUG", "quantity": 1, "extra": 2}),
        Step("add", {"sku": "MUG", "quantity": 1}, raised="builtins.KeyError"),
    ):
        assert find_making(node, Built({"owner": "ann"}, (step,))) is None, step
    empty = Tagged("obj", {"type": "calc.Cart", "state": {**state, "items": {}}})
    made = find_making(empty, Built({"owner": "ann"}))
    assert made is not None and made.road == RECORDED_CALL
    assert find_making(empty, Built(None)) is None  # nothing known of how it was built
