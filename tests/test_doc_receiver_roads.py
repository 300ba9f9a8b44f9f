"""Receivers of docstring examples built by every road gen-tests builds them by without
pytead's helpers: a mapping filled item by item, a history of item assignments, a subclass's
recorded constructor call, a class defined in a test with the bases it had at capture; and a
one-line reason naming the value when no road exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import run_pytead, run_python
from test_filled_mappings import RECENT

SHELF = '''
from collections.abc import MutableMapping


class Shelf(MutableMapping):
    """A mapping of at most *maxsize* items, oldest first."""

    def __init__(self, maxsize):
        self.maxsize = maxsize
        self._items = {}

    def __getitem__(self, key):
        return self._items[key]

    def __setitem__(self, key, value):
        if key not in self._items and len(self._items) >= self.maxsize:
            raise ValueError("shelf is full")
        self._items[key] = value

    def __delitem__(self, key):
        del self._items[key]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def oldest(self):
        """Remove the oldest item and return it."""
        if not self._items:
            raise KeyError("shelf is empty")
        key = next(iter(self._items))
        return key, self._items.pop(key)


class LabelledShelf(Shelf):
    """A shelf with a label."""

    def __init__(self, maxsize, label="shelf"):
        super().__init__(maxsize)
        self.label = label
'''


def _doctest(project: Path, module: str) -> str:
    """doctest's own count of *module*'s examples (its summary line changed wording in 3.13)."""
    count = f"import doctest, {module}; print(doctest.testmod({module}))"
    done = run_python("-c", count, cwd=project)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _enrich(project: Path, main: str, target: str) -> str:
    (project / "shelf.py").write_text(SHELF)
    (project / "main.py").write_text(main)
    recorded = run_pytead("run", target, "--", "main.py", cwd=project)
    assert recorded.returncode == 0, recorded.stderr
    result = run_pytead("enrich-docs", cwd=project)
    assert result.returncode == 0, result.stderr
    return (project / "shelf.py").read_text()


FILLED = """
from shelf import Shelf

shelf = Shelf(maxsize=3)
shelf[1] = "one"
shelf[2] = "two"
shelf.oldest()
shelf.oldest()
try:
    shelf.oldest()
except KeyError:
    pass
"""


def test_a_mapping_is_made_empty_then_filled_item_by_item(tmp_path: Path) -> None:
    source = _enrich(tmp_path, FILLED, "shelf.Shelf.oldest")
    assert ">>> shelf = Shelf(maxsize=3)" in source, source
    assert '>>> shelf[1] = "one"' in source and '>>> shelf[2] = "two"' in source, source
    assert "rebuild" not in source and "fixture_value" not in source
    # several outcomes were recorded: the examples show each of them
    assert "(1, 'one')" in source and "(2, 'two')" in source, source
    assert "KeyError: 'shelf is empty'" in source, source
    said = _doctest(tmp_path, "shelf")
    assert "failed=0," in said and "attempted=0" not in said, said


SUBCLASS = """
from shelf import LabelledShelf

shelf = LabelledShelf(2, label="books")
shelf[1] = "one"
shelf.oldest()
"""


def test_a_subclass_instance_is_made_by_its_own_class(tmp_path: Path) -> None:
    source = _enrich(tmp_path, SUBCLASS, "shelf.Shelf.oldest")
    made = re.search(r">>> shelf = LabelledShelf\((maxsize=)?2, label=\"books\"\)", source)
    assert made is not None, source
    assert ">>> shelf = Shelf(" not in source  # not the method's own class
    said = _doctest(tmp_path, "shelf")
    assert "failed=0," in said and "attempted=0" not in said, said


LOCAL = """
import shelf


class Suite:
    Kind = shelf.Shelf

    def check(self):
        class Tidy(self.Kind):
            def tidy(self):
                return sorted(self)

        tidy = Tidy(maxsize=2)
        tidy[2] = "two"
        tidy.oldest()


Suite().check()
"""


def test_a_class_a_test_defines_on_a_variable_base_is_defined_with_its_recorded_base(
    tmp_path: Path,
) -> None:
    source = _enrich(tmp_path, LOCAL, "shelf.Shelf.oldest")
    assert ">>> class Tidy(shelf.Shelf):" in source, source
    assert "self.Kind" not in source
    assert ">>> a_shelf = Tidy(maxsize=2)" in source, source  # "shelf" is the module
    assert '>>> a_shelf[2] = "two"' in source, source
    said = _doctest(tmp_path, "shelf")
    assert "failed=0," in said and "attempted=0" not in said, said


TALLY = '''

class Tally:
    """Counts down, and counts how often it was asked."""

    def __init__(self, start):
        self.count = start
        self.asked = 0

    def peek(self):
        self.asked += 1
        return self.count

    def take(self):
        """Take one and return how many are left."""
        self.count -= 1
        return self.count
'''

PEEKED = """
from shelf import Tally

tally = Tally(3)
tally.peek()
tally.take()
"""


def test_a_receiver_no_road_makes_gets_a_reason_naming_what_differs(tmp_path: Path) -> None:
    (tmp_path / "shelf.py").write_text(SHELF + TALLY)
    (tmp_path / "main.py").write_text(PEEKED)  # peek() is not traced: its change is not replayed
    assert run_pytead("run", "shelf.Tally.take", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", "--report-json", "report.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    [target] = report["targets"]
    assert target["reason_kind"] == "no-receiver", target
    replay = "the shelf.Tally (its recorded constructor call, no traced call after it)"
    assert f"{replay} gives a different asked than recorded" in target["reason"], target
    assert "rebuilt from YAML" not in target["reason"]


BAG = '''

class Bag:
    """Things, counted."""

    def __init__(self):
        self._things = []

    def __len__(self):
        return len(self._things)

    def add(self, thing):
        self._things.append(thing)

    def count(self, thing):
        """How many of *thing* it holds."""
        return self._things.count(thing)
'''

FILLED_UNTRACED = """
from shelf import Bag

bag = Bag()
bag.add("pen")
bag.count("pen")
"""


def test_a_receiver_filled_by_untraced_calls_is_refused_with_its_size(tmp_path: Path) -> None:
    (tmp_path / "shelf.py").write_text(SHELF + BAG)
    (tmp_path / "main.py").write_text(FILLED_UNTRACED)  # add() is not traced
    assert run_pytead("run", "shelf.Bag.count", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no traced call after it) gives 0 item(s), not the 1 recorded" in result.stderr


TREE_MAIN = """\
import calc
statement = calc.parse("SELECT a (b)")
print(statement.first_keyword(), statement.tokens[2].depth())
"""


def test_a_node_of_a_tree_is_reached_from_its_root(tmp_path: Path) -> None:
    from test_parent_trees import CALC

    depth = "    def depth(self):\n"
    assert depth in CALC
    documented = CALC.replace(depth, depth + '        """How far below the root it is."""\n')
    (tmp_path / "calc.py").write_text(documented)
    (tmp_path / "main.py").write_text(TREE_MAIN)
    assert run_pytead("run", "calc.Group", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "calc.py").read_text()
    assert ">>> group = Group(\n" in source, source  # the root, laid out over lines
    assert 'Token(kind=KEYWORD, text="SELECT"),' in source, source
    assert "... ).tokens[2]\n" in source and ">>> group.depth()" in source, source  # its path
    said = _doctest(tmp_path, "calc")
    assert "failed=0," in said and "attempted=0" not in said, said


MARKED_MAIN = """\
import calc
statement = calc.parse("SELECT a (b)")
statement.tokens[0].seen = True  # no call of Token gives this token back
statement.tokens[2].depth()
"""


def test_a_node_of_a_tree_whose_root_has_no_plain_form_names_the_part_at_fault(
    tmp_path: Path,
) -> None:
    from test_parent_trees import CALC

    (tmp_path / "calc.py").write_text(CALC)
    (tmp_path / "main.py").write_text(MARKED_MAIN)
    assert run_pytead("run", "calc.Group.depth", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", "--report-json", "report.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [target] = json.loads((tmp_path / "report.json").read_text())["targets"]
    assert target["reason"] == (
        "receiver cannot be built: it sits at .tokens[2] in a tree whose root, a calc.Group, "
        "plain code cannot write (its part .tokens[0], a calc.Token, is given back by no call "
        "of its class)"
    ), target


RECENT_MAIN = """
from recent import Recent

cache = Recent(max_size=2)
cache["a"] = 1
cache["b"] = 2
cache.pop("a")
cache.pop("zz", None)
"""


def test_a_dict_subclass_setting_items_its_own_way_is_made_then_filled(tmp_path: Path) -> None:
    (tmp_path / "recent.py").write_text(RECENT)
    (tmp_path / "main.py").write_text(RECENT_MAIN)  # __setitem__ is not traced
    assert run_pytead("run", "recent.Recent.pop", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "recent.py").read_text()
    assert ">>> recent = Recent(max_size=2)" in source, source + result.stderr
    assert '>>> recent["a"] = 1' in source and '>>> recent["b"] = 2' in source, source
    assert re.search(r'>>> recent\.pop\("a"\)\n *1\n', source), source
    said = _doctest(tmp_path, "recent")
    assert "failed=0," in said and "attempted=0" not in said, said


CURRIED = '''
import functools


class Curried:
    """A function waiting for some of its arguments."""

    def __init__(self, func, *args):
        self._partial = functools.partial(func, *args)  # as toolz's curry keeps them
        self.__module__ = func.__module__  # what a decorator copies of the function it wraps
        self.__qualname__ = func.__qualname__
        self._arity = None  # filled at the first call, as a signature cache is

    def __call__(self, *args):
        if self._arity is None:
            self._arity = self.func.__code__.co_argcount
        return self.func(*self.args, *args)

    @property
    def func(self):
        return self._partial.func

    @property
    def args(self):
        return self._partial.args

    def __repr__(self):
        return repr(self.func)

    def missing(self, *args):
        """How many arguments a call with *args* still lacks."""
        return max(self.func.__code__.co_argcount - len(self.args) - len(args), 0)

    def bind(self, *args):
        """The same function waiting for fewer arguments."""
        return Curried(self.func, *self.args, *args)


@Curried
def add(a, b, c):
    return a + b + c
'''

CURRIED_MAIN = """
from curried import add

add(1, 2, 3)  # fills its cache: a fresh import has none
add.missing(1)
add.missing(1, 2, 3)
add.bind(1)
"""


def test_a_receiver_its_module_binds_by_the_name_it_carries_is_imported(tmp_path: Path) -> None:
    (tmp_path / "curried.py").write_text(CURRIED)
    (tmp_path / "main.py").write_text(CURRIED_MAIN)  # add itself is made at import
    done = run_pytead("run", "curried.Curried.missing", "--", "main.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "curried.py").read_text()
    # the module's own ``add``: its docstring's module already binds the name, no import
    assert re.search(r">>> add\.missing\(1\)\n *2\n", source), source + result.stderr
    assert re.search(r">>> add\.missing\(1, 2, 3\)\n *0\n", source), source
    said = _doctest(tmp_path, "curried")
    assert "failed=0," in said and "attempted=0" not in said, said


def test_a_result_holding_a_function_its_module_hides_shows_that_function(tmp_path: Path) -> None:
    (tmp_path / "curried.py").write_text(CURRIED)
    (tmp_path / "main.py").write_text(CURRIED_MAIN)
    done = run_pytead("run", "curried.Curried.bind", "--", "main.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    fixture = (tmp_path / "call_logs" / "curried" / "Curried.bind.yaml").read_text()
    assert "!function" in fixture  # the add that ``@Curried`` wraps: no name imports it
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "curried.py").read_text()
    # found again as ``add.func``: the real function, whose repr the example shows
    assert re.search(
        r">>> add\.bind\(1\)  # doctest: \+ELLIPSIS\n *<function add at \.\.\.>\n", source
    ), source + result.stderr
    said = _doctest(tmp_path, "curried")
    assert "failed=0," in said and "attempted=0" not in said, said
