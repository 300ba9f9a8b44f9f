"""Every shape of function, method and value pytead has to handle, in one module."""

import asyncio
import enum
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple


class Mode(enum.Enum):
    FAST = "fast"
    SLOW = "slow"


class Point(NamedTuple):
    x: int
    y: int


@dataclass(frozen=True)
class Box:
    w: int
    h: int

    @property
    def area(self) -> int:
        return self.w * self.h


class Oops(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


class Counter:
    created = 0

    def __init__(self, start: int):
        self.value = start

    def bump(self, by=1, *, twice=False):
        self.value += by * (2 if twice else 1)
        return self.value

    @classmethod
    def make(cls, start):
        return cls(start)

    @staticmethod
    def clamp(x, lo=0, hi=10):
        return max(lo, min(hi, x))

    @property
    def doubled(self):
        return self.value * 2

    class Inner:
        def ping(self, n):
            return "pong" * n


def posonly(a, b, /, c=3, *rest, key=None, **extra):
    return (a, b, c, rest, key, extra)


def nothing(x):
    return None


def truth(x):
    return x > 0


def many(n):
    return list(range(n))


def big_text(n):
    return "word " * n


def shape(p: Point, mode: Mode) -> Box:
    return Box(p.x, p.y) if mode is Mode.FAST else Box(p.y, p.x)


def tags(words):
    return set(words)


def raw(b: bytes) -> bytes:
    return b[::-1]


def where(p: Path) -> Path:
    return p / "child"


def fail(code):
    raise Oops(code, f"failed with {code}")


def gen(n):
    for i in range(n):
        if i == 3:
            raise ValueError("three")
        yield i


async def slow_add(a, b):
    await asyncio.sleep(0)
    if a < 0:
        raise ValueError("negative")
    return a + b


class Plain:
    def __init__(self, x):
        self.x = x


def make_plain(x):
    return Plain(x)
