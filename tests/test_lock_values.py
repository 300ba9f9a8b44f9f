"""Locks that guard an object's state are recorded, rebuilt as new locks and written as code."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead
from test_value_roads import gen_tests, pytest_passes, roads

from pytead._codec.decoder import decode
from pytead._codec.encoder import Encoder
from pytead._codec.nodes import Tagged
from pytead._codec.source import render_source


@pytest.mark.parametrize(("make", "name"), [(threading.Lock, "Lock"), (threading.RLock, "RLock")])
def test_a_free_lock_is_recorded_rebuilt_and_written(make: type, name: str) -> None:
    node = Encoder().encode(make())
    assert node == Tagged(f"threading.{name}", {})
    rebuilt = decode(node)
    assert type(rebuilt) is type(make()) and rebuilt.acquire(blocking=False)
    assert render_source(node).text == f"threading.{name}()"


@pytest.mark.parametrize("make", [threading.Lock, threading.RLock])
def test_a_held_lock_stays_opaque_and_held(make: type) -> None:
    lock = make()
    with lock:
        node = Encoder().encode({"lock": lock})
        assert isinstance(node, Tagged) and node.tag == "opaque"
        assert "is held" in str(node.value)
        assert not (lock.acquire(blocking=False) if make is threading.Lock else False)
    assert lock.acquire(blocking=False)  # recording it never took nor released it


@pytest.mark.parametrize(
    ("make", "written"),
    [
        (threading.RLock, "threading.Condition()"),
        (threading.Lock, "threading.Condition(threading.Lock())"),
    ],
)
def test_a_condition_nobody_waits_on_is_recorded_with_its_lock(make: type, written: str) -> None:
    lock = make()
    node = Encoder().encode({"lock": lock, "ready": threading.Condition(lock)})
    assert isinstance(node, dict)
    condition = node["ready"]
    assert isinstance(condition, Tagged) and condition.tag == "threading.Condition"
    assert condition.value["lock"] is node["lock"]  # one lock, shared
    rebuilt = decode(node)
    assert rebuilt["ready"]._lock is rebuilt["lock"] and type(rebuilt["lock"]) is type(lock)
    with rebuilt["ready"]:
        rebuilt["ready"].notify_all()
    assert render_source(condition).text == written


def test_a_condition_a_thread_waits_on_stays_opaque() -> None:
    condition = threading.Condition()
    waiting = threading.Event()

    def wait() -> None:
        with condition:
            waiting.set()
            condition.wait(timeout=10)

    thread = threading.Thread(target=wait)
    thread.start()
    assert waiting.wait(timeout=10)
    with condition:  # the waiter released the lock inside wait(): it is registered by now
        node = Encoder().encode({"ready": condition})
        condition.notify_all()
    thread.join(timeout=10)
    assert isinstance(node, Tagged) and node.tag == "opaque"
    assert "threads wait on the condition" in str(node.value)


CACHE = """
import threading


class Cache:
    def __init__(self, size):
        self._lock = threading.RLock()
        self._items = {}
        self.size = size

    def put(self, key, value):
        with self._lock:
            self._items[key] = value
            return len(self._items)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CACHE)


def test_an_object_holding_a_lock_gets_a_test_without_pytead(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main = "import calc\ncache = calc.Cache(2)\ncache.put('a', 1)\ncache.put('b', 2)\n"
    (project / "main.py").write_text(main)
    assert run_pytead("run", "calc.Cache.put", "--", "main.py", cwd=project).returncode == 0
    fixture = (project / "call_logs" / "calc" / "Cache.put.yaml").read_text()
    assert "!threading.RLock" in fixture and "!opaque" not in fixture
    text, lines = gen_tests(capsys)
    assert "none left out" in lines[-1], lines
    assert "cache._items == {" in text, text
    assert roads(lines)["rebuild"] == 0 and roads(lines)["fixture_value"] == 0
    assert pytest_passes(project)
