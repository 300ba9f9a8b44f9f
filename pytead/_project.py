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
from pytead._trust import TrustPolicy, current, real_name


def project_root() -> Path:
    """The folder of the nearest ``pyproject.toml``, else the working directory."""
    from pytead._config import find_pyproject

    pyproject = find_pyproject(Path.cwd())
    return pyproject.parent if pyproject is not None else Path.cwd()


def folders_on_path(root: Path, entries: Iterable[str]) -> tuple[str, ...]:
    """The folders of the project among *entries* (``sys.path``), relative to *root*.

    The root itself, installed packages (a virtual environment inside the project) and folders
    outside the project are left out: only what the project's own files put there counts.
    """
    root = root.resolve()
    installed = {
        Path(prefix).resolve() for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix)
    }
    found: list[str] = []
    for entry in entries:
        folder = Path(entry or ".").resolve()
        if folder == root or not folder.is_relative_to(root) or not folder.is_dir():
            continue
        if any(folder.is_relative_to(prefix) for prefix in installed):
            continue
        if {"site-packages", "dist-packages"} & set(folder.parts):
            continue
        relative = folder.relative_to(root).as_posix()
        if relative not in found:
            found.append(relative)
    return tuple(found)


def first_party_modules(root: Path) -> frozenset[str]:
    """Top-level modules and packages of the project (``.`` and ``src/``), as isort sees them."""
    names = set()
    for folder in (root, root / "src"):
        if folder.is_dir():
            for entry in folder.iterdir():
                if entry.suffix == ".py" or (entry / "__init__.py").is_file():
                    names.add(entry.stem)
    return frozenset(names)


def import_target_modules(
    fixtures: Iterable[Fixture], trust: TrustPolicy | None = None
) -> list[str]:
    """Import the traced modules, as their tests will: codecs they register become known.

    A module the trust policy (*trust*, else the one in force) does not trust is not imported.

    Returns:
        The modules that failed to import or were not trusted (their values are then written
        as far as possible).
    """
    policy = trust or current()
    failed = []
    for module in sorted({fixture.target.module for fixture in fixtures}):
        if not policy.trusts_code(module):
            failed.append(module)
            continue
        try:
            importlib.import_module(module)
        except Exception:
            failed.append(module)
    return failed


def make_importable(root: Path, folders: Iterable[str] = ()) -> None:
    """Generation imports the project (to read its classes), as its tests will.

    *folders* are the project folders the traced program had on ``sys.path`` besides the root
    (see `folders_on_path`): the generated tests get them too, through the root ``conftest.py``.
    """
    wanted = [str(root), str(Path.cwd()), *(str(root / folder) for folder in folders)]
    for folder in reversed(wanted):
        if folder not in sys.path:
            sys.path.insert(0, folder)


def program_folders(fixtures: Iterable[Fixture]) -> tuple[str, ...]:
    """The project folders the traced programs imported from, in the order first seen."""
    folders: dict[str, None] = {}
    for fixture in fixtures:
        folders.update(dict.fromkeys(fixture.target.sys_path))
    return tuple(folders)


def unreachable_targets(
    fixtures: Iterable[Fixture], trust: TrustPolicy | None = None
) -> dict[str, str]:
    """The targets that cannot be imported any more (renamed, removed), or not trusted, and why.

    Their tests would stop the whole generated module from importing, so they are left out;
    the reason says how to clean their fixture. A target whose module the policy does not trust
    is not imported at all; one that leads out of the trusted modules (``mypkg.run`` being
    ``subprocess.run``) is not called.
    """
    policy = trust or current()
    found = {}
    for fixture in fixtures:
        name = fixture.target.name
        if not policy.trusts_code(fixture.target.module):
            found[name] = f"{name} is not trusted: its module is not one of the project's"
            continue
        try:
            reached = _reach(fixture.target.module, fixture.target.qualname)
        except Exception as exc:  # LookupError, or the module itself fails to import
            detail = str(exc) if isinstance(exc, LookupError) else f"{type(exc).__name__}: {exc}"
            found[name] = (
                f"{name} cannot be imported any more ({detail}); if it was renamed or removed, "
                f"clean its fixture with `pytead clean {name}`"
            )
            continue
        real = real_name(reached)
        if real is not None and not policy.trusts_code(real):
            found[name] = (
                f"{name} is {real}, which is not trusted; trace it under its own name, or add "
                f'"{real}" to [tool.pytead] trusted-types'
            )
    return found


def _reach(module: str, qualname: str) -> object:
    """Get *qualname*'s first part from *module* the way the generated test will, check the rest.

    Returns:
        What the test imports from *module* (the function, or the class of a method).

    Raises:
        LookupError: An attribute on the way does not exist.
    """
    import importlib

    obj: object = importlib.import_module(module)
    imported = None
    for part in qualname.split("."):
        if not hasattr(obj, part):
            raise LookupError(f"{f'{module}.{qualname}'!r} does not exist")
        obj = getattr(obj, part)
        imported = obj if imported is None else imported
    return imported
