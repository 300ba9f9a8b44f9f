"""Names in examples: the variables an example binds, and dunder calls read as a person writes.

A variable never rebinds what a later line may need: a name of the module the example runs
in, a builtin, a keyword, or the class it holds an instance of (``int_convert``). A call of
``__getattr__`` that reading the attribute reaches is shown as that read (``box.key``).
"""

from __future__ import annotations

import builtins
import importlib
import keyword
from typing import Any

from pytead._model import Case, TargetInfo
from pytead._names import snake_case

#: Names an example must not rebind: a later line may need the builtin.
_BUILTINS = frozenset(vars(builtins))


def instance_name(owner: str, namespace: dict[str, Any]) -> str:
    """The variable an instance of the class *owner* is bound to: its name in snake case, or
    with an article when that name is taken (a class already named in snake case, a name of
    the module the example runs in, a keyword), since rebinding it would break what follows.

    Examples:
        >>> instance_name("Box", {}), instance_name("int_convert", {}), instance_name("If", {})
        ('box', 'an_int_convert', 'an_if')
    """
    variable = snake_case(owner.rpartition(".")[2].lstrip("_"))
    return unshadowing(variable, namespace, set(owner.split(".")))


def unshadowing(variable: str, namespace: dict[str, Any], taken: set[str]) -> str:
    """*variable*, or with an article when the module's *namespace*, the names *taken* by
    the example, Python's builtins or its keywords already use it."""
    for name in (variable, f"{'an' if variable[:1] in 'aeiou' else 'a'}_{variable}".rstrip("_")):
        used = name in namespace or name in taken or name in _BUILTINS or keyword.iskeyword(name)
        if not used and name.isidentifier():
            return name
    return f"the_{variable}_value".replace("__", "_")


def attribute_read(info: TargetInfo, case: Case) -> str | None:
    """The name a ``__getattr__`` call was asked for, when reading it as an attribute of the
    instance reaches ``__getattr__``: a plain identifier that its class does not define."""
    names = [value for value in case.args.values() if isinstance(value, str)]
    if len(case.args) != 1 or len(names) != 1:
        return None
    name = names[0]
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        return None
    try:
        owner: Any = importlib.import_module(info.module)
        for part in info.qualname.split(".")[:-1]:
            owner = getattr(owner, part)
    except (ImportError, AttributeError):
        return None
    return None if hasattr(owner, name) else name
