"""The root ``conftest.py`` gen-tests writes, so plain ``pytest`` imports what the program did.

pytest puts the folder of a root ``conftest.py`` on ``sys.path``, which makes the project's
top-level modules importable from generated tests wherever they are. When the traced program also
imported from other folders of the project (a test folder pytest put on ``sys.path``, the
folder of the script it ran), the conftest puts those there too, so the program's own classes
and helpers, test files included, import the same way in the generated tests.

A ``conftest.py`` that pytead did not write is never touched.
"""

from __future__ import annotations

from pathlib import Path

from pytead._codec.source import str_literal
from pytead._pyformat import Group, layout, render_lines

_MARK = "# Lets plain `pytest` import this project's modules from its root"
_HEAD = [
    _MARK + ", as the tests that",
    "# `pytead gen-tests` writes do: pytest puts a root conftest.py's folder on sys.path.",
]
_FOLDERS = [
    "import sys",
    "from pathlib import Path",
    "",
    "# The traced program also imported from these folders of the project (the modules of its",
    "# test files, say): the generated tests import its classes from them too.",
]
_INSERT = [
    "",
    "for folder in reversed(PROGRAM_FOLDERS):",
    "    path = str(Path(__file__).parent / folder)",
    "    if path not in sys.path:",
    "        sys.path.insert(0, path)",
]


def render_conftest(folders: tuple[str, ...]) -> str:
    """The text of pytead's root ``conftest.py``, putting *folders* on ``sys.path``."""
    if not folders:
        return render_lines(_HEAD)
    listing = Group("[", tuple(str_literal(folder) for folder in folders), "]")
    return render_lines(_HEAD + _FOLDERS + layout(listing, prefix="PROGRAM_FOLDERS = ") + _INSERT)


def plan_conftest(
    root: Path, modules: set[str], folders: tuple[str, ...]
) -> tuple[Path, str] | None:
    """The root ``conftest.py`` to write, if one is needed and it is pytead's to write.

    Args:
        root: The project's root.
        modules: The top-level modules the tests import.
        folders: The project folders the traced program had on ``sys.path``.
    """
    conftest = root / "conftest.py"
    if conftest.exists() and not _written_by_pytead(conftest):
        return None
    needed = bool(folders) or (
        not _pytest_pythonpath_configured(root) and any(_at_root(root, top) for top in modules)
    )
    if not needed and not conftest.exists():
        return None
    return conftest, render_conftest(folders)


def _written_by_pytead(conftest: Path) -> bool:
    try:
        return conftest.read_text(encoding="utf-8").startswith(_MARK)
    except (OSError, UnicodeDecodeError):
        return False


def _at_root(root: Path, top: str) -> bool:
    return (root / f"{top}.py").is_file() or (root / top / "__init__.py").is_file()


def _pytest_pythonpath_configured(root: Path) -> bool:
    for name in ("pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini"):
        path = root / name
        if path.is_file() and "pythonpath" in path.read_text(encoding="utf-8", errors="replace"):
            return True
    return False
