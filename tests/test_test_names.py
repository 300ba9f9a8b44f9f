"""Generated tests are named after their target and what their case passed, the rows of a table
get ids read from the same arguments, a hash only tells apart cases that would share a name, and
the summary counts the tests pytest collects."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import recorded_calc, run_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import values

from pytead._cli import main
from pytead._codec import Encoder, Tagged
from pytead._model import Case, Raised, Returned
from pytead._store import load_fixture
from pytead._testnames import argument_words, case_names, row_ids

CALC = """
class Counter:
    def __init__(self):
        self.count = 0

    def bump(self):
        self.count += 1
        return self.count


class Sku:
    def __init__(self, code):
        self.code = code


def apply_discount(price, percent):
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be between 0 and 100, got {percent}")
    return round(price * (100 - percent) / 100, 2)


def parse_sku(text):
    if not text:
        raise ValueError("empty SKU")
    return text.upper()


def split_bill(total, names):
    return {name: round(total / len(names), 2) for name in names}


def describe(sku, flag=0, strict=False):
    return f"{sku.code} {flag} {strict}"
"""

MAIN = """
import calc

calc.apply_discount(80.0, 25)
calc.apply_discount(19.99, 10)
try:
    calc.apply_discount(10.0, 120)
except ValueError:
    pass
calc.parse_sku("pn-7")
try:
    calc.parse_sku("")
except ValueError:
    pass
calc.split_bill(90.0, ["ann", "bob", "cy"])
calc.describe(calc.Sku("PN-7"), None, True)
counter = calc.Counter()
counter.bump()
counter.bump()
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The calc project with its calls recorded."""
    yield from recorded_calc(tmp_path, monkeypatch, CALC, MAIN)


def generated(root: Path, *options: str) -> str:
    assert main(["gen-tests", *options]) == 0
    return (root / "tests/test_pytead_generated.py").read_text(encoding="utf-8")


def case_ids(root: Path, target: str) -> list[str]:
    path = root / "call_logs" / "calc" / f"{target}.yaml"
    return [case.id for case in load_fixture(path).cases]


def test_plain_tests_are_named_after_their_target_and_arguments(project: Path) -> None:
    text = generated(project)
    for name in (
        "test_apply_discount_80_0_25",
        "test_apply_discount_19_99_10",
        "test_apply_discount_10_0_120_raises_value_error",
        "test_parse_sku_pn_7",
        "test_parse_sku_empty_text_raises_value_error",
        "test_split_bill_90_0_3_items",
        "test_describe_sku_none_true",
    ):
        assert f"def {name}():" in text, name
    hashes = [case_id[:4] for target in ("apply_discount", "parse_sku", "split_bill", "describe")
              for case_id in case_ids(project, target)]  # fmt: skip
    names = re.findall(r"^def (test_\w+)\(", text, re.M)
    assert not [name for name in names if any(name.endswith(h) for h in hashes)]
    assert all(name.isascii() and name == name.lower() for name in names)


def test_cases_that_would_share_a_name_are_told_apart_by_their_hash(project: Path) -> None:
    text = generated(project)
    first, second = case_ids(project, "Counter.bump")
    assert f"def test_counter_bump_{first[:4]}():" in text
    assert f"def test_counter_bump_{second[:4]}():" in text


def test_table_rows_get_readable_ids_and_the_same_names_as_plain_tests(project: Path) -> None:
    text = generated(project, "--parametrize")
    assert 'id="80.0-25"' in text and 'id="19.99-10"' in text
    assert "def test_apply_discount(price, percent, expected):" in text
    # a family of one case is a plain test, named as without --parametrize
    assert "def test_apply_discount_10_0_120_raises_value_error():" in text
    assert "def test_parse_sku_empty_text_raises_value_error():" in text
    # The second bump is made on a counter built by replaying the first: a plain test of its own.
    second = case_ids(project, "Counter.bump")[1]
    assert f"def test_counter_bump_{second[:4]}():" in text
    assert "counter = Counter()\n    counter.bump()\n    assert counter.bump() == 2" in text
    assert generated(project, "--parametrize") == text  # deterministic


@pytest.mark.parametrize("style", [[], ["--parametrize"]], ids=["plain", "parametrize"])
def test_the_summary_counts_the_tests_pytest_collects(
    project: Path, style: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    generated(project, *style)
    summary = capfd.readouterr().err
    counted = re.search(r"written as (\d+) test\(s\)", summary)
    assert counted is not None, summary
    collected = run_tool("pytest", "--collect-only", "-q", "-p", "no:cacheprovider", cwd=project)
    items = [line for line in collected.stdout.splitlines() if "::" in line]
    assert int(counted[1]) == len(items) == 9, collected.stdout


# -- the renderings, one by one ----------------------------------------------------------------


def case(args: dict[str, object], case_id: str = "ab12cd34") -> Case:
    """A case that passed *args* and returned None."""
    return Case(
        case_id, {key: Encoder().encode(value) for key, value in args.items()}, Returned(None)
    )


@pytest.mark.parametrize(
    ("args", "name", "row_id"),
    [
        pytest.param({"a": 2, "b": -3}, "test_f_2_minus_3", "2--3", id="numbers"),
        pytest.param({"sku": "PN-0007", "qty": 12}, "test_f_pn_0007_12", "PN-0007-12", id="sku"),
        pytest.param({"sku": ""}, "test_f_empty_sku", "empty-sku", id="empty"),
        pytest.param({"x": None, "y": True}, "test_f_none_true", "none-true", id="constants"),
        pytest.param(
            {"items": (1, 2, 3), "m": {}}, "test_f_3_items_empty_m", "3_items-empty-m", id="sizes"
        ),
        pytest.param(
            {"text": "not a SKU: 'pen'"}, "test_f_not_a_sku_pen", "not_a_SKU_pen", id="sentence"
        ),
        pytest.param({"text": "ça été"}, "test_f_ca_ete", "ca_ete", id="accents"),
        pytest.param({"text": "日本語"}, "test_f_3_chars", "3_chars", id="no-ascii"),
    ],
)  # fmt: skip
def test_arguments_are_rendered_short_and_readable(
    args: dict[str, object], name: str, row_id: str
) -> None:
    assert case_names("test_f", [case(args)]) == [name]
    assert row_ids([case(args)]) == [row_id]


def test_an_object_shows_its_class_and_a_raise_its_exception() -> None:
    thing = Tagged("obj", {"type": "shop.OutOfStock", "state": {}})
    raised = Raised("shop.OutOfStock", "no")
    only = Case("ab12", {"reason": thing}, raised)
    assert case_names("test_ship", [only]) == ["test_ship_out_of_stock_raises_out_of_stock"]
    assert row_ids([only]) == ["OutOfStock"]


def test_a_row_without_arguments_is_shown_by_its_hash() -> None:
    assert row_ids([case({}, "1e29ab00")]) == ["1e29"]
    assert case_names("test_f", [case({}, "1e29ab00")]) == ["test_f"]


def test_star_arguments_show_their_items() -> None:
    assert argument_words("*prices", [1, 2]) == ["1", "2"]
    assert argument_words("**fees", {"shipping": 3}) == ["shipping", "3"]


def test_long_argument_lists_are_cut_and_keep_names_apart() -> None:
    long = [case({f"p{n}": "abcdefghij" for n in range(8)}, f"{n:08x}") for n in range(2)]
    shown = "test_f_abcdefghij_abcdefghij_abcdefghij"
    assert case_names("test_f", long) == [f"{shown}_00000000", f"{shown}_00000001"]


NAMES = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@NAMES
@given(st.lists(st.tuples(values, values), min_size=1, max_size=6))
def test_any_recorded_values_give_distinct_identifiers_and_ids(
    rows: list[tuple[object, object]],
) -> None:
    cases = [
        Case(f"{n:08x}", {"first": Encoder().encode(a), "second": Encoder().encode(b)}, Returned(0))
        for n, (a, b) in enumerate(rows)
    ]
    names = case_names("test_combine", cases)
    assert len(set(names)) == len(names)
    assert all(name.isidentifier() and name.isascii() and "__" not in name for name in names)
    ids = row_ids(cases)
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[A-Za-z0-9_.\-]+", i) for i in ids)


def test_collected_ids_are_what_the_module_says(project: Path) -> None:
    generated(project, "--parametrize")
    collected = run_tool("pytest", "--collect-only", "-q", "-p", "no:cacheprovider", cwd=project)
    assert "test_apply_discount[80.0-25]" in collected.stdout, collected.stdout


@pytest.mark.parametrize(
    ("qualname", "test_name", "variable"),
    [
        ("TTLCache.expire", "test_ttl_cache_expire", "ttl_cache"),
        ("HTTPServer.get", "test_http_server_get", "http_server"),
        ("OrderedMultiDict.add", "test_ordered_multi_dict_add", "ordered_multi_dict"),
        ("URLPath.join", "test_url_path_join", "url_path"),
    ],
)
def test_acronyms_in_class_names_stay_whole(qualname: str, test_name: str, variable: str) -> None:
    from pytead._docnames import instance_name
    from pytead._testgen import _snake
    from pytead._testnames import Namer, variable_name

    owner = qualname.split(".")[0]
    assert "test_" + _snake(qualname) == test_name
    assert instance_name(f"pkg.{owner}", {}) == variable
    assert variable_name(owner, Namer()) == variable
