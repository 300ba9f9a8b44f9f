"""What generated tests assert: the attributes a call changed, objects equal only to themselves
through their state, no memory address anywhere, snapshots only for large or deep values."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_pytead, run_tool

from pytead._amber import StateAmberSerializer, needs_state_serializer
from pytead._codec import Encoder, render_source
from pytead._expected import holds_address, match_pattern, needs_snapshot
from pytead._pyformat import flat

BANK = """\
class Account:
    def __init__(self, owner):
        self.owner = owner
        self.balance = 0
        self.cache = {}

    def deposit(self, amount):
        self.balance += amount

    def peek(self):
        return self.balance

    def forget(self):
        del self.cache


class Meter:
    def __init__(self):
        self._reading = 0
        self.unit = "kWh"
        self.label = "main"

    @property
    def reading(self):
        return self._reading

    def add(self, amount):
        self._reading += amount


class Receipt:
    def __init__(self, total, count):
        self.total = total
        self.count = count


class Pair:
    __slots__ = ("left", "right")

    def __init__(self, left, right):
        self.left = left
        self.right = right


class Tag:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<{self.name} @ {id(self)}>"


class Point:
    __slots__ = ("_x", "_y")

    def __init__(self, x, y):
        self._x = x
        self._y = y

    @property
    def x(self):
        return self._x

    def move(self, dx):
        self._x += dx


class Stack(list):
    def push(self, item):
        self.append(item)


class Item:
    def __init__(self, name):
        self.name = name


class Inner:
    def __init__(self):
        self.n = 1


class Crate:
    def __init__(self, inner):
        self.inner = inner


class Shelf:
    def __init__(self):
        self.items = []
        self.crates = []

    def put(self, name):
        self.items.append(Item(name))

    def stack(self):
        self.crates.append(Crate(Inner()))


def rename(account, owner):
    account.owner = owner


def checkout(prices):
    return Receipt(sum(prices), len(prices))


def pair(a, b):
    return Pair(a, b)


def tags(names):
    return [Tag(name) for name in names]


def open_handle(name):
    raise ValueError(f"cannot open {name}: {object()!r} is busy")


def describe(name):
    return f"{name} at {object()!r}"


def summary(values):
    return {"count": len(values), "total": sum(values), "largest": max(values)}


def tree(depth):
    return {f"k{i}": {"sub": [i, {"deep": [i, {"deeper": i}]}]} for i in range(depth)}
"""

MAIN = """\
import bank

account = bank.Account("ann")
account.deposit(10)
account.deposit(5)
account.peek()
account.forget()
bank.rename(account, "bob")
meter = bank.Meter()
meter.add(3)
meter.add(4)
bank.checkout([1, 2, 3])
bank.pair(1, "x")
bank.tags(["a", "b"])
try:
    bank.open_handle("f")
except ValueError:
    pass
bank.describe("n")
bank.summary([1, 2, 3])
bank.tree(4)
point = bank.Point(1, 2)
point.move(3)
stack = bank.Stack()
stack.push(1)
shelf = bank.Shelf()
shelf.put("mug")
shelf.stack()
"""

#: Memory addresses as default reprs and id() show them.
ADDRESS_SHAPES = re.compile(r"0x[0-9a-fA-F]{6,}|\b[0-9]{12,}\b|\.\.\.[0-9a-fA-F]{6,}>")


def plain_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tool("pytest", "-q", "-p", "no:cacheprovider", *args, cwd=project)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bank project with its calls recorded once for the module."""
    project = tmp_path_factory.mktemp("bank") / "project"
    project.mkdir()
    (project / "bank.py").write_text(BANK)
    (project / "main.py").write_text(MAIN)
    result = run_pytead("run", "bank", "--", "main.py", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module", params=["plain", "parametrize"])
def generated(request: pytest.FixtureRequest, recorded: Path) -> Path:
    """A copy of the recorded project with its tests generated, in each style."""
    project = recorded.parent / f"generated-{request.param}"
    shutil.copytree(recorded, project)
    style = ["--parametrize"] if request.param == "parametrize" else []
    result = run_pytead("gen-tests", *style, cwd=project)
    assert result.returncode == 0, result.stderr
    # An object equal only to itself inside another one's state is checked through its own.
    assert "none left out" in result.stderr
    return project


def module_text(project: Path) -> str:
    return (project / "tests/test_pytead_generated.py").read_text()


def function_body(text: str, name: str) -> str:
    """The lines of the test function *name* in a generated module."""
    found = re.search(rf"^def {name}\(.*?(?=^\S|\Z)", text, re.MULTILINE | re.DOTALL)
    assert found, f"no test {name} in:\n{text}"
    return found.group(0)


def broken(project: Path, tmp_path: Path, before: str, after: str) -> str:
    """The output of the generated tests once *before* is replaced by *after* in bank.py."""
    copy = tmp_path / "broken"
    shutil.copytree(project, copy)
    source = copy / "bank.py"
    assert before in source.read_text()
    source.write_text(source.read_text().replace(before, after))
    result = plain_pytest(copy)
    assert result.returncode == 1, result.stdout
    return result.stdout


# -- on unchanged code ------------------------------------------------------------------------


def test_the_generated_tests_pass_twice_in_a_row(generated: Path) -> None:
    for _ in range(2):  # an address in a snapshot or a test would differ the second time
        result = plain_pytest(generated)
        assert result.returncode == 0, result.stdout
        assert "failed" not in result.stdout and "snapshots passed" in result.stdout


def test_the_generated_module_is_formatted_and_lint_clean(generated: Path) -> None:
    tests = str(generated / "tests")
    formatted = run_tool("ruff", "format", "--isolated", "--check", "--diff", tests, cwd=generated)
    assert formatted.returncode == 0, formatted.stdout
    lint = run_tool("ruff", "check", "--isolated", tests, cwd=generated)
    assert lint.returncode == 0, lint.stdout


def test_nothing_gen_tests_writes_shows_a_memory_address(generated: Path) -> None:
    fixtures = "".join(p.read_text() for p in (generated / "call_logs").rglob("*.yaml"))
    assert ADDRESS_SHAPES.search(fixtures), "the program should have shown addresses"
    written = [p for p in (generated / "tests").rglob("*") if p.is_file()]
    written += [generated / "conftest.py"] if (generated / "conftest.py").exists() else []
    assert any(p.suffix == ".ambr" for p in written)
    for path in written:
        if path.suffix in (".py", ".ambr"):
            assert not ADDRESS_SHAPES.search(path.read_text()), path


# -- focused state checks ---------------------------------------------------------------------


def test_a_method_changing_one_of_three_attributes_gets_one_focused_assert(
    generated: Path,
) -> None:
    text = module_text(generated)
    assert "vars(account)" not in text and "vars(meter)" not in text
    # Plain in both styles: the second deposit's account is built by replaying the first, so
    # the first is a family of one.
    body = function_body(text, "test_account_deposit_10")
    assert body.count("assert ") == 2 and "    assert account.balance == 10\n" in body


def test_a_changed_state_attribute_catches_a_change(generated: Path, tmp_path: Path) -> None:
    out = broken(generated, tmp_path, "self.balance += amount", "self.balance += amount * 2")
    assert "test_account_deposit" in out


def test_a_private_attribute_is_checked_through_its_property(
    generated: Path, tmp_path: Path
) -> None:
    text = module_text(generated)
    assert "assert meter.reading == " in text and "meter._reading ==" not in text
    out = broken(generated, tmp_path, "self._reading += amount", "self._reading -= amount")
    assert "test_meter_add" in out


def test_a_removed_attribute_is_checked_with_hasattr(generated: Path, tmp_path: Path) -> None:
    assert 'assert not hasattr(account, "cache")' in module_text(generated)
    out = broken(generated, tmp_path, "del self.cache", "self.cache = None")
    assert "test_account_forget" in out


def test_a_call_that_changed_nothing_gets_no_state_check(generated: Path) -> None:
    text = module_text(generated)
    name = "test_account_peek" if "parametrize" in generated.name else r"test_account_peek\w*"
    body = function_body(text, name)
    assert body.count("assert ") == 1 and "account." in body and "balance ==" not in body


def test_a_mutated_argument_has_the_attribute_the_call_changed_checked(
    generated: Path, tmp_path: Path
) -> None:
    body = function_body(module_text(generated), r"test_rename\w*")
    assert '    assert account.owner == "bob"\n' in body and "balance" not in body.split("\n", 2)[2]
    out = broken(generated, tmp_path, "account.owner = owner", "account.owner = owner.upper()")
    assert "test_rename" in out


def test_a_private_slot_is_checked_through_its_property(generated: Path, tmp_path: Path) -> None:
    body = function_body(module_text(generated), r"test_point_move\w*")
    assert "assert point.x == x_after" in body or "    assert point.x == 4\n" in body
    out = broken(generated, tmp_path, "self._x += dx", "self._x -= dx")
    assert "test_point_move" in out


def test_the_items_of_a_list_subclass_are_compared_as_a_list(
    generated: Path, tmp_path: Path
) -> None:
    text = module_text(generated)
    assert "    assert list(stack) == [1]\n" in text
    out = broken(generated, tmp_path, "self.append(item)", "self.append(item * 2)")
    assert "test_stack_push" in out


# -- objects equal only to themselves ---------------------------------------------------------


def test_an_attribute_listing_objects_without_eq_is_compared_item_by_item(
    generated: Path, tmp_path: Path
) -> None:
    text = module_text(generated)
    assert "assert [vars(item) for item in shelf.items] == " in text
    assert '[{"name": "mug"}]' in text
    out = broken(generated, tmp_path, "self.items.append(Item(name))", "self.items.append(Item(1))")
    assert "test_shelf_put" in out


def test_a_returned_object_without_eq_is_compared_by_its_state(
    generated: Path, tmp_path: Path
) -> None:
    text = module_text(generated)
    assert "result = checkout([1, 2, 3])\n" in text
    assert 'assert vars(result) == {"total": 6, "count": 3}' in text
    out = broken(generated, tmp_path, "len(prices))", "len(prices) + 1)")
    assert "test_checkout" in out


def test_a_returned_slotted_object_is_compared_by_its_attributes(
    generated: Path, tmp_path: Path
) -> None:
    text = module_text(generated)
    assert "assert result.left == 1\n" in text and 'assert result.right == "x"\n' in text
    out = broken(generated, tmp_path, "return Pair(a, b)", "return Pair(b, a)")
    assert "test_pair" in out


# -- memory addresses -------------------------------------------------------------------------


def test_an_address_in_a_message_is_matched_by_any_address(generated: Path, tmp_path: Path) -> None:
    assert "<object object at (?:0x)?[0-9a-fA-F]+> is busy$" in module_text(generated)
    out = broken(generated, tmp_path, "is busy", "is taken")
    assert "test_open_handle" in out


def test_a_returned_text_showing_an_address_is_searched_with_a_pattern(
    generated: Path, tmp_path: Path
) -> None:
    text = module_text(generated)
    assert 'r"^n at <object object at (?:0x)?[0-9a-fA-F]+>$"' in text
    out = broken(generated, tmp_path, 'f"{name} at ', 'f"{name} near ')
    assert "test_describe" in out


def test_a_snapshot_shows_objects_whose_repr_holds_an_address_by_their_state(
    generated: Path, tmp_path: Path
) -> None:
    amber = next((generated / "tests/__snapshots__").glob("*.ambr")).read_text()
    assert "Tag(\n      name='a',\n    )" in amber
    assert "def snapshot(snapshot):" in module_text(generated)
    assert "pytead" not in module_text(generated).split("\n\n\n")[1]  # the serializer's source
    out = broken(generated, tmp_path, "[Tag(name) for name in names]", "[Tag(n) for n in 'ab!']")
    assert "test_tags" in out


def test_snapshots_match_what_syrupy_writes_with_the_module_serializer(
    generated: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "rewritten"
    shutil.copytree(generated, copy)
    ours = next((copy / "tests/__snapshots__").glob("*.ambr")).read_text()
    shutil.rmtree(copy / "tests/__snapshots__")
    assert plain_pytest(copy, "--snapshot-update").returncode == 0
    assert next((copy / "tests/__snapshots__").glob("*.ambr")).read_text() == ours


# -- inline or snapshot -----------------------------------------------------------------------


def test_a_three_entry_dict_is_inline_and_a_big_nested_one_a_snapshot(generated: Path) -> None:
    text = module_text(generated)
    assert '{"count": 3, "total": 6, "largest": 3}' in text
    assert "assert snapshot == tree(" in text or "def test_tree(depth, snapshot):" in text
    amber = next((generated / "tests/__snapshots__").glob("*.ambr")).read_text()
    assert "'deeper': 3," in amber and "'largest'" not in amber


# -- units ------------------------------------------------------------------------------------


class Handle:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<Handle {self.name} at {hex(id(self))}>"


def test_the_serializer_shows_an_object_by_its_state_when_its_repr_shows_an_address() -> None:
    first = StateAmberSerializer.serialize([Handle("a")])
    second = StateAmberSerializer.serialize([Handle("a")])
    assert first == second and "name='a'" in first and not ADDRESS_SHAPES.search(first)
    assert needs_state_serializer([{"h": Handle("a")}])
    assert not needs_state_serializer([{"a": [1, (2, 3)]}, Encoder])


@pytest.mark.parametrize(
    ("message", "other", "matches"),
    [
        ("at 0x7f3a2b1c0d90 now", "at 0x55d1c0 now", True),
        ("<tag @ 140654066821824>", "<tag @ 94021236>", True),
        ("<tag @ 140654066821824>", "<tag @ x>", False),
        ("at 0x7f3a2b1c0d90 now", "at 0x7f3a2b1c0d90 later", False),
        ("plain (3)", "plain (3)", True),
    ],
)
def test_a_match_pattern_accepts_any_address_where_the_message_had_one(
    message: str, other: str, matches: bool
) -> None:
    pattern = flat(match_pattern(message)).removeprefix("r").strip('"')
    assert (re.search(pattern, other) is not None) is matches
    assert re.search(pattern, message)


def test_addresses_are_found_in_texts_but_not_in_numbers() -> None:
    assert holds_address({"k": ["<x at 0x7f3a2b1c0d90>"]})
    assert holds_address("id=140654066821824")
    assert not holds_address({"n": 140654066821824, "t": "2026-12-02 @ noon"})


@pytest.mark.parametrize(
    ("value", "snapshot"),
    [
        ({"empty": ["GL-0001"], "low": ["PD-0012"], "ok": ["PN-0007"]}, False),
        ({"a": 1, "b": 2, "c": 3}, False),
        ({"a": {"b": {"c": {"d": [1]}}}}, True),
        ({f"key{i}": list(range(10)) for i in range(8)}, True),
        ([float("nan")], True),
    ],
)
def test_small_values_stay_inline_and_large_or_deep_ones_go_to_snapshots(
    value: object, snapshot: bool
) -> None:
    node = Encoder().encode(value)
    assert needs_snapshot(node, value, render_source(node).doc, 200) is snapshot


def test_a_list_of_objects_equal_only_to_themselves_is_checked_by_length_and_state(
    generated: Path,
) -> None:
    text = module_text(generated)
    assert "assert len(shelf.crates) == 1" in text
    assert "assert shelf.crates[0].inner.n == 1" in text
