"""Reading a fixture never runs code: names are trusted before anything is imported or built.

Each hostile fixture goes through the commands in this process, with a canary file that the
payload would create and a look at ``sys.modules`` for modules it would import.
"""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytead import fixture_value
from pytead._cli import main
from pytead._codec import Decoder, Tagged, load_yaml, render_source
from pytead._codec.yamlio import YamlSyntaxError, expanded_sizes
from pytead._errors import CodecError, FixtureError
from pytead._store import load_fixture
from pytead._trust import (
    TrustPolicy,
    UntrustedName,
    exception_class,
    is_dotted_name,
    locate_target,
    policy_for,
    trusting,
)

APP = '''
"""A small app whose calls were recorded."""

import dataclasses
import os


@dataclasses.dataclass
class Point:
    x: int
    y: int


def ident(value):
    """Return *value*."""
    return value


def apply(function, argument):
    """Call *function* on *argument*."""
    return function(argument)
'''


class Project:
    """A project in a temporary folder, with one app module and its fixtures."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.module = f"app_{uuid.uuid4().hex[:8]}"
        self.canary = root / "CANARY"
        (root / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
        (root / f"{self.module}.py").write_text(APP, encoding="utf-8")

    def fixture(self, qualname: str, cases: str, *, module: str = "") -> Path:
        """Write a fixture of ``module.qualname`` (the app by default) holding *cases*."""
        module = module or self.module
        path = self.root / "call_logs" / Path(*module.split(".")) / f"{qualname}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = textwrap.dedent(cases).replace("CANARY", str(self.canary))
        header = (
            f"pytead: 1\ntarget: {module}.{qualname}\nmodule: {module}\n"
            f"kind: function\nsignature: (value)\ncases:\n"
        )
        path.write_text(header + body, encoding="utf-8")
        return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """A fresh project as the working directory; modules it imports are forgotten after."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTEAD_TRUSTED_TYPES", raising=False)
    before = set(sys.modules)
    saved_path = list(sys.path)
    yield Project(tmp_path)
    for name in set(sys.modules) - before:
        del sys.modules[name]
    sys.path[:] = saved_path


def pytead(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the CLI in this process; return its exit code and its stderr."""
    code = main(list(args))
    return code, capsys.readouterr().err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("pytead: error:")]


POPEN = """\
- id: 0a0a0a0a
  args:
    value: 1
  returned: !obj
    type: subprocess.Popen
    fields: {args: [touch, CANARY]}
"""

# -- !obj naming a class that would run code ---------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["show", "*"], ["gen-tests", "--no-verify"], ["gen-tests"], ["replay"], ["enrich-docs"]],
)
def test_popen_fields_never_run(
    project: Project, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = project.fixture("ident", POPEN)
    code, err = pytead(capsys, *command)
    assert not project.canary.exists()
    assert code == 2
    [line] = error_lines(err)
    assert f"{path.relative_to(project.root)}:" in line or f"{path}:" in line
    assert ":10:" in line  # the line of the !obj
    assert "subprocess.Popen is not trusted" in line
    assert '"subprocess.Popen" to [tool.pytead] trusted-types' in line


def test_the_rest_of_the_store_goes_on(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """One refused case is left out with its reason; the other cases become tests."""
    project.fixture("ident", POPEN + "- id: 0b0b0b0b\n  args: {value: 2}\n  returned: 2\n")
    code, _ = pytead(capsys, "gen-tests", "--no-verify")
    assert code == 2
    text = (project.root / "tests" / "test_pytead_generated.py").read_text(encoding="utf-8")
    assert "== 2" in text
    assert "case 0a0a0a0a: names something untrusted" in text.replace("\n#     ", " ")
    compile(text, "generated", "exec")
    assert not project.canary.exists()


def test_fixture_value_at_test_time_refuses_untrusted_types(project: Project) -> None:
    """Generated tests rebuild values inside the project's own run: the same policy holds."""
    text = f"!obj {{type: subprocess.Popen, fields: {{args: [touch, {project.canary}]}}}}"
    with pytest.raises(UntrustedName, match=r"subprocess\.Popen is not trusted"):
        fixture_value(text)
    assert not project.canary.exists()


def test_a_safe_type_is_not_built_by_calling_it_with_fields(project: Project) -> None:
    """A constructor runs only for the project's own or listed classes."""
    with pytest.raises(CodecError, match="would be built by calling it"):
        fixture_value("!obj {type: types.SimpleNamespace, fields: {a: 1}}")


# -- a guessed constructor call is never evaluated ----------------------------------------------

INJECTED_KEY = "x=__import__('os').system('touch CANARY'), y"


@pytest.mark.parametrize("payload", ["fields", "state"])
def test_injected_keyword_names_are_not_evaluated(
    project: Project, capsys: pytest.CaptureFixture[str], payload: str
) -> None:
    project.fixture(
        "ident",
        f"""\
        - id: 0c0c0c0c
          args: {{value: 1}}
          returned: !obj
            type: types.SimpleNamespace
            {payload}: {{"{INJECTED_KEY}": 1}}
        """,
    )
    pytead(capsys, "gen-tests")
    pytead(capsys, "show", "*")
    pytead(capsys, "enrich-docs")
    assert not project.canary.exists()
    generated = project.root / "tests" / "test_pytead_generated.py"
    compile(generated.read_text(encoding="utf-8"), str(generated), "exec")


def test_a_constructor_call_is_checked_by_building_it(project: Project) -> None:
    sys.path.insert(0, str(project.root))
    point = Tagged("obj", {"type": f"{project.module}.Point", "state": {"x": 1, "y": 2}})
    with trusting(policy_for(project.root)):
        assert render_source(point).text == "Point(x=1, y=2)"
        odd = Tagged("obj", {"type": "types.SimpleNamespace", "state": {INJECTED_KEY: 1}})
        assert render_source(odd).text.startswith("rebuild(SimpleNamespace, {")


# -- names that would import a module ------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["!obj {type: this.X}", "!enum this.Color.RED", "!ref this.s", "!ref this"]
)
@pytest.mark.parametrize("command", [["show", "*"], ["gen-tests", "--no-verify"], ["replay"]])
def test_untrusted_modules_are_not_imported(
    project: Project, capsys: pytest.CaptureFixture[str], value: str, command: list[str]
) -> None:
    assert "this" not in sys.modules
    project.fixture("ident", f"- id: 0d0d0d0d\n  args: {{value: {value}}}\n  returned: 1\n")
    code, err = pytead(capsys, *command)
    assert "this" not in sys.modules
    assert code == 2
    [line] = error_lines(err)
    assert ":8:" in line
    assert "this" in line and "trusted-types" in line


def test_a_ref_to_os_system_is_never_called(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.fixture(
        "apply",
        "- id: 0e0e0e0e\n  args: {function: !ref os.system, argument: touch CANARY}\n"
        "  returned: 0\n",
    )
    for command in (["replay"], ["gen-tests"], ["enrich-docs"], ["show", "*"]):
        code, err = pytead(capsys, *command)
        assert code == 2, command
        assert "!ref os.system is not trusted" in err
    assert not project.canary.exists()


def test_a_first_party_name_that_leads_elsewhere_is_refused(project: Project) -> None:
    """``app.os.system`` is first-party by name only: what it leads to is checked too."""
    sys.path.insert(0, str(project.root))
    policy = policy_for(project.root)
    decoder = Decoder(trust=policy)
    with pytest.raises(UntrustedName, match=r"leads to posix.system"):
        decoder.decode(Tagged("ref", f"{project.module}.os.system"))
    with pytest.raises(UntrustedName):
        locate_target(f"{project.module}.os.system", policy)
    reached = locate_target(f"{project.module}.ident", policy)
    assert callable(reached)


@pytest.mark.parametrize("name", ["builtins.eval", "builtins.__import__", "builtins.open"])
def test_builtins_that_run_code_are_never_refs(name: str) -> None:
    with pytest.raises(UntrustedName, match="never rebuilt from a fixture"):
        Decoder(trust=TrustPolicy()).decode(Tagged("ref", name))


def test_harmless_refs_and_known_types_need_no_setting() -> None:
    import math
    import time
    from collections import OrderedDict

    def decoded(node: Tagged) -> object:
        return Decoder(trust=TrustPolicy()).decode(node)

    assert decoded(Tagged("ref", "builtins.len")) is len
    assert decoded(Tagged("ref", "math.sqrt")) is math.sqrt
    assert decoded(Tagged("ref", "time.monotonic")) is time.monotonic  # a cache's timer
    ordered = Tagged("obj", {"type": "collections.OrderedDict", "items": {"a": 1}})
    assert decoded(ordered) == OrderedDict(a=1)
    error = decoded(Tagged("obj", {"type": "builtins.ValueError", "args": ["bad"]}))
    assert isinstance(error, ValueError) and error.args == ("bad",)


# -- targets -------------------------------------------------------------------------------------

RUN = "- id: 0f0f0f0f\n  args: {args: [touch, CANARY]}\n  returned: null\n"


@pytest.mark.parametrize("command", [["gen-tests"], ["replay"], ["enrich-docs"], ["show", "*"]])
def test_an_untrusted_target_module_is_not_imported_nor_called(
    project: Project, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = project.fixture("run", RUN, module="subprocess")
    code, err = pytead(capsys, *command)
    assert not project.canary.exists()
    assert code == 2
    [line] = error_lines(err)
    assert f"{path}:3:" in line or f"{path.relative_to(project.root)}:3:" in line
    assert "target module subprocess is not trusted" in line


def test_an_untrusted_target_leaves_the_others_alone(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.fixture("run", RUN, module="subprocess")
    project.fixture("ident", "- id: 0a1a1a1a\n  args: {value: 3}\n  returned: 3\n")
    code, _ = pytead(capsys, "gen-tests")
    assert code == 2
    text = (project.root / "tests" / "test_pytead_generated.py").read_text(encoding="utf-8")
    assert "== 3" in text
    assert "import subprocess" not in text and "from subprocess" not in text
    assert not project.canary.exists()


def test_a_target_that_is_a_reexport_is_not_called(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """``app.os.system`` is found in a first-party module but is not first-party code."""
    project.fixture("os.system", "- id: 0a2a2a2a\n  args: {command: touch CANARY}\n  returned: 0\n")
    code, err = pytead(capsys, "gen-tests")
    assert not project.canary.exists()
    assert ".os.system is os, which is not trusted" in err
    assert code == 0  # left out like a target that is gone, with that reason
    code, _ = pytead(capsys, "replay")
    assert not project.canary.exists()


def test_an_exception_class_is_looked_up_without_importing() -> None:
    assert exception_class("builtins.KeyError", TrustPolicy()) is KeyError
    import json

    assert exception_class("json.JSONDecodeError", TrustPolicy()) is json.JSONDecodeError
    with pytest.raises(LookupError, match="the target did not import it"):
        exception_class("this.Error", TrustPolicy())
    with pytest.raises(UntrustedName):
        exception_class("os.system", TrustPolicy())
    assert "this" not in sys.modules


# -- trusting a type -------------------------------------------------------------------------------

MONEY = "class Money:\n    def __init__(self, cents):\n        self.cents = cents\n"


@pytest.fixture
def outside_lib(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module importable from outside the project (an installed library, as it were)."""
    name = f"extlib_{uuid.uuid4().hex[:8]}"
    folder = tmp_path_factory.mktemp("site")
    (folder / f"{name}.py").write_text(MONEY, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    return name


@pytest.mark.parametrize("entry", ["{lib}", "{lib}.Money"])
def test_trusted_types_accepts_a_listed_class_or_module(
    project: Project, outside_lib: str, entry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = Tagged("obj", {"type": f"{outside_lib}.Money", "state": {"cents": 5}})
    with pytest.raises(UntrustedName, match=f'add "{outside_lib}.Money" to'):
        Decoder(trust=policy_for(project.root)).decode(node)
    assert outside_lib not in sys.modules
    trusted = entry.format(lib=outside_lib)
    (project.root / "pyproject.toml").write_text(
        f'[tool.pytead]\ntrusted-types = ["{trusted}"]\n', encoding="utf-8"
    )
    assert Decoder().decode(node).cents == 5
    monkeypatch.setenv("PYTEAD_TRUSTED_TYPES", "nothing.else")
    with pytest.raises(UntrustedName):
        Decoder().decode(node)


def test_first_party_objects_are_still_rebuilt(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.fixture(
        "ident",
        f"""\
        - id: 0a3a3a3a
          args:
            value: !obj
              type: {project.module}.Point
              state: {{x: 1, y: 2}}
          returned: !obj
            type: {project.module}.Point
            state: {{x: 1, y: 2}}
        """,
    )
    code, err = pytead(capsys, "gen-tests")
    assert code == 0, err
    text = (project.root / "tests" / "test_pytead_generated.py").read_text(encoding="utf-8")
    assert "Point(x=1, y=2)" in text
    assert "Left out" not in text
    code, _ = pytead(capsys, "replay")
    assert code == 0


def test_project_folders_from_a_fixture_must_lie_inside_the_project(tmp_path: Path) -> None:
    inside = tmp_path / "project" / "tests"
    inside.mkdir(parents=True)
    (inside / "helpers.py").write_text("", encoding="utf-8")
    (tmp_path / "elsewhere.py").write_text("", encoding="utf-8")
    policy = policy_for(tmp_path / "project", folders=["tests", "..", "../.."])
    assert policy.trusts_code("helpers.Box")
    assert not policy.trusts_code("elsewhere.Thing")


@pytest.mark.parametrize("name", ["os.system('x')", "a..b", "a.class.b", "", "1a"])
def test_only_dotted_identifiers_are_names(name: str) -> None:
    assert not is_dotted_name(name)
    assert not TrustPolicy(first_party=frozenset({"a", "os"})).trusts_code(name)


# -- the alias budget ------------------------------------------------------------------------------


def laughs(levels: int = 9) -> str:
    """A "billion laughs" value: each level repeats the one before ten times."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines)


def test_an_alias_bomb_is_refused_before_it_is_built() -> None:
    with pytest.raises(YamlSyntaxError, match="more than 5000000 nodes") as caught:
        load_yaml(laughs() + "\nreturned: *l8\n")
    assert caught.value.line == 7  # the first level that is too big on its own (10**7)


def test_a_genuine_fixture_of_objects_sharing_parts_is_read() -> None:
    """Two million nodes spelled out, as a parser's token types and their parents can reach."""
    levels = ["s0: &s0 [leaf, leaf]"]
    levels += [f"s{level}: &s{level} [*s{level - 1}, *s{level - 1}]" for level in range(1, 19)]
    value = load_yaml("\n".join(levels) + "\n")
    assert value["s18"][0][1] is value["s17"][1]  # shared, never copied


def test_sizes_count_each_shared_node_once_and_cycles_end() -> None:
    import yaml

    root = yaml.compose("a: &a [1, 2]\nb: [*a, *a]\nc: &c [*c]\n")
    sizes = expanded_sizes(root, 1000)
    assert sizes[id(root)] == 1 + 3 + 3 + (1 + 3 + 3) + 1  # keys, a, b (a twice), c (cycle)
    shared = "a: &a [1, 2]\nb: [*a, *a]\n"  # 13 nodes once spelled out
    assert load_yaml(shared, max_nodes=13) == {"a": [1, 2], "b": [[1, 2]] * 2}
    with pytest.raises(YamlSyntaxError):
        load_yaml(shared, max_nodes=12)


@pytest.mark.parametrize(
    "command", [["list"], ["show", "*"], ["gen-tests"], ["replay"], ["enrich-docs"]]
)
def test_every_command_refuses_a_bomb_with_one_line(
    project: Project, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    bomb = laughs().replace("\n", "\n  ")
    path = project.fixture(
        "ident", f"- id: 0a4a4a4a\n  {bomb}\n  args: {{value: 1}}\n  returned: *l8\n"
    )
    code, err = pytead(capsys, *command)
    assert code == 2
    [line] = error_lines(err)
    assert ":14:" in line and "max-fixture-nodes" in line
    assert str(path.name) in line


def test_the_budget_is_a_setting(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.fixture("ident", "- id: 0a5a5a5a\n  args: {value: [1, 2, 3]}\n  returned: 3\n")
    (project.root / "pyproject.toml").write_text(
        "[tool.pytead]\nmax-fixture-nodes = 5\n", encoding="utf-8"
    )
    code, err = pytead(capsys, "list")
    assert code == 2 and "more than 5 nodes" in err
    with pytest.raises(FixtureError):
        load_fixture(next((project.root / "call_logs").rglob("*.yaml")), max_nodes=5)
