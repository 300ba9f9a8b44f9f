"""The fixture header keeps the project folders the traced program imported from (``sys_path``),
relative to the project root, and refuses entries that lead out of the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_pytead

from pytead._errors import FixtureError
from pytead._project import folders_on_path
from pytead._store import load_fixture


def test_the_scripts_folder_is_kept_relative_to_the_project(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/lib.py").write_text("def f(x):\n    return x + 1\n")
    (tmp_path / "app/main.py").write_text("import lib\nlib.f(1)\n")
    assert run_pytead("run", "lib", "--", "app/main.py", cwd=tmp_path).returncode == 0
    text = (tmp_path / "call_logs/lib/f.yaml").read_text()
    assert "sys_path: [app]\n" in text
    assert str(tmp_path) not in text  # never an absolute machine path
    assert load_fixture(tmp_path / "call_logs/lib/f.yaml").target.sys_path == ("app",)


def test_a_program_run_from_the_root_adds_nothing_to_the_header(tmp_path: Path) -> None:
    (tmp_path / "lib.py").write_text("def f(x):\n    return x + 1\n")
    (tmp_path / "main.py").write_text("import lib\nlib.f(1)\n")
    assert run_pytead("run", "lib", "--", "main.py", cwd=tmp_path).returncode == 0
    assert "sys_path" not in (tmp_path / "call_logs/lib/f.yaml").read_text()


@pytest.mark.parametrize("entry", ["../elsewhere", "/etc", "a/../../b", "C:/x", ""])
def test_an_entry_leading_out_of_the_project_is_a_fixture_error(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "pytead: 1\ntarget: lib.f\nmodule: lib\nkind: function\nsignature: (x)\n"
        f"sys_path: [{entry!r}]\ncases: []\n"
    )
    with pytest.raises(FixtureError, match="is not a folder inside the project"):
        load_fixture(path)


def test_installed_packages_and_outside_folders_are_not_project_folders(tmp_path: Path) -> None:
    for folder in ("tests", ".venv/lib/python3/site-packages", "src"):
        (tmp_path / folder).mkdir(parents=True)
    entries = [
        str(tmp_path),
        str(tmp_path / "tests"),
        str(tmp_path / ".venv/lib/python3/site-packages"),
    ]
    entries += ["/usr/lib/python3", str(tmp_path / "src"), str(tmp_path / "tests")]
    assert folders_on_path(tmp_path, entries) == ("tests", "src")
