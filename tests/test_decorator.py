"""`@pytead.trace`: the capture of `pytead run`; decorated callables stay what they were."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import run_python

from pytead._store import load_fixture

PROGRAM = """
import asyncio, inspect, sys
import pytead

SENTINEL = object()

def original(a, b=2):
    return a + b

traced = pytead.trace(original)

@pytead.trace(limit=1, storage_dir="elsewhere")
def limited(x):
    return x

@pytead.trace
def same_object(x):
    return SENTINEL

class Boom(Exception):
    pass

ERROR = Boom("kaboom")

@pytead.trace
def raises():
    raise ERROR

@pytead.trace
async def coro(x):
    await asyncio.sleep(0)
    return x + 1

@pytead.trace
def gen(n):
    yield from range(n)

class Account:
    def __init__(self):
        self.balance = 0

    @pytead.trace
    def deposit(self, amount):
        self.balance += amount
        return self.balance

    @pytead.trace
    @classmethod
    def opening(cls, amount):
        return amount * 2

    @staticmethod
    @pytead.trace
    def fee(amount):
        return amount // 10

checks = {
    "unwrap": inspect.unwrap(traced) is original,
    "signature": str(inspect.signature(traced)) == "(a, b=2)",
    "coroutine": inspect.iscoroutinefunction(coro),
    "generator": inspect.isgeneratorfunction(gen),
    "name": traced.__name__ == "original",
    "returned identity": same_object(1) is SENTINEL,
}
try:
    raises()
except Boom as exc:
    checks["raised identity"] = exc is ERROR
print(traced(1), limited(1), limited(2), asyncio.run(coro(1)), list(gen(3)))
account = Account()
print(account.deposit(5), account.deposit(5), Account.opening(3), Account.fee(50))
print(sorted(name for name, ok in checks.items() if not ok) or "all good")
sys.exit(4)
"""


def test_decorated_callables_keep_their_nature_and_record_calls(
    tmp_path: Path, backend: str
) -> None:
    (tmp_path / "decorated.py").write_text(textwrap.dedent(PROGRAM))
    result = run_python("decorated.py", cwd=tmp_path, backend=backend)
    assert result.returncode == 4, result.stderr
    assert result.stdout.splitlines() == ["3 1 2 2 [0, 1, 2]", "5 10 6 5", "all good"]
    assert "pytead: recorded" in result.stderr

    store = tmp_path / "call_logs" / "decorated"
    assert load_fixture(store / "original.yaml").cases[0].args == {"a": 1}
    assert len(load_fixture(tmp_path / "elsewhere/decorated/limited.yaml").cases) == 1
    raised = load_fixture(store / "raises.yaml").cases[0].outcome
    assert getattr(raised, "type", "") == "decorated.Boom"
    assert load_fixture(store / "coro.yaml").target.is_async
    assert load_fixture(store / "gen.yaml").cases[0].yields == [0, 1, 2]
    deposit = load_fixture(store / "Account.deposit.yaml")
    assert deposit.target.kind == "method" and len(deposit.cases) == 2
    assert {str(c.self_after) for c in deposit.cases} == {"{'balance': 5}", "{'balance': 10}"}
    assert load_fixture(store / "Account.opening.yaml").target.kind == "classmethod"
    assert load_fixture(store / "Account.fee.yaml").target.kind == "staticmethod"
