"""Target names -> the functions and methods to observe.

A target is ``pkg.mod.func``, ``pkg.mod.Class.method``, ``pkg.mod.Class`` (its methods),
``pkg.mod`` (its functions and classes), a module attribute that is a bound method of a
module-level instance (``random.randint``), or any of those with ``*`` globs. Names resolve the
way Python itself would: ``import pkg`` then attribute access, importing a submodule only when no
attribute of that name exists, or when the attribute hides the submodule of the same name
(``from .slugs import slugs`` in ``pkg/__init__.py``). Errors name close matches, before the
traced program starts.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
import inspect
import pkgutil
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pytead._binding import format_signature
from pytead._errors import TargetError
from pytead._model import Kind, TargetInfo

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Target:
    """A resolved target: what to observe and where it is installed.

    Attributes:
        info: Name, kind and signature, as written in the fixture.
        function: The plain function (or callable) whose calls are recorded: for a classmethod,
            staticmethod or property, the function inside it.
        owner: The module or class holding the attribute.
        attribute: The attribute name in *owner*.
        instance: For a bound method of a module-level instance, that instance.
    """

    info: TargetInfo
    function: Callable[..., Any]
    owner: Any
    attribute: str
    instance: object | None = None

    @property
    def has_receiver(self) -> bool:
        """Whether the first parameter is ``self``/``cls``, kept apart from the arguments."""
        return self.info.kind in ("method", "classmethod", "property")


def resolve_targets(patterns: Iterable[str]) -> list[Target]:
    """Resolve target names and globs; each underlying function appears once.

    Raises:
        TargetError: A name does not exist, is not traceable, or a glob matches nothing.
    """
    targets: list[Target] = []
    seen: set[int] = set()
    for pattern in patterns:
        found = list(_resolve_pattern(pattern.strip()))
        if not found:
            raise TargetError("matches no function or method", where=pattern)
        for target in found:
            if id(target.function) not in seen:
                seen.add(id(target.function))
                targets.append(target)
    return targets


def _resolve_pattern(pattern: str) -> Iterator[Target]:
    parts = pattern.split(".")
    if not pattern or not all(parts):
        raise TargetError("is not a dotted name like pkg.module.function", where=repr(pattern))
    glob_at = next((i for i, part in enumerate(parts) if _GLOB_CHARS & set(part)), None)
    if glob_at is None:
        yield from _expand(pattern, *_walk(parts))
        return
    if glob_at == 0:
        raise TargetError("cannot start with a glob; name the module first", where=pattern)
    prefix = ".".join(parts[:glob_at])
    module_name, _owner, obj = _walk(parts[:glob_at])
    yield from _glob(prefix, module_name, obj, parts[glob_at:])


def _walk(parts: list[str]) -> tuple[str, Any, Any]:
    """Follow a dotted name; return (module part as spelled, owner of the last part, object).

    Attributes come first, as in Python. A package whose ``__init__`` does
    ``from .slugs import slugs`` makes ``pkg.slugs`` the function and hides the submodule of
    that name, so when an attribute lookup fails the name so far is tried as a module too:
    ``pkg.slugs.slugs`` is the function ``slugs`` of the submodule ``pkg.slugs``.
    """
    obj = _import_top(parts[0])
    module_name, owner = parts[0], None
    for index, part in enumerate(parts[1:], start=1):
        path = ".".join(parts[: index + 1])
        try:
            found = _attribute(obj, part, path)
        except TargetError:
            hidden = _hidden_module(".".join(parts[:index]), obj)
            if hidden is None:
                raise
            obj, module_name = hidden, hidden.__name__
            found = _attribute(obj, part, path)
        owner, obj = obj, found
        if isinstance(obj, types.ModuleType):
            module_name = path
    return module_name, owner, obj


def _hidden_module(name: str, shown: Any) -> types.ModuleType | None:
    """The module called *name*, when the attribute of that name is something else."""
    if "." not in name:
        return None
    try:
        module = sys.modules.get(name) or importlib.import_module(name)
    except Exception:  # not a module: the attribute error stands
        return None
    return module if module is not shown else None


def _import_top(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise _import_failed(name, exc) from exc
        known = sorted({m.name for m in pkgutil.iter_modules()} | set(sys.modules))
        close = tuple(difflib.get_close_matches(name, known, n=3))
        raise TargetError(f"no module named {name!r}", where=name, suggestions=close) from None
    except Exception as exc:
        raise _import_failed(name, exc) from exc


def _import_failed(name: str, exc: BaseException) -> TargetError:
    return TargetError(
        f"importing it failed with {type(exc).__name__}: {exc}",
        where=name,
        hint="fix the import error first (pytead imports targets before the program starts)",
    )


def _attribute(obj: Any, part: str, path: str) -> Any:
    if isinstance(obj, type):
        raw = class_attribute(obj, part)
        if raw is not None:
            return getattr(obj, part)
    elif hasattr(obj, part):
        return getattr(obj, part)
    if isinstance(obj, types.ModuleType) and hasattr(obj, "__path__"):
        try:
            return importlib.import_module(path)
        except ModuleNotFoundError as exc:
            if exc.name != path:
                raise _import_failed(path, exc) from exc
        except Exception as exc:
            raise _import_failed(path, exc) from exc
    names = [n for n in dir(obj) if not n.startswith("__")]
    if isinstance(obj, types.ModuleType) and hasattr(obj, "__path__"):
        names += [m.name for m in pkgutil.iter_modules(obj.__path__)]
    close = tuple(
        f"{path.rpartition('.')[0]}.{c}" for c in difflib.get_close_matches(part, names, n=3)
    )
    raise TargetError(f"{part!r} not found", where=path, suggestions=close)


def class_attribute(cls: type, name: str) -> Any:
    """The raw class attribute (staticmethod, classmethod, property...), looked up the MRO."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _expand(name: str, module_name: str, owner: Any, obj: Any) -> Iterator[Target]:
    if isinstance(obj, types.ModuleType):
        yield from _module_members(name, obj)
    elif isinstance(obj, type):
        yield from _class_members(module_name, name[len(module_name) + 1 :], obj)
    elif isinstance(owner, type):
        attribute = name.rpartition(".")[2]
        target = _method(module_name, name[len(module_name) + 1 :], owner, attribute)
        if target is None:
            raise TargetError("is not a method pytead can trace", where=name)
        yield target
    else:
        yield _callable(name, module_name, owner, obj)


def _callable(name: str, module_name: str, owner: Any, obj: Any) -> Target:
    attribute = name.rpartition(".")[2]
    if inspect.ismethod(obj) and not isinstance(obj.__self__, type):
        function, instance = obj, obj.__self__
    elif callable(obj) and not isinstance(obj, type):
        function, instance = obj, None
    else:
        raise TargetError(f"is a {type(obj).__name__}, not a function, class or module", where=name)
    _refuse_async_generator(function, name)
    info = target_info(name, module_name, "function", function)
    return Target(info, function, owner, attribute, instance)


def _method(module_name: str, qualname: str, cls: type, attribute: str) -> Target | None:
    raw = class_attribute(cls, attribute)
    kind: Kind
    if isinstance(raw, staticmethod):
        function, kind = raw.__func__, "staticmethod"
    elif isinstance(raw, classmethod):
        function, kind = raw.__func__, "classmethod"
    elif isinstance(raw, property) and raw.fget is not None:
        function, kind = raw.fget, "property"
    elif isinstance(raw, types.FunctionType):
        function, kind = raw, "method"
    else:
        return None
    name = f"{module_name}.{qualname}"
    _refuse_async_generator(function, name)
    return Target(target_info(name, module_name, kind, function), function, cls, attribute)


def _module_members(name: str, module: types.ModuleType) -> Iterator[Target]:
    for attribute, value in sorted(vars(module).items()):
        if attribute.startswith("__") or not _belongs(value, module):
            continue
        if isinstance(value, type):
            yield from _class_members(name, attribute, value)
        elif isinstance(value, types.FunctionType) and not inspect.isasyncgenfunction(value):
            yield Target(
                target_info(f"{name}.{attribute}", name, "function", value),
                value,
                module,
                attribute,
            )


def _belongs(value: Any, module: types.ModuleType) -> bool:
    """Defined in *module*, in one of its submodules, or listed in its ``__all__``."""
    if not isinstance(value, (type, types.FunctionType)):
        return False
    home = getattr(value, "__module__", None) or ""
    name = module.__name__
    return (
        home == name
        or home.startswith(name + ".")
        or value.__name__ in getattr(module, "__all__", ())
    )


def _class_members(module_name: str, class_path: str, cls: type) -> Iterator[Target]:
    """The methods *cls* defines, and those of the classes nested in it."""
    for attribute in sorted(cls.__dict__):
        if attribute.startswith("__") and attribute.endswith("__"):
            continue
        raw = cls.__dict__[attribute]
        if isinstance(raw, type):
            if raw.__qualname__ == f"{cls.__qualname__}.{attribute}":  # defined here, not aliased
                yield from _class_members(module_name, f"{class_path}.{attribute}", raw)
            continue
        function = getattr(raw, "__func__", getattr(raw, "fget", raw))
        if inspect.isasyncgenfunction(function):
            continue
        target = _method(module_name, f"{class_path}.{attribute}", cls, attribute)
        if target is not None:
            yield target


def _glob(prefix: str, module_name: str, obj: Any, rest: list[str]) -> Iterator[Target]:
    pattern, deeper = rest[0], rest[1:]
    if isinstance(obj, types.ModuleType):
        members = {
            k: v for k, v in vars(obj).items() if not k.startswith("__") and _belongs(v, obj)
        }
    elif isinstance(obj, type):
        members = {
            k: v for k, v in vars(obj).items() if not (k.startswith("__") and k.endswith("__"))
        }
    else:
        return
    for attribute in sorted(members):
        if not fnmatch.fnmatchcase(attribute, pattern):
            continue
        name = f"{prefix}.{attribute}"
        value = getattr(obj, attribute)
        if deeper:
            yield from _glob(name, module_name, value, deeper)
        elif isinstance(obj, type):
            target = _method(module_name, name[len(module_name) + 1 :], obj, attribute)
            if target is not None:
                yield target
        elif isinstance(value, type):
            yield from _class_members(module_name, attribute, value)
        elif isinstance(value, types.FunctionType) and not inspect.isasyncgenfunction(value):
            yield Target(target_info(name, module_name, "function", value), value, obj, attribute)


def _refuse_async_generator(function: Any, name: str) -> None:
    if inspect.isasyncgenfunction(function):
        raise TargetError(
            "is an async generator function, which pytead does not record yet", where=name
        )


def target_info(
    name: str, module_name: str, kind: Kind, function: Callable[..., Any]
) -> TargetInfo:
    """Describe *function*, reached as *name* in *module_name*, for its fixture header."""
    return TargetInfo(
        name=name,
        module=module_name,
        qualname=name[len(module_name) + 1 :],
        kind=kind,
        signature=format_signature(function),
        is_async=inspect.iscoroutinefunction(function),
        is_generator=inspect.isgeneratorfunction(function),
    )
