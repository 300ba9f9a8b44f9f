"""Find the source of each traced function: the file, its docstring, its style, with griffe.

A file's module name is found the way Python would: walking up while folders are packages, so
``src/pkg/mod.py`` (or a copy of ``pkg/`` anywhere) is ``pkg.mod``. griffe then loads those
packages statically (no import) and resolves re-exports, so the fixture of ``pkg.f`` finds the
function defined in ``pkg/_impl.py``.
"""

from __future__ import annotations

import ast
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytead._docsection import Style
from pytead._docstrings import FunctionSpot
from pytead._model import Fixture
from pytead._sourcetext import read_source

_SKIPPED_DIRS = {
    "__pycache__", "node_modules", "site-packages", "build", "dist", "call_logs", "venv", "env",
}  # fmt: skip


@dataclass(frozen=True)
class SourceFunction:
    """A traced function as found in the sources.

    Attributes:
        target: The fixture's target name.
        path: The file it is defined in.
        module: The module it is defined in (its globals are the doctests' namespace).
        spot: Where it is in the file.
        summary: The first line of its docstring ("" if it has none).
    """

    target: str
    path: Path
    module: str
    spot: FunctionSpot
    summary: str


def python_files(paths: Iterable[Path]) -> list[Path]:
    """The ``.py`` files under *paths*, skipping virtual environments and build output."""
    found: set[Path] = set()
    for path in paths:
        if path.is_file() and path.suffix == ".py":
            found.add(path.resolve())
        elif path.is_dir():
            for file in path.rglob("*.py"):
                relative = file.relative_to(path).parts[:-1]
                if not any(part in _SKIPPED_DIRS or part.startswith(".") for part in relative):
                    found.add(file.resolve())
    return sorted(found)


def module_name(file: Path) -> tuple[str, Path]:
    """The module name of *file* and the folder it is importable from.

    Examples:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / "pkg").mkdir()
        >>> (root / "pkg" / "__init__.py").touch()
        >>> name, folder = module_name(root / "pkg" / "mod.py")
        >>> name, folder == root
        ('pkg.mod', True)
    """
    parts = [] if file.name == "__init__.py" else [file.stem]
    folder = file.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts), folder


def locate(
    fixtures: Iterable[Fixture], files: list[Path]
) -> tuple[list[SourceFunction], list[str]]:
    """Find each fixture's function in *files*; also say which targets were not found there."""
    roots: dict[Path, set[str]] = defaultdict(set)
    for file in files:
        name, root = module_name(file)
        if name:
            roots[root].add(name.split(".")[0])
    wanted = set(files)
    modules = {module_name(file)[0]: file for file in files}
    found: list[SourceFunction] = []
    missing: list[str] = []
    loaders = {root: _load(root, tops) for root, tops in roots.items()}
    for fixture in fixtures:
        name = fixture.target.name
        located = _find(name, loaders.values(), wanted) or _find_in_ast(name, modules)
        if located is None:
            missing.append(fixture.target.name)
        else:
            found.append(located)
    return found, missing


def _load(root: Path, tops: set[str]) -> Any:
    import griffe

    # griffe's notes and tracebacks are not the user's business: what is not found is reported.
    logging.getLogger("griffe").setLevel(logging.CRITICAL)
    loader = griffe.GriffeLoader(search_paths=[root])
    for top in sorted(tops):
        try:
            loader.load(top)
        except Exception:  # an unreadable package: its targets are reported as not found
            continue
    loader.resolve_aliases(implicit=False, external=False)
    return loader


def _find(target: str, loaders: Iterable[Any], wanted: set[Path]) -> SourceFunction | None:
    for loader in loaders:
        try:
            obj = loader.modules_collection[target]
        except (KeyError, Exception):
            continue
        if getattr(obj, "is_alias", False):
            try:
                obj = obj.final_target
            except Exception:
                continue
        filepath = getattr(obj, "filepath", None)
        if not isinstance(filepath, Path) or filepath.resolve() not in wanted:
            continue
        return SourceFunction(
            target, filepath.resolve(), obj.module.path, _spot(obj), _summary(obj)
        )
    return None


def _find_in_ast(target: str, modules: dict[str, Path]) -> SourceFunction | None:
    """A function defined in one of the files, found by its module and qualname, without griffe.

    griffe reads every file as UTF-8: this finds the functions of a file that declares another
    encoding, or of a module griffe could not load.
    """
    parts = target.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module, path = ".".join(parts[:cut]), modules.get(".".join(parts[:cut]))
        node = None if path is None else _definition(path, parts[cut:])
        if path is not None and node is not None:
            docstring = ast.get_docstring(node, clean=True)
            spot = FunctionSpot(node.name, _first_line(node), _style(_docstring(docstring)))
            summary = docstring.strip().splitlines()[0] if docstring and docstring.strip() else ""
            return SourceFunction(target, path, module, spot, summary)
    return None


def _definition(path: Path, qualname: list[str]) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        body: list[ast.stmt] = ast.parse(read_source(path).text).body
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    node: ast.stmt | None = None
    for name in qualname:
        # The last definition of a name is the one Python keeps.
        node = next((n for n in reversed(body) if _defines(n, name)), None)
        if node is None:
            return None
        body = node.body  # type: ignore[attr-defined]
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None


def _defines(node: ast.stmt, name: str) -> bool:
    kinds = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    return isinstance(node, kinds) and node.name == name


def _first_line(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])


def _docstring(text: str | None) -> Any:
    import griffe

    return None if text is None else griffe.Docstring(text)


def _spot(obj: Any) -> FunctionSpot:
    return FunctionSpot(name=obj.name, first_line=int(obj.lineno), style=_style(obj.docstring))


def _style(docstring: Any) -> Style:
    """NumPy when the docstring is written that way; Google otherwise (mkdocstrings' default)."""
    if docstring is None:
        return "google"
    import griffe

    style, _ = griffe.infer_docstring_style(docstring)
    return "numpy" if str(getattr(style, "value", style)) == "numpy" else "google"


def _summary(obj: Any) -> str:
    docstring = obj.docstring
    if docstring is None or not docstring.value.strip():
        return ""
    return str(docstring.value.strip().splitlines()[0])
