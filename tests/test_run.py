"""`pytead run` end to end: what lands in the store; a traced program behaves as untraced."""

from __future__ import annotations

import signal
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import run_pytead, run_python

from pytead._codec import Tagged, decode
from pytead._model import Fixture, Raised, Returned
from pytead._store import load_fixture


def fixture(project: Path, name: str) -> Fixture:
    module, _, qualname = name.partition(".")
    return load_fixture(project / "call_logs" / module / f"{qualname}.yaml")


def outcomes(found: Fixture) -> dict[str, object]:
    """args (decoded) -> returned value or (exception type, message)."""
    result: dict[str, object] = {}
    for case in found.cases:
        key = repr(decode(case.args))
        if isinstance(case.outcome, Returned):
            result[key] = decode(case.outcome.value)
        else:
            assert isinstance(case.outcome, Raised)
            result[key] = (case.outcome.short_type, case.outcome.message)
    return result


@pytest.mark.parametrize("code", [0, 3])
def test_sample_app_is_recorded_into_one_readable_fixture_per_target(
    sample_project: Path, backend: str, code: int
) -> None:
    plain = run_python("main.py", str(code), cwd=sample_project)
    traced = run_pytead(
        "run", "shop", "--", "main.py", str(code), cwd=sample_project, backend=backend
    )
    assert traced.returncode == plain.returncode == code
    assert traced.stdout == plain.stdout
    assert "pytead: recorded 14 new case(s) of 8 target(s)" in traced.stderr

    add = fixture(sample_project, "shop.add")
    assert outcomes(add) == {"{'a': 2, 'b': 3}": 5, "{'a': 5}": 6}  # the default is left out
    assert {c.seen for c in add.cases} == {None}  # counts only with --stats
    assert add.target.signature == "(a: int, b: int = 1) -> int"

    assert outcomes(fixture(sample_project, "shop.group_by_initial")) == {
        "{'words': ['apple', 'avocado', 'banana']}": {"a": ["apple", "avocado"], "b": ["banana"]}
    }
    window = fixture(sample_project, "shop.delivery_window")
    text = (sample_project / "call_logs/shop/delivery_window.yaml").read_text()
    assert "!datetime" in text and "!tuple" in text
    (returned,) = outcomes(window).values()
    assert [d.day for d in returned] == [3, 6]  # type: ignore[attr-defined]

    assert outcomes(fixture(sample_project, "shop.parse_quantity")) == {
        "{'text': '3'}": 3,
        "{'text': '0'}": ("ValueError", "quantity must be positive, got 0"),
        "{'text': 'x'}": ("ValueError", "invalid literal for int() with base 10: 'x'"),
    }

    cart = fixture(sample_project, "shop.Cart.add")
    assert cart.target.kind == "method"
    states = [
        (c.self.value["state"], c.args, c.self_after)  # type: ignore[index]
        for c in cart.cases
        if isinstance(c.outcome, Returned) and isinstance(c.self, Tagged)
    ]
    assert ({"items": {}}, {"sku": "apple", "qty": 2}, {"items": {"apple": 2}}) in states
    assert (
        {"items": {"apple": 2, "pear": 1}},
        {"sku": "apple"},
        {"items": {"apple": 3, "pear": 1}},
    ) in states
    assert any(
        isinstance(c.outcome, Raised) and c.outcome.message == "empty sku" for c in cart.cases
    )

    total = fixture(sample_project, "shop.line_total")
    assert "type: shop.Item" in (sample_project / "call_logs/shop/line_total.yaml").read_text()
    assert [
        str(decode(c.outcome.value)) for c in total.cases if isinstance(c.outcome, Returned)
    ] == ["29.97"]

    countdown = fixture(sample_project, "shop.countdown")
    assert countdown.target.is_generator and countdown.cases[0].yields == [3, 2, 1]

    price = fixture(sample_project, "shop.fetch_price")
    assert price.target.is_async and outcomes(price) == {
        "{'sku': 'apple'}": __import__("decimal").Decimal("9.99")
    }


def test_capturing_again_merges_instead_of_duplicating(sample_project: Path) -> None:
    for _ in range(2):
        traced = run_pytead("run", "--stats", "shop.add", "--", "main.py", cwd=sample_project)
        assert traced.returncode == 0
    cases = fixture(sample_project, "shop.add").cases
    assert len(cases) == 2
    assert sorted(c.seen for c in cases) == [2, 4]


def test_limit_keeps_the_first_distinct_cases(sample_project: Path) -> None:
    result = run_pytead(
        "run", "-l", "1", "shop.parse_quantity", "--", "main.py", cwd=sample_project,
        PYTEAD_EXPLORE_CASES="0",  # the limit alone
    )  # fmt: skip
    assert result.returncode == 0
    assert outcomes(fixture(sample_project, "shop.parse_quantity")) == {"{'text': '3'}": 3}


SCRIPT_REPORTING_ITS_WORLD = """
import os, sys
print("argv", sys.argv)
print("path0", sys.path[0])
print("name", __name__, __file__)
print("main", sys.modules["__main__"].__dict__ is globals())
print("stdin", sys.stdin.read().strip())
import shop
print(shop.add(1, 1))
"""


def test_program_sees_what_python_shows_it(sample_project: Path, backend: str) -> None:
    (sample_project / "sub").mkdir()
    (sample_project / "sub" / "world.py").write_text(SCRIPT_REPORTING_ITS_WORLD)
    (sample_project / "sub" / "shop.py").write_text((sample_project / "shop.py").read_text())
    plain = run_python("sub/world.py", "x", "--flag", cwd=sample_project, stdin="hello")
    traced = run_pytead(
        "run",
        "shop.add",
        "--",
        "sub/world.py",
        "x",
        "--flag",
        cwd=sample_project,
        stdin="hello",
        backend=backend,
    )
    assert traced.stdout == plain.stdout
    assert "argv ['sub/world.py', 'x', '--flag']" in traced.stdout
    assert (sample_project / "call_logs/shop/add.yaml").is_file()


def test_the_seed_form_with_python_before_the_script_works(sample_project: Path) -> None:
    traced = run_pytead("run", "shop.add", "--", "python3", "main.py", "3", cwd=sample_project)
    assert traced.returncode == 3


def test_module_mode_runs_like_python_dash_m(sample_project: Path) -> None:
    (sample_project / "tool.py").write_text(
        "import sys, shop\nprint(sys.argv[1:], __name__, shop.add(1, 2))\n"
    )
    plain = run_python("-m", "tool", "a", cwd=sample_project)
    traced = run_pytead("run", "shop.add", "--", "-m", "tool", "a", cwd=sample_project)
    assert traced.stdout == plain.stdout == "['a'] __main__ 3\n"
    assert outcomes(fixture(sample_project, "shop.add")) == {"{'a': 1, 'b': 2}": 3}


def test_tracing_a_test_suite_with_dash_m_pytest(sample_project: Path) -> None:
    (sample_project / "test_shop.py").write_text(
        "from shop import add\n\ndef test_add():\n    assert add(20, 22) == 42\n"
    )
    traced = run_pytead(
        "run",
        "shop.add",
        "--",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "test_shop.py",
        cwd=sample_project,
    )
    assert traced.returncode == 0, traced.stdout + traced.stderr
    assert "1 passed" in traced.stdout
    assert outcomes(fixture(sample_project, "shop.add")) == {"{'a': 20, 'b': 22}": 42}


def test_uncaught_exception_prints_the_same_traceback_and_exits_1(
    sample_project: Path, backend: str
) -> None:
    (sample_project / "boom.py").write_text(
        "import shop\n\ndef go():\n    shop.parse_quantity('-1')\n\ngo()\n"
    )
    plain = run_python("boom.py", cwd=sample_project)
    traced = run_pytead(
        "run", "-q", "shop.parse_quantity", "--", "boom.py", cwd=sample_project, backend=backend
    )
    assert traced.returncode == plain.returncode == 1
    plain_lines = [line for line in plain.stderr.splitlines() if "pytead" not in line]
    traced_lines = [line for line in traced.stderr.splitlines() if "pytead" not in line]
    assert traced_lines == plain_lines
    assert (
        "raised: {type: ValueError"
        in (sample_project / "call_logs/shop/parse_quantity.yaml").read_text()
    )


def test_sys_exit_with_a_message_behaves_as_in_python(sample_project: Path) -> None:
    (sample_project / "leave.py").write_text("import sys, shop\nshop.add(1)\nsys.exit('bye now')\n")
    traced = run_pytead("run", "-q", "shop.add", "--", "leave.py", cwd=sample_project)
    assert traced.returncode == 1 and traced.stderr.strip() == "bye now"
    assert (sample_project / "call_logs/shop/add.yaml").is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_ends_the_program_by_sigint_and_keeps_the_calls(sample_project: Path) -> None:
    (sample_project / "interrupted.py").write_text(
        "import shop\nshop.add(1)\nraise KeyboardInterrupt\n"
    )
    plain = run_python("interrupted.py", cwd=sample_project)
    traced = run_pytead("run", "shop.add", "--", "interrupted.py", cwd=sample_project)
    assert traced.returncode == plain.returncode == -signal.SIGINT
    assert "KeyboardInterrupt" in traced.stderr
    assert (sample_project / "call_logs/shop/add.yaml").is_file()


def test_unknown_target_fails_before_the_program_starts(sample_project: Path) -> None:
    (sample_project / "side_effect.py").write_text("open('started', 'w').close()\n")
    traced = run_pytead("run", "shop.ad", "--", "side_effect.py", cwd=sample_project)
    assert traced.returncode == 2
    assert traced.stderr.strip() == "pytead: error: shop.ad: 'ad' not found; did you mean shop.add?"
    assert not (sample_project / "started").exists()
    unknown_module = run_pytead("run", "shopp.add", "--", "side_effect.py", cwd=sample_project)
    assert unknown_module.returncode == 2 and "did you mean shop" in unknown_module.stderr


def test_missing_script_is_one_line_and_exit_2(sample_project: Path) -> None:
    traced = run_pytead("run", "shop.add", "--", "nope.py", cwd=sample_project)
    assert traced.returncode == 2
    assert (
        traced.stderr.strip() == "pytead: error: nope.py: no such script; check the path after --"
    )
    assert run_pytead("run", "shop.add", cwd=sample_project).returncode == 2  # no "--" at all


def test_a_target_in_the_script_itself_is_refused(sample_project: Path) -> None:
    traced = run_pytead("run", "main.helper", "--", "main.py", cwd=sample_project)
    assert traced.returncode == 2 and "runs as __main__" in traced.stderr


def write_package(project: Path) -> None:
    pkg = project / "pkg"
    pkg.mkdir()
    (pkg / "_impl.py").write_text("def f(x):\n    return x * 10\n")
    (pkg / "__init__.py").write_text("from pkg._impl import f\nfrom pkg.pkg import pkg\n")
    (pkg / "pkg.py").write_text("def pkg(x):\n    return -x\n")
    (pkg / "late.py").write_text("def lazy_use(x):\n    from pkg import f\n    return f(x)\n")


def test_a_target_is_traced_under_every_name_it_is_reachable_by(
    sample_project: Path, backend: str
) -> None:
    write_package(sample_project)
    (sample_project / "names.py").write_text(
        textwrap.dedent(
            """
            import pkg, pkg._impl
            from pkg import f as alias
            print(pkg.f(1), pkg._impl.f(2), alias(3))
            import pkg.late
            print(pkg.late.lazy_use(4))
            print(pkg.pkg(5))
            """
        )
    )
    traced = run_pytead(
        "run", "pkg._impl.f", "pkg.pkg", "--", "names.py", cwd=sample_project, backend=backend
    )
    assert traced.returncode == 0, traced.stderr
    assert outcomes(load_fixture(sample_project / "call_logs/pkg/_impl/f.yaml")) == {
        "{'x': 1}": 10,
        "{'x': 2}": 20,
        "{'x': 3}": 30,
        "{'x': 4}": 40,
    }
    # `pkg.pkg` is what `import pkg; pkg.pkg` gives: the function, not the submodule.
    assert outcomes(load_fixture(sample_project / "call_logs/pkg/pkg.yaml")) == {"{'x': 5}": -5}


def test_bound_method_of_a_module_instance_is_recorded_by_its_public_name(
    sample_project: Path, backend: str
) -> None:
    (sample_project / "dice.py").write_text(
        "import random\nfrom random import randint\nrandom.seed(1)\n"
        "print([randint(1, 6) for _ in range(20)])\n"
    )
    plain = run_python("dice.py", cwd=sample_project)
    traced = run_pytead(
        "run", "random.randint", "--", "dice.py", cwd=sample_project, backend=backend
    )
    assert traced.stdout == plain.stdout  # same random stream: pytead draws nothing itself
    found = load_fixture(sample_project / "call_logs/random/randint.yaml")
    assert found.target.name == "random.randint" and found.target.kind == "function"
    assert found.cases[0].args == {"a": 1, "b": 6} and found.cases[0].self is None
    assert found.cases[0].nondeterministic  # same inputs, different results
    assert len(found.cases[0].other_outcomes) == 1  # one example of each kind of outcome
    refused = run_pytead("replay", "random.randint", cwd=sample_project)
    assert refused.returncode == 2  # not the project's code: it must be trusted to be called
    assert 'add "random" to [tool.pytead] trusted-types' in refused.stderr
    (sample_project / "pyproject.toml").write_text('[tool.pytead]\ntrusted-types = ["random"]\n')
    for _ in range(3):  # any int is the behaviour recorded: a fresh draw is not a change
        assert run_pytead("replay", "random.randint", cwd=sample_project).returncode == 0


def test_recursion_records_only_the_outermost_call(sample_project: Path, backend: str) -> None:
    (sample_project / "rec.py").write_text(
        "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\n"
    )
    (sample_project / "use_rec.py").write_text("from rec import fact\nprint(fact(5), fact(3))\n")
    assert (
        run_pytead(
            "run", "rec.fact", "--", "use_rec.py", cwd=sample_project, backend=backend
        ).returncode
        == 0
    )
    assert outcomes(load_fixture(sample_project / "call_logs/rec/fact.yaml")) == {
        "{'n': 5}": 120,
        "{'n': 3}": 6,
    }
    (sample_project / "call_logs").rename(sample_project / "outermost")
    nested = ("run", "--nested-calls", "rec.fact", "--", "use_rec.py")
    assert run_pytead(*nested, cwd=sample_project, backend=backend).returncode == 0
    recorded = outcomes(load_fixture(sample_project / "call_logs/rec/fact.yaml"))
    assert recorded == {f"{{'n': {n}}}": [1, 1, 2, 6, 24, 120][n] for n in range(1, 6)}


def test_mutated_arguments_and_secrets(sample_project: Path, backend: str) -> None:
    (sample_project / "mut.py").write_text(
        "def push(stack, item):\n    stack.append(item)\n    return len(stack)\n\n"
        "def login(user, password):\n    return user.upper()\n"
    )
    (sample_project / "use_mut.py").write_text(
        "import mut\nmut.push([1], 2)\nmut.login('ann', 'hunter2')\n"
    )
    assert (
        run_pytead("run", "mut", "--", "use_mut.py", cwd=sample_project, backend=backend).returncode
        == 0
    )
    push = load_fixture(sample_project / "call_logs/mut/push.yaml").cases[0]
    assert push.args == {"stack": [1], "item": 2} and push.args_after == {"stack": [1, 2]}
    text = (sample_project / "call_logs/mut/login.yaml").read_text()
    assert "hunter2" not in text and "password: !redacted" in text
    assert not load_fixture(sample_project / "call_logs/mut/login.yaml").cases[0].replayable


def test_generators_are_recorded_as_far_as_the_program_consumed_them(
    sample_project: Path, backend: str
) -> None:
    (sample_project / "partial.py").write_text(
        "from shop import countdown\nit = countdown(5)\nprint(next(it), next(it))\n"
        "it.close()\nprint(list(countdown(2)))\n"
    )
    traced = run_pytead(
        "run", "shop.countdown", "--", "partial.py", cwd=sample_project, backend=backend
    )
    assert traced.stdout == "5 4\n[2, 1]\n"
    cases = {c.args["n"]: c for c in fixture(sample_project, "shop.countdown").cases}  # type: ignore[index]
    assert cases[5].yields == [5, 4] and not cases[5].complete
    assert cases[2].yields == [2, 1] and cases[2].complete


def test_list_show_and_clean(sample_project: Path) -> None:
    traced = run_pytead("run", "--stats", "shop", "--", "main.py", cwd=sample_project)
    assert traced.returncode == 0
    listing = run_pytead("list", cwd=sample_project)
    assert listing.returncode == 0
    assert "shop.Cart.add" in listing.stdout and "4 case(s)" in listing.stdout
    shown = run_pytead("show", "shop.add", cwd=sample_project)
    assert "add(a=2, b=3) -> 5  (seen 2x)" in shown.stdout
    assert "rejected" not in shown.stdout
    raw = run_pytead("show", "--yaml", "shop.parse_quantity", cwd=sample_project)
    assert "raised:" in raw.stdout
    assert run_pytead("show", "nothing.here", cwd=sample_project).returncode == 2
    cleaned = run_pytead("clean", "shop.add", cwd=sample_project)
    assert "removed" in cleaned.stdout and not (sample_project / "call_logs/shop/add.yaml").exists()
    assert (sample_project / "call_logs/shop/countdown.yaml").exists()
    run_pytead("clean", cwd=sample_project)
    assert not (sample_project / "call_logs").exists()


def test_a_failure_inside_pytead_never_reaches_the_program(
    sample_project: Path, backend: str
) -> None:
    (sample_project / "odd.py").write_text(
        "class Odd:\n"
        "    def __getstate__(self):\n        raise RuntimeError('no state for you')\n"
        "    def __repr__(self):\n        raise RuntimeError('no repr either')\n\n"
        "def keep(x):\n    return 'kept'\n"
    )
    (sample_project / "use_odd.py").write_text("import odd\nprint(odd.keep(odd.Odd()))\n")
    traced = run_pytead("run", "odd.keep", "--", "use_odd.py", cwd=sample_project, backend=backend)
    assert traced.returncode == 0 and traced.stdout == "kept\n"
    (case,) = load_fixture(sample_project / "call_logs/odd/keep.yaml").cases
    assert isinstance(case.args["x"], Tagged) and case.args["x"].tag == "opaque"
    assert case.args["x"].value["why"] == "reading it raised RuntimeError: no state for you"  # type: ignore[index,call-overload]
    assert case.args["x"].value["repr"] == "<repr failed: RuntimeError>"  # type: ignore[index,call-overload]


def test_a_corrupted_fixture_is_one_line_with_file_and_line_and_exit_2(
    sample_project: Path,
) -> None:
    broken = sample_project / "call_logs" / "shop" / "add.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "pytead: 1\ntarget: shop.add\nmodule: shop\ncases:\n- id: x\n  args: {a: [1}\n"
    )
    listing = run_pytead("list", cwd=sample_project)
    assert listing.returncode == 2
    (line,) = listing.stderr.splitlines()
    assert line.startswith(f"pytead: error: {Path('call_logs/shop/add.yaml')}:6: ")
    assert broken.read_text().endswith("{a: [1}\n")  # nothing rewritten
