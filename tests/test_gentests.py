"""`pytead gen-tests` and `pytead replay` on the sample app: tests that pass, fail on regressions,
read well, satisfy the linters, and stay in step with their fixtures."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import run_pytead, run_python, run_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import values

from pytead._codec import Encoder
from pytead._model import Case, Fixture, Returned, TargetInfo
from pytead._store import load_fixture
from pytead._testgen import ModuleWriter

STYLES = {"plain": [], "parametrize": ["--parametrize"]}


def plain_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tool("pytest", "-q", "-p", "no:cacheprovider", *args, cwd=project)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample app with its calls recorded once for the whole module."""
    from conftest import SAMPLE_APP

    project = tmp_path_factory.mktemp("recorded") / "project"
    shutil.copytree(SAMPLE_APP, project, ignore=shutil.ignore_patterns("__pycache__"))
    # A threshold low enough that a two-entry dict of lists goes to a snapshot, so that the
    # snapshots written for this small app are checked too.
    (project / "pyproject.toml").write_text("[tool.pytead]\nsnapshot-threshold = 40\n")
    assert run_pytead("run", "shop", "--", "main.py", cwd=project).returncode == 0
    return project


@pytest.fixture(params=sorted(STYLES))
def style(request: pytest.FixtureRequest) -> list[str]:
    """The gen-tests options of each style."""
    return STYLES[request.param]


@pytest.fixture
def generated(style: list[str], recorded: Path, tmp_path: Path) -> Path:
    """A copy of the recorded project with tests generated in one style."""
    project = tmp_path / "project"
    shutil.copytree(recorded, project)
    result = run_pytead("gen-tests", *style, cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def test_generated_tests_pass_against_unchanged_code(generated: Path) -> None:
    result = plain_pytest(generated)
    assert result.returncode == 0, result.stdout
    assert "failed" not in result.stdout and "snapshots passed" in result.stdout
    assert "unused" not in result.stdout


def test_generated_code_is_formatted_and_lint_clean(generated: Path) -> None:
    tests = generated / "tests"
    assert (
        run_tool("ruff", "format", "--isolated", "--check", str(tests), cwd=generated).returncode
        == 0
    )
    lint = run_tool("ruff", "check", "--isolated", str(tests), cwd=generated)
    assert lint.returncode == 0, lint.stdout


def test_the_generated_module_reads_like_hand_written_tests(recorded: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(recorded, project)
    run_pytead("gen-tests", cwd=project)
    text = (project / "tests/test_pytead_generated.py").read_text()
    assert "#   call_logs/shop/add.yaml" in text  # the header names the fixtures
    assert "def test_add_2_3():\n    assert add(2, 3) == 5\n" in text
    assert "def test_add_5():\n    assert add(5) == 6\n" in text
    assert 'with pytest.raises(ValueError, match=r"^quantity must be positive, got 0$"):' in text
    assert 'assert asyncio.run(fetch_price("apple")) == Decimal("9.99")' in text
    assert "assert list(countdown(3)) == [3, 2, 1]" in text
    assert 'assert cart.items == {"apple": 2}' in text and "vars(cart)" not in text
    assert "def test_group_by_initial_3_items(snapshot):" in text
    assert "def test_parse_quantity_0_raises_value_error():" in text
    assert str(project) not in text  # no absolute paths


def test_parametrized_style_uses_readable_ids(recorded: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(recorded, project)
    run_pytead("gen-tests", "--parametrize", cwd=project)
    text = (project / "tests/test_pytead_generated.py").read_text()
    # add(2, 3) and add(5) passed different arguments: no table, and no default written
    assert "def test_add_2_3():\n    assert add(2, 3) == 5\n" in text
    assert "def test_add_5():\n    assert add(5) == 6\n" in text
    assert '@pytest.mark.parametrize(\n    ("text", "error", "pattern"),' in text
    assert 'id="0"' in text and 'id="x"' in text
    assert "def test_parse_quantity_raises(text, error, pattern):" in text


REGRESSIONS = {
    "arithmetic operator": ("return a + b", "return a - b"),
    "returned field": ("groups.setdefault(word[0], [])", "groups.setdefault(word[:2], [])"),
    "exception message": (
        'f"quantity must be positive, got {quantity}"',
        'f"quantity must be > 0, got {quantity}"',
    ),
    "method state update": ("self.items.get(sku, 0) + qty", "self.items.get(sku, 0) + qty * 2"),
}


@pytest.mark.parametrize("regression", sorted(REGRESSIONS))
def test_each_regression_makes_a_generated_test_fail(generated: Path, regression: str) -> None:
    before, after = REGRESSIONS[regression]
    shop = generated / "shop.py"
    assert before in shop.read_text()
    shop.write_text(shop.read_text().replace(before, after))
    result = plain_pytest(generated)
    assert result.returncode == 1, result.stdout
    assert " failed" in result.stdout


def test_snapshots_match_what_syrupy_writes_itself(generated: Path) -> None:
    ours = {p.name: p.read_text() for p in (generated / "tests/__snapshots__").glob("*.ambr")}
    assert ours, "complex return values should be asserted with snapshots"
    shutil.rmtree(generated / "tests/__snapshots__")
    assert plain_pytest(generated, "--snapshot-update").returncode == 0
    theirs = {p.name: p.read_text() for p in (generated / "tests/__snapshots__").glob("*.ambr")}
    assert theirs == ours


def test_check_passes_after_generation_and_fails_once_a_fixture_changes(
    generated: Path, style: list[str]
) -> None:
    assert run_pytead("gen-tests", *style, "--check", cwd=generated).returncode == 0
    fixture = generated / "call_logs/shop/add.yaml"
    fixture.write_text(fixture.read_text().replace("returned: 5", "returned: 7"))
    stale = run_pytead("gen-tests", *style, "--check", cwd=generated)
    assert stale.returncode == 1
    assert "stale: tests/test_pytead_generated.py" in stale.stderr


def test_same_fixtures_give_byte_identical_output(recorded: Path, tmp_path: Path) -> None:
    outputs = []
    for attempt in range(2):
        project = tmp_path / f"p{attempt}"
        shutil.copytree(recorded, project)
        run_pytead("gen-tests", "--parametrize", "-d", "tests/generated", cwd=project)
        outputs.append(
            {p.relative_to(project): p.read_bytes() for p in (project / "tests").rglob("*.*")}
        )
    assert outputs[0] == outputs[1]
    assert Path("tests/generated/test_shop.py") in outputs[0]


def test_replay_reports_changed_behaviour_and_update_accepts_it(
    recorded: Path, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    shutil.copytree(recorded, project)
    assert run_pytead("replay", cwd=project).returncode == 0
    shop = project / "shop.py"
    shop.write_text(shop.read_text().replace("return a + b", "return a * b"))
    changed = run_pytead("replay", "shop.add", cwd=project)
    assert changed.returncode == 1
    assert "shop.add: 2 case(s), 2 changed" in changed.stdout
    assert "-returned: 5\n    +returned: 6" in changed.stdout
    updated = run_pytead("replay", "--update", "shop.add", cwd=project)
    assert updated.returncode == 0 and "updated call_logs/shop/add.yaml" in updated.stdout
    assert run_pytead("replay", cwd=project).returncode == 0
    run_pytead("gen-tests", cwd=project)
    assert plain_pytest(project).returncode == 0


SPECIAL = """
import random

def push(stack, item):
    stack.append(item)
    return len(stack)

def login(user, password):
    return user.upper()

def roll(sides):
    return random.randint(1, sides)

def total(*prices, **fees):
    return sum(prices) + sum(fees.values())

def identity(x):
    return x
"""

SPECIAL_MAIN = """
import threading
import special
special.push([1], 2)
special.login("ann", "hunter2")
for _ in range(30):
    special.roll(1000)
special.total(1, 2, shipping=3)
held = threading.Lock()
held.acquire()  # a held lock cannot be handed to a test held: it stays opaque
special.identity(held)
special.identity({"nested": {"deep": [1, 2]}})
"""


def test_every_kind_of_case_becomes_a_real_assertion_or_is_left_out_with_its_reason(
    tmp_path: Path,
) -> None:
    (tmp_path / "special.py").write_text(SPECIAL)
    (tmp_path / "main.py").write_text(SPECIAL_MAIN)
    assert run_pytead("run", "special", "--", "main.py", cwd=tmp_path).returncode == 0
    generated = run_pytead("gen-tests", cwd=tmp_path)
    assert generated.returncode == 0
    text = (tmp_path / "tests/test_pytead_generated.py").read_text()
    assert "stack = [1]\n    assert push(stack, 2) == 2\n    assert stack == [1, 2]" in text
    assert "# nondeterministic: these arguments gave" in text
    assert "assert isinstance(roll(1000), int)" in text
    assert "assert total(1, 2, shipping=3) == 6" in text
    assert "def test_login" not in text and "skip" not in text
    redacted = "special.login case {}: not replayable: a secret argument was redacted at capture"
    opaque = (
        "special.identity case {}: not replayable: argument x is a _thread.lock recorded as !opaque"
    )
    fixture = load_fixture(tmp_path / "call_logs/special/login.yaml")
    login = redacted.format(fixture.cases[0].id)
    assert f"pytead: left out {login}" in generated.stderr
    assert f"#   {login}" in text.replace("\n#     ", " ")  # the module ends with the same list
    assert re.search(opaque.format("[0-9a-f]+"), generated.stderr)
    assert "2 left out (2 not replayable)" in generated.stderr
    result = plain_pytest(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "skipped" not in result.stdout and " passed" in result.stdout
    tests = str(tmp_path / "tests")
    assert run_tool("ruff", "format", "--isolated", "--check", tests, cwd=tmp_path).returncode == 0
    assert run_tool("ruff", "check", "--isolated", tests, cwd=tmp_path).returncode == 0


def test_generated_modules_import_nothing_from_pytead_when_values_are_plain(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text(
        "def scale(values, factor=2):\n    return [v * factor for v in values]\n"
    )
    (tmp_path / "main.py").write_text(
        "import plain\nplain.scale([1, 2])\nplain.scale((3,), factor=0.5)\n"
    )
    run_pytead("run", "plain", "--", "main.py", cwd=tmp_path)
    run_pytead("gen-tests", cwd=tmp_path)
    text = (tmp_path / "tests/test_pytead_generated.py").read_text()
    assert "pytead" not in text.split("\n", 3)[-1]  # only the header mentions it
    assert plain_pytest(tmp_path).returncode == 0


def test_no_fixtures_is_a_clear_usage_error(tmp_path: Path) -> None:
    result = run_pytead("gen-tests", cwd=tmp_path)
    assert result.returncode == 2
    assert "no fixtures in call_logs; record calls first" in result.stderr


FORMAT_CHECK = settings(
    max_examples=int(__import__("os").environ.get("FORMAT_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@FORMAT_CHECK
@given(st.lists(st.tuples(values, values, values), min_size=1, max_size=8), st.booleans())
def test_any_recorded_values_give_formatted_lint_clean_code(
    rows: list[tuple[object, object, object]], parametrize: bool
) -> None:
    encoder = Encoder()
    cases = tuple(
        Case(
            id=f"{n:08x}",
            args={"first": encoder.encode(a), "second": encoder.encode(b)},
            outcome=Returned(encoder.encode(r)),
        )
        for n, (a, b, r) in enumerate(rows)
    )
    fixture = Fixture(
        TargetInfo("codec_types.combine", "codec_types", "combine", signature="(first, second)"),
        cases,
    )
    writer = ModuleWriter(parametrize=parametrize, threshold=80)
    writer.add_fixture(fixture)
    text = writer.render(["call_logs/codec_types/combine.yaml"]).text
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / "test_generated.py"
        module.write_text(text)
        formatted = run_tool(
            "ruff", "format", "--isolated", "--diff", str(module), cwd=Path(folder)
        )
        assert formatted.returncode == 0, formatted.stdout
        linted = run_tool(
            "ruff", "check", "--isolated", "--ignore", "F821", str(module), cwd=Path(folder)
        )
        assert linted.returncode == 0, linted.stdout
    compile(text, "test_generated.py", "exec")


MONEY = """
import pytead


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __eq__(self, other):
        return isinstance(other, Money) and other.cents == self.cents

    def __repr__(self):
        return f"Money({self.cents})"


pytead.register_codec(Money, tag="shop.Money", encode=lambda m: m.cents, decode=Money)


def double(amount):
    return Money(amount.cents * 2)


def depth(chain):
    return 1 if chain[-1] is chain else 0
"""


def test_codec_values_and_self_referencing_inputs_are_rebuilt_from_yaml(tmp_path: Path) -> None:
    (tmp_path / "money.py").write_text(MONEY)
    (tmp_path / "main.py").write_text(
        "import money\nmoney.double(money.Money(150))\n"
        "loop = [1]\nloop.append(loop)\nmoney.depth(loop)\n"
    )
    assert (
        run_pytead("run", "money.double", "money.depth", "--", "main.py", cwd=tmp_path).returncode
        == 0
    )
    assert "!shop.Money 150" in (tmp_path / "call_logs/money/double.yaml").read_text()
    assert run_pytead("gen-tests", cwd=tmp_path).returncode == 0
    text = (tmp_path / "tests/test_pytead_generated.py").read_text()
    assert 'double(fixture_value("!shop.Money 150"))' in text
    assert "depth(fixture_value(" in text and "from pytead import fixture_value" in text
    result = plain_pytest(tmp_path)
    assert result.returncode == 0, result.stdout
    assert run_pytead("replay", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_kitchen_sink_goes_through_the_whole_flow(
    tmp_path: Path, backend: str, style: str
) -> None:
    """Methods of every kind, nested classes, positional-only and keyword-only parameters,
    *args/**kwargs, generators that raise, coroutines, enums, named tuples, frozen dataclasses,
    bytes, paths, sets, big and object results: recorded, tested, documented, replayed."""
    project = tmp_path / "kitchen"
    shutil.copytree(Path(__file__).parent / "kitchen_app", project)
    assert (
        run_pytead("run", "kitchen", "--", "main.py", cwd=project, backend=backend).returncode == 0
    )
    assert (project / "call_logs/kitchen/Counter.Inner.ping.yaml").is_file()
    assert run_pytead("gen-tests", *STYLES[style], cwd=project).returncode == 0
    result = plain_pytest(project)
    assert result.returncode == 0, result.stdout
    assert run_tool("ruff", "format", "--isolated", "--check", "tests", cwd=project).returncode == 0
    assert run_tool("ruff", "check", "--isolated", "tests", cwd=project).returncode == 0
    assert run_pytead("replay", cwd=project).returncode == 0
    enriched = run_pytead("enrich-docs", cwd=project)
    assert "0 dropped" in enriched.stderr
    skipped = [line for line in enriched.stderr.splitlines() if line.startswith("pytead: skipped")]
    assert all(": no case can be shown: " in line for line in skipped), enriched.stderr  # volatile
    doctests = run_python("-m", "pytest", "--doctest-modules", "kitchen.py", "-q", cwd=project)
    assert doctests.returncode == 0, doctests.stdout


def test_functions_with_the_same_name_in_two_modules_do_not_shadow_each_other(
    tmp_path: Path,
) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def run(x):\n    return x + 1\n")
    (package / "b.py").write_text("def run(x):\n    return x * 10\n")
    (tmp_path / "main.py").write_text("import pkg.a, pkg.b\npkg.a.run(1)\npkg.b.run(2)\n")
    assert run_pytead("run", "pkg.a", "pkg.b", "--", "main.py", cwd=tmp_path).returncode == 0
    assert run_pytead("gen-tests", cwd=tmp_path).returncode == 0
    text = (tmp_path / "tests/test_pytead_generated.py").read_text()
    assert "from pkg.a import run\nfrom pkg.b import run as pkg_b_run\n" in text
    assert "assert pkg_b_run(2) == 20" in text
    assert plain_pytest(tmp_path).returncode == 0
    assert run_tool("ruff", "check", "--isolated", "tests", cwd=tmp_path).returncode == 0


def test_a_value_type_named_like_a_target_is_imported_under_an_alias(tmp_path: Path) -> None:
    (tmp_path / "cal.py").write_text(
        "import datetime as dt\n\n\ndef date(day):\n    return day + dt.timedelta(days=1)\n"
    )
    (tmp_path / "main.py").write_text("import datetime, cal\ncal.date(datetime.date(2024, 1, 1))\n")
    assert run_pytead("run", "cal", "--", "main.py", cwd=tmp_path).returncode == 0
    assert run_pytead("gen-tests", cwd=tmp_path).returncode == 0
    text = (tmp_path / "tests/test_pytead_generated.py").read_text()
    assert "from datetime import date as datetime_date" in text and "from cal import date" in text
    assert "assert date(datetime_date(2024, 1, 1)) == datetime_date(2024, 1, 2)" in text
    assert plain_pytest(tmp_path).returncode == 0
