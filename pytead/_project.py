"""The user's project as pytead's commands see it: its root, its modules, its import path.

``gen-tests``, ``replay`` and ``enrich-docs`` import the traced modules the way the generated
tests will (so that codecs they register are known), from the project's root.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from pathlib import Path

from pytead._model import Fixture


def project_root() -> Path:
    """The folder of the nearest ``pyproject.toml``, else the working directory."""
    from pytead._config import find_pyproject

    pyproject = find_pyproject(Path.cwd())
    return pyproject.parent if pyproject is not None else Path.cwd()


def first_party_modules(root: Path) -> frozenset[str]:
    """Top-level modules and packages of the project (``.`` and ``src/``), as isort sees them."""
    names = set()
    for folder in (root, root / "src"):
        if folder.is_dir():
            for entry in folder.iterdir():
                if entry.suffix == ".py" or (entry / "__init__.py").is_file():
                    names.add(entry.stem)
    return frozenset(names)


def import_target_modules(fixtures: Iterable[Fixture]) -> list[str]:
    """Import the traced modules, as their tests will: codecs they register become known.

    Returns:
        The modules that failed to import (their values are then written as far as possible).
    """
    failed = []
    for module in sorted({fixture.target.module for fixture in fixtures}):
        try:
            importlib.import_module(module)
        except Exception:
            failed.append(module)
    return failed


def make_importable(root: Path) -> None:
    """Generation imports the project (to read its classes), as its tests will."""

    for folder in (str(root), str(Path.cwd())):
        if folder not in sys.path:
            sys.path.insert(0, folder)
