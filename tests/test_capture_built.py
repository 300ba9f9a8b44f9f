"""Capture records how a traced method's receiver was built: its constructor call, its history.

A case of a method says (``built``) what the instance's ``__init__`` received and which traced
calls changed the instance before, oldest first, so a generated test can build the receiver the
way the program did. Observing constructors must not change the program in any way.
"""

from __future__ import annotations

import gc
import importlib.util
import logging
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import run_pytead, run_python, run_tool

from pytead._built import MAX_CALLS, Built, Step
from pytead._codec import Tagged
from pytead._config import Config
from pytead._instances import Constructor, Instances
from pytead._model import Case, TargetInfo
from pytead._recorder import Recorder, TargetState
from pytead._store import load_fixture

SHOP = """
class Cart:
    def __init__(self, owner, currency="EUR", discount=0, *, password=None):
        self.owner = owner
        self.currency = currency
        self.discount = discount
        self.pw = password
        self.items = {}
        if discount < 0:
            raise ValueError(f"discount {discount} < 0")

    def add(self, sku, quantity=1):
        self.items[sku] = self.items.get(sku, 0) + quantity
        return self.items[sku]

    def count(self, sku):
        return self.items.get(sku, 0)

    def remove(self, sku, quantity):
        have = self.items.get(sku, 0)
        self.items[sku] = max(0, have - quantity)
        if quantity > have:
            raise ValueError(f"only {have} {sku}")
        return self.items[sku]

    def refill(self, sku):
        self.add(sku, 5)  # a traced call inside another on the same cart: part of it
        return self.items[sku]


class Base:
    def __init__(self, name):
        self.name = name
        self.log = []

    def note(self, text):
        self.log.append(text)
        return len(self.log)


class Sub(Base):
    def __init__(self, name, level=1):
        super().__init__(name.upper())
        self.level = level


class Plain(Base):
    pass


class Slotted:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def bump(self):
        self.value += 1
        return self.value


class NoInit:
    def mark(self, name):
        self.__dict__.setdefault("marks", []).append(name)
        return name


def total(cart, extra=0):
    return sum(cart.items.values()) + extra
"""


def project_with(tmp_path: Path, main: str) -> Path:
    (tmp_path / "shop.py").write_text(SHOP)
    (tmp_path / "main.py").write_text(textwrap.dedent(main))
    return tmp_path


def capture(project: Path, *targets: str, backend: str, limit: int = 50, **settings: str) -> str:
    done = run_pytead(
        "run", "-l", str(limit), *targets, "--", "main.py", cwd=project, backend=backend,
        **settings,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def cases(project: Path, target: str) -> list[Case]:
    path = project / "call_logs" / "shop" / f"{target}.yaml"
    return list(load_fixture(path).cases)


def calls(built: Built | None) -> list[tuple[str, dict[str, Any], str | None]]:
    assert built is not None
    return [(step.method, step.args, step.raised) for step in built.calls]


# -- constructor arguments -----------------------------------------------------------------------


def test_a_traced_init_notes_the_construction_too(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Cart, Sub
        cart = Cart("ann", "USD")
        cart.add("mug")
        Sub("bo").note("hi")  # Sub's own __init__ builds it: Base's is only a part of it
        """,
    )
    capture(project, "shop.Cart.__init__", "shop.Cart.add", "shop.Base", backend=backend)
    (case,) = cases(project, "Cart.add")
    assert case.built == Built({"owner": "ann", "currency": "USD"})
    (note,) = cases(project, "Base.note")
    assert note.built == Built({"name": "bo"})  # not Base.__init__'s {"name": "BO"}


def test_arguments_are_encoded_only_for_instances_that_reach_a_traced_call(
    tmp_path: Path, backend: str
) -> None:
    """A program may build many instances it never calls a traced method of: they cost a note."""
    project = project_with(
        tmp_path,
        """
        from shop import Cart

        class Counted:
            reads = 0

            def __getstate__(self):
                Counted.reads += 1
                return {"n": 1}

        carts = [Cart(Counted()) for _ in range(200)]
        carts[7].add("mug")
        print(Counted.reads)
        """,
    )
    out = capture(project, "shop.Cart.add", backend=backend)
    # The one cart's owner: as its constructor's argument, then in its state before and after
    # the call; not two hundred times.
    assert int(out.split()[-1]) == 3
    (case,) = cases(project, "Cart.add")
    assert case.built is not None and case.built.args is not None and "owner" in case.built.args


def test_constructor_arguments_are_bound_like_case_arguments(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Cart
        Cart("ann").add("mug")
        Cart("bob", "USD", discount=10).add("pen")
        Cart(owner="cy", discount=0).add("cup")  # the default, passed explicitly
        """,
    )
    capture(project, "shop.Cart.add", backend=backend)
    built = [case.built for case in cases(project, "Cart.add")]
    assert built == [
        Built({"owner": "ann"}),
        Built({"owner": "bob", "currency": "USD", "discount": 10}),
        Built({"owner": "cy"}),
    ]


def test_a_super_init_chain_is_one_construction(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Base, Sub
        Sub("ann", level=3).note("a")
        Base("bob").note("b")
        """,
    )
    capture(project, "shop.Base.note", backend=backend)  # Sub: a subclass, seen at the start
    sub, base = cases(project, "Base.note")
    assert sub.built == Built({"name": "ann", "level": 3})  # Sub's call, not super()'s
    assert base.built == Built({"name": "bob"})


def test_a_base_init_serves_a_traced_subclass(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Base, Plain
        Base("not traced")
        Plain("ann").note("a")
        """,
    )
    capture(project, "shop.Plain.note", backend=backend)
    (case,) = cases(project, "Plain.note")
    assert case.built == Built({"name": "ann"})


def test_a_class_without_a_python_init_starts_its_record_at_its_first_change(
    tmp_path: Path, backend: str
) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import NoInit
        n = NoInit()
        n.mark("a")
        n.mark("b")
        """,
    )
    capture(project, "shop.NoInit.mark", backend=backend)
    first, second = cases(project, "NoInit.mark")
    assert first.built is None  # nothing seen of it yet
    assert second.built == Built(None, (Step("mark", {"name": "a"}),))


def test_a_secret_passed_to_init_is_redacted_there_and_in_the_instance_cases(
    tmp_path: Path, backend: str
) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Cart
        Cart("ann", password="hunter2-sesame").add("mug")
        """,
    )
    capture(project, "shop.Cart.add", backend=backend)
    text = (project / "call_logs/shop/Cart.add.yaml").read_text()
    assert "hunter2" not in text
    (case,) = cases(project, "Cart.add")
    assert case.built is not None and case.built.args is not None
    assert isinstance(case.built.args["password"], Tagged)
    assert case.built.args["password"].tag == "redacted"


# -- history ----------------------------------------------------------------------------------


def test_the_calls_that_changed_the_instance_are_its_history(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Cart
        cart = Cart("ann")
        cart.add("mug", 2)
        cart.count("mug")            # changes nothing: not a step
        cart.add("pen")
        try:
            cart.remove("pen", 3)    # raises, having changed the cart: a step
        except ValueError:
            pass
        cart.refill("cup")           # its inner add is part of it
        cart.count("cup")
        """,
    )
    capture(project, "shop.Cart", backend=backend)
    (*_, last) = cases(project, "Cart.count")
    assert last.built is not None and last.built.args == {"owner": "ann"}
    assert calls(last.built) == [
        ("add", {"sku": "mug", "quantity": 2}, None),
        ("add", {"sku": "pen"}, None),
        ("remove", {"sku": "pen", "quantity": 3}, "builtins.ValueError"),
        ("refill", {"sku": "cup"}, None),
    ]
    first_count = cases(project, "Cart.count")[0]
    assert calls(first_count.built) == [("add", {"sku": "mug", "quantity": 2}, None)]
    inner = next(c for c in cases(project, "Cart.add") if c.args == {"sku": "cup", "quantity": 5})
    assert calls(inner.built)[-1][0] == "remove"  # what the cart had when refill started


def test_a_repeated_call_is_a_step_each_time(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Slotted
        for start in (0, 0):
            s = Slotted(start)
            s.bump()
        t = Slotted(5)
        t.bump()
        t.bump()
        """,
    )
    capture(project, "shop.Slotted.bump", backend=backend)
    first, _, third = cases(project, "Slotted.bump")  # the second Slotted(0) is a duplicate
    assert first.built == Built({"value": 0})
    assert third.built == Built({"value": 5}, (Step("bump", {}),))


def test_instances_in_two_threads_keep_their_own_histories(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        import threading
        from shop import Base

        def work(name):
            item = Base(name)
            for i in range(5):
                item.note(f"{name}{i}")

        threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        """,
    )
    capture(project, "shop.Base.note", backend=backend)
    for case in cases(project, "Base.note"):
        assert case.built is not None and case.built.args is not None
        name = case.built.args["name"]
        index = int(str(case.args["text"])[1:])
        assert calls(case.built) == [("note", {"text": f"{name}{i}"}, None) for i in range(index)]


def test_a_history_longer_than_the_cap_is_not_written(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        f"""
        from shop import Base
        item = Base("ann")
        for i in range({MAX_CALLS + 2}):
            item.note(str(i))
        """,
    )
    capture(project, "shop.Base.note", backend=backend)
    found = cases(project, "Base.note")
    assert [len(case.built.calls) for case in found[: MAX_CALLS + 1] if case.built] == list(
        range(MAX_CALLS + 1)
    )
    assert found[MAX_CALLS + 1].built is None


def test_arguments_that_are_recorded_instances_say_how_they_were_built(
    tmp_path: Path, backend: str
) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Cart, total
        cart = Cart("ann")
        cart.add("mug", 2)
        total(cart, extra=1)
        """,
    )
    capture(project, "shop.Cart.add", "shop.total", backend=backend)
    (case,) = cases(project, "total")
    assert case.args_built == {
        "cart": Built({"owner": "ann"}, (Step("add", {"sku": "mug", "quantity": 2}),))
    }


def test_the_same_program_gives_the_same_bytes(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Cart
        for owner in ("ann", "bob"):
            cart = Cart(owner)
            cart.add("mug")
            cart.add("pen", 2)
        """,
    )
    capture(project, "shop.Cart.add", backend=backend)
    first = (project / "call_logs/shop/Cart.add.yaml").read_text()
    assert "built:" in first
    capture(project, "shop.Cart.add", backend=backend)
    assert (project / "call_logs/shop/Cart.add.yaml").read_text() == first


# -- the program is not changed ------------------------------------------------------------------

UNCHANGED = """
import traceback
from shop import Base, Cart

init = Cart.__init__
code = init.__code__
print(init.__name__, init.__qualname__, init.__defaults__, init.__kwdefaults__)
try:
    Cart()
except TypeError as exc:
    print("TypeError", exc)
try:
    Cart("x", discount=-1)  # raised by the observed __init__ itself
except ValueError as exc:
    frames = traceback.extract_tb(exc.__traceback__)
    print("ValueError", exc.args, [(frame.name, frame.lineno) for frame in frames])
for i in range(4):
    cart = Cart(f"o{i}")
    print(cart.add("mug", i), cart.count("mug"))
print(Cart.__init__ is init)
print("code restored", init.__code__ is not code)  # every target closed: unobserved again

class Broken(Base):
    def __init__(self, name):
        super().__init__(name)
        raise KeyError(name)

try:
    Broken("x")
except KeyError as exc:
    print("KeyError", exc.args, type(exc).__name__)
    print(traceback.extract_tb(exc.__traceback__)[-1].name)
"""


def test_observing_constructors_changes_nothing_the_program_sees(
    tmp_path: Path, backend: str
) -> None:
    project = project_with(tmp_path, UNCHANGED)
    bare = run_python("main.py", cwd=project)
    assert bare.returncode == 0, bare.stderr
    targets = ("shop.Cart.add", "shop.Cart.count", "shop.Base")
    # Not exploring past the limit: every target is closed by the end.
    traced = capture(project, *targets, backend=backend, limit=2, PYTEAD_EXPLORE_CASES="0")
    assert traced.replace("code restored True", "code restored False") == bare.stdout
    assert "code restored True" in traced
    assert len(cases(project, "Cart.add")) == 2


def test_the_decorator_records_how_instances_are_built(tmp_path: Path, backend: str) -> None:
    (tmp_path / "shop.py").write_text(
        textwrap.dedent(
            """
            import pytead

            class Counter:
                def __init__(self, start=0):
                    self.value = start

                @pytead.trace
                def bump(self, by=1):
                    self.value += by
                    return self.value
            """
        )
    )
    (tmp_path / "main.py").write_text(
        "from shop import Counter\n"
        "first = Counter()\nfirst.bump()\nfirst.bump(2)\n"  # seen built only from its first call
        "second = Counter(start=7)\nsecond.bump(3)\nsecond.bump(4)\n"
    )
    done = run_python("main.py", cwd=tmp_path, backend=backend)
    assert done.returncode == 0, done.stderr
    found = cases(tmp_path, "Counter.bump")
    assert [case.built for case in found] == [
        None,
        Built(None, (Step("bump", {}),)),
        Built({"start": 7}),
        Built({"start": 7}, (Step("bump", {"by": 3}),)),
    ]


def test_the_pytest_plugin_records_how_instances_are_built(tmp_path: Path) -> None:
    project = project_with(tmp_path, "")
    (project / "test_shop.py").write_text(
        "from shop import Cart\n\n\ndef test_cart():\n"
        "    cart = Cart('ann')\n    cart.add('mug')\n    assert cart.add('mug') == 2\n"
    )
    done = run_python(
        "-m", "pytest", "-p", "no:cacheprovider", "--pytead-trace", "shop.Cart.add",
        "test_shop.py", cwd=project,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    assert [case.built for case in cases(project, "Cart.add")] == [
        Built({"owner": "ann"}),
        Built({"owner": "ann"}, (Step("add", {"sku": "mug"}),)),
    ]


# -- the record of instances ------------------------------------------------------------------


class Thing:
    pass


class Tight:
    __slots__ = ("n",)


def noted(instances: Instances, obj: object, args: dict[str, Any]) -> None:
    """A construction noted, then its arguments encoded, as the recorder does."""
    instances.constructed(obj, dict(args))
    assert instances.take_raw(obj) == args
    instances.encoded(obj, args, ())


def test_a_dead_instance_record_goes_away() -> None:
    instances = Instances()
    thing = Thing()
    noted(instances, thing, {"a": 1})
    assert instances.built(thing) == Built({"a": 1})
    del thing
    gc.collect()
    assert len(instances) == 0


def test_a_reused_id_is_not_taken_for_the_dead_object() -> None:
    instances = Instances()
    tight = Tight()
    noted(instances, tight, {"a": 1})  # no weak reference: kept by id and type
    other_type = object.__new__(Thing)
    instances._records[id(other_type)] = instances._records.pop(id(tight))
    assert instances.built(other_type) is None  # another type at that id: a stale record
    assert len(instances) == 0


def test_objects_without_weak_references_are_bounded_oldest_first() -> None:
    instances = Instances(capacity=3)
    kept = [Tight() for _ in range(5)]
    for index, tight in enumerate(kept):
        noted(instances, tight, {"i": index})
    assert len(instances) == 3
    assert [instances.built(t) for t in kept[:2]] == [None, None]
    assert instances.built(kept[4]) == Built({"i": 4})


def test_the_record_is_safe_across_threads() -> None:
    instances = Instances()
    things = [Thing() for _ in range(4)]
    for thing in things:
        noted(instances, thing, {})

    def work(thing: Thing) -> None:
        for _ in range(MAX_CALLS):
            instances.add_step(thing, Step("go", {}))

    threads = [threading.Thread(target=work, args=(thing,)) for thing in things]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(len(instances.built(t).calls) == MAX_CALLS for t in things)  # type: ignore[union-attr]


def test_a_base_init_builds_only_the_instances_whose_class_resolves_to_it(tmp_path: Path) -> None:
    (tmp_path / "shop.py").write_text(SHOP)
    spec = importlib.util.spec_from_file_location("built_shop", tmp_path / "shop.py")
    assert spec is not None and spec.loader is not None
    shop = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shop)
    base, sub, plain = shop.Base, shop.Sub, shop.Plain
    state = TargetState(
        TargetInfo("shop.Base.note", "shop", "Base.note", "method"),
        limit=5,
        journal=None,  # type: ignore[arg-type]
        receiver=True,
    )
    constructor = Constructor(base.__init__)
    constructor.add(base, state)
    assert constructor.builds(plain("a"))
    assert constructor.builds(base("a"))
    assert not constructor.builds(sub("a"))  # its own __init__ builds it; Base's is a part
    state.closed = True
    assert constructor.closed and not constructor.builds(base("a"))


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_a_forked_child_keeps_what_the_parent_saw(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        import os
        from shop import Cart
        cart = Cart("ann")
        cart.add("mug")
        pid = os.fork()
        if pid == 0:
            cart.add("pen")
            os._exit(0)
        os.waitpid(pid, 0)
        """,
    )
    capture(project, "shop.Cart.add", backend=backend)
    (child,) = [case for case in cases(project, "Cart.add") if case.args == {"sku": "pen"}]
    assert child.built == Built({"owner": "ann"}, (Step("add", {"sku": "mug"}),))


def test_replay_update_keeps_how_instances_were_built(tmp_path: Path, backend: str) -> None:
    project = project_with(
        tmp_path,
        """
        from shop import Cart
        cart = Cart("ann")
        cart.add("mug")
        cart.add("mug")
        """,
    )
    capture(project, "shop.Cart.add", backend=backend)
    before = [case.built for case in cases(project, "Cart.add")]
    source = (project / "shop.py").read_text()
    (project / "shop.py").write_text(source.replace("+ quantity", "+ 2 * quantity"))
    updated = run_pytead("replay", "--update", "shop.Cart.add", cwd=project)
    assert updated.returncode == 0, updated.stderr
    after = cases(project, "Cart.add")
    assert [case.outcome.value for case in after] == [2, 3]  # type: ignore[union-attr]
    assert [case.built for case in after] == before
    assert before[1] == Built({"owner": "ann"}, (Step("add", {"sku": "mug"}),))


class Box:
    def __init__(self, n: int) -> None:
        self.n = n


class _Failing(Constructor):
    def builds(self, obj: object) -> bool:
        raise RuntimeError("broken inside pytead")


def test_a_failure_while_recording_a_construction_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder(Config())
    constructor = _Failing(Box.__init__)  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="pytead"):
        for _ in range(3):
            recorder.constructed(constructor, {"self": Box(1), "n": 1})
    (message,) = [r.getMessage() for r in caplog.records if "could not record" in r.getMessage()]
    assert "broken inside pytead" in message and "went on" in message
    assert len(recorder.instances) == 0


SHELF = '''
class Shelf:
    """A mapping that counts what it holds, as caches and config objects do."""

    def __init__(self, size):
        self.size = size
        self.slots = {}

    def __setitem__(self, key, value):
        if len(self.slots) >= self.size and key not in self.slots:
            raise KeyError(f"full: {key}")
        self.slots[key] = value

    def __delitem__(self, key):
        del self.slots[key]

    def pop(self, key):
        return self.slots.pop(key)
'''


def test_item_assignments_are_steps_a_test_replays(tmp_path: Path, backend: str) -> None:
    """``shelf["a"] = 1`` is how a program fills a mapping: a generated test does the same."""
    (tmp_path / "shelf.py").write_text(SHELF)
    (tmp_path / "main.py").write_text(
        "from shelf import Shelf\n"
        "shelf = Shelf(2)\nshelf['a'] = 1\nshelf['b'] = 2\ndel shelf['a']\nprint(shelf.pop('b'))\n"
    )
    targets = ("shelf.Shelf.__setitem__", "shelf.Shelf.__delitem__", "shelf.Shelf.pop")
    done = run_pytead("run", *targets, "--", "main.py", cwd=tmp_path, backend=backend)
    assert done.returncode == 0, done.stderr
    assert run_pytead("gen-tests", cwd=tmp_path).returncode == 0
    text = (tmp_path / "tests" / "test_pytead_generated.py").read_text()
    setup = (
        "    shelf = Shelf(size=2)\n"
        '    shelf["a"] = 1\n'
        '    shelf["b"] = 2\n'
        '    del shelf["a"]\n'
        '    assert shelf.pop("b") == 2\n'
    )
    assert setup in text
    assert "rebuild" not in text and "fixture_value" not in text
    assert run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=tmp_path).returncode == 0
