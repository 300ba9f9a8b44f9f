"""How generated test code names things: the imports it needs, the targets, local variables,
the tests and the rows of their tables.

Two imports that would bind one name get aliases built from their modules' names; a local
variable is named after what it holds, falling back to ``value`` when that is no identifier.
A test is named after its target and what its case passed (``test_apply_discount_80_0_25``,
``test_parse_sku_empty_text_raises_value_error``), a table row's id after the same arguments
(``"80.0-25"``); the case's hash is added only to tell apart cases that would share a name.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from dataclasses import dataclass

from pytead._calls import Param, parse_parameters
from pytead._codec import Node, Tagged
from pytead._codec.source import Import
from pytead._errors import CodecError
from pytead._model import Case, Raised, TargetInfo
from pytead._names import is_import, snake_case


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
    name = snake_case(base).strip("_")
    if not name.isidentifier() or keyword.iskeyword(name):
        name = "value"
    if name in namer.taken or name in {"l", "o", "i", "result", "snapshot", "pytest"}:
        name += "_value"
    return name


# -- test names and row ids ----------------------------------------------------------------------

#: Characters a word of a name or id may keep: ASCII only, so names stay plain identifiers.
_WORD_CHARS = re.compile(r"[A-Za-z0-9]+")
_SHORT = re.compile(r"[A-Za-z0-9_.\-]{1,16}")
#: How long the arguments' part of a name or id may grow before later arguments are dropped.
_MAX_SHOWN = 40
_CONTAINERS = frozenset({"tuple", "set", "frozenset", "dict"})


def case_names(base: str, cases: list[Case]) -> list[str]:
    """One test name per case: *base*, the case's arguments, how it raised; a hash on a tie.

    Examples:
        >>> from pytead._model import Returned
        >>> cases = [Case("3f1a2b4c", {"a": 2, "b": 3}, Returned(5)), Case("9e0d", {}, Returned(0))]
        >>> case_names("test_add", cases)
        ['test_add_2_3', 'test_add']
    """
    wanted = ["_".join([base, *case_words(case, for_name=True)]) for case in cases]
    return _untied(wanted, cases, "_")


def row_ids(cases: list[Case]) -> list[str]:
    """One ``pytest.param`` id per case, from its arguments (``80.0-25``); a hash on a tie.

    Examples:
        >>> from pytead._model import Returned
        >>> row_ids([Case("3f1a2b4c", {"sku": "", "qty": 2}, Returned(0))])
        ['empty-sku-2']
    """
    wanted = ["-".join(case_words(case, for_name=False, raised=False)) for case in cases]
    return _untied(wanted, cases, "-")


def _untied(wanted: list[str], cases: list[Case], joint: str) -> list[str]:
    """*wanted*, with the shortest prefix of the case hash that tells equal ones apart."""
    names = list(wanted)
    for length in (4, 8, 64):
        counts: dict[str, int] = {}
        for name in names:
            counts[name] = counts.get(name, 0) + 1
        if all(count == 1 and name for name, count in counts.items()):
            break  # an empty id (no argument to show) takes the hash too
        names = [
            _joined(want, _hash_word(case.id, length), joint)
            if counts[name] > 1 or not name
            else name
            for want, name, case in zip(wanted, names, cases, strict=True)
        ]
    return names


def _joined(name: str, word: str, joint: str) -> str:
    return f"{name}{joint}{word}" if name else word


def _hash_word(case_id: str, length: int) -> str:
    return "".join(_WORD_CHARS.findall(case_id))[:length].lower() or "case"


def case_words(case: Case, *, for_name: bool, raised: bool = True) -> list[str]:
    """The words that tell *case* apart: its arguments' renderings, then ``raises`` and the
    exception's class (``raises_value_error``) for a name."""
    words: list[str] = []
    size = 0
    for key, value in case.args.items():
        shown = [_spelled(word, for_name) for word in argument_words(key, value)]
        size += sum(len(word) + 1 for word in shown)
        if size > _MAX_SHOWN and words:
            break  # the first arguments are enough to read; a tie gets a hash
        words += shown
    if raised and isinstance(case.outcome, Raised):
        words += ["raises", _snake_words(case.outcome.type.rpartition(".")[2])]
    return [word for word in words if word]


def _spelled(word: str, for_name: bool) -> str:
    """*word* as a name spells it (``pn_0007``, ``minus_3``) or as an id does (``PN-0007``)."""
    if for_name:
        word = word.replace("-", "minus_", 1) if word[:1] == "-" else word
        return _snake_words(word)
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", word)


def argument_words(key: str, value: Node) -> list[str]:
    """Short readable words for one argument: the value itself when it is short, else its kind.

    ``*args`` and ``**kwargs`` are shown as their items (``1 2 shipping 3``); an empty value
    names its parameter (``empty sku``), so that two empty arguments read differently.

    Examples:
        >>> argument_words("sku", "PN-0007"), argument_words("sku", "")
        (['PN-0007'], ['empty', 'sku'])
        >>> argument_words("lines", [1, 2, 3]), argument_words("**fees", {"shipping": 3})
        (['3_items'], ['shipping', '3'])
    """
    name = key.lstrip("*")
    if key.startswith("**") and isinstance(value, dict):
        return [word for k, v in value.items() for word in [k, *value_words(v, k)]]
    if key.startswith("*") and isinstance(value, list | Tagged):
        items = value.value if isinstance(value, Tagged) else value
        if isinstance(items, list):
            return [word for item in items for word in value_words(item, name)]
    return value_words(value, name)


def value_words(value: Node, name: str) -> list[str]:
    """The words of one value (see `argument_words`); *name* is its parameter's."""
    if value is None or isinstance(value, bool):
        return [str(value).lower()]
    if isinstance(value, int | float):
        text = repr(value)
        return [text if len(text) <= 16 else type(value).__name__]
    if isinstance(value, str):
        return _text_words(value, name)
    if isinstance(value, list | dict):
        return _size_words(len(value), name)
    return _tagged_words(value, name)


def _text_words(text: str, name: str) -> list[str]:
    if not text:
        return ["empty", name]
    if _SHORT.fullmatch(text):
        return [text]
    # ``café`` is read ``cafe``; a script with no ASCII letters is shown by its length
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = _WORD_CHARS.findall(plain)
    shown = ""
    for word in words:
        if len(shown) + len(word) + 1 > 16:
            break
        shown = f"{shown}_{word}" if shown else word
    return [shown or f"{len(text)}_chars"]


def _size_words(size: int, name: str) -> list[str]:
    if size == 0:
        return ["empty", name]
    return [f"{size}_item" if size == 1 else f"{size}_items"]


def _tagged_words(node: Tagged, name: str) -> list[str]:
    payload = node.value
    if node.tag in _CONTAINERS and isinstance(payload, list | dict):
        return _size_words(len(payload), name)
    if node.tag == "obj" and isinstance(payload, dict) and isinstance(payload.get("type"), str):
        return [str(payload["type"]).rpartition(".")[2]]
    if node.tag in ("enum", "ref") and isinstance(payload, str):
        return [payload.rpartition(".")[2]]
    if node.tag in ("bytes", "uuid") or not isinstance(payload, str):
        return [node.tag.rpartition(".")[2]] if payload != "" else ["empty", name]
    return _text_words(payload, name)


def _snake_words(name: str) -> str:
    """``OutOfStock`` -> ``out_of_stock``: a class name as words of a test name."""
    return "_".join(_WORD_CHARS.findall(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name))).lower()
