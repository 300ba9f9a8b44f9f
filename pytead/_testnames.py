"""How generated test code names things: the imports it needs, the targets, local variables.

Two imports that would bind one name get aliases built from their modules' names; a local
variable is named after what it holds, falling back to ``value`` when that is no identifier.
"""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass
from typing import Any

from pytead._calls import Param, parse_parameters
from pytead._codec.source import Import
from pytead._errors import CodecError
from pytead._model import TargetInfo
from pytead._names import is_import


class Namer:
    """Collects the imports a test module needs; *aliases* rename those that would clash."""

    def __init__(self, aliases: dict[Import, str] | None = None) -> None:
        self.imports: set[Import] = set()
        self.aliases = aliases or {}
        #: Imports of the targets themselves: they keep their names when imports clash.
        self.targets: set[Import] = set()

    def use(self, imports: frozenset[Import] | set[Import]) -> None:
        """Record imports a rendered value needs.

        Raises:
            CodecError: One of them is not an import (a module or class with an odd name).
        """
        for module, name in imports:
            _check_import(module, name)
        self.imports |= imports

    def name(self, module: str, name: str) -> str:
        """``from module import name``; return how the code spells it."""
        if module != "builtins":
            _check_import(module, name)
            self.imports.add((module, name))
        return name

    def module(self, module: str) -> str:
        """``import module``; return how the code spells it."""
        _check_import(module, "")
        self.imports.add((module, ""))
        return module

    def clashes(self) -> dict[Import, str]:
        """Aliases for imports that bind a name another import binds too (targets keep theirs).

        Examples:
            >>> namer = Namer()
            >>> namer.use({("cal", "date"), ("datetime", "date")})
            >>> namer.clashes()
            {('datetime', 'date'): 'datetime_date'}
        """
        modules: dict[str, list[str]] = {}
        for module, name in sorted(self.imports, key=lambda imp: (imp not in self.targets, imp)):
            if name and " as " not in name:
                modules.setdefault(name, []).append(module)
        return {
            (module, name): f"{module.replace('.', '_')}_{name}"
            for name, found in modules.items()
            for module in found[1:]
        }

    @property
    def taken(self) -> set[str]:
        """Names bound at module level by the imports."""
        return {name.rpartition(" as ")[2] or module.split(".")[0] for module, name in self.imports}


@dataclass(frozen=True)
class TargetRef:
    """How generated code reaches a target: ``add``, ``Cart`` + ``add``, ``Outer.Inner`` + ``f``."""

    info: TargetInfo
    params: list[Param]
    owner_expr: str
    attribute: str
    imports: frozenset[Import]

    @classmethod
    def of(cls, info: TargetInfo, taken: dict[str, str] | None = None) -> TargetRef:
        """Spell *info*'s names; the import is added by the first test that uses it.

        *taken* maps names already imported by the module to their modules: a name another
        module already provides is imported under an alias (``from b import run as b_run``).
        """
        top, _, rest = info.qualname.partition(".")
        name = top
        if taken is not None:
            if taken.get(top, info.module) != info.module:
                name = f"{info.module.replace('.', '_')}_{top}"
            taken[name] = info.module
        spelled = name + (f".{rest}" if rest else "")
        imports = frozenset({(info.module, top if name == top else f"{top} as {name}")})
        params = parse_parameters(info.signature)
        if info.kind in ("method", "classmethod", "property") and params:
            params = params[1:]  # self / cls is not an argument
        if info.kind == "function":
            return cls(info, params, spelled, "", imports)
        owner, _, attribute = spelled.rpartition(".")
        return cls(info, params, owner, attribute, imports)


def _check_import(module: str, name: str) -> None:
    if not is_import(module, name):
        shown = f"from {module} import {name}" if name else f"import {module}"
        raise CodecError(f"{shown!r} is not an import statement", hint="capture the call again")


def variable_name(base: str, namer: Namer) -> str:
    """A readable local variable name that clashes with nothing imported."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower().strip("_")
    if not name.isidentifier() or keyword.iskeyword(name):
        name = "value"
    if name in namer.taken or name in {"l", "o", "i", "result", "snapshot", "pytest"}:
        name += "_value"
    return name


def literal_default(param: Param) -> tuple[bool, Any]:
    """Whether the parameter's default is a plain literal, and its value."""
    if param.default is None:
        return False, None
    try:
        return True, ast.literal_eval(param.default)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None
