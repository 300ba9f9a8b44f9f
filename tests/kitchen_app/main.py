"""Call every shape of kitchen.py once or twice, as a program would."""

import asyncio
import contextlib
from pathlib import Path

import kitchen as k

counter = k.Counter(1)
counter.bump()
counter.bump(2, twice=True)
print(counter.doubled)
k.Counter.make(5)
k.Counter.clamp(15)
k.Counter.clamp(-3, lo=-1)
k.Counter.Inner().ping(2)
k.posonly(1, 2)
k.posonly(1, 2, 4, 5, 6, key="k", z=9)
k.nothing(1)
k.truth(1)
k.truth(-1)
k.many(30)
k.big_text(40)
k.shape(k.Point(1, 2), k.Mode.FAST)
k.shape(k.Point(3, 4), k.Mode.SLOW)
k.tags(["b", "a"])
k.tags([3, 1, 2])
k.raw(b"abc")
k.where(Path("/tmp/x"))
with contextlib.suppress(k.Oops):
    k.fail(7)
list(k.gen(2))
with contextlib.suppress(ValueError):
    list(k.gen(5))
asyncio.run(k.slow_add(1, 2))
with contextlib.suppress(ValueError):
    asyncio.run(k.slow_add(-1, 2))
k.make_plain(3)
print(k.Box(2, 3).area)
