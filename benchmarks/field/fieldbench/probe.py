"""Questions the field benchmark asks inside a package's virtual environment.

Run as ``VENV/bin/python probe.py COMMAND ...``; each command prints one JSON document:

- ``locate TARGET...``: where each target is defined (file, qualified name), found the way
  Python finds it (the longest importable module prefix, then attributes);
- ``fixtures DIR``: the number of recorded cases of each target in a pytead store;
- ``doctests ROOT FILE...``: pytead's managed Examples sections in FILEs (modules under ROOT),
  each run as a doctest in its module's namespace (a module that does not import fails every
  example of its sections);
- ``targets STORE ORIGINAL ENRICHED``: each target of a pytead store, its recorded cases and
  outcomes, and its docstring in the ORIGINAL sources and in the ENRICHED copy (see
  `fieldbench.doctargets`);
- ``lines OUT ROOT PYTEST_ARG...``: runs pytest with those arguments and writes to OUT, as
  JSON, the lines of the files under ROOT that the tests executed (path relative to ROOT ->
  line numbers): which mutants the tests reach at all.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import io
import json
import sys
import sysconfig
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fieldbench.sections import literal_body, managed_literals, section_text


def locate(targets: list[str]) -> dict[str, Any]:
    """Where each target's function is defined."""
    found: dict[str, Any] = {"site": sysconfig.get_paths()["purelib"], "targets": {}}
    for target in targets:
        try:
            found["targets"][target] = _locate_one(target)
        except Exception as error:  # any import failure is the answer for this target
            found["targets"][target] = {"error": f"{type(error).__name__}: {error}"}
    return found


def _locate_one(target: str) -> dict[str, Any]:
    obj = _resolve(target)
    obj = getattr(obj, "__func__", obj)  # a bound or class method
    obj = getattr(obj, "fget", obj)  # a property
    obj = inspect.unwrap(obj)
    return {
        "file": inspect.getsourcefile(obj),
        "qualname": obj.__qualname__,
        "module": obj.__module__,
    }


def _resolve(target: str) -> Any:
    """The object *target* names: attributes first, as Python reads ``pkg.a.b``; where an
    attribute hides a submodule of the same name (``from .slugs import slugs``), the module."""
    parts = target.split(".")
    obj: Any = importlib.import_module(parts[0])
    for index, part in enumerate(parts[1:], start=1):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            obj = _submodule_or_hidden(parts, index, target)
    return obj


def _submodule_or_hidden(parts: list[str], index: int, target: str) -> Any:
    """``parts[index]`` when it is not an attribute: a submodule not imported yet, or an
    attribute of the module that an attribute of the same name hides."""
    try:
        return importlib.import_module(".".join(parts[: index + 1]))
    except ImportError:
        pass
    try:
        return getattr(importlib.import_module(".".join(parts[:index])), parts[index])
    except (ImportError, AttributeError):
        raise LookupError(f"{target} cannot be imported") from None


def fixtures(store: Path) -> dict[str, int]:
    """Recorded cases per target, read from the store's YAML files."""
    import yaml

    class AnyTagLoader(yaml.SafeLoader):
        """Reads any tag as plain data: only the case count matters here."""

    def untagged(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_scalar(node)  # type: ignore[arg-type]

    AnyTagLoader.add_multi_constructor("!", untagged)
    counts: dict[str, int] = {}
    for path in sorted(store.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=AnyTagLoader)
        if isinstance(data, dict) and "target" in data:
            counts[str(data["target"])] = len(data.get("cases") or [])
    return counts


def doctests(root: Path, files: list[Path]) -> dict[str, Any]:
    """Run every managed section of *files* as a doctest; count examples and passes."""
    # As `pytest --doctest-modules` from the project root would: the sources, then the root.
    sys.path[:0] = [str(root), str(Path.cwd())]
    result: dict[str, Any] = {"sections": 0, "examples": 0, "passed": 0, "failures": []}
    for path in files:
        source = path.read_text(encoding="utf-8")
        try:
            with redirect_stdout(sys.stderr):  # what a module prints must not mix with the JSON
                module = _import_file(root, path)
        except Exception as error:  # its examples cannot run: each counts, and fails
            _unimportable(path, source, f"{type(error).__name__}: {error}", result)
            continue
        for literal in managed_literals(source):
            _run_section(module, path, literal.text, result)
    return result


def _unimportable(path: Path, source: str, why: str, result: dict[str, Any]) -> None:
    for literal in managed_literals(source):
        text = _section_of(literal.text)
        if text is None:
            continue
        result["sections"] += 1
        result["examples"] += len(doctest.DocTestParser().get_examples(text))
        result["failures"].append(f"{path.name}: the module does not import: {why}"[:300])


def _import_file(root: Path, path: Path) -> Any:
    parts = list(path.resolve().relative_to(root.resolve()).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return importlib.import_module(".".join(parts))


def _section_of(literal: str) -> str | None:
    prefix, _quote, _body = literal_body(literal)
    docstring = ast.literal_eval(literal) if "f" not in prefix.lower() else ""
    return section_text(docstring) if isinstance(docstring, str) else None


def _run_section(module: Any, path: Path, literal: str, result: dict[str, Any]) -> None:
    text = _section_of(literal)
    if text is None:
        return
    result["sections"] += 1
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, dict(vars(module)), path.name, str(path), 0)
    runner = doctest.DocTestRunner(verbose=False)
    output = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        outcome = runner.run(test, out=output.write)
    result["examples"] += outcome.attempted
    result["passed"] += outcome.attempted - outcome.failed
    if outcome.failed:
        result["failures"].append(f"{path.name}: {_first_failure(output.getvalue())}")


def executed_lines(out: Path, root: Path, pytest_args: list[str]) -> dict[str, Any]:
    """Run pytest on *pytest_args*, tracing the lines executed in files under *root*."""
    import threading

    import pytest

    prefix = str(root.resolve()) + "/"
    seen: dict[str, set[int]] = {}

    def tracer(frame: Any, event: str, _arg: Any) -> Any:
        filename = frame.f_code.co_filename
        if not filename.startswith(prefix):
            return None  # no line events for this frame
        lines = seen.setdefault(filename[len(prefix) :], set())
        lines.add(frame.f_lineno)

        def local(frame: Any, event: str, _arg: Any) -> Any:
            if event == "line":
                lines.add(frame.f_lineno)
            return local

        return local

    sys.path.insert(0, str(Path.cwd()))  # as `python -m pytest` has it, for the project's folders
    threading.settrace(tracer)
    sys.settrace(tracer)
    try:
        code = pytest.main([*pytest_args, "-q", "-p", "no:cacheprovider"])
    finally:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type,unused-ignore]
    out.write_text(json.dumps({path: sorted(lines) for path, lines in seen.items()}))
    return {"exit": int(code), "files": len(seen)}


def _first_failure(report: str) -> str:
    lines = [line.strip() for line in report.splitlines() if line.strip() and set(line) != {"*"}]
    interesting = [line for line in lines if not line.startswith(("File ", "Failed example:"))]
    return " | ".join(interesting[:3])[:300]


def main(argv: list[str]) -> int:
    command, *rest = argv
    if command == "locate":
        answer: Any = locate(rest)
    elif command == "fixtures":
        answer = fixtures(Path(rest[0]))
    elif command == "lines":
        answer = executed_lines(Path(rest[0]), Path(rest[1]), rest[2:])
    elif command == "doctests":
        answer = doctests(Path(rest[0]), [Path(name) for name in rest[1:]])
    elif command == "targets":
        from fieldbench.doctargets import describe_targets

        answer = describe_targets(Path(rest[0]), Path(rest[1]), Path(rest[2]))
    else:
        raise SystemExit(f"probe.py: unknown command {command!r}")
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
