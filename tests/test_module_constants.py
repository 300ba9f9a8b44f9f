"""An immutable value its module names is read back as the module's own object.

Token types compared by identity (``token.ttype is T.Punctuation``) are tuple subclasses a
module binds by name. Rebuilt as an equal copy, a value holding one (a statement read back from
its fixture) no longer matches them, and its test fails on unchanged code; read back as the
module's own object, it behaves as in the program.
"""

from __future__ import annotations

from pytead._codec import Decoder, Encoder
from pytead._codec.decoder import module_constant


class Kind(tuple[str, ...]):
    """A token type: equal to a tuple, but compared by identity by the code using it."""


WORD = Kind(["word"])
COMMA = Kind(["comma"])


class Token:
    def __init__(self, kind: Kind, text: str) -> None:
        self.kind, self.text = kind, text


def test_a_named_constant_is_read_back_as_the_module_s_own_object() -> None:
    tokens = Decoder().decode(Encoder().encode([Token(WORD, "a"), Token(COMMA, ",")]))
    assert [token.kind is kind for token, kind in zip(tokens, [WORD, COMMA], strict=True)] == [
        True,
        True,
    ]


def test_a_value_no_module_names_stays_a_copy() -> None:
    other = Kind(["space"])
    assert module_constant(other) is None
    assert module_constant(Kind(["comma"])) is COMMA
    assert module_constant(("comma",)) is None  # a plain tuple is no module's constant
    copy = Decoder().decode(Encoder().encode(other))
    assert copy == other and copy is not other
