"""Run doctest examples against today's code, in a separate process, before writing them.

An example is kept only if it passes exactly as ``python -m pytest --doctest-modules`` would run
it: the module's globals as namespace, doctest's default option flags. Running in a child
process keeps the user's code (and whatever it does on import) out of pytead's own process and
gives every run fresh modules.

The child is ``python -m pytead._doccheck``: it reads a JSON request on stdin and writes one
JSON verdict per example on stdout.
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
    if not checks:
        return {}
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
        verdicts: dict[str, str] = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return {check.id: f"the examples could not be run ({reason})" for check in checks}
    return verdicts


def _run_one(check: dict[str, Any]) -> str:
    try:
        module = importlib.import_module(check["module"])
    except BaseException as exc:  # the module itself fails to import: nothing can pass
        return f"importing {check['module']} failed: {type(exc).__name__}: {exc}"
    parser = doctest.DocTestParser()
    test = parser.get_doctest(check["text"], dict(vars(module)), check["id"], None, 0)
    output = io.StringIO()
    runner = doctest.DocTestRunner(verbose=False)
    try:
        runner.run(test, out=output.write, clear_globs=True)
    except BaseException as exc:  # SystemExit and friends from user code
        return f"running it raised {type(exc).__name__}"
    if runner.failures == 0:
        return ""
    return _reason(output.getvalue())


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
    verdicts = {check["id"]: _run_one(check) for check in request["checks"]}
    sys.stdout = stdout
    print(json.dumps(verdicts))


if __name__ == "__main__":
    main()
