"""Types the codec tests encode: they must live in an importable module, as user types do."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Perm(enum.Flag):
    R = 4
    W = 2


@dataclass
class Point:
    x: int
    y: int = 0


@dataclass(frozen=True)
class Frozen:
    name: str
    tags: tuple[str, ...] = ()


@dataclass
class WithDerived:
    base: int
    double: int = field(init=False)

    def __post_init__(self) -> None:
        self.double = self.base * 2


class Pair(NamedTuple):
    left: int
    right: str


class Cart:
    def __init__(self) -> None:
        self.items: dict[str, int] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cart) and other.items == self.items


class Account:
    def __init__(self, owner: str, balance: int = 0) -> None:
        self.owner = owner
        self.balance = balance

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Account) and vars(other) == vars(self)


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, a: int, b: int) -> None:
        self.a = a
        self.b = b

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Slotted) and (self.a, self.b) == (other.a, other.b)


class Stateful:
    def __init__(self, value: int) -> None:
        self.value = value
        self.cache: dict[int, int] = {}

    def __getstate__(self) -> dict[str, int]:
        return {"value": self.value}

    def __setstate__(self, state: dict[str, int]) -> None:
        self.value = state["value"]
        self.cache = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Stateful) and other.value == self.value


class AppError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(code, message)
        self.code = code


class Token(str):
    """A ``str`` whose ``__new__`` wants the parts it is made of, as parsers' tokens do."""

    def __new__(cls, kind: str, text: str, raw: str) -> Token:
        token = super().__new__(cls, text)
        token.kind, token.raw = kind, raw
        return token


class Handle:
    """A class whose ``__new__`` needs an argument."""

    def __new__(cls, number: int) -> Handle:
        handle = super().__new__(cls)
        handle.number = number
        return handle
