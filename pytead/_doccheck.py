"""Run doctest examples against today's code, in a separate process, before writing them.

An example is kept only if it passes exactly as ``python -m pytest --doctest-modules`` would run
it: the module's globals as namespace, doctest's default option flags. Running in a child
process keeps the user's code (and whatever it does on import) out of pytead's own process and
gives every run fresh modules.

The child is ``python -m pytead._doccheck``: it reads a JSON request on stdin and writes one
JSON verdict per example on stdout, and, for an example whose statement printed something before
the output it expects, what it printed (`run_checks`): the example can then be written again
with those lines, as doctest expects them, and run once more (see `pytead._docprinted`).
"""

from __future__ import annotations

import doctest
import importlib
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytead._examples import Example


@dataclass(frozen=True)
class Check:
    """Examples to run together: an id, the module whose globals they see, the examples.

    Only `Example` objects are run, never free text: an example's source was built from
    checked names and rendered values (see `pytead._examples`).
    """

    id: str
    module: str
    examples: tuple[Example, ...]

    def __post_init__(self) -> None:
        from pytead._examples import Example

        if not all(isinstance(example, Example) for example in self.examples):
            raise TypeError("only examples built by pytead._examples are run")

    @property
    def text(self) -> str:
        """The doctest text of the examples, one after the other."""
        return "".join(example.text for example in self.examples)


def verify(checks: list[Check], *, cwd: Path, paths: list[str]) -> dict[str, str]:
    """Run *checks* in a child process; return ``id -> ""`` when it passed, else why not."""
    return run_checks(checks, cwd=cwd, paths=paths)[0]


def run_checks(
    checks: list[Check], *, cwd: Path, paths: list[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """`verify`'s verdicts, and for each failed check whose statement printed text before the
    output it expects (and otherwise gave just that), the text it printed."""
    if not checks:
        return {}, {}
    wire = [{"id": check.id, "module": check.module, "text": check.text} for check in checks]
    request = {"paths": paths, "checks": wire}
    result = subprocess.run(
        [sys.executable, "-m", "pytead._doccheck"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        check=False,
    )
    try:
        answer = json.loads(result.stdout.strip().splitlines()[-1])
        verdicts: dict[str, str] = answer["verdicts"]
        printed: dict[str, str] = answer["printed"]
    except (ValueError, IndexError, KeyError, TypeError):
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        failed = {check.id: f"the examples could not be run ({reason})" for check in checks}
        return failed, {}
    return verdicts, printed


class _Runner(doctest.DocTestRunner):
    """doctest's runner, noting what the first failing statement printed before what it expects.

    Only a statement that gave its expected output at the end, after lines of its own, counts:
    those lines are what it printed (``print()`` calls, a CLI's report) before its result.
    """

    printed: str | None = None
    _failed = False

    def report_failure(
        self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str
    ) -> None:
        if not self._failed and got.endswith(example.want) and len(got) > len(example.want):
            self.printed = got[: len(got) - len(example.want)]
        self._failed = True
        super().report_failure(out, test, example, got)

    def report_unexpected_exception(
        self, out: Any, test: doctest.DocTest, example: doctest.Example, exc_info: Any
    ) -> None:
        self._failed = True
        super().report_unexpected_exception(out, test, example, exc_info)


def _run_one(check: dict[str, Any]) -> tuple[str, str | None]:
    try:
        module = importlib.import_module(check["module"])
    except BaseException as exc:  # the module itself fails to import: nothing can pass
        return f"importing {check['module']} failed: {type(exc).__name__}: {exc}", None
    parser = doctest.DocTestParser()
    test = parser.get_doctest(check["text"], dict(vars(module)), check["id"], None, 0)
    output = io.StringIO()
    runner = _Runner(verbose=False)
    try:
        runner.run(test, out=output.write, clear_globs=True)
    except BaseException as exc:  # SystemExit and friends from user code
        return f"running it raised {type(exc).__name__}", None
    if runner.failures == 0:
        return "", None
    return _reason(output.getvalue()), runner.printed if runner.failures == 1 else None


def _reason(report: str) -> str:
    """Condense doctest's report of the first failing example into one line.

    The line names the example's source and what today's code gives instead: its first
    output line that differs from the recorded one, or the exception it raises.

    Examples:
        >>> _reason("Failed example:\\n f(1)\\nExpected:\\n a\\n b\\nGot:\\n a\\n c\\n")
        "f(1): today's code gives c"
    """
    block = report.split("*" * 70)
    first = next((part for part in block if "Failed example:" in part), report)
    lines = [line.strip() for line in first.splitlines()]
    source = _source(_after(lines, "Failed example:"))
    where = f"{source}: " if source else ""
    if "Got:" in lines:
        wanted = set(_between(lines, "Expected:", "Got:"))
        got = _after(lines, "Got:")
        differs = [line for line in got if line not in wanted] or got
        return f"{where}today's code gives {differs[0] if differs else 'nothing'}"
    if "Got nothing" in lines:
        return f"{where}today's code prints nothing"
    errors = [line for line in lines if line and not line.startswith(("File", "Traceback", "-"))]
    return f"{where}today's code raises {errors[-1]}" if errors else "it did not reproduce"


def _source(lines: list[str]) -> str:
    """The failing example's source on one line (a long call spans several), shortened."""
    ends = ("Expected:", "Exception raised:", "Expected nothing")
    source = " ".join(_until(lines, ends))
    source = source.replace("( ", "(").replace(", )", ")").replace(" )", ")")
    return source if len(source) <= 120 else source[:119] + "…"


def _until(lines: list[str], ends: tuple[str, ...]) -> list[str]:
    for index, line in enumerate(lines):
        if line.startswith(ends):
            return lines[:index]
    return lines[:1]


def _after(lines: list[str], heading: str) -> list[str]:
    return lines[lines.index(heading) + 1 :] if heading in lines else []


def _between(lines: list[str], start: str, end: str) -> list[str]:
    following = _after(lines, start)
    return following[: following.index(end)] if end in following else following


def main() -> None:
    """The child process: read the request, run each example, print the verdicts."""
    request = json.loads(sys.stdin.read())
    for path in reversed(request["paths"]):
        if path not in sys.path:
            sys.path.insert(0, path)
    stdout = sys.stdout
    sys.stdout = io.StringIO()  # what the examples print is not the verdict
    verdicts: dict[str, str] = {}
    printed: dict[str, str] = {}
    for check in request["checks"]:
        verdicts[check["id"]], text = _run_one(check)
        if text is not None:
            printed[check["id"]] = text
    sys.stdout = stdout
    print(json.dumps({"verdicts": verdicts, "printed": printed}))


if __name__ == "__main__":
    main()
