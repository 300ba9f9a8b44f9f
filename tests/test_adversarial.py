"""Hostile fixtures through every command that reads fixtures: nothing runs, nothing is imported.

A fixture arrives through a pull request, so its text may be written by anyone. Each case below
is a fixture someone could write to make pytead run a command, import a module, or write code
that does. Every command (`list`, `show`, `gen-tests`, `replay`, `enrich-docs`) runs on it, in one
child process per fixture, with an importable module ``evil_mod`` outside the project whose
import writes a canary file. After all of them:

- the canary file does not exist (no command ran, no untrusted module was imported, in pytead or
  in the generated tests it ran to verify them), and ``evil_mod`` is not in ``sys.modules``;
- each command exited 0, or exited 2 naming the fixture file with a line number;
- no command printed a traceback;
- every Python file in the project compiles and passes ``ruff check``.

The focused tests of each defence are in ``tests/test_safety_*.py``; `docs/security.md` lists
what was tried.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run, run_tool

#: First-party code the hostile fixtures pretend to have recorded.
CALC = '''
"""Small functions a hostile fixture can name."""


def greet(name):
    """Say hello."""
    return f"hello {name}"


def apply(func, value):
    """Call *func* on *value*."""
    return func(value)


def fail(message):
    """Raise ValueError with *message*."""
    raise ValueError(message)


def options(**settings):
    """Return the keyword arguments."""
    return settings
'''

#: An installed module that is not the project's: importing it is what must never happen.
EVIL = """
from pathlib import Path
import enum

Path({canary!r}).write_text("evil_mod was imported")


class X:
    pass


class Color(enum.Enum):
    RED = 1
"""

HEADER = """\
pytead: 1
target: {module}.{qualname}
module: {module}
kind: function
signature: '{signature}'
cases:
"""


@dataclass(frozen=True)
class Hostile:
    """A fixture (or a few) written to attack, and what must hold beyond the common checks."""

    name: str
    files: dict[str, str]
    #: Text that must not appear in any file pytead writes (a pasted payload).
    not_written: tuple[str, ...] = ()
    #: The commands whose exit code must be 2 (refused with file:line).
    refused_by: tuple[str, ...] = ()
    #: The case is harmless data once escaped: gen-tests writes it as a test that passes.
    becomes_a_test: bool = False


def fixture(qualname: str, cases: str, *, module: str = "calc", signature: str = "(name)") -> str:
    """A fixture's text: pytead's header, then *cases* (YAML list items, dedented)."""
    header = HEADER.format(module=module, qualname=qualname, signature=signature)
    return header + textwrap.dedent(cases).lstrip("\n")


def greet_case(returned: str) -> str:
    return fixture("greet", f"- id: 1a2b3c4d\n  args: {{name: ann}}\n  returned: {returned}\n")


POPEN = "!obj {type: subprocess.Popen, fields: {args: [python3, -c, 'import evil_mod']}}"
NAMESPACE = "!obj {type: types.SimpleNamespace, fields: {\"x=__import__('evil_mod'), y\": 1}}"
BOMB = "\n".join(
    [
        "- id: 1a2b3c4d",
        "  args: {name: ann}",
        "  returned:",
        "    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]",
        *(
            f"    a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
            f"*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
            for i in range(1, 9)
        ),
    ]
)

#: Commands that read values: they refuse a fixture naming something untrusted.
READERS = ("show", "gen-tests", "gen-tests-plain", "replay", "enrich-docs", "enrich-docs-check")
#: Every command: a malformed fixture is refused on sight.
ALL = ("list", *READERS)

HOSTILE = [
    Hostile("popen-in-returned", {"calc/greet.yaml": greet_case(POPEN)}, refused_by=READERS),
    Hostile("namespace-field-names", {"calc/greet.yaml": greet_case(NAMESPACE)}),
    Hostile(
        "obj-of-untrusted-module",
        {"calc/greet.yaml": greet_case("!obj {type: evil_mod.X}")},
        refused_by=READERS,
    ),
    Hostile(
        "enum-of-untrusted-module",
        {"calc/greet.yaml": greet_case("!enum evil_mod.Color.RED")},
        refused_by=READERS,
    ),
    Hostile(
        "ref-in-returned", {"calc/greet.yaml": greet_case("!ref evil_mod.X")}, refused_by=READERS
    ),
    Hostile(
        "ref-to-os-system-as-argument",
        {
            "calc/apply.yaml": fixture(
                "apply",
                "- id: 1a2b3c4d\n"
                "  args: {func: !ref os.system, value: 'python3 -c \"import evil_mod\"'}\n"
                "  returned: 0\n",
                signature="(func, value)",
            )
        },
        refused_by=READERS,
    ),
    Hostile(
        "untrusted-target-module",
        {
            "subprocess/run.yaml": fixture(
                "run",
                "- id: 1a2b3c4d\n  args: {args: [python3, -c, 'import evil_mod']}\n  returned: 0\n",
                module="subprocess",
                signature="(args)",
            )
        },
        refused_by=READERS,
    ),
    Hostile(
        "target-is-the-evil-module",
        {
            "evil_mod/X.yaml": fixture(
                "X",
                "- id: 1a2b3c4d\n  args: {}\n  returned: 1\n",
                module="evil_mod",
                signature="()",
            )
        },
        refused_by=READERS,
    ),
    Hostile(
        "case-id-closes-a-docstring",
        {
            "calc/greet.yaml": fixture(
                "greet",
                '- id: "1a2b\\"\\"\\"\\nimport evil_mod\\n\\"\\"\\""\n  args: {name: ann}\n'
                "  returned: hello ann\n",
            )
        },
        not_written=("\nimport evil_mod",),
        refused_by=ALL,
    ),
    Hostile(
        "raised-type-is-an-expression",
        {
            "calc/fail.yaml": fixture(
                "fail",
                "- id: 1a2b3c4d\n  args: {message: boom}\n"
                "  raised: {type: \"ValueError if __import__('evil_mod') else ValueError\", "
                "message: boom}\n",
                signature="(message)",
            )
        },
        not_written=("__import__('evil_mod')",),
        refused_by=ALL,
    ),
    Hostile(
        "module-is-an-import-statement",
        {
            "calc/greet.yaml": fixture(
                "greet",
                "- id: 1a2b3c4d\n  args: {name: ann}\n  returned: hello ann\n",
                module="calc import greet;import evil_mod;from calc",
            )
        },
        not_written=("import evil_mod",),
        refused_by=ALL,
    ),
    Hostile(
        "file-name-with-a-newline",
        {"calc/greet\nimport evil_mod\n.yaml": greet_case("hello ann")},
        not_written=("\nimport evil_mod",),
        becomes_a_test=True,
    ),
    Hostile(
        "nul-in-an-exception-message",
        {
            "calc/fail.yaml": fixture(
                "fail",
                '- id: 1a2b3c4d\n  args: {message: "bad\\0byte"}\n'
                '  raised: {type: ValueError, message: "bad\\0byte"}\n',
                signature="(message)",
            )
        },
        not_written=("\0",),
        becomes_a_test=True,
    ),
    Hostile(
        "invisible-characters",
        {
            "calc/greet.yaml": fixture(
                "greet",
                '- id: 1a2b3c4d\n  args: {name: "a\\u200bb\\u202ec"}\n'
                '  returned: "hello a\\u200bb\\u202ec"\n',
            )
        },
        not_written=("\u200b", "\u202e"),
        becomes_a_test=True,
    ),
    Hostile(
        "keyword-names-are-code",
        {
            "calc/options.yaml": fixture(
                "options",
                "- id: 1a2b3c4d\n  args:\n    '**settings':\n"
                "      \"x=1 if __import__('evil_mod') else 1, y\": 1\n"
                "  returned:\n"
                "    \"x=1 if __import__('evil_mod') else 1, y\": 1\n",
                signature="(**settings)",
            )
        },
        becomes_a_test=True,
    ),
    Hostile("billion-laughs", {"calc/greet.yaml": fixture("greet", BOMB)}, refused_by=READERS),
    Hostile(
        "python-object-tag",
        {
            "calc/greet.yaml": greet_case(
                "!!python/object/apply:os.system ['python3 -c \"import evil_mod\"']"
            )
        },
        refused_by=ALL,
    ),
    Hostile(
        "sys-path-outside-the-project",
        {
            "calc/greet.yaml": fixture(
                "greet",
                "- id: 1a2b3c4d\n  args: {name: ann}\n  returned: !obj {type: evil_mod.X}\n",
            ).replace("kind: function\n", "kind: function\nsys_path: [../outside]\n")
        },
        refused_by=ALL,
    ),
]

#: Every command that reads fixtures, as a user or CI would run it.
COMMANDS = {
    "list": ["list"],
    "show": ["show", "*"],
    "gen-tests": ["gen-tests", "--parametrize", "-d", "generated"],
    # Verified once above; the plain layout is checked for what it writes.
    "gen-tests-plain": ["gen-tests", "--no-verify", "-o", "generated_plain/test_plain.py"],
    "replay": ["replay"],
    "enrich-docs": ["enrich-docs", "calc.py", "--pages", "pages", "--llms-txt", "llms.txt"],
    "enrich-docs-check": ["enrich-docs", "calc.py", "--check"],
}

#: Runs every command in one process, then says which ``evil_mod`` modules got imported.
DRIVER = """
import contextlib, io, json, sys
from pytead._cli import main

results = {}
for name, argv in json.loads(sys.argv[1]).items():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException as exc:
            code = f"raised {type(exc).__name__}: {exc}"
    results[name] = {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}
modules = sorted(name for name in sys.modules if name.startswith("evil_mod"))
print(json.dumps({"commands": results, "modules": modules}))
"""


def hostile_project(tmp_path: Path, hostile: Hostile) -> tuple[Path, Path, Path]:
    """A project with first-party ``calc.py`` and the hostile fixtures; ``evil_mod`` beside it."""
    project, outside, canary = tmp_path / "project", tmp_path / "outside", tmp_path / "CANARY"
    project.mkdir()
    outside.mkdir()
    (outside / "evil_mod.py").write_text(EVIL.format(canary=str(canary)))
    (project / "pyproject.toml").write_text('[project]\nname = "calc"\n\n[tool.pytead]\n')
    (project / "calc.py").write_text(CALC.lstrip())
    for relative, text in hostile.files.items():
        path = project / "call_logs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return project, outside, canary


def run_every_command(project: Path, outside: Path) -> dict[str, object]:
    done = run(
        [sys.executable, "-c", DRIVER, json.dumps(COMMANDS)],
        cwd=project,
        PYTHONPATH=str(outside),
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def written_files(project: Path) -> list[Path]:
    return [
        path
        for path in sorted(project.rglob("*"))
        if path.is_file() and "call_logs" not in path.parts and path.name != "pyproject.toml"
    ]


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_a_hostile_fixture_runs_nothing_and_imports_nothing(
    tmp_path: Path, hostile: Hostile
) -> None:
    project, outside, canary = hostile_project(tmp_path, hostile)
    fixtures_before = {p: p.read_bytes() for p in (project / "call_logs").rglob("*.yaml")}

    result = run_every_command(project, outside)
    commands: dict[str, dict[str, object]] = result["commands"]  # type: ignore[assignment]

    assert not canary.exists(), f"evil_mod was imported: {canary.read_text()}"
    assert result["modules"] == []
    for name, outcome in commands.items():
        code, stderr = outcome["code"], str(outcome["stderr"])
        assert "Traceback" not in stderr, f"{name}: {stderr}"
        assert code in (0, 1, 2), f"{name} exited {code}: {stderr}"
        if code == 2:
            assert re.search(r"call_logs/\S.*\.yaml(:\d+)?", stderr), f"{name}: {stderr}"
        if name in hostile.refused_by:
            assert code == 2, f"{name} should refuse it: {stderr}"
    if hostile.becomes_a_test:
        assert commands["gen-tests"]["code"] == 0, commands["gen-tests"]["stderr"]
        assert "none left out; verified" in str(commands["gen-tests"]["stderr"])
    # Nothing lost: the fixtures themselves are never rewritten by reading them.
    assert {p: p.read_bytes() for p in fixtures_before} == fixtures_before
    check_written_code(project, hostile)


def check_written_code(project: Path, hostile: Hostile) -> None:
    """Every file pytead wrote is safe: Python compiles and lints, no payload was pasted."""
    for path in written_files(project):
        text = path.read_text(encoding="utf-8", errors="replace")
        for payload in hostile.not_written:
            assert payload not in text, f"{path.name} holds {payload!r}"
        if path.suffix == ".py":
            compile(path.read_bytes(), str(path), "exec")
    python_files = [str(p) for p in written_files(project) if p.suffix == ".py"]
    lint = run_tool("ruff", "check", "--isolated", "--quiet", *python_files, cwd=project)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_one_hostile_fixture_leaves_the_others_written(tmp_path: Path) -> None:
    """The hostile case is left out with its file:line; the honest fixture still gets its test."""
    hostile = Hostile(
        "mixed",
        {
            "calc/greet.yaml": greet_case("hello ann"),
            "calc/apply.yaml": fixture(
                "apply",
                "- id: 1a2b3c4d\n  args: {func: !ref evil_mod.X, value: 1}\n  returned: 1\n",
                signature="(func, value)",
            ),
        },
    )
    project, outside, canary = hostile_project(tmp_path, hostile)

    result = run_every_command(project, outside)
    generation: dict[str, object] = result["commands"]["gen-tests"]  # type: ignore[index]

    assert not canary.exists()
    assert generation["code"] == 2
    assert "call_logs/calc/apply.yaml:" in str(generation["stderr"])
    written = "\n".join(p.read_text() for p in (project / "generated").rglob("*.py"))
    assert "def test_greet" in written
    assert "def test_apply" not in written
