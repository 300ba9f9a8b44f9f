"""What a name read from a fixture may be, before it can reach generated code.

Fixture text is not trusted (fixtures arrive through pull requests), yet some of it becomes code:
a target's module and qualname are imported and called, a case id names a test, an exception
type is raised against, an argument name is passed by keyword. Each such name is checked here to
be exactly what it claims (a dotted identifier, an id as pytead writes them...), so that what the
generators write from it is a name and nothing else.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

#: A case id: pytead writes 8 hex digits; hand-written fixtures may use short words.
_CASE_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
#: The scope Python names in the qualname of a function defined inside another.
LOCALS = "<locals>"
#: Where a CamelCase name breaks into words: before a capital that follows a small letter or a
#: digit, and before the last capital of an acronym that starts a word (``TTL|Cache``).
_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(name: str) -> str:
    """*name* in snake case, acronyms kept whole.

    Examples:
        >>> snake_case("TTLCache"), snake_case("OrderedMultiDict"), snake_case("int_convert")
        ('ttl_cache', 'ordered_multi_dict', 'int_convert')
    """
    return _WORD_BREAK.sub("_", name).lower()


def is_identifier(text: object) -> bool:
    """Whether *text* is one Python name, spelled as the parser reads it (no keyword).

    Examples:
        >>> is_identifier("total"), is_identifier("class"), is_identifier("a b")
        (True, False, False)
    """
    return (
        isinstance(text, str)
        and text.isidentifier()
        and not keyword.iskeyword(text)
        and unicodedata.normalize("NFKC", text) == text  # the parser would read another name
    )


def is_dotted(text: object) -> bool:
    """Whether *text* is a dotted name (``shop.cart``), each part an identifier.

    Examples:
        >>> is_dotted("shop.cart"), is_dotted("shop..cart"), is_dotted("calc import x;")
        (True, False, False)
    """
    return isinstance(text, str) and all(is_identifier(part) for part in text.split("."))


def is_qualname(text: object) -> bool:
    """Whether *text* is a qualname: identifiers, with ``<locals>`` between scopes.

    Examples:
        >>> is_qualname("Cart.add"), is_qualname("outer.<locals>.inner"), is_qualname("<locals>")
        (True, True, False)
    """
    if not isinstance(text, str):
        return False
    parts = text.split(".")
    inner = parts[1:-1]
    return all(is_identifier(p) for p in (parts[0], parts[-1])) and all(
        is_identifier(p) or p == LOCALS for p in inner
    )


def is_case_id(text: object) -> bool:
    """Whether *text* has the shape of a case id (letters, digits, ``_`` and ``-``).

    Examples:
        >>> is_case_id("82482f89"), is_case_id("x'\\nimport os")
        (True, False)
    """
    return isinstance(text, str) and _CASE_ID.fullmatch(text) is not None


def is_argument_key(text: object) -> bool:
    """Whether *text* is how a case names an argument: ``name``, ``*name`` or ``**name``.

    Examples:
        >>> is_argument_key("qty"), is_argument_key("**options"), is_argument_key("x=1")
        (True, True, False)
    """
    return isinstance(text, str) and is_identifier(text.removeprefix("**").removeprefix("*"))


def is_import(module: object, name: object) -> bool:
    """Whether ``(module, name)`` spells an import: ``from module import name [as alias]``,
    or ``import module`` when *name* is empty.

    Examples:
        >>> is_import("shop.cart", "Cart as shop_Cart"), is_import("os;import sys", "")
        (True, False)
    """
    if not is_dotted(module) or not isinstance(name, str):
        return False
    bound, _, alias = name.partition(" as ")
    return name == "" or (is_identifier(bound) and (not alias or is_identifier(alias)))


def shown(text: object, limit: int = 60) -> str:
    """*text* quoted for an error message: escaped, one line, shortened.

    Examples:
        >>> print(shown("a\\nb"))
        'a\\nb'
    """
    quoted = ascii(text) if isinstance(text, str) else type(text).__name__
    return quoted if len(quoted) <= limit else quoted[: limit - 4] + "...'"
