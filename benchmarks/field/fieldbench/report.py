"""The field benchmark's figures: overall totals, the table, failure classes, the results page."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldbench.steps import Outcomes

_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# A memory address, also when a long message was cut inside it (``...16e9a80>``).
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+|\b[0-9a-f]{6,}(?=>)")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")


def failure_class(message: str) -> str:
    """A failure message with its values blanked, so failures of one kind group together.

    >>> failure_class("AssertionError: assert 'a-2' == 'a-3' at 0x7f3a")
    "AssertionError: assert '…' == '…' at 0x…"
    """
    text = _ADDRESS.sub("0x…", message)
    text = _QUOTED.sub("'…'", text)
    text = _NUMBER.sub("N", text)
    return text[:160]


def failure_reasons(outcomes: Outcomes, top: int = 8) -> dict[str, int]:
    """The most common classes of failure and error messages, with their counts."""
    classes = Counter(
        failure_class(outcomes.messages.get(test, "") or f"({outcome}, no message)")
        for test, outcome in outcomes.tests.items()
        if outcome in ("failed", "error")
    )
    return dict(classes.most_common(top))


# -- totals ------------------------------------------------------------------------------------


def _get(row: dict[str, Any], path: str, default: Any = 0) -> Any:
    value: Any = row
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return default
        value = value[key]
    return value


def _total(rows: Iterable[dict[str, Any]], path: str) -> int:
    return sum(int(_get(row, path) or 0) for row in rows)


def _summed(rows: Iterable[dict[str, Any]], path: str) -> dict[str, int]:
    """The counts of a ``{name: count}`` figure added up over the packages, largest first."""
    total: Counter[str] = Counter()
    for row in rows:
        total.update(_get(row, path, {}) or {})
    return dict(total.most_common())


def _roads(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many values each road built, over the corpus (see gen-tests' ``values:`` line)."""
    return _summed(rows, "gentests.roads")


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def overall(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The corpus-wide figures from the packages' results."""
    generated = _total(rows, "gentests.tests")
    mutants = _total(rows, "mutation.mutants")
    examples = _total(rows, "docs.examples")
    return {
        "packages": len(rows),
        "packages_failed": sum(1 for row in rows if row.get("failed")),
        "suite_passed_untraced": _total(rows, "suite.untraced.passed"),
        "suite_passed_traced": _total(rows, "suite.traced.passed"),
        "suite_changed": _total(rows, "suite.changed"),
        "targets_listed": _total(rows, "targets.listed"),
        "targets_resolved": _total(rows, "targets.resolved"),
        "targets_reached": _total(rows, "targets.reached"),
        "cases": _total(rows, "targets.cases"),
        "gentests_exit_0": sum(1 for row in rows if _get(row, "gentests.exit", None) == 0),
        "generated_tests": generated,
        "generated_passed": _total(rows, "gentests.passed"),
        "generated_pass_rate": _rate(_total(rows, "gentests.passed"), generated),
        "left_out": _total(rows, "gentests.left_out"),
        "mutants": mutants,
        "killed": _total(rows, "mutation.killed"),
        "kill_rate": _rate(_total(rows, "mutation.killed"), mutants),
        "mutants_reached": _total(rows, "mutation.reached"),
        "killed_reached": _total(rows, "mutation.killed_reached"),
        "kill_rate_reached": _rate(
            _total(rows, "mutation.killed_reached"), _total(rows, "mutation.reached")
        ),
        "modules": _total(rows, "gentests.modules"),
        "modules_importing_pytead": _total(rows, "gentests.modules_importing_pytead"),
        "tests_counted": _total(rows, "gentests.tests_counted"),
        "tests_needing_pytead": _total(rows, "gentests.tests_needing_pytead"),
        "needing_pytead_rate": _rate(
            _total(rows, "gentests.tests_needing_pytead"), _total(rows, "gentests.tests_counted")
        ),
        "addresses": _total(rows, "gentests.addresses"),
        "roads": _roads(rows),
        "doc_functions": _total(rows, "docs.functions"),
        "doc_traced": _total(rows, "docs.traced"),
        "doc_eligible": _total(rows, "docs.eligible"),
        "doc_added": _total(rows, "docs.added"),
        "doc_added_rate": _rate(_total(rows, "docs.added"), _total(rows, "docs.eligible")),
        "doc_examples": examples,
        "doc_examples_passed": _total(rows, "docs.passed"),
        "doc_pass_rate": _rate(_total(rows, "docs.passed"), examples),
        "doc_several_outcomes": _total(rows, "docs.several_outcomes"),
        "doc_outcomes_shown": _total(rows, "docs.outcomes_shown"),
        "doc_outcomes_rate": _rate(
            _total(rows, "docs.outcomes_shown"), _total(rows, "docs.several_outcomes")
        ),
        "doc_no_example_reasons": _summed(rows, "docs.no_example_reasons"),
        "docs_bytes_preserved": sum(1 for row in rows if _get(row, "docs.bytes_preserved", None)),
        "docs_idempotent": sum(1 for row in rows if _get(row, "docs.idempotent", None)),
    }


# -- the table ---------------------------------------------------------------------------------

COLUMNS = (
    "package",
    "suite pass (untraced→traced)",
    "time x",
    "targets resolved/reached",
    "cases",
    "gen-tests exit",
    "generated pass/fail/err/skip",
    "left out",
    "mutants killed",
    "killed / reached",
    "tests needing pytead",
    "addresses",
    "examples added",
    "examples pass",
    "outcomes shown",
    "bytes kept",
    "2nd run same",
    "failed step",
)


def _ratio(part: int, whole: int) -> str:
    rate = _rate(part, whole)
    return f"{part}/{whole} ({rate:g}%)" if rate is not None else "—"


def _yes(value: Any) -> str:
    return {True: "yes", False: "NO"}.get(value, "—")


def table_row(row: dict[str, Any]) -> list[str]:
    """One package's cells."""
    suite = f"{_get(row, 'suite.untraced.passed')}→{_get(row, 'suite.traced.passed', '—')}"
    generated = "/".join(
        str(_get(row, f"gentests.{key}", "—")) for key in ("passed", "failed", "errors", "skipped")
    )
    failed = (row.get("failed") or [{}])[0]
    return [
        f"{row['name']} {row.get('version', '')}".strip(),
        suite,
        f"{_get(row, 'suite.ratio', '—')}",
        f"{_get(row, 'targets.resolved')}/{_get(row, 'targets.listed')}"
        f" / {_get(row, 'targets.reached')}",
        str(_get(row, "targets.cases")),
        str(_get(row, "gentests.exit", "—")),
        generated,
        str(_get(row, "gentests.left_out", "—")),
        _ratio(_get(row, "mutation.killed"), _get(row, "mutation.mutants")),
        _ratio(_get(row, "mutation.killed_reached"), _get(row, "mutation.reached")),
        _ratio(_get(row, "gentests.tests_needing_pytead"), _get(row, "gentests.tests_counted")),
        str(_get(row, "gentests.addresses", "—")),
        _ratio(_get(row, "docs.added"), _get(row, "docs.eligible")),
        _ratio(_get(row, "docs.passed"), _get(row, "docs.examples")),
        _ratio(_get(row, "docs.outcomes_shown"), _get(row, "docs.several_outcomes")),
        _yes(_get(row, "docs.bytes_preserved", None)),
        _yes(_get(row, "docs.idempotent", None)),
        f"{failed['step']}: {failed['reason'][:60]}" if failed else "",
    ]


def overall_row(total: dict[str, Any]) -> list[str]:
    """The corpus-wide cells."""
    packages = total["packages"]
    return [
        f"**all ({packages})**",
        f"{total['suite_passed_untraced']}→{total['suite_passed_traced']}",
        "",
        f"{total['targets_resolved']}/{total['targets_listed']} / {total['targets_reached']}",
        str(total["cases"]),
        f"0 on {total['gentests_exit_0']}/{packages}",
        f"{total['generated_passed']}/{total['generated_tests']} pass"
        f" ({total['generated_pass_rate'] if total['generated_pass_rate'] is not None else '—'}%)",
        str(total["left_out"]),
        _ratio(total["killed"], total["mutants"]),
        _ratio(total["killed_reached"], total["mutants_reached"]),
        _ratio(total["tests_needing_pytead"], total["tests_counted"]),
        str(total["addresses"]),
        _ratio(total["doc_added"], total["doc_eligible"]),
        _ratio(total["doc_examples_passed"], total["doc_examples"]),
        _ratio(total["doc_outcomes_shown"], total["doc_several_outcomes"]),
        f"{total['docs_bytes_preserved']}/{packages}",
        f"{total['docs_idempotent']}/{packages}",
        f"{total['packages_failed']} package(s)",
    ]


def render_table(rows: Sequence[dict[str, Any]]) -> str:
    """The Markdown table of the packages and the overall row."""
    body = [table_row(row) for row in rows] + [overall_row(overall(rows))]
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += [
        "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |" for cells in body
    ]
    return "\n".join(lines)


# -- the results page --------------------------------------------------------------------------


def render_findings(row: dict[str, Any]) -> list[str]:
    """What went wrong for one package, as Markdown bullets."""
    found = [f"- note: {row['note']}"] if row.get("note") else []
    for failure in row.get("failed", []):
        found.append(f"- step **{failure['step']}** failed: `{failure['reason']}`")
    broken = _get(row, "suite.untraced.failed") + _get(row, "suite.untraced.errors")
    if broken:
        found.append(f"- the suite itself fails {broken} test(s) untraced: fix the corpus entry")
    for target, why in _get(row, "targets.refused", {}).items():
        found.append(f"- target `{target}` refused: `{why}`")
    failed_steps = {failure["step"] for failure in row.get("failed", [])}
    if _get(row, "gentests.exit", 0) and "gen-tests" not in failed_steps:
        found.append(f"- gen-tests exited {row['gentests']['exit']}: `{row['gentests']['error']}`")
    for test in _get(row, "suite.changed_tests", []):
        found.append(f"- suite test changed outcome when traced: `{test}`")
    reasons: Counter[str] = Counter()
    for reason, count in _get(row, "gentests.reasons", {}).items():
        reasons[failure_class(reason)] += count  # classes of older runs are folded again
    for reason, count in reasons.most_common():
        found.append(f"- {count} generated test(s): `{reason}`")
    for reason, count in _get(row, "gentests.left_out_reasons", {}).items():
        found.append(f"- {count} case(s) left out by gen-tests: `{reason}`")
    for example in _get(row, "gentests.address_examples", []):
        found.append(f"- memory address written by gen-tests: `{example}`")
    road_counts = _get(row, "gentests.roads", {})
    if road_counts:
        shown = ", ".join(f"{count} {road}" for road, count in road_counts.items())
        found.append(f"- values built by gen-tests: {shown}")
    for what in ("damaged", "broken"):
        for item in _get(row, f"docs.{what}", []):
            found.append(f"- enrich-docs {what}: `{item}`")
    modes = _get(row, "docs.modes", [])
    if modes:
        files = ", ".join(f"`{item.partition(':')[0]}`" for item in modes)
        change = modes[0].partition(": ")[2]
        found.append(f"- enrich-docs changed the mode of {len(modes)} file(s) ({change}): {files}")
    if _get(row, "docs.idempotent", None) is False:
        found.append("- enrich-docs: a second run changed the files again")
    for failure in _get(row, "docs.doctest_failures", [])[:5]:
        found.append(f"- doctest failed: `{failure}`")
    in_sections, counted = _get(row, "docs.examples_in_sections", None), _get(row, "docs.examples")
    if in_sections is not None and in_sections > counted:
        found.append(
            f"- the added sections hold {in_sections} example(s); the doctests ran {counted}"
        )
    for reason, count in _get(row, "docs.no_example_reasons", {}).items():
        found.append(f"- {count} traced function(s) without an added example: `{reason}`")
    return found or ["- nothing failed"]


COMPARED = (
    ("suite tests that changed outcome when traced", "suite_changed"),
    ("targets resolved", "targets_resolved"),
    ("packages where gen-tests exited 0", "gentests_exit_0"),
    ("generated tests", "generated_tests"),
    ("generated tests passing on unchanged code (%)", "generated_pass_rate"),
    ("cases gen-tests left out, with their reason", "left_out"),
    ("mutants killed (%)", "kill_rate"),
    ("mutants killed among those the generated tests run (%)", "kill_rate_reached"),
    ("generated tests calling pytead.rebuild/fixture_value (%)", "needing_pytead_rate"),
    ("generated modules importing pytead", "modules_importing_pytead"),
    ("memory addresses in generated files and snapshots", "addresses"),
    ("functions that gained examples", "doc_functions"),
    ("traced functions without hand-written examples that gained some (%)", "doc_added_rate"),
    ("examples in the added sections passing as doctests (%)", "doc_pass_rate"),
    ("functions with several recorded outcomes showing several (%)", "doc_outcomes_rate"),
    ("packages whose sources kept every byte outside pytead's sections", "docs_bytes_preserved"),
    ("packages where a second enrich-docs run changed nothing", "docs_idempotent"),
)


def render_comparison(baseline: dict[str, Any], current: dict[str, Any]) -> str:
    """The overall figures of a baseline run beside the current ones."""
    lines = [
        f"| figure | baseline ({baseline['date'][:10]}) | now |",
        "|---|---|---|",
    ]
    for label, key in COMPARED:
        before, now = baseline["overall"].get(key), current["overall"].get(key)
        lines.append(f"| {label} | {_shown(before)} | {_shown(now)} |")
    return "\n".join(lines)


def _shown(value: Any) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def render_run(result: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    """One run's section of the results page: machine, Python, table, findings per package."""
    rows = result["packages"]
    lines = [
        f"## Python {result['python']}",
        "",
        f"Run on {result['date']}, {result['machine']}; {result['seconds']:.0f} s in all.",
        "",
        render_table(rows),
        "",
    ]
    if baseline is not None and baseline.get("date") != result.get("date"):
        lines += ["Overall, against the baseline run:", "", render_comparison(baseline, result), ""]
    reasons = overall(rows)["doc_no_example_reasons"]
    if reasons:
        lines += ["Why traced functions got no example, over the corpus:", ""]
        lines += [f"- {count}: `{reason}`" for reason, count in reasons.items()]
        lines.append("")
    for row in rows:
        lines += [f"### {row['name']} {row.get('version', '')}", "", *render_findings(row), ""]
    return "\n".join(lines)
