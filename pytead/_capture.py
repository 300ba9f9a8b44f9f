"""Capture by wrapping: the fallback for callables without Python code, on every Python.

Functions are observed through their own code (`pytead._monitoring` on 3.12+,
`pytead._instrument` on 3.11), which keeps their identity. Builtins, C functions and callable
instances have no code to observe, so they are replaced by a wrapper instead. A wrapper keeps
``__wrapped__``, the signature, ``iscoroutinefunction`` / ``isgeneratorfunction``, and hands
the program the very objects the callable returned or raised. Once its target reached the
limit, a wrapper only checks one attribute and calls through, until the original is put back.
Targets are patched where they are defined and under every other module-level name bound to
them, so ``from pkg import f`` done before or after the patch reaches the wrapper too; a
reference held elsewhere (a default argument, a dict) still reaches the original, unrecorded.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import sys
import types
from collections.abc import Callable, Generator
from typing import Any

from pytead._binding import Binder
from pytead._recorder import Pending, Recorder, TargetState
from pytead._targets import Target, class_attribute


def make_wrapper(
    function: Callable[..., Any], state: TargetState, binder: Binder, recorder: Recorder
) -> Callable[..., Any]:
    """Wrap *function* so its calls are recorded into *state*."""
    if inspect.iscoroutinefunction(function):
        return _async_wrapper(function, state, binder, recorder)
    if inspect.isgeneratorfunction(function):
        return _generator_wrapper(function, state, binder, recorder)
    return _sync_wrapper(function, state, binder, recorder)


def _sync_wrapper(
    function: Callable[..., Any], state: TargetState, binder: Binder, recorder: Recorder
) -> Callable[..., Any]:
    # Only the outermost call of a recursion is a case; a context variable also keeps
    # interleaved threads and asyncio tasks apart.
    active = contextvars.ContextVar(f"pytead:{state.info.name}", default=False)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if state.closed or (state.outermost_only and active.get()):
            return function(*args, **kwargs)
        bound = binder.bind(args, kwargs)
        pending = None if bound is None else recorder.begin(state, bound)
        if pending is None:
            return function(*args, **kwargs)
        token = active.set(True)
        try:
            result = function(*args, **kwargs)
        except BaseException as exc:
            recorder.finish_raise(pending, exc)
            raise
        finally:
            active.reset(token)
        recorder.finish_return(pending, result)
        return result

    return wrapper


def _async_wrapper(
    function: Callable[..., Any], state: TargetState, binder: Binder, recorder: Recorder
) -> Callable[..., Any]:
    active = contextvars.ContextVar(f"pytead:{state.info.name}", default=False)

    @functools.wraps(function)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        if state.closed or (state.outermost_only and active.get()):
            return await function(*args, **kwargs)
        bound = binder.bind(args, kwargs)
        pending = None if bound is None else recorder.begin(state, bound)
        if pending is None:
            return await function(*args, **kwargs)
        token = active.set(True)
        try:
            result = await function(*args, **kwargs)
        except BaseException as exc:
            recorder.finish_raise(pending, exc)
            raise
        finally:
            active.reset(token)
        recorder.finish_return(pending, result)
        return result

    return wrapper


def _generator_wrapper(
    function: Callable[..., Any], state: TargetState, binder: Binder, recorder: Recorder
) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
        if state.closed:
            return (yield from function(*args, **kwargs))
        bound = binder.bind(args, kwargs)
        pending = None if bound is None else recorder.begin(state, bound)
        generator = function(*args, **kwargs)
        if pending is None:
            return (yield from generator)
        return (yield from _recording(generator, pending, recorder))

    return wrapper


def _recording(
    generator: Generator[Any, Any, Any], pending: Pending, recorder: Recorder
) -> Generator[Any, Any, Any]:
    """Delegate to *generator* like ``yield from`` (PEP 380), noting each item as it is consumed."""
    try:
        item = next(generator)
        while True:
            recorder.add_yield(pending, item)
            try:
                sent = yield item
            except GeneratorExit:
                generator.close()
                raise
            except BaseException as exc:  # thrown in by the consumer: pass it on
                recorder.add_throw(pending, exc)
                item = generator.throw(exc)
            else:
                if sent is not None:  # send(None) resumes as next() does
                    recorder.add_send(pending, sent)
                item = generator.send(sent)
    except StopIteration as stop:
        recorder.finish_return(pending, stop.value)
        return stop.value
    except BaseException as exc:
        recorder.finish_raise(pending, exc)
        raise


def install_wrappers(targets: list[Target], recorder: Recorder) -> None:
    """Patch every target with a recording wrapper, under all its module-level names.

    Once a target has reached its limit and no call of it is in flight, the originals are put
    back where the wrappers were, so the rest of the run calls them at full speed.
    """
    replaced: dict[int, tuple[Any, Any]] = {}
    for target in targets:
        state = recorder.add_target(target.info, receiver=target.has_receiver)
        binder = Binder(target.function, receiver=target.has_receiver)
        wrapper = make_wrapper(target.function, state, binder, recorder)
        original = _raw_attribute(target)
        patched = (
            _as_class_attribute(target, wrapper) if isinstance(target.owner, type) else wrapper
        )
        setattr(target.owner, target.attribute, patched)
        if not isinstance(target.owner, type):
            replaced[id(original)] = (original, wrapper)
        state.on_idle_closed = _restorer(target, original, patched)
    rebind_aliases(replaced)


def _raw_attribute(target: Target) -> Any:
    if isinstance(target.owner, type):
        return target.owner.__dict__.get(target.attribute, _INHERITED)
    return getattr(target.owner, target.attribute)


_INHERITED = object()


def _restorer(target: Target, original: Any, patched: Any) -> Callable[[], None]:
    done = False

    def restore() -> None:
        nonlocal done
        if done:
            return
        done = True
        owner, attribute = target.owner, target.attribute
        if isinstance(owner, type):
            if owner.__dict__.get(attribute) is patched:
                if original is _INHERITED:
                    delattr(owner, attribute)
                else:
                    setattr(owner, attribute, original)
        else:
            rebind_aliases({id(patched): (patched, original)})

    return restore


def _as_class_attribute(target: Target, wrapper: Callable[..., Any]) -> Any:
    kind = target.info.kind
    if kind == "staticmethod":
        return staticmethod(wrapper)
    if kind == "classmethod":
        return classmethod(wrapper)
    if kind == "property":
        return class_attribute(target.owner, target.attribute).getter(wrapper)
    return wrapper


def rebind_aliases(replaced: dict[int, tuple[Any, Any]]) -> None:
    """Point every module global still bound to an original at its wrapper (re-exports, aliases)."""
    if not replaced:
        return
    for namespace in _global_namespaces():
        for name, value in list(namespace.items()):
            entry = replaced.get(id(value))
            if entry is not None and entry[0] is value:
                namespace[name] = entry[1]


def _global_namespaces() -> list[dict[str, Any]]:
    """Module dicts, plus globals of their functions that live elsewhere.

    ``runpy.run_path`` (used by multiprocessing for a spawned child's ``__main__``) runs code in
    a temporary namespace and copies it into the module, so the functions keep globals that no
    module holds.
    """
    found: dict[int, dict[str, Any]] = {}
    for module in list(sys.modules.values()):
        namespace = getattr(module, "__dict__", None)
        if isinstance(namespace, dict):
            found[id(namespace)] = namespace
    for namespace in list(found.values()):
        for value in list(namespace.values()):
            if isinstance(value, types.FunctionType) and id(value.__globals__) not in found:
                found[id(value.__globals__)] = value.__globals__
    return list(found.values())
