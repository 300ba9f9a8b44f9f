"""Which names a fixture may make pytead import and instantiate: decided by name, before import.

Fixture text is untrusted (it arrives through pull requests), the project's own code is not.
A dotted name that a fixture gives (an ``!obj`` type, an ``!enum`` class, a ``!ref``, the target
module) is trusted when its top-level module is first-party, when it is one of the codec's
known safe types, or when ``[tool.pytead] trusted-types`` lists it (or a module above it).
Anything else is refused with `UntrustedName` before anything is imported.

Names are checked twice: once as written, before the import, and once for the object they
lead to, since a first-party module may re-export ``os.system`` under a first-party name.
"""

from __future__ import annotations

import builtins
import keyword
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import FunctionType, ModuleType

from pytead._errors import CodecError, UsageError

#: Standard-library types the decoder rebuilds itself (``__new__`` + its own filling code), or
#: whose constructors only store what they are given. Reviewed one by one: add with care.
SAFE_TYPES = frozenset(
    {
        "builtins.bytearray",
        "builtins.object",
        "collections.OrderedDict",
        "collections.Counter",
        "collections.defaultdict",
        "collections.deque",
        "types.SimpleNamespace",
        "argparse.Namespace",
        "json.JSONDecodeError",
        "json.decoder.JSONDecodeError",
        "decimal.InvalidOperation",
        "decimal.DivisionByZero",
        "re.RegexFlag",
        "http.HTTPStatus",
        # Rebuilt from their state only; the functions they hold are names checked on their own.
        "functools.partial",
        "inspect.Signature",
        "inspect.Parameter",
        "inspect._ParameterKind",
    }
)

#: Standard-library classes whose constructor only checks and stores its arguments: a value of
#: one recorded by its pickle recipe (``inspect.Signature(parameters)``) may be built by calling
#: the class, like the project's own classes.
SAFE_CALLS = frozenset({"inspect.Signature", "inspect.Parameter"})

#: Modules of plain functions a ``!ref`` may name: they compute, they touch nothing else (the
#: higher-order ones call only functions that were themselves checked).
SAFE_REF_MODULES = frozenset(
    {"math", "cmath", "operator", "_operator", "functools", "_functools", "itertools"}
)

#: Value classes and clocks a ``!ref`` may name besides `SAFE_TYPES`: calling one only parses
#: its input or reads the time.
SAFE_REF_CLASSES = frozenset(
    {
        "decimal.Decimal",
        "fractions.Fraction",
        "datetime.date",
        "datetime.datetime",
        "datetime.time",
        "datetime.timedelta",
        "datetime.timezone",
        "uuid.UUID",
        "inspect._empty",  # the "no default, no annotation" marker of signatures
        # Clocks, passed as the timer of caches and rate limiters: they only read the time.
        "time.monotonic",
        "time.monotonic_ns",
        "time.perf_counter",
        "time.perf_counter_ns",
        "time.process_time",
        "time.time",
        "time.time_ns",
    }
)

#: Builtins a ``!ref`` may not name: they run code, reach into objects, or talk to the user.
DENIED_BUILTINS = frozenset(
    {
        "eval", "exec", "compile", "open", "__import__", "input", "breakpoint", "getattr",
        "setattr", "delattr", "globals", "locals", "vars", "exit", "quit", "help", "copyright",
        "credits", "license",
    }
)  # fmt: skip

#: Plain functions of `SAFE_REF_MODULES` that call what they are given.
DENIED_REFS = frozenset({"operator.call", "_operator.call", "operator.methodcaller"})

CONFIG_KEY = "[tool.pytead] trusted-types"


class UntrustedName(CodecError):
    """A fixture names a type, function or module pytead may not import or instantiate."""


def is_dotted_name(name: str) -> bool:
    """Whether *name* is ``a.b.c`` made of identifiers that are not keywords.

    Examples:
        >>> is_dotted_name("shop.cart.Cart"), is_dotted_name("os.system('x')")
        (True, False)
    """
    parts = name.split(".")
    return all(part.isidentifier() and not keyword.iskeyword(part) for part in parts)


def _under(name: str, entry: str) -> bool:
    """Whether *name* is *entry* or something defined below it (``pkg.mod.Cls`` under ``pkg``)."""
    return name == entry or name.startswith(entry + ".")


@dataclass(frozen=True)
class TrustPolicy:
    """What a fixture may name.

    Attributes:
        first_party: The project's top-level modules and packages.
        trusted_types: Entries of ``[tool.pytead] trusted-types``: dotted class names, or
            modules and packages whose every name is trusted.
    """

    first_party: frozenset[str] = frozenset()
    trusted_types: tuple[str, ...] = ()

    def trusts_code(self, name: str) -> bool:
        """Whether *name* belongs to code the project trusts: its module may be imported."""
        if not is_dotted_name(name):
            return False
        top = name.split(".")[0]
        return top in self.first_party or any(_under(name, e) for e in self.trusted_types)

    def trusts_type(self, name: str, codec_types: Iterable[str] = ()) -> bool:
        """Whether a fixture may have a *name* object rebuilt (trusted code or a safe type)."""
        return (
            self.trusts_code(name)
            or name in SAFE_TYPES
            or name in codec_types
            or _is_builtin_exception(name)
        )

    def trusts_call(self, name: str) -> bool:
        """Whether the class *name* may be called to build a recorded value (its recipe)."""
        return self.trusts_code(name) or name in SAFE_CALLS

    def trusts_ref(self, name: str) -> bool:
        """Whether a ``!ref`` may name *name* (trusted code, harmless builtins, math...)."""
        return self.trusts_code(name) or _is_safe_ref(name)

    def check_type(self, name: str, what: str, codec_types: Iterable[str] = ()) -> None:
        """Refuse *name* unless `trusts_type`; *what* says where it was named (``!obj type``).

        Raises:
            UntrustedName: It is not trusted.
        """
        if not self.trusts_type(name, codec_types):
            raise untrusted(what, name)

    def check_ref(self, name: str) -> None:
        """Refuse a ``!ref`` to *name* unless `trusts_ref`.

        Raises:
            UntrustedName: It is not trusted.
        """
        if not self.trusts_ref(name):
            raise untrusted("!ref", name)


def untrusted(what: str, name: str) -> UntrustedName:
    """The error for a fixture naming *name* as *what*, with the way to trust it."""
    if not is_dotted_name(name):
        return UntrustedName(
            f"{what} {name!r:.80} is not a dotted name", hint="edit the fixture or capture again"
        )
    if _is_denied(name):
        return UntrustedName(
            f"{what} {name} is never rebuilt from a fixture (it runs code)",
            hint="edit the fixture or capture again",
        )
    return UntrustedName(
        f"{what} {name} is not trusted (not in the project's own modules)",
        hint=f'add "{name}" to {CONFIG_KEY} if the project trusts its code',
    )


def _is_denied(name: str) -> bool:
    module, _, attribute = name.rpartition(".")
    return (module == "builtins" and attribute in DENIED_BUILTINS) or name in DENIED_REFS


def _is_builtin_exception(name: str) -> bool:
    module, _, attribute = name.rpartition(".")
    found = getattr(builtins, attribute, None) if module == "builtins" else None
    return isinstance(found, type) and issubclass(found, BaseException)


def _is_safe_ref(name: str) -> bool:
    if name in SAFE_TYPES or name in SAFE_REF_CLASSES:
        return True
    module, _, attribute = name.rpartition(".")
    if not is_dotted_name(name) or attribute.startswith("_") or _is_denied(name):
        return False
    return module == "builtins" or module in SAFE_REF_MODULES


def real_name(obj: object) -> str | None:
    """The name *obj* is defined under (``module.qualname``, or a module's own name).

    A Python function's module is the one its code runs in (its globals): ``__module__`` can
    be set at will, and `functools.wraps` sets it to the wrapped function's.
    """
    if isinstance(obj, ModuleType):
        return obj.__name__
    module = getattr(obj, "__module__", None)
    if isinstance(obj, FunctionType):
        module = obj.__globals__.get("__name__", module)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str):
        return f"{module}.{qualname}"
    return None


def check_located(
    policy: TrustPolicy, name: str, obj: object, what: str, codec_types: Iterable[str] = ()
) -> None:
    """Refuse *obj*, found under the trusted *name*, when it is defined somewhere untrusted.

    Raises:
        UntrustedName: What *name* leads to is not trusted itself.
    """
    real = real_name(obj)
    if real is None or real == name:
        return
    trusted = policy.trusts_ref(real) if what == "!ref" else policy.trusts_type(real, codec_types)
    if not trusted:
        error = untrusted(what, real)
        error.what = f"{what} {name} leads to {real}, which is not trusted"
        error.args = (error.one_line(),)
        raise error


# -- the policy of a project -------------------------------------------------------------------


def project_modules(root: Path, folders: Iterable[str] = ()) -> frozenset[str]:
    """Top-level modules of the project, and of its *folders* that really lie inside it.

    *folders* come from fixture headers (``sys_path``), so they are not taken on trust: a folder
    that leads out of the project, or into installed packages, adds nothing.
    """
    from pytead._project import first_party_modules, folders_on_path

    names = set(first_party_modules(root))
    inside = folders_on_path(root, [str(root / folder) for folder in folders])
    for folder in inside:
        names |= _top_level_modules(root / folder)
    return frozenset(names)


def _top_level_modules(folder: Path) -> set[str]:
    return {
        entry.stem
        for entry in folder.iterdir()
        if entry.suffix == ".py" or (entry / "__init__.py").is_file()
    }


def policy_for(
    root: Path, trusted_types: Iterable[str] = (), folders: Iterable[str] = ()
) -> TrustPolicy:
    """The policy of the project at *root* (see `project_modules`) with its trusted types."""
    return TrustPolicy(project_modules(root, folders), tuple(trusted_types))


_ACTIVE: ContextVar[TrustPolicy | None] = ContextVar("pytead_trust", default=None)


@contextmanager
def trusting(policy: TrustPolicy) -> Iterator[TrustPolicy]:
    """Make *policy* the one every decoding uses until the block ends."""
    token = _ACTIVE.set(policy)
    try:
        yield policy
    finally:
        _ACTIVE.reset(token)


def current() -> TrustPolicy:
    """The policy in force: the one `trusting` set, else the project's where this process runs.

    Generated tests rebuild values with `pytead.fixture_value` inside the project's own test
    run: the project is then found from the working directory, as pytead's commands find it,
    and the project folders on ``sys.path`` (those the root ``conftest.py`` adds) count too.
    """
    policy = _ACTIVE.get()
    return policy if policy is not None else _working_directory_policy()


def _working_directory_policy() -> TrustPolicy:
    import sys

    from pytead._config import load_config
    from pytead._project import folders_on_path, project_root

    try:
        trusted = load_config().trusted_types
    except UsageError:  # a broken setting is reported by the commands; here trust less
        trusted = ()
    root = project_root()
    return policy_for(root, trusted, folders_on_path(root, sys.path))


# -- looking names up ----------------------------------------------------------------------------


def locate_trusted(
    name: str, what: str, policy: TrustPolicy | None = None, codec_types: Iterable[str] = ()
) -> object:
    """Import what *name* names, once the policy trusts it as *what* (``!obj type``, ``!ref``).

    Raises:
        UntrustedName: *name*, or what it leads to, is not trusted.
        LookupError: Nothing has that name.
    """
    from pytead._codec.nodes import locate

    policy = policy or current()
    if what == "!ref":
        policy.check_ref(name)
    else:
        policy.check_type(name, what, codec_types)
    found = locate(name)
    check_located(policy, name, found, what, codec_types)
    return found


def locate_loaded(name: str) -> object | None:
    """What *name* names among the modules already imported, importing nothing; else None.

    For names pytead only spells and never instantiates (a recorded exception's class): a
    module the trusted target imported itself costs nothing more to name.
    """
    import sys

    if not is_dotted_name(name):
        return None
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        found: object = sys.modules.get(".".join(parts[:cut]))
        if found is None:
            continue
        for part in parts[cut:]:
            found = getattr(found, part, None)
        return found
    return None


def exception_class(name: str, policy: TrustPolicy | None = None) -> object:
    """The class a recorded exception names, for a test to spell (it is never instantiated).

    A trusted name is imported; any other is looked up only among the modules already
    imported (those of the trusted target), so a fixture cannot make pytead import a module.

    Raises:
        UntrustedName: The name is not trusted and not found among the imported modules.
        LookupError: A trusted name does not exist.
    """
    from pytead._codec.nodes import locate

    policy = policy or current()
    if policy.trusts_type(name):
        return locate(name)
    found = locate_loaded(name) if is_dotted_name(name) else None
    if found is None and is_dotted_name(name):
        raise LookupError(f"{name!r} is not the project's, and the target did not import it")
    if not (isinstance(found, type) and issubclass(found, BaseException)):
        raise untrusted("exception class", name)
    return found


def locate_target(name: str, policy: TrustPolicy | None = None) -> object:
    """Import a traced target (or its class) that a fixture names, to call it.

    Raises:
        UntrustedName: Its module is not trusted, or the name leads to code that is not
            (``mypkg.run`` being ``subprocess.run``).
        LookupError: Nothing has that name.
    """
    from pytead._codec.nodes import locate

    policy = policy or current()
    if not policy.trusts_code(name):
        raise untrusted("target", name)
    found = locate(name)
    real = real_name(found)
    if real is not None and not policy.trusts_code(real):
        raise untrusted("target", real)
    return found
